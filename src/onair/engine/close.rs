//! How an engine closes an occurrence, or one attempt at it: the outcome,
//! the reason, and whether another attempt follows.

use std::collections::HashSet;

use chrono::{DateTime, Utc};

use super::{Engine, OnAir, Waiting};
use crate::kinds::{Outcome, Reason};
use crate::onair::{Action, Close, Ending};
use crate::plan::Occurrence;

impl Engine {
    pub(super) fn lost(&mut self, occs: Vec<Occurrence>, why: &Reason, out: &mut Vec<Action>) {
        let ids: HashSet<&str> = occs.iter().map(|o| o.id.as_str()).collect();
        self.agenda.retain(|o| !ids.contains(o.id.as_str()));
        for o in occs {
            if self.is_done(&o.id) || self.in_hand(&o.id) {
                continue;
            }
            let (outcome, reason) = match self.rules.skip(&o) {
                Some(skip) => (Outcome::Skipped, skip),
                None => (Outcome::Missed, why.clone()),
            };
            self.close(o, None, 1, outcome, Some(reason), out);
        }
    }

    pub(super) fn drop_waiting(&mut self, why: Reason, out: &mut Vec<Action>) {
        for w in std::mem::take(&mut self.waiting) {
            self.close(
                w.occ,
                None,
                w.attempt,
                Outcome::Missed,
                Some(why.clone()),
                out,
            );
        }
    }

    pub(super) fn ended(
        &mut self,
        now: DateTime<Utc>,
        cur: OnAir,
        ending: Ending,
        out: &mut Vec<Action>,
    ) {
        let token = Some(cur.token);
        let (outcome, reason, detail) = match ending {
            Ending::Completed => (Outcome::Played, None, None),
            Ending::Failed { reason, detail } => (Outcome::Failed, Some(reason), detail),
            Ending::Stopped => {
                let why = cur.cut.clone().unwrap_or(Reason::Shutdown);
                if why == Reason::Shutdown && !cur.on_record && cur.occ.utc() > now {
                    // Nothing sounded, nothing is on record and its time is
                    // still to come: the next start of loa plays it.
                    return;
                }
                let retry = why == Reason::Emergency
                    && now < cur.occ.utc() + cur.occ.late_limit(self.rules.late_limit);
                if retry && !cur.on_record {
                    // Cut before its start was written: the same attempt
                    // waits again, and nothing is recorded.
                    self.waiting.push(Waiting {
                        occ: cur.occ,
                        attempt: cur.attempt,
                    });
                    return;
                }
                if retry {
                    out.push(Action::Close(Close {
                        occ: cur.occ.clone(),
                        token,
                        attempt: cur.attempt,
                        outcome: Outcome::Interrupted,
                        reason: Some(why),
                        detail: None,
                        retry: true,
                    }));
                    self.waiting.push(Waiting {
                        occ: cur.occ,
                        attempt: cur.attempt + 1,
                    });
                    return;
                }
                (Outcome::Interrupted, Some(why), None)
            }
        };
        out.push(Action::Close(Close {
            occ: cur.occ.clone(),
            token,
            attempt: cur.attempt,
            outcome,
            reason,
            detail,
            retry: false,
        }));
        self.done.insert(cur.occ.id.clone(), cur.occ.utc());
        self.release(&cur.occ.id, out);
    }

    /// Closes an occurrence for good that no attempt of is on air.
    pub(super) fn close(
        &mut self,
        occ: Occurrence,
        token: Option<u64>,
        attempt: u32,
        outcome: Outcome,
        reason: Option<Reason>,
        out: &mut Vec<Action>,
    ) {
        self.done.insert(occ.id.clone(), occ.utc());
        self.release(&occ.id, out);
        out.push(Action::Close(Close {
            occ,
            token,
            attempt,
            outcome,
            reason,
            detail: None,
            retry: false,
        }));
    }
}
