//! Checking a station's audio references as `check` and the daemon's
//! reload do: each recording, notice and chime there, readable by the
//! daemon's user, decodable; and what in the audio folder nothing uses.

use std::collections::BTreeSet;

use super::{ScheduleFile, speech_of};
use crate::config::Config;
use crate::i18n::Msg;
use crate::i18n::diag::Diagnostic;
use crate::names;
use crate::schedule::{self, AudioRef, Chime};
use crate::sound::audio::{self, AudioCache};

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
pub(super) fn unreadable(
    config: &Config,
    reader: Option<&crate::owner::Owner>,
    r: &AudioRef,
) -> Option<Msg> {
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

pub(super) fn located(file: &ScheduleFile, r: &AudioRef, msg: Msg) -> Diagnostic {
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
