//! The voices espeak-ng has, and whether an engine's program is there.

use std::path::Path;
use std::process::{Command, Stdio};

use super::DEFAULT_ENGINE;

/// The voices espeak-ng has, as its `-v` takes them, read once from
/// `espeak-ng --voices`; `None` when it cannot be run (then the engine is
/// missing, which is said on its own).
pub fn espeak_voices() -> Option<&'static [String]> {
    static VOICES: std::sync::OnceLock<Option<Vec<String>>> = std::sync::OnceLock::new();
    VOICES
        .get_or_init(|| {
            let out = Command::new(DEFAULT_ENGINE)
                .arg("--voices")
                .stdin(Stdio::null())
                .stderr(Stdio::null())
                .output()
                .ok()?;
            voices_from(out.status.success(), &String::from_utf8_lossy(&out.stdout))
        })
        .as_deref()
}

/// The voices of an `espeak-ng --voices` run that ended `ok` with
/// `list`; `None` when it failed or nothing in it is a voice (then the
/// voice is not known, not wrong).
pub(crate) fn voices_from(ok: bool, list: &str) -> Option<Vec<String>> {
    let voices = parse_voices(list);
    (ok && !voices.is_empty()).then_some(voices)
}

/// The name the built-in engine is given for `voice`: `vi_VN` as
/// `vi-VN`, which espeak-ng resolves (it refuses the underscore).
pub(crate) fn espeak_name(voice: &str) -> String {
    voice.replace('_', "-")
}

/// The names a voice list (`espeak-ng --voices`: `Pty Language Age/Gender
/// VoiceName File …`) offers to `-v`: each language (`vi-vn-x-south`), and
/// each voice file with and without its folder (`aav/vi`, `vi`); lower case.
pub fn parse_voices(list: &str) -> Vec<String> {
    let mut names = Vec::new();
    for line in list.lines().skip(1) {
        let cols: Vec<&str> = line.split_whitespace().collect();
        let [_, language, _, _, file, ..] = cols[..] else {
            continue;
        };
        names.push(language.to_lowercase());
        names.push(file.to_lowercase());
        if let Some(base) = file.rsplit('/').next() {
            names.push(base.to_lowercase());
        }
    }
    names
}

/// Whether `voice` is one of `voices` ([`parse_voices`]), a variant after
/// `+` (`vi+f3`) aside, in any case and with `_` for `-` (`vi_VN`): a
/// language or voice file listed, or the leading part of a listed
/// language up to a `-` (`vi-vn` of `vi-vn-x-south`), which espeak-ng
/// resolves to that language. espeak-ng takes any other name without a
/// word and speaks with a voice it picks ("vi-north" sounds as "vi"), so
/// any other name is refused.
pub fn has_voice(voices: &[String], voice: &str) -> bool {
    let base = voice.split('+').next().unwrap_or("").trim();
    let base = espeak_name(base).to_lowercase();
    if base.is_empty() || base.ends_with('-') {
        return false;
    }
    let lead = format!("{base}-");
    voices
        .iter()
        .any(|v| *v == base || (!v.contains('/') && v.starts_with(&lead)))
}

/// Whether `program` can be run: a path that exists, or a name on PATH.
pub fn installed(program: &str, cwd: &Path) -> bool {
    if program.is_empty() {
        return false;
    }
    if program.contains('/') {
        return cwd.join(program).is_file();
    }
    std::env::var_os("PATH")
        .is_some_and(|paths| std::env::split_paths(&paths).any(|d| d.join(program).is_file()))
}
