//! An announcement written where the daemon takes it: its recording
//! brought into the audio folder (as the station's owner), and a schedule
//! file of one broadcast written whole into schedules/.

use std::fmt::Write as _;
use std::path::Path;

use chrono::{DateTime, Utc};

use super::announce::{Error, Request, Written};
use crate::config::Config;
use crate::i18n::{Lang, Msg};
use crate::sound::audio::{AudioCache, AudioError};

/// Where an audio argument lives inside the audio folder: as given when it
/// is already there (absolute or relative to the audio folder), else copied
/// into `audio/announce/`.
pub(super) fn place_audio(
    config: &Config,
    given: &Path,
    copied: &mut Vec<String>,
) -> Result<String, Error> {
    let audio_dir = std::fs::canonicalize(&config.audio_dir)?;
    let candidates = [given.to_path_buf(), config.audio_dir.join(given)];
    // Looked at and read as whoever loa acts as (with sudo: the station's
    // owner, never root): root reading a file for the station could copy
    // what the operators may not read (a symlink to /etc/shadow in audio/).
    let found = candidates
        .iter()
        .find(|p| p.is_file())
        .map(std::fs::canonicalize);
    let real = found.ok_or_else(|| {
        Error::Audio(Box::new(
            AudioError::Missing.msg(&given.display().to_string()),
        ))
    })??;
    if let Ok(rel) = real.strip_prefix(&audio_dir) {
        return Ok(rel.to_string_lossy().into_owned());
    }
    let name = real
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "announce.mp3".into());
    let dir = config.audio_dir.join("announce");
    if !dir.is_dir() {
        use std::os::unix::fs::PermissionsExt as _;
        std::fs::create_dir_all(&dir)?;
        // Shared by the station's operators, whoever made it first.
        let _ = std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o2775));
    }
    let unreadable = |e: std::io::Error| {
        Error::Audio(Box::new(
            crate::sound::audio::io_error(&e, &real).msg(&given.display().to_string()),
        ))
    };
    let hash = crate::hash::sha256_file(&real).map_err(unreadable)?;
    let mut target = dir.join(&name);
    if target.exists() && crate::hash::sha256_file(&target)? != hash {
        target = dir.join(format!("{}-{name}", &hash[..8]));
    }
    if !target.exists() {
        // Whole: the watcher never sees half a recording. Readable and
        // writable by the station's group (the daemon, the operators),
        // whatever the mode of the copy it came from; nobody else's.
        let mut source = std::fs::File::open(&real).map_err(unreadable)?;
        crate::whole::copy_from(&mut source, &target, 0o660)?;
        copied.push(format!(
            "announce/{}",
            target
                .file_name()
                .map(|n| n.to_string_lossy())
                .unwrap_or_default()
        ));
    }
    let rel = target
        .strip_prefix(&config.audio_dir)
        .map(|p| p.to_string_lossy().into_owned())
        .unwrap_or(name);
    Ok(rel)
}

/// A Vietnamese lower-case letter without its marks, for file names:
/// "bão số 3" → "bao so 3".
pub(super) fn ascii_letter(c: char) -> char {
    const GROUPS: [(char, &str); 7] = [
        ('a', "àáảãạăằắẳẵặâầấẩẫậ"),
        ('e', "èéẻẽẹêềếểễệ"),
        ('i', "ìíỉĩị"),
        ('o', "òóỏõọôồốổỗộơờớởỡợ"),
        ('u', "ùúủũụưừứửữự"),
        ('y', "ỳýỷỹỵ"),
        ('d', "đ"),
    ];
    GROUPS
        .iter()
        .find(|(_, forms)| forms.contains(c))
        .map_or(c, |(base, _)| *base)
}

pub(super) fn quote(s: &str) -> String {
    serde_json::Value::from(s).to_string()
}

/// Writes the announcement's schedule file and returns what it wrote.
pub fn write(
    config: &Config,
    req: &Request,
    now: DateTime<Utc>,
    lang: Lang,
) -> Result<Written, Error> {
    let unknown: Vec<&String> = req
        .outputs
        .iter()
        .filter(|o| config.output(o).is_none())
        .collect();
    if let Some(name) = unknown.first() {
        let msg = Msg::UnknownOutput {
            name: name.to_string(),
            known: config.output_names().join(", "),
        };
        return Err(Error::UnknownOutput(Box::new(msg)));
    }
    let mut copied = Vec::new();
    let mut audio = Vec::new();
    let mut cache = AudioCache::new();
    for a in &req.audio {
        let rel = place_audio(config, a, &mut copied)?;
        let path = config.audio_dir.join(&rel);
        let checked = if crate::schedule::is_text_file(&rel) {
            // A notice: its text must read, and hold something to say.
            crate::text::read_text(&path)
                .map_err(|e| AudioError::Undecodable(e.to_string()))
                .and_then(|t| {
                    if t.trim().is_empty() {
                        Err(AudioError::Empty)
                    } else {
                        Ok(())
                    }
                })
        } else {
            cache.info(&path).map(|_| ())
        };
        checked.map_err(|e| Error::Audio(Box::new(e.msg(&a.display().to_string()))))?;
        audio.push(rel);
    }
    let local = req.at.with_timezone(&config.timezone);
    let made = now.with_timezone(&config.timezone);
    let mut y = String::new();
    let _ = writeln!(
        y,
        "# Written by `loa announce` at {}.",
        made.format("%Y-%m-%d %H:%M:%S")
    );
    let _ = writeln!(y, "title: {}", quote(&req.name));
    let _ = writeln!(y, "topic: {}", quote(&req.topic));
    if let Some(who) = &req.approved_by {
        let _ = writeln!(y, "approved_by: {}", quote(who));
        let _ = writeln!(y, "approved_on: {}", made.format("%Y-%m-%d"));
    }
    let _ = writeln!(y, "priority: {}", req.priority.as_str());
    let _ = writeln!(y, "broadcasts:");
    let _ = writeln!(y, "  - name: {}", quote(&req.name));
    match (&req.say, &req.relay) {
        (_, Some((source, length))) => {
            let _ = writeln!(y, "    relay: {}", quote(source));
            let _ = writeln!(y, "    for: {}", quote(length));
        }
        (Some(text), None) => {
            let _ = writeln!(y, "    say: {}", quote(text));
        }
        (None, None) => {
            let list = audio
                .iter()
                .map(|a| quote(a))
                .collect::<Vec<_>>()
                .join(", ");
            let _ = writeln!(y, "    audio: [{list}]");
        }
    }
    let _ = writeln!(y, "    on: [\"{}\"]", local.format("%Y-%m-%d %H:%M:%S"));
    if req.relay.is_none() {
        let _ = writeln!(y, "    repeat: {}", req.repeat);
    }
    if !req.outputs.is_empty() {
        let list = req
            .outputs
            .iter()
            .map(|o| quote(o))
            .collect::<Vec<_>>()
            .join(", ");
        let _ = writeln!(y, "    outputs: [{list}]");
    }

    let slug: String = req
        .name
        .to_lowercase()
        .chars()
        .map(ascii_letter)
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
        .collect::<String>()
        .split('-')
        .filter(|p| !p.is_empty())
        .take(6)
        .collect::<Vec<_>>()
        .join("-");
    // A file name has at most 255 bytes; the whole name stays inside the
    // file, the file's own name only needs to be recognisable.
    let slug: String = slug.chars().take(48).collect();
    let slug = slug.trim_end_matches('-').to_string();
    let base = format!(
        "announce-{}-{}",
        local.format("%Y%m%d-%H%M%S"),
        if slug.is_empty() { "tin".into() } else { slug }
    );
    let mut file = config.schedules_dir.join(format!("{base}.yaml"));
    let mut k = 2;
    while file.exists() {
        file = config.schedules_dir.join(format!("{base}-{k}.yaml"));
        k += 1;
    }
    let name = file
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let (parsed, diags) = crate::schedule::parse(&name, &config.shown(&file), &y);
    if parsed.is_none() {
        let text = diags
            .iter()
            .map(|d| d.render(lang))
            .collect::<Vec<_>>()
            .join("\n");
        return Err(Error::Invalid(text));
    }
    std::fs::create_dir_all(&config.schedules_dir)?;
    crate::whole::write(&file, y.as_bytes())?;
    Ok(Written { file, copied })
}

#[cfg(test)]
mod tests {
    #[test]
    fn vietnamese_names_make_readable_file_names() {
        let s: String = "bão số 3: đê điều"
            .chars()
            .map(super::ascii_letter)
            .collect();
        assert_eq!(s, "bao so 3: de dieu");
    }
}
