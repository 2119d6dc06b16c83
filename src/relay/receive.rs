//! The receiving thread of a [`super::Live`]: connects to its source,
//! decodes, and feeds the ring, again and again while it is held.

use super::{Feeder, Source};

/// Receives `source` into `feeder` until the [`super::Live`] is dropped.
pub(super) fn run(source: &Source, feeder: &Feeder) {
    // Receiving is being built (issue 11): until then every attempt fails
    // at once, and the relay plays silence and is logged failed.
    while !feeder.stopped() {
        feeder.lost(false, format!("{}: cannot receive yet", source.as_record()));
        if !feeder.sleep(std::time::Duration::from_secs(5)) {
            return;
        }
    }
}
