//! Relays in the daemon: each relay occurrence starts receiving a few
//! seconds before its time ([`EARLY`]), so that the ring holds live sound
//! when its first sample is due, and keeps its receiver until it is closed
//! for good: an emergency that cuts it in the middle hands the output back
//! to the same connection, and the relay goes on live.

use std::collections::HashMap;
use std::sync::Arc;

use chrono::{DateTime, TimeDelta, Utc};
use tokio::time::Instant;
use tracing::{debug, info};

use super::Daemon;
use crate::plan::Occurrence;
use crate::sound::relay::Live;

/// How long before its time a relay starts connecting (or opens the
/// capture): enough for a TCP and TLS handshake, an HTTP answer, a
/// decoder's first frames and one retry after a refused connection.
pub(super) const EARLY: TimeDelta = TimeDelta::seconds(5);

/// Looking further ahead than this for the next relay to connect is not
/// needed: the loop wakes at least this often anyway.
const LOOK_AHEAD: TimeDelta = TimeDelta::hours(1);

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

/// Whether `occ` is a relay that should be receiving at `now`.
fn due(occ: &Occurrence, now: DateTime<Utc>) -> bool {
    occ.relay_end()
        .is_some_and(|end| occ.utc() - EARLY <= now && now < end)
}

impl Daemon {
    /// Starts receiving the relays about to be due, and stops those no
    /// output has in hand or planned any more (removed, closed, over).
    pub(super) fn connect_relays(&mut self) {
        let now = self.clock.now();
        let mut wanted: Vec<Occurrence> = Vec::new();
        for z in &self.outputs.zones {
            let rules = z.engine.rules();
            for o in z.planned() {
                if o.utc() - EARLY > now {
                    // On air and waiting come first and are due; the
                    // agenda is in time order: nothing later is due.
                    break;
                }
                if due(o, now) && rules.skip(o).is_none() {
                    wanted.push(o.clone());
                }
            }
        }
        self.media
            .relays
            .live
            .retain(|id, _| wanted.iter().any(|o| &o.id == id));
        for o in &wanted {
            self.media.relays.of(o);
        }
    }

    /// When the next relay is to start connecting, if one is within the
    /// hour.
    pub(super) fn next_relay_connect(&self) -> Option<Instant> {
        let now = self.clock.now();
        let mut best: Option<DateTime<Utc>> = None;
        for z in &self.outputs.zones {
            for o in z.engine.agenda() {
                let at = o.utc() - EARLY;
                if at > now + LOOK_AHEAD || best.is_some_and(|b| at >= b) {
                    break;
                }
                if at > now && o.broadcast().relay.is_some() {
                    best = Some(at);
                }
            }
        }
        best.map(|t| self.clock.instant_at(t))
    }
}
