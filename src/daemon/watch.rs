//! File-system events on `schedules/` and `audio/`. An event only means
//! "look again": what changed is read from the folder itself, and a
//! periodic rescan covers folders that send no events (network shares,
//! some copy tools).

use std::path::Path;
use std::time::Duration;

use notify::RecursiveMode;
use notify_debouncer_full::{DebounceEventResult, Debouncer, RecommendedCache, new_debouncer};
use tokio::sync::mpsc::UnboundedSender;
use tracing::warn;

/// How long the debouncer gathers a burst of events before it reports.
const DEBOUNCE: Duration = Duration::from_millis(50);

/// How often the folders are scanned even when no event came.
pub const RESCAN: Duration = Duration::from_secs(10);

/// The live watch; dropping it stops watching.
pub struct Watch {
    _debouncer: Debouncer<notify::RecommendedWatcher, RecommendedCache>,
}

/// Watches `dirs` (those that exist), sending `()` to `tx` after each
/// burst of events. None when no watch could be set up at all: the
/// periodic rescan still works.
pub fn start(dirs: &[&Path], tx: UnboundedSender<()>) -> Option<Watch> {
    let handler = move |res: DebounceEventResult| {
        if let Err(errors) = &res {
            for e in errors {
                warn!(error = %e, "file watch error; the periodic rescan still runs");
            }
        }
        let _ = tx.send(());
    };
    let mut d = match new_debouncer(DEBOUNCE, None, handler) {
        Ok(d) => d,
        Err(e) => {
            warn!(error = %e, "cannot watch folders; changes are seen by the periodic rescan only");
            return None;
        }
    };
    let mut any = false;
    for dir in dirs {
        match d.watch(dir, RecursiveMode::Recursive) {
            Ok(()) => any = true,
            Err(e) => {
                warn!(dir = %dir.display(), error = %e, "cannot watch folder; the periodic rescan covers it")
            }
        }
    }
    any.then_some(Watch { _debouncer: d })
}
