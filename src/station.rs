//! A station folder on disk: reading its schedule files and checking them
//! against the audio folder. Used by `check`, `next` and the daemon alike,
//! so all three agree on what is valid.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::config::Config;
use crate::i18n::Msg;
use crate::i18n::diag::Diagnostic;
use crate::names;
use crate::plan::Occurrence;
use crate::schedule::{self, AudioRef, Chime, Schedule};
use crate::sound::audio::{self, AudioCache, AudioError, AudioInfo};
use crate::sound::speech::{self, Speech};

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
            text.trim().to_string()
        }
    };
    if text.is_empty() {
        return Err(AudioError::Empty);
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

/// Checks every audio reference of one valid schedule file; returns the
/// problems found, located at the reference (a missing file with the
/// closest names present), and the set of paths used, composed (NFC).
pub fn check_audio_refs(
    config: &Config,
    file: &ScheduleFile,
    cache: &mut AudioCache,
    used: &mut BTreeSet<String>,
) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let refs: Vec<AudioRef> = match &file.schedule {
        Some(s) => s
            .broadcasts
            .iter()
            .flat_map(|b| {
                let chime = match &b.chime {
                    Chime::File(r) => Some(r),
                    _ => None,
                };
                b.all_audio().chain(chime)
            })
            .cloned()
            .collect(),
        // A refused file: its well-formed references are checked all the
        // same, so one problem does not hide another, and its recordings
        // are not "unused".
        None if !file.text.is_empty() => {
            schedule::parse_with_refs(&file.name, &file.shown, &file.text).2
        }
        None => Vec::new(),
    };
    let mut seen = BTreeSet::new();
    let mut present: Option<Vec<String>> = None;
    // Readable by whom matters: the daemon's user (the owner of state/),
    // not whoever runs `check` (an operator can read her own 0600 copy).
    let reader = crate::owner::Owner::of(&config.state_dir);
    for r in &refs {
        used.insert(names::nfc(&r.path));
        if !seen.insert((r.path.clone(), r.pos)) {
            continue;
        }
        let found = if r.is_speech() {
            speech_of(config, r).map(|_| None)
        } else {
            cache
                .lookup(&config.audio_dir, &r.path)
                .map(|(_, info)| Some(info))
        };
        match found {
            Err(e) => {
                let mut msg = e.msg(&r.path);
                if let Msg::AudioMissing { path, near } = &mut msg {
                    let present =
                        present.get_or_insert_with(|| audio::inventory(&config.audio_dir));
                    *near = names::suggest(path, present);
                }
                out.push(located(file, r, msg));
            }
            Ok(found) => {
                if let Some(msg) = unreadable(config, reader.as_ref(), r) {
                    out.push(located(file, r, msg));
                } else if let Some(info) = found
                    && info.nearly_silent()
                {
                    let msg = Msg::AudioSilent {
                        path: r.path.clone(),
                        lufs: info.loudness.map(|l| l.lufs),
                        peak_db: info.loudness.map(|l| l.true_peak_db),
                    };
                    out.push(located(file, r, msg).warning());
                }
            }
        }
    }
    out
}

/// The message when the file `r` names is one the daemon's user may not
/// read, by its mode bits. Said only for someone else (an operator): a
/// process acting as the daemon's user has just tried for itself.
fn unreadable(config: &Config, reader: Option<&crate::owner::Owner>, r: &AudioRef) -> Option<Msg> {
    let reader = reader?;
    // SAFETY: geteuid has no preconditions.
    if r.say.is_some() || unsafe { libc::geteuid() } == reader.uid {
        return None;
    }
    let path = audio::resolve(&config.audio_dir, &r.path).ok()?;
    let meta = std::fs::metadata(&path).ok()?;
    // With an ACL (every file made in a folder with a default ACL, as the
    // package sets on audio/), the group bits are the ACL's mask: a named
    // entry may grant what they allow, never more. So only a mask without
    // read is sure to keep the daemon out.
    let acl_may_grant = crate::owner::has_acl(&path) && {
        use std::os::unix::fs::PermissionsExt as _;
        meta.permissions().mode() & 0o040 != 0
    };
    (!reader.can_read(&meta) && !acl_may_grant).then(|| Msg::AudioPermission {
        path: path.display().to_string(),
        user: reader.shown(),
    })
}

fn located(file: &ScheduleFile, r: &AudioRef, msg: Msg) -> Diagnostic {
    Diagnostic::at(&file.shown, &file.text, r.pos, msg)
}

/// Checks the station's own chime (config.yaml).
pub fn check_config_chime(config: &Config, cache: &mut AudioCache) -> Option<Diagnostic> {
    let rel = config.chime.as_deref()?;
    let err = cache.lookup(&config.root, rel).err()?;
    let mut msg = err.msg(rel);
    if let Msg::AudioMissing { near, .. } = &mut msg {
        // The recordings in the folder the chime is named in.
        let folder = rel.rsplit_once('/').map_or("", |(f, _)| f);
        let present: Vec<String> = audio::inventory(&config.root.join(folder))
            .into_iter()
            .map(|p| {
                if folder.is_empty() {
                    p
                } else {
                    format!("{folder}/{p}")
                }
            })
            .collect();
        *near = names::suggest(rel, &present);
    }
    let text = crate::text::read_text(&config.path).unwrap_or_default();
    let pos = text
        .lines()
        .position(|l| l.starts_with("chime:"))
        .map(|i| crate::i18n::diag::Pos::new(i as u64 + 1, 8));
    Some(Diagnostic::at(&config.shown(&config.path), &text, pos, msg))
}

/// Audio files in the folder that no schedule uses.
pub fn unused_audio(config: &Config, used: &BTreeSet<String>) -> Vec<Diagnostic> {
    let chime_in_audio = config
        .chime
        .as_deref()
        .map(|c| config.root.join(c))
        .and_then(|p| {
            p.strip_prefix(&config.audio_dir)
                .ok()
                .map(|r| names::nfc(&r.to_string_lossy().replace('\\', "/")))
        });
    // `used` holds the names as written, composed (NFC); the disk may hold
    // them decomposed.
    audio::inventory(&config.audio_dir)
        .into_iter()
        .filter(|p| {
            let p = names::nfc(p);
            !used.contains(&p) && chime_in_audio.as_deref() != Some(p.as_str())
        })
        .map(|p| {
            let shown = config.shown(&config.audio_dir.join(&p));
            Diagnostic::file(&shown, Msg::AudioUnused { path: p }).warning()
        })
        .collect()
}
