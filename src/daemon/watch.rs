//! File-system events on `schedules/` and `audio/`. An event only means
//! "look again": what changed is read from the folder itself, once it has
//! settled (see `reload`), and a periodic rescan covers folders that send
//! no events (network shares, some copy tools).
//!
//! notify's own watcher is used without notify-debouncer-full: the
//! debouncer's timer thread wakes every quarter of its timeout whether or
//! not anything happens (80 times a second at 50 ms), against SPEC §7's
//! "a few wake-ups a second" when idle; the settle check in `reload`
//! already waits for a file to stop changing.

use std::path::Path;
use std::time::Duration;

use notify::{EventKind, RecommendedWatcher, RecursiveMode, Watcher as _};
use tokio::sync::mpsc::UnboundedSender;
use tracing::warn;

/// How often the folders are scanned even when no event came. Each scan
/// wakes the loop and, by listing the watched folders (inotify open
/// events), notify's thread: idle, these are most of the daemon's wake-ups
/// (SPEC §7). The status heartbeat (30 s) and the audio folder's rescan
/// (60 s) ride on the same wake-ups. It was 10 s, with the heartbeat on a
/// timer of its own: 0.62 wake-ups a second with 1,000 broadcasts.
pub const RESCAN: Duration = Duration::from_secs(30);

/// How long a file may stay open for writing before it is read anyway
/// (a writer that died without closing it): by the settle rule then.
pub const HOLD_MAX: Duration = Duration::from_secs(600);

/// What the watcher saw of a file being written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Write {
    /// Written in place and still open, since then: not to be read yet,
    /// however long its writer pauses.
    Open(std::time::Instant),
    /// Renamed into place: complete, to be read at once.
    Done,
}

/// Files being written, by path, as the watcher saw them: shared with the
/// schedule library, which holds an open one and takes a done one at once.
pub type Writes =
    std::sync::Arc<std::sync::Mutex<std::collections::HashMap<std::path::PathBuf, Write>>>;

/// Notes what `ev` says about files being written.
fn note(writes: &Writes, ev: &notify::Event) {
    use notify::event::{AccessKind, AccessMode, CreateKind, ModifyKind, RemoveKind, RenameMode};
    // Schedule files only: nothing else is read by this rule, and the map
    // stays as small as the schedules folder.
    if !ev.paths.iter().any(|p| crate::station::is_schedule_file(p)) {
        return;
    }
    let Ok(mut w) = writes.lock() else {
        return;
    };
    match ev.kind {
        EventKind::Create(CreateKind::File) | EventKind::Modify(ModifyKind::Data(_)) => {
            for p in &ev.paths {
                match w.get(p) {
                    Some(Write::Open(_)) => {}
                    _ => {
                        w.insert(p.clone(), Write::Open(std::time::Instant::now()));
                    }
                }
            }
        }
        // Closed after writing: no longer held, and read once it has
        // settled (a writer may open it again to append).
        EventKind::Access(AccessKind::Close(AccessMode::Write)) => {
            for p in &ev.paths {
                w.remove(p);
            }
        }
        EventKind::Modify(ModifyKind::Name(RenameMode::To)) => {
            for p in &ev.paths {
                w.insert(p.clone(), Write::Done);
            }
        }
        EventKind::Modify(ModifyKind::Name(RenameMode::Both)) => {
            if let Some(p) = ev.paths.last() {
                w.insert(p.clone(), Write::Done);
            }
        }
        EventKind::Remove(RemoveKind::File)
        | EventKind::Modify(ModifyKind::Name(RenameMode::From)) => {
            for p in &ev.paths {
                w.remove(p);
            }
        }
        _ => {}
    }
}

/// A file closed after it was written: the one access event acted on.
fn is_close_write(ev: &notify::Event) -> bool {
    use notify::event::{AccessKind, AccessMode};
    matches!(
        ev.kind,
        EventKind::Access(AccessKind::Close(AccessMode::Write))
    )
}

/// The live watch; dropping it stops watching.
pub struct Watch {
    _watcher: RecommendedWatcher,
}

/// Watches `dirs` (those that exist) and the file `config`, sending `()`
/// to `tx` for each change. The config file is watched through its folder
/// (an editor saves by writing a new file and renaming it over the old),
/// and only events naming it count. None when no watch could be set up at
/// all: the periodic rescan still works.
pub fn start(
    dirs: &[&Path],
    config: &Path,
    tx: UnboundedSender<()>,
    writes: Writes,
) -> Option<Watch> {
    let config_dir = config.parent().map(Path::to_path_buf);
    // A station whose schedules or audio sit beside config.yaml: every
    // event in that folder counts.
    let shared = dirs.iter().any(|d| Some(d.to_path_buf()) == config_dir);
    let config_name = config.file_name().map(|n| n.to_os_string());
    // An event in the config's folder itself, about another entry.
    let elsewhere = move |ev: &notify::Event| {
        !shared
            && !ev.paths.is_empty()
            && ev.paths.iter().all(|p| {
                p.parent().map(Path::to_path_buf) == config_dir
                    && p.file_name().map(|n| n.to_os_string()) != config_name
            })
    };
    let handler = move |res: notify::Result<notify::Event>| match res {
        // A file written and closed: no longer held.
        Ok(ev) if is_close_write(&ev) && !elsewhere(&ev) => {
            note(&writes, &ev);
            let _ = tx.send(());
        }
        // Reading a folder is an event too (IN_OPEN); answering it with a
        // look would read the folder again, for ever.
        Ok(ev) if matches!(ev.kind, EventKind::Access(_)) => {}
        Ok(ev) if elsewhere(&ev) => {}
        Ok(ev) => {
            note(&writes, &ev);
            let _ = tx.send(());
        }
        Err(e) => {
            warn!(error = %e, "{}", crate::i18n::journal::say(crate::i18n::journal::Note::WatchError));
            let _ = tx.send(());
        }
    };
    let mut w = match notify::recommended_watcher(handler) {
        Ok(w) => w,
        Err(e) => {
            warn!(error = %e, "{}", crate::i18n::journal::say(crate::i18n::journal::Note::CannotWatch));
            return None;
        }
    };
    let mut any = false;
    for dir in dirs {
        match w.watch(dir, RecursiveMode::Recursive) {
            Ok(()) => any = true,
            Err(e) => {
                warn!(dir = %dir.display(), error = %e, "{}", crate::i18n::journal::say(crate::i18n::journal::Note::CannotWatchFolder))
            }
        }
    }
    // A folder already watched recursively is not watched again: a second
    // watch would replace the first's recursion.
    if let Some(dir) = config.parent()
        && !shared
    {
        match w.watch(dir, RecursiveMode::NonRecursive) {
            Ok(()) => any = true,
            Err(e) => {
                warn!(dir = %dir.display(), error = %e, "{}", crate::i18n::journal::say(crate::i18n::journal::Note::CannotWatchConfig))
            }
        }
    }
    any.then_some(Watch { _watcher: w })
}
