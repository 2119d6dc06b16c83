//! When an engine must look again, and what it asks for ahead of an
//! attempt: a relay's receiver [`PREPARE`] early, and an attempt held for
//! its speech begun again [`RETRY`](crate::onair::RETRY) later.

use chrono::{DateTime, TimeDelta, Utc};

use super::Engine;
use crate::kinds::Priority;
use crate::onair::{Action, PREPARE};
use crate::plan::Occurrence;

impl Engine {
    /// The next moment something falls due, if nothing else happens first.
    pub fn next_deadline(&self) -> Option<DateTime<Utc>> {
        if self.stopping {
            return None;
        }
        let mut best: Option<DateTime<Utc>> = None;
        let at = |best: &mut Option<DateTime<Utc>>, t: DateTime<Utc>| {
            *best = Some(best.map_or(t, |b| b.min(t)));
        };
        let early = self.rules.lead.max(PREPARE);
        for o in &self.agenda {
            // In time order: nothing later can wake sooner than this.
            if best.is_some_and(|b| o.utc() - early > b) {
                break;
            }
            at(&mut best, self.rules.wake_for(o));
            if self.to_prepare(o) {
                at(&mut best, o.utc() - PREPARE);
            }
        }
        if let Some(t) = self.on_air.as_ref().and_then(|c| c.retry_at) {
            at(&mut best, t);
        }
        if let Some(cur) = &self.on_air {
            let can_cut = cur.cut.is_none() && cur.occ.priority() != Priority::Emergency;
            for w in &self.waiting {
                // Missed once strictly past the limit.
                at(
                    &mut best,
                    w.occ.utc()
                        + w.occ.late_limit(self.rules.late_limit)
                        + TimeDelta::nanoseconds(1),
                );
                if can_cut && w.occ.priority() == Priority::Emergency {
                    at(&mut best, w.occ.utc());
                }
            }
        }
        best
    }

    /// A relay that is not yet received, is due to be, and will sound.
    pub(super) fn to_prepare(&self, o: &Occurrence) -> bool {
        !self.prepared.contains(&o.id) && o.relay_end().is_some() && self.rules.skip(o).is_none()
    }

    /// Asks for the relays due within [`PREPARE`] to start receiving:
    /// those on air, waiting, and the agenda's first.
    pub(super) fn prepare(&mut self, now: DateTime<Utc>, out: &mut Vec<Action>) {
        let soon = self
            .on_air
            .iter()
            .map(|c| &c.occ)
            .chain(self.waiting.iter().map(|w| &w.occ))
            .chain(self.agenda.iter().take_while(|o| o.utc() - PREPARE <= now))
            .filter(|o| self.to_prepare(o) && o.relay_end().is_some_and(|end| now < end))
            .cloned()
            .collect::<Vec<Occurrence>>();
        for o in soon {
            self.prepared.insert(o.id.clone());
            out.push(Action::Prepare(o));
        }
    }

    /// Stops receiving a relay closed for good.
    pub(super) fn release(&mut self, id: &str, out: &mut Vec<Action>) {
        if self.prepared.remove(id) {
            out.push(Action::Release(id.to_string()));
        }
    }

    /// Stops receiving the relays no longer planned, waiting or on air.
    pub(super) fn release_unplanned(&mut self, out: &mut Vec<Action>) {
        let gone: Vec<String> = self
            .prepared
            .iter()
            .filter(|id| !self.in_hand(id) && !self.agenda.iter().any(|o| &o.id == *id))
            .cloned()
            .collect();
        for id in gone {
            self.release(&id, out);
        }
    }

    /// Begins again the attempt held for its speech, once its retry is due.
    pub(super) fn begin_held(&mut self, now: DateTime<Utc>, out: &mut Vec<Action>) {
        let Some(cur) = self
            .on_air
            .as_mut()
            .filter(|c| c.retry_at.is_some_and(|t| t <= now))
        else {
            return;
        };
        cur.retry_at = None;
        out.push(Action::Begin {
            token: cur.token,
            occ: cur.occ.clone(),
            attempt: cur.attempt,
            at: cur.at,
            again: true,
        });
    }
}
