//! `loa announce` (SPEC §4): a one-off broadcast written as an ordinary
//! schedule file in `schedules/`, so it is on record like any other and the
//! running daemon takes it like any other file.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};

use crate::audio::AudioCache;
use crate::config::Config;
use crate::schedule::Priority;

/// What the operator asked for.
#[derive(Clone, Debug)]
pub struct Request {
    pub audio: Vec<PathBuf>,
    pub at: DateTime<Utc>,
    pub priority: Priority,
    pub repeat: u32,
    pub name: String,
    pub topic: String,
    pub approved_by: String,
}

/// What was written.
#[derive(Clone, Debug)]
pub struct Written {
    pub file: PathBuf,
    /// Audio paths as the schedule names them (relative to `audio/`).
    pub audio: Vec<String>,
    /// Files copied into `audio/announce/` because they were elsewhere.
    pub copied: Vec<String>,
}

/// Why an announcement could not be written.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("{path}: {reason}")]
    Audio { path: String, reason: String },
    #[error("{0}")]
    Io(#[from] std::io::Error),
    #[error("the schedule loa wrote does not validate: {0}")]
    Invalid(String),
}

/// Where an audio argument lives inside the audio folder: as given when it
/// is already there (absolute or relative to the audio folder), else copied
/// into `audio/announce/`.
fn place_audio(config: &Config, given: &Path, copied: &mut Vec<String>) -> Result<String, Error> {
    let audio_dir = std::fs::canonicalize(&config.audio_dir)?;
    let candidates = [given.to_path_buf(), config.audio_dir.join(given)];
    let found = candidates
        .iter()
        .find(|p| p.is_file())
        .ok_or_else(|| Error::Audio {
            path: given.display().to_string(),
            reason: "file not found".into(),
        })?;
    let real = std::fs::canonicalize(found)?;
    if let Ok(rel) = real.strip_prefix(&audio_dir) {
        return Ok(rel.to_string_lossy().into_owned());
    }
    let name = real
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "announce.mp3".into());
    let dir = config.audio_dir.join("announce");
    std::fs::create_dir_all(&dir)?;
    let hash = crate::hash::sha256_file(&real)?;
    let mut target = dir.join(&name);
    if target.exists() && crate::hash::sha256_file(&target)? != hash {
        target = dir.join(format!("{}-{name}", &hash[..8]));
    }
    if !target.exists() {
        // Whole: the watcher never sees half a recording.
        crate::whole::copy(&real, &target)?;
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
fn ascii_letter(c: char) -> char {
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

fn quote(s: &str) -> String {
    serde_json::Value::from(s).to_string()
}

/// Writes the announcement's schedule file and returns what it wrote.
pub fn write(config: &Config, req: &Request, now: DateTime<Utc>) -> Result<Written, Error> {
    let mut copied = Vec::new();
    let mut audio = Vec::new();
    let mut cache = AudioCache::new();
    for a in &req.audio {
        let rel = place_audio(config, a, &mut copied)?;
        let path = config.audio_dir.join(&rel);
        cache.info(&path).map_err(|e| Error::Audio {
            path: a.display().to_string(),
            reason: e.to_string(),
        })?;
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
    let _ = writeln!(y, "approved_by: {}", quote(&req.approved_by));
    let _ = writeln!(y, "approved_on: {}", made.format("%Y-%m-%d"));
    let _ = writeln!(y, "priority: {}", req.priority.as_str());
    let _ = writeln!(y, "broadcasts:");
    let _ = writeln!(y, "  - name: {}", quote(&req.name));
    let list = audio
        .iter()
        .map(|a| quote(a))
        .collect::<Vec<_>>()
        .join(", ");
    let _ = writeln!(y, "    audio: [{list}]");
    let _ = writeln!(y, "    on: [\"{}\"]", local.format("%Y-%m-%d %H:%M:%S"));
    let _ = writeln!(y, "    repeat: {}", req.repeat);

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
            .map(|d| d.render(crate::i18n::Lang::En))
            .collect::<Vec<_>>()
            .join("\n");
        return Err(Error::Invalid(text));
    }
    std::fs::create_dir_all(&config.schedules_dir)?;
    crate::whole::write(&file, y.as_bytes())?;
    Ok(Written {
        file,
        audio,
        copied,
    })
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
