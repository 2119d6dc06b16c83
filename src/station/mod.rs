//! A station folder on disk: reading its schedule files and checking them
//! against the audio folder. Used by `check`, `next` and the daemon alike,
//! so all three agree on what is valid.

mod check;

use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::config::Config;
use crate::i18n::Msg;
use crate::i18n::diag::Diagnostic;
use crate::plan::Occurrence;
use crate::schedule::{self, AudioRef, Chime, Schedule};
use crate::sound::audio::{self, AudioCache, AudioError, AudioInfo};
use crate::sound::speech::{self, Speech};

pub use check::{check_audio_refs, check_config_chime, unused_audio};

/// One schedule file as read from disk.
#[derive(Clone, Debug)]
pub struct ScheduleFile {
    /// File name inside the schedules folder (the id prefix).
    pub name: String,
    pub path: PathBuf,
    /// How the operator sees the path (relative to the station folder).
    pub shown: PathBuf,
    pub text: String,
    /// The validated schedule, when the file has no errors.
    pub schedule: Option<Arc<Schedule>>,
    pub diags: Vec<Diagnostic>,
}

/// Whether a directory entry is a schedule file: `*.yaml`/`*.yml`, not
/// hidden, not an editor's backup or swap file.
pub fn is_schedule_file(path: &Path) -> bool {
    let Some(name) = path.file_name().and_then(|n| n.to_str()) else {
        return false;
    };
    !name.starts_with('.') && (name.ends_with(".yaml") || name.ends_with(".yml"))
}

/// The schedule files in the folder, sorted by name.
pub fn schedule_paths(dir: &Path) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|rd| {
            rd.flatten()
                .map(|e| e.path())
                .filter(|p| is_schedule_file(p) && p.is_file())
                .collect()
        })
        .unwrap_or_default();
    out.sort();
    out
}

/// Reads and validates one schedule file.
pub fn read_schedule(config: &Config, path: &Path) -> ScheduleFile {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let shown = config.shown(path);
    let (text, schedule, diags) = match crate::text::read_text(path) {
        Err(e) => (String::new(), None, vec![e.diagnostic(&shown)]),
        Ok(text) => {
            let (mut s, mut d) = schedule::parse(&name, &shown, &text);
            let unknown = s
                .as_ref()
                .map(|s| unknown_outputs(config, s))
                .unwrap_or_default();
            if !unknown.is_empty() {
                s = None;
            }
            let known = config.output_names().join(", ");
            d.extend(unknown.into_iter().map(|r| {
                Diagnostic::at(
                    &shown,
                    &text,
                    r.pos,
                    Msg::UnknownOutput {
                        name: r.name,
                        known: known.clone(),
                    },
                )
            }));
            (text, s.map(Arc::new), d)
        }
    };
    ScheduleFile {
        name,
        path: path.to_path_buf(),
        shown,
        text,
        schedule,
        diags,
    }
}

/// The outputs a schedule names that the station does not have, each once.
fn unknown_outputs(config: &Config, s: &Schedule) -> Vec<schedule::OutputRef> {
    let mut out: Vec<schedule::OutputRef> = Vec::new();
    for r in s
        .broadcasts
        .iter()
        .filter_map(|b| b.outputs.as_ref())
        .flatten()
    {
        if config.output(&r.name).is_none() && !out.contains(r) {
            out.push(r.clone());
        }
    }
    out
}

/// Reads every schedule file of the station.
pub fn read_all(config: &Config) -> Vec<ScheduleFile> {
    schedule_paths(&config.schedules_dir)
        .iter()
        .map(|p| read_schedule(config, p))
        .collect()
}

/// A recording resolved for playing.
#[derive(Clone, Debug)]
pub struct Clip {
    /// As written in the schedule (relative to the audio folder) or config.
    pub rel: String,
    pub path: PathBuf,
    pub info: AudioInfo,
    /// For speech: what was said, and by which engine and voice.
    pub speech: Option<crate::kinds::SpeechEntry>,
}

/// The chime a broadcast plays before its first repeat, if any, as a
/// (root, relative path) pair.
pub fn chime_ref<'a>(config: &'a Config, chime: &'a Chime) -> Option<(&'a Path, &'a str)> {
    match chime {
        Chime::Off => None,
        Chime::Default => config.chime.as_deref().map(|c| (config.root.as_path(), c)),
        Chime::File(r) => Some((config.audio_dir.as_path(), r.path.as_str())),
    }
}

/// Everything an occurrence plays, resolved.
pub struct Resolved {
    /// The chime, when one is set and can be played.
    pub chime: Option<Clip>,
    /// The chime that is set but cannot be played, and why: the broadcast
    /// plays without it (a chime never silences the station).
    pub chime_trouble: Option<(String, AudioError)>,
    pub clips: Vec<Clip>,
}

/// Resolves everything an occurrence plays: the chime (if any) and its
/// clips. A clip that cannot be played is an error; a chime is not.
pub fn clips(
    config: &Config,
    cache: &mut AudioCache,
    occ: &Occurrence,
) -> Result<Resolved, (String, AudioError)> {
    let b = occ.broadcast();
    let (chime, chime_trouble) = match chime_ref(config, &b.chime) {
        None => (None, None),
        Some((root, rel)) => match cache.lookup(root, rel) {
            Ok((path, info)) => (
                Some(Clip {
                    rel: audio::on_disk(root, rel),
                    path,
                    info,
                    speech: None,
                }),
                None,
            ),
            Err(e) => (None, Some((rel.to_string(), e))),
        },
    };
    let out = b
        .audio
        .iter()
        .map(|a| clip(config, cache, a))
        .collect::<Result<Vec<_>, _>>()?;
    Ok(Resolved {
        chime,
        chime_trouble,
        clips: out,
    })
}

/// One recording or text of a broadcast, resolved: an error names it as
/// written.
pub fn clip(
    config: &Config,
    cache: &mut AudioCache,
    a: &AudioRef,
) -> Result<Clip, (String, AudioError)> {
    if a.is_speech() {
        return speech_clip(config, cache, a).map_err(|e| (a.path.clone(), e));
    }
    let (path, info) = cache
        .lookup(&config.audio_dir, &a.path)
        .map_err(|e| (a.path.clone(), e))?;
    Ok(Clip {
        rel: audio::on_disk(&config.audio_dir, &a.path),
        path,
        info,
        speech: None,
    })
}

/// The speech an audio reference says: a `say:` text, or the text of a
/// `.txt` notice in the audio folder (in any encoding [`crate::text`]
/// reads), trimmed.
pub fn speech_of(config: &Config, r: &AudioRef) -> Result<Speech, AudioError> {
    let text = match &r.say {
        Some(t) => t.clone(),
        None => {
            let path = audio::resolve(&config.audio_dir, &r.path)?;
            let text = crate::text::read_text(&path)
                .map_err(|e| AudioError::Undecodable(e.to_string()))?;
            if let Some((line, col, c)) = crate::chars::control_in_text(&text) {
                return Err(AudioError::ControlChar {
                    line,
                    col,
                    char: crate::i18n::char_code(c),
                });
            }
            text.trim().to_string()
        }
    };
    if text.is_empty() {
        return Err(AudioError::Empty);
    }
    let chars = text.chars().count();
    if chars > speech::MAX_CHARS {
        return Err(AudioError::TooLong {
            chars,
            max: speech::MAX_CHARS,
        });
    }
    Ok(Speech::new(&config.tts, &config.state_dir, &text))
}

/// A speech item as a clip: its rendered WAV. A cache that must not block
/// (the daemon's loop) never renders: speech not rendered yet is an error
/// there, and the daemon renders ahead of time on another thread.
fn speech_clip(config: &Config, cache: &mut AudioCache, a: &AudioRef) -> Result<Clip, AudioError> {
    let sp = speech_of(config, a)?;
    let (engine, voice) = speech::log_engine(&config.tts);
    let entry = crate::kinds::SpeechEntry {
        text: sp.text.clone(),
        engine,
        voice,
    };
    let rel = match a.say {
        Some(_) => a.path.clone(),
        None => audio::on_disk(&config.audio_dir, &a.path),
    };
    if !sp.rendered() {
        if cache.is_quick() {
            return Err(AudioError::NotRendered);
        }
        if cache.estimates_speech() {
            // The preview renders nothing: a length from the words, marked.
            cache.note_speech_estimate();
            return Ok(Clip {
                rel,
                path: sp.wav.clone(),
                info: AudioInfo {
                    sha256: String::new(),
                    length: speech::estimate(&sp.spoken.text, config.tts.rate),
                    loudness: None,
                    unmeasured: true,
                },
                speech: Some(entry),
            });
        }
        speech::render_once(&config.tts, &sp.spoken.text, &sp.wav, &config.root)
            .map_err(|e| AudioError::Speech(e.to_string()))?;
    }
    let dir = sp.wav.parent().unwrap_or(Path::new("."));
    let name = sp
        .wav
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let (path, info) = cache.lookup(dir, &name)?;
    Ok(Clip {
        rel,
        path,
        info,
        speech: Some(entry),
    })
}
