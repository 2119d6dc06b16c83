//! Relays in the daemon: each relay occurrence starts receiving when its
//! engine asks ([`crate::onair::Action::Prepare`], a few seconds before its
//! time), so that the ring holds live sound when its first sample is due,
//! and keeps its receiver until the engine releases it, closed for good:
//! an emergency that cuts it in the middle hands the output back to the
//! same connection, and the relay goes on live.

use std::collections::HashMap;
use std::sync::Arc;

use tracing::{debug, info};

use crate::plan::Occurrence;
use crate::sound::relay::Live;

/// The receivers of the relays due, by occurrence id.
#[derive(Default)]
pub(super) struct Relays {
    live: HashMap<String, Arc<Live>>,
}

impl Relays {
    /// The receiver of `occ`, started now if it has none.
    pub(super) fn of(&mut self, occ: &Occurrence) -> Option<Arc<Live>> {
        let r = occ.broadcast().relay.as_ref()?;
        let live = self.live.entry(occ.id.clone()).or_insert_with(|| {
            info!(broadcast = %occ.id, source = %r.source.as_record(), "{}", crate::i18n::journal::say(crate::i18n::journal::Note::RelayConnecting));
            Arc::new(Live::start(r.source.clone()))
        });
        Some(live.clone())
    }

    /// Stops receiving for an occurrence closed for good.
    pub(super) fn done(&mut self, id: &str) {
        if self.live.remove(id).is_some() {
            debug!(broadcast = %id, "relay: receiver closed");
        }
    }
}
