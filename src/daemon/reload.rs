//! Taking schedule files into the active set (SPEC §5). A valid file
//! replaces its last good version; an invalid one is refused and the last
//! good one stays. A new, changed or vanished file is acted on only once it
//! has settled: the same size and modification time (or the same absence)
//! at two looks at least [`SETTLE`] apart, so a file still being copied, or
//! briefly gone during an editor's save, is never read half-way. Where the
//! watcher sees it, a file written in place is held while it is open,
//! however long its writer pauses (and settles once closed), and a file
//! renamed into place (as `announce`, the console and bulletins write) is
//! complete and taken at once.

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use tokio::time::Instant;
use tracing::{info, warn};

use super::Daemon;
use crate::playlog::{Refused, Reload};
use crate::station;

/// How long a file must look the same before it is read.
pub const SETTLE: Duration = Duration::from_millis(200);

/// Size and modification time: what changes while a file is written;
/// and mode and status-change time, so a file refused for its permissions
/// is read again once `chmod`, `chgrp` or `setfacl` let the daemon read it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Fingerprint {
    size: u64,
    mtime: Option<SystemTime>,
    perm: (u32, i64, i64),
}

/// What the daemon last took from a file.
#[derive(Clone, Debug)]
pub(super) struct Known {
    fp: Fingerprint,
    /// SHA-256 of the bytes read.
    hash: String,
    /// The located errors, when the file was refused.
    pub(super) refused: Option<Vec<crate::i18n::diag::Diagnostic>>,
}

/// What the watcher says of a schedule file being written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Write {
    /// Open for writing: not to be read yet.
    Held,
    /// Renamed into place: to be read now.
    Complete,
}

/// A change seen and not yet settled: the fingerprint (None: gone) and when
/// it was first seen.
pub(super) type Pending = BTreeMap<String, (Option<Fingerprint>, Instant)>;

/// The schedule library: every schedule file as last read, changes seen
/// and settling, and the watcher that reports them.
pub(super) struct Library {
    /// Last good schedule per file name, with the file's hash.
    active: BTreeMap<String, std::sync::Arc<crate::schedule::Schedule>>,
    /// What was last read from each schedule file, good or refused.
    files: BTreeMap<String, Known>,
    /// Changes seen and not yet settled.
    pending: Pending,
    /// When to look at the schedules again for a change to settle.
    look_at: Option<Instant>,
    /// The next periodic rescan.
    rescan_at: Instant,
    watch_rx: tokio::sync::mpsc::UnboundedReceiver<()>,
    watch_tx: tokio::sync::mpsc::UnboundedSender<()>,
    watch: Option<super::watch::Watch>,
    /// Files being written, as the watcher saw them.
    writes: super::watch::Writes,
}

impl Library {
    /// The next periodic rescan.
    pub(super) fn rescan_at(&self) -> Instant {
        self.rescan_at
    }

    /// When to look again for a change to settle, if a change waits.
    pub(super) fn look_at(&self) -> Option<Instant> {
        self.look_at
    }

    /// Look again by `at` at the latest (config.yaml settling).
    pub(super) fn look_by(&mut self, at: Instant) {
        self.look_at = Some(self.look_at.map_or(at, |t| t.min(at)));
    }

    /// Whether a look is due at `mono`: `Some(true)` for the periodic
    /// rescan (the next one is set from now), `Some(false)` for a change
    /// that has settled.
    pub(super) fn due(&mut self, mono: Instant) -> Option<bool> {
        if self.rescan_at <= mono {
            self.rescan_at = mono + super::watch::RESCAN;
            return Some(true);
        }
        self.look_at.is_some_and(|t| t <= mono).then_some(false)
    }

    /// The last good schedules, by file name.
    pub(super) fn schedules(
        &self,
    ) -> impl Iterator<Item = &std::sync::Arc<crate::schedule::Schedule>> {
        self.active.values()
    }

    /// Starts watching `dirs` and the config file; says whether it could.
    pub(super) fn watch(&mut self, dirs: &[&std::path::Path], config: &std::path::Path) -> bool {
        self.watch = super::watch::start(dirs, config, self.watch_tx.clone(), self.writes.clone());
        self.watch.is_some()
    }

    /// Waits for the watcher to see a change; a burst counts once.
    pub(super) async fn changed(&mut self) -> Option<()> {
        let seen = self.watch_rx.recv().await;
        while self.watch_rx.try_recv().is_ok() {}
        seen
    }

    /// What the watcher says of `path` being written: held while open (up
    /// to [`super::watch::HOLD_MAX`]), complete once renamed into place
    /// (said once: the entry goes). None when it saw nothing, or the file
    /// was closed: then it is read once it has settled.
    fn write_of(&self, path: &std::path::Path) -> Option<Write> {
        let mut w = self.writes.lock().ok()?;
        match w.get(path)? {
            super::watch::Write::Open(since) if since.elapsed() < super::watch::HOLD_MAX => {
                Some(Write::Held)
            }
            super::watch::Write::Open(_) => {
                w.remove(path);
                None
            }
            super::watch::Write::Done => {
                w.remove(path);
                Some(Write::Complete)
            }
        }
    }

    /// Nothing read yet; the watcher is started with the loop.
    pub(super) fn new() -> Library {
        let (watch_tx, watch_rx) = tokio::sync::mpsc::unbounded_channel();
        Library {
            active: BTreeMap::new(),
            files: BTreeMap::new(),
            pending: BTreeMap::new(),
            look_at: None,
            rescan_at: Instant::now() + super::watch::RESCAN,
            watch_rx,
            watch_tx,
            watch: None,
            writes: Default::default(),
        }
    }
}

impl Daemon {
    /// Reads every schedule file now, settled or not: at start-up and on
    /// SIGHUP.
    pub(super) fn reload_all(&mut self) {
        self.look(true);
    }

    /// Looks at the schedules folder and takes what has settled. `force`
    /// takes every file as it is now.
    pub(super) fn look(&mut self, force: bool) {
        let now = Instant::now();
        let listing: BTreeMap<String, (std::path::PathBuf, Fingerprint)> =
            station::schedule_paths(&self.config.schedules_dir)
                .into_iter()
                .filter_map(|p| {
                    let meta = std::fs::metadata(&p).ok()?;
                    let name = p.file_name()?.to_string_lossy().into_owned();
                    let fp = Fingerprint {
                        size: meta.len(),
                        mtime: meta.modified().ok(),
                        perm: {
                            use std::os::unix::fs::MetadataExt as _;
                            (meta.mode(), meta.ctime(), meta.ctime_nsec())
                        },
                    };
                    Some((name, (p, fp)))
                })
                .collect();
        let mut ev = Reload::default();
        let mut unsettled = false;
        for (name, (path, fp)) in &listing {
            let write = self.library.write_of(path);
            let known = self.library.files.get(name).map(|k| k.fp);
            if !force && known == Some(*fp) {
                self.library.pending.remove(name);
                continue;
            }
            if !force && write == Some(Write::Held) {
                // Its close (or the rescan, past HOLD_MAX) looks again.
                continue;
            }
            if force || write == Some(Write::Complete) || self.settled(name, Some(*fp), now) {
                self.library.pending.remove(name);
                self.take(name, path, *fp, &mut ev);
            } else {
                unsettled = true;
            }
        }
        let gone: Vec<String> = self
            .library
            .files
            .keys()
            .filter(|k| !listing.contains_key(*k))
            .cloned()
            .collect();
        for name in gone {
            if force || self.settled(&name, None, now) {
                self.library.pending.remove(&name);
                self.library.files.remove(&name);
                if self.library.active.remove(&name).is_some() {
                    ev.removed.push(name);
                }
            } else {
                unsettled = true;
            }
        }
        self.library
            .pending
            .retain(|k, _| listing.contains_key(k) || self.library.files.contains_key(k));
        self.library.look_at = unsettled.then(|| now + SETTLE);
        if ev.taken.is_empty()
            && ev.changed.is_empty()
            && ev.removed.is_empty()
            && ev.refused.is_empty()
        {
            return;
        }
        ev.active_hash = self.active_hash();
        info!(
            taken = ev.taken.len(),
            changed = ev.changed.len(),
            removed = ev.removed.len(),
            refused = ev.refused.len(),
            "{}",
            crate::i18n::journal::say(crate::i18n::journal::Note::SchedulesReloaded)
        );
        self.write(crate::kinds::Event::Reload, &ev);
        self.replan();
    }

    /// Whether `name` has looked like `fp` for at least [`SETTLE`]; notes
    /// `fp` as the newest sighting when it has not.
    fn settled(&mut self, name: &str, fp: Option<Fingerprint>, now: Instant) -> bool {
        match self.library.pending.get(name) {
            Some((seen, since)) if *seen == fp => now.duration_since(*since) >= SETTLE,
            _ => {
                self.library.pending.insert(name.to_string(), (fp, now));
                false
            }
        }
    }

    /// Reads one settled file and takes or refuses it.
    fn take(&mut self, name: &str, path: &std::path::Path, fp: Fingerprint, ev: &mut Reload) {
        let hash = std::fs::read(path)
            .map(|b| crate::hash::sha256_hex(&b))
            .unwrap_or_default();
        if let Some(k) = self.library.files.get_mut(name)
            && k.hash == hash
            && !hash.is_empty()
        {
            // Touched, not changed.
            k.fp = fp;
            return;
        }
        let f = station::read_schedule(&self.config, path);
        match f.schedule {
            Some(s) => {
                match self.library.active.insert(name.to_string(), s) {
                    Some(_) => ev.changed.push(name.to_string()),
                    None => ev.taken.push(name.to_string()),
                }
                self.library.files.insert(
                    name.to_string(),
                    Known {
                        fp,
                        hash,
                        refused: None,
                    },
                );
            }
            None => {
                let errors: Vec<crate::i18n::diag::Diagnostic> =
                    f.diags.iter().filter(|d| d.is_error()).cloned().collect();
                let error = errors
                    .iter()
                    .map(|d| d.render(self.lang))
                    .collect::<Vec<_>>()
                    .join("\n");
                let kept = self.library.active.contains_key(name);
                warn!(file = %f.shown.display(), last_good_kept = kept, "{}:\n{error}", crate::i18n::journal::say(crate::i18n::journal::Note::ScheduleRefused));
                ev.refused.push(Refused {
                    file: name.to_string(),
                    error: String::new(),
                    diagnostics: errors.clone(),
                });
                self.library.files.insert(
                    name.to_string(),
                    Known {
                        fp,
                        hash,
                        refused: Some(errors),
                    },
                );
            }
        }
    }

    /// SHA-256 over the active files' names and hashes, in name order.
    pub(super) fn active_hash(&self) -> String {
        let mut s = String::new();
        for (name, sch) in &self.library.active {
            s.push_str(name);
            s.push('\0');
            s.push_str(&sch.hash);
            s.push('\n');
        }
        crate::hash::sha256_hex(s.as_bytes())
    }

    pub(super) fn schedules(&self) -> Vec<Arc<crate::schedule::Schedule>> {
        self.library.active.values().cloned().collect()
    }

    /// Files refused at their last reading, with their errors, by name.
    pub(super) fn refused(&self) -> Vec<(&str, &[crate::i18n::diag::Diagnostic])> {
        self.library
            .files
            .iter()
            .filter_map(|(n, k)| k.refused.as_deref().map(|e| (n.as_str(), e)))
            .collect()
    }
}
