//! Recordings are measured (hash, length, loudness) on a blocking thread,
//! one at a time, the one the nearest broadcast needs first, and each result
//! is saved as soon as it is known. The loop never decodes a file through:
//! its cache is [`AudioCache::quick`](crate::sound::audio::AudioCache::quick), so
//! a broadcast whose recording is not measured yet still starts on its
//! second, at unity gain, and its `start` line says so. Start-up does not
//! wait for any of this.

use std::collections::{BTreeMap, HashMap};
use std::path::PathBuf;
use std::time::Duration;
use std::time::SystemTime;

use chrono::{DateTime, Utc};
use tokio::sync::mpsc;
use tokio::time::Instant;
use tracing::{debug, info, warn};

use super::Daemon;
use crate::sound::audio::{self, Measured};
use crate::station;

/// How often the audio folder is looked at without an event (a network
/// share sends none). Each look lists the folder and stats every file.
const AUDIO_RESCAN: Duration = Duration::from_secs(60);
/// How long a file that changed while it was measured (still being copied
/// in) rests before it is measured again.
const SETTLE: Duration = Duration::from_secs(1);

/// At most this often the cache file is rewritten while files are being
/// measured one after another (it holds every measurement, so writing it
/// after each of thousands of small files would be quadratic); a result
/// that comes after a quiet spell is saved at once.
const SAVE_EVERY: Duration = Duration::from_secs(2);

/// What the measuring thread sends back: the file, and its measurement
/// (None if the file changed meanwhile).
pub(super) type Done = (PathBuf, Option<Measured>);

/// A file that may still be being written: how it looked (size,
/// modification time) and since when it has looked so.
#[derive(Clone, Copy, Debug)]
struct Rest {
    looked: Option<(u64, Option<SystemTime>)>,
    since: Instant,
}

fn looks(path: &std::path::Path) -> Option<(u64, Option<SystemTime>)> {
    let m = std::fs::metadata(path).ok()?;
    Some((m.len(), m.modified().ok()))
}

/// The loop's side of the measuring thread.
pub(super) struct Measuring {
    tx: mpsc::UnboundedSender<Done>,
    rx: mpsc::UnboundedReceiver<Done>,
    /// The file being measured now.
    busy: Option<PathBuf>,
    /// Files that changed while they were measured, and when to try again.
    resting: HashMap<PathBuf, Rest>,
    /// When to look at the audio folder again without an event.
    rescan_at: Option<Instant>,
    /// When the cache file was last written.
    saved_at: Option<Instant>,
}

impl Measuring {
    /// Waits for the measuring thread to finish one.
    pub(super) async fn done(&mut self) -> Option<Done> {
        self.rx.recv().await
    }

    pub(super) fn new() -> Measuring {
        let (tx, rx) = mpsc::unbounded_channel();
        Measuring {
            tx,
            rx,
            busy: None,
            resting: HashMap::new(),
            rescan_at: None,
            saved_at: None,
        }
    }

    /// Whether the periodic look at the audio folder is due at `now`.
    pub(super) fn rescan_due(&mut self, now: Instant) -> bool {
        let due = self.rescan_at.is_none_or(|t| t <= now);
        if due {
            self.rescan_at = Some(now + AUDIO_RESCAN);
        }
        due
    }

    /// When a resting file is to be tried again, if one is (and nothing is
    /// being measured that would try it anyway).
    pub(super) fn wake(&self) -> Option<Instant> {
        if self.busy.is_some() {
            return None;
        }
        self.resting.values().map(|r| r.since + SETTLE).min()
    }
}

/// What programs are made of: recordings measured (here), speech being
/// rendered (speak.rs), relays receiving (relays.rs), chimes that cannot
/// be played.
pub(super) struct Media {
    pub(super) cache: crate::sound::audio::AudioCache,
    pub(super) measuring: Measuring,
    /// The relays receiving, by occurrence.
    pub(super) relays: super::relays::Relays,
    pub(super) speaking: super::speak::Speaking,
    /// Chimes that are set but cannot be played, by path as written, with
    /// the reason: broadcasts go without them, and status says so.
    pub(super) chime_trouble: BTreeMap<String, crate::i18n::Msg>,
}

impl Media {
    pub(super) fn new(config: &crate::config::Config) -> Media {
        Media {
            // Recordings are measured apart, nearest first, once the loop
            // runs.
            cache: crate::sound::audio::AudioCache::persistent(config.state_dir.join("audio.json"))
                .quick(),
            measuring: Measuring::new(),
            relays: super::relays::Relays::default(),
            speaking: super::speak::Speaking::new(),
            chime_trouble: BTreeMap::new(),
        }
    }
}

impl Daemon {
    /// Starts measuring the next recording not measured as it is now, the
    /// one the nearest broadcast needs first, unless one is under way.
    pub(super) fn measure_new_audio(&mut self) {
        // Speech has its own thread (see `speak`).
        self.render_next_speech();
        if self.media.measuring.busy.is_some() {
            return;
        }
        let now = Instant::now();
        let mut todo: Vec<PathBuf> = self.media.cache.unmeasured(&self.config.audio_dir);
        if let Some(chime) = self.config.chime.as_deref()
            && let Ok(path) = audio::resolve(&self.config.root, chime)
            && self.media.cache.unmeasured_file(&path)
        {
            todo.push(path);
        }
        // A file written in the last moment may still be being copied in:
        // it is measured once it has looked the same for SETTLE, instead of
        // being decoded half-way. One that was last modified longer ago is
        // measured at once.
        let wall = SystemTime::now();
        let resting = &mut self.media.measuring.resting;
        resting.retain(|p, _| todo.contains(p));
        todo.retain(|p| {
            let looked = looks(p);
            match resting.get(p) {
                Some(r) if r.looked == looked => return now >= r.since + SETTLE,
                Some(_) => {
                    resting.insert(p.clone(), Rest { looked, since: now });
                    return false;
                }
                None => {}
            }
            let old = looked
                .and_then(|(_, t)| t)
                .and_then(|t| wall.duration_since(t).ok())
                .is_none_or(|age| age >= SETTLE);
            if !old {
                resting.insert(p.clone(), Rest { looked, since: now });
            }
            old
        });
        if todo.is_empty() {
            return;
        }
        let need = self.needed_by();
        let Some(path) = todo.into_iter().min_by_key(|p| {
            (
                need.get(p).copied().unwrap_or(DateTime::<Utc>::MAX_UTC),
                p.clone(),
            )
        }) else {
            return;
        };
        debug!(file = %path.display(), needed = ?need.get(&path), "measuring");
        self.media.measuring.busy = Some(path.clone());
        let tx = self.media.measuring.tx.clone();
        let known = self.media.cache.known();
        tokio::task::spawn_blocking(move || {
            let m = audio::measure_apart(path.clone(), &known);
            let _ = tx.send((path, m));
        });
    }

    /// When each recording is first needed, by its real path: by what is on
    /// air, what waits, and the agenda, on every output.
    fn needed_by(&self) -> BTreeMap<PathBuf, DateTime<Utc>> {
        let mut by_ref: BTreeMap<(bool, &str), DateTime<Utc>> = BTreeMap::new();
        for z in self.outputs.zones() {
            for o in z.planned() {
                let b = o.broadcast();
                let chime = station::chime_ref(&self.config, &b.chime)
                    .map(|(root, rel)| (root == self.config.root.as_path(), rel));
                let refs = b.all_audio().map(|a| (false, a.path.as_str())).chain(chime);
                let at = o.time.with_timezone(&Utc);
                for r in refs {
                    let t = by_ref.entry(r).or_insert(at);
                    *t = (*t).min(at);
                }
            }
        }
        let mut out = BTreeMap::new();
        for ((in_root, rel), t) in by_ref {
            let root = if in_root {
                &self.config.root
            } else {
                &self.config.audio_dir
            };
            if let Ok(path) = audio::resolve(root, rel) {
                let e = out.entry(path).or_insert(t);
                *e = (*e).min(t);
            }
        }
        out
    }

    /// One result from the measuring thread: kept and saved at once, then
    /// the next file.
    pub(super) fn on_measured(&mut self, (path, m): Done) {
        self.media.measuring.busy = None;
        let file = path
            .strip_prefix(&self.config.audio_dir)
            .unwrap_or(&path)
            .display()
            .to_string();
        match m {
            None => {
                // Still being copied in: measured once it has settled.
                let looked = looks(&path);
                let rest = Rest {
                    looked,
                    since: Instant::now(),
                };
                self.media.measuring.resting.insert(path, rest);
            }
            Some(m) => {
                match &m.result {
                    Ok(info) => info!(
                        file,
                        length_s = info.length.as_secs_f64(),
                        lufs = info.loudness.map(|l| l.lufs),
                        "{}",
                        crate::i18n::journal::say(crate::i18n::journal::Note::RecordingMeasured)
                    ),
                    Err(e) => warn!(
                        file,
                        error = %e.msg(&file).text(self.lang),
                        "{}",
                        crate::i18n::journal::say(crate::i18n::journal::Note::RecordingUnplayable)
                    ),
                }
                self.media.cache.take(m);
            }
        }
        let now = Instant::now();
        self.measure_new_audio();
        let quiet = self
            .media
            .measuring
            .saved_at
            .is_none_or(|t| now >= t + SAVE_EVERY);
        if quiet || self.media.measuring.busy.is_none() {
            self.save_measurements(now);
        }
    }

    /// Writes what was measured to state/audio.json (if anything is new).
    pub(super) fn save_measurements(&mut self, now: Instant) {
        self.media.cache.save();
        self.media.measuring.saved_at = Some(now);
    }
}

impl Daemon {
    /// Looks whether the station's chime (config.yaml) can be opened, without
    /// decoding it through: a missing or broken chime is warned about at
    /// once, and broadcasts play without it.
    pub(super) fn check_chime(&mut self) {
        // Forget chimes no longer named anywhere: config.yaml's, and the
        // active schedules' own.
        let mut named: std::collections::BTreeSet<String> =
            self.config.chime.iter().cloned().collect();
        for s in self.library.schedules() {
            for b in &s.broadcasts {
                if let crate::schedule::Chime::File(r) = &b.chime {
                    named.insert(r.path.clone());
                }
            }
        }
        self.media.chime_trouble.retain(|k, _| named.contains(k));
        let Some(rel) = self.config.chime.clone() else {
            return;
        };
        let opened = crate::sound::audio::resolve(&self.config.root, &rel)
            .and_then(|path| crate::sound::audio::decoder(&path).map(|_| ()));
        self.chime_seen(&rel, opened.err());
    }

    /// What was learnt about a chime: `None` if it plays.
    pub(super) fn chime_seen(
        &mut self,
        rel: &str,
        trouble: Option<crate::sound::audio::AudioError>,
    ) {
        match trouble {
            Some(e) => {
                if self
                    .media
                    .chime_trouble
                    .insert(rel.to_string(), e.msg(rel))
                    .is_none()
                {
                    warn!(chime = rel, error = %e.msg(rel).text(self.lang), "{}", crate::i18n::journal::say(crate::i18n::journal::Note::ChimeUnusable));
                }
            }
            None => {
                if self.media.chime_trouble.remove(rel).is_some() {
                    info!(
                        chime = rel,
                        "{}",
                        crate::i18n::journal::say(crate::i18n::journal::Note::ChimeAgain)
                    );
                }
            }
        }
    }
}
