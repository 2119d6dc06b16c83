//! What `check` says about speech: the engine and its model are there
//! (located in config.yaml), each spoken item renders, with its length and
//! loudness, and words the normaliser could not read are warned about.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use crate::config::Config;
use crate::i18n::Msg;
use crate::i18n::diag::{Diagnostic, Pos};
use crate::sound::audio::{AudioCache, AudioInfo};
use crate::sound::speech::{self, Engine};
use crate::station::{self, ScheduleFile};

/// One spoken item as `check` lists it.
pub struct Spoken {
    /// Where it is written: the schedule file, and the `.txt` or the text.
    pub label: String,
    pub info: AudioInfo,
}

/// Checks the engine, renders every spoken item not rendered yet, and
/// lists them.
pub fn check(
    config: &Config,
    files: &[ScheduleFile],
    cache: &mut AudioCache,
) -> (Vec<Diagnostic>, Vec<Spoken>) {
    let mut diags = Vec::new();
    let mut rows = Vec::new();
    let refs: Vec<(&ScheduleFile, &crate::schedule::AudioRef)> = files
        .iter()
        .filter_map(|f| f.schedule.as_ref().map(|s| (f, s)))
        .flat_map(|(f, s)| {
            s.broadcasts
                .iter()
                .flat_map(|b| b.all_audio())
                .filter(|a| a.is_speech())
                .map(move |a| (f, a))
        })
        .collect();
    let explicit = config.tts.engine != Engine::EspeakNg
        || config.tts.command_ignored
        || config.tts.voice != speech::DEFAULT_VOICE;
    if !refs.is_empty() || explicit {
        diags.extend(engine(config, !refs.is_empty()));
    }
    if diags.iter().any(Diagnostic::is_error) {
        return (diags, rows);
    }
    // Rendered where the daemon keeps speech when this user may write
    // there; otherwise (an operator in the station's group, the state
    // folder the daemon's own) in a temporary folder of check's, removed
    // when it is done: nothing is written where the user may not.
    let tts = config.state_dir.join(speech::TTS_DIR);
    // When no folder can be written, what is rendered already is still
    // listed; the rest is said not tried, once per file.
    let (scratch, untried) = match writable(&tts) {
        true => (None, None),
        false => match Scratch::new() {
            Ok(s) => (Some(s), None),
            Err(e) => (None, Some(e.to_string())),
        },
    };
    let mut not_tried = BTreeSet::new();
    let mut seen = BTreeSet::new();
    for (f, a) in refs {
        let Ok(sp) = station::speech_of(config, a) else {
            // Already said by the audio reference check.
            continue;
        };
        if !seen.insert((f.name.clone(), a.path.clone(), sp.wav.clone())) {
            continue;
        }
        let at = |m: Msg| Diagnostic::at(&f.shown, &f.text, a.pos, m);
        if !sp.spoken.unread.is_empty() {
            let words = sp.spoken.unread.join(", ");
            diags.push(at(Msg::TtsUnread { words }).warning());
        }
        let name = sp
            .wav
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let rendered = sp.rendered();
        if let (Some(detail), false) = (&untried, rendered) {
            if not_tried.insert(f.name.clone()) {
                let folder = config.shown(&tts).display().to_string();
                let detail = detail.clone();
                diags.push(at(Msg::TtsNotTried { folder, detail }).warning());
            }
            continue;
        }
        let wav = match (&scratch, rendered) {
            (Some(s), false) => s.dir.join(&name),
            _ => sp.wav.clone(),
        };
        if !wav.is_file()
            && let Err(e) = speech::render_once(&config.tts, &sp.spoken.text, &wav, &config.root)
        {
            diags.push(at(e.msg()));
            continue;
        }
        let dir = wav.parent().unwrap_or(&config.state_dir);
        match cache.lookup(dir, &name) {
            Ok((_, info)) => rows.push(Spoken {
                label: label(config, f, a, &sp.text),
                info,
            }),
            Err(e) => diags.push(at(e.msg(&a.path))),
        }
    }
    (diags, rows)
}

/// Whether this user may create files in `dir`, or (when it is not there
/// yet) in the nearest folder above it that is.
fn writable(dir: &Path) -> bool {
    let Some(there) = dir.ancestors().find(|d| d.exists()) else {
        return false;
    };
    let Ok(c) = std::ffi::CString::new(there.as_os_str().as_encoded_bytes()) else {
        return false;
    };
    // By the effective ids: `sudo loa check` acts as the station's owner.
    // SAFETY: `c` is a valid NUL-terminated path; faccessat(2) only reads it.
    unsafe {
        libc::faccessat(
            libc::AT_FDCWD,
            c.as_ptr(),
            libc::W_OK | libc::X_OK,
            libc::AT_EACCESS,
        ) == 0
    }
}

/// A temporary folder of this `check` alone (mode 0700), removed with
/// everything in it when dropped.
struct Scratch {
    dir: PathBuf,
}

impl Scratch {
    fn new() -> std::io::Result<Scratch> {
        use std::os::unix::fs::DirBuilderExt as _;
        let dir = std::env::temp_dir().join(format!("loa-check-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::DirBuilder::new().mode(0o700).create(&dir)?;
        Ok(Scratch { dir })
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

fn label(config: &Config, f: &ScheduleFile, a: &crate::schedule::AudioRef, text: &str) -> String {
    let file = config.shown(&f.path).display().to_string();
    if a.say.is_none() {
        return format!("{} ({file})", a.path);
    }
    let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
    let short: String = flat.chars().take(40).collect();
    let more = if flat.chars().count() > 40 { "…" } else { "" };
    format!("say \"{}{more}\" ({file})", short.trim_end())
}

/// The engine's program, and any file its command names (a voice model),
/// must be on the box; located at the `tts` lines of config.yaml. A
/// station with no speech (`speaks` false) is only warned that the
/// program is missing: nothing it plays needs it.
fn engine(config: &Config, speaks: bool) -> Vec<Diagnostic> {
    let text = crate::text::read_text(&config.path).unwrap_or_default();
    let shown = config.shown(&config.path);
    let line_of = |key: &str| {
        text.lines()
            .position(|l| l.trim_start().starts_with(key))
            .map(|i| Pos::new(i as u64 + 1, 1))
    };
    let at = line_of("command:")
        .or_else(|| line_of("engine:"))
        .or_else(|| line_of("tts:"));
    let mut out = Vec::new();
    if config.tts.command_ignored {
        let at = line_of("command:");
        out.push(Diagnostic::at(&shown, &text, at, Msg::TtsCommandIgnored).warning());
    }
    let program = config.tts.program();
    let installed = speech::installed(&program, &config.root);
    if !installed {
        let d = Diagnostic::at(&shown, &text, at, Msg::TtsEngineMissing { program });
        out.push(if speaks { d } else { d.warning() });
    }
    // espeak-ng's own list, when it runs and lists any voice.
    if config.tts.engine == Engine::EspeakNg
        && installed
        && let Some(voices) = speech::espeak_voices()
        && !speech::has_voice(voices, &config.tts.voice)
    {
        let m = Msg::TtsUnknownVoice {
            voice: config.tts.voice.clone(),
        };
        out.push(Diagnostic::at(&shown, &text, value_at(&text, "voice:"), m));
    }
    if let Engine::Command(argv) = &config.tts.engine {
        for path in speech::named_files(argv) {
            if !config.root.join(&path).is_file() {
                let at = written_at(&text, &path).or(at);
                let m = Msg::TtsModelMissing { path };
                out.push(Diagnostic::at(&shown, &text, at, m));
            }
        }
    }
    out
}

/// Where the value of `key` (the first line that starts with it) is
/// written in config.yaml: its line and column.
fn value_at(text: &str, key: &str) -> Option<Pos> {
    text.lines().enumerate().find_map(|(i, l)| {
        let rest = l.trim_start().strip_prefix(key)?;
        let before = l.chars().count() - rest.chars().count();
        let col = before + (rest.chars().count() - rest.trim_start().chars().count());
        Some(Pos::new(i as u64 + 1, col as u64 + 1))
    })
}

/// Where `word` is first written at or after the `command:` line (the
/// command's argument), else anywhere: its line and column.
fn written_at(text: &str, word: &str) -> Option<Pos> {
    let from = text
        .lines()
        .position(|l| l.trim_start().starts_with("command:"))
        .unwrap_or(0);
    text.lines().enumerate().skip(from).find_map(|(i, l)| {
        let at = l.find(word)?;
        Some(Pos::new(i as u64 + 1, l[..at].chars().count() as u64 + 1))
    })
}
