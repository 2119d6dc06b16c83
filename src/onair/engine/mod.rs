//! The engine itself: the agenda, the waiting queue, what is on air and
//! what is done, and the rules that move occurrences between them.

use std::collections::{HashMap, HashSet, VecDeque};

use chrono::{DateTime, Utc};

use super::{Action, Ending, Input, OutputEvent, RETRY, Rules};
use crate::kinds::{Outcome, Priority, Reason};
use crate::plan::Occurrence;

mod close;
mod timetable;

/// An occurrence that is due, or about to be, and waits for the output.
#[derive(Clone, Debug)]
pub struct Waiting {
    pub occ: Occurrence,
    /// The attempt it will begin as.
    pub attempt: u32,
}

/// The attempt that holds the output.
#[derive(Clone, Debug)]
pub struct OnAir {
    pub token: u64,
    pub occ: Occurrence,
    pub attempt: u32,
    /// When its first sample is due.
    pub at: DateTime<Utc>,
    /// When its first sample left the device, once it has.
    pub started: Option<DateTime<Utc>>,
    /// Its `start` is on record.
    on_record: bool,
    /// Why it is being cut, once it is.
    pub cut: Option<Reason>,
    /// Held for its speech: when it is begun again. Nothing is open.
    retry_at: Option<DateTime<Utc>>,
}

impl OnAir {
    /// It waits for its speech: the output is its, but nothing is open.
    pub fn is_held(&self) -> bool {
        self.retry_at.is_some()
    }
}

/// The on-air state of one output. See the module docs.
#[derive(Debug)]
pub struct Engine {
    rules: Rules,
    /// Planned and not yet due, in time order.
    agenda: VecDeque<Occurrence>,
    waiting: Vec<Waiting>,
    on_air: Option<OnAir>,
    /// Occurrences closed for good, with their scheduled time.
    done: HashMap<String, DateTime<Utc>>,
    next_token: u64,
    stopping: bool,
    /// Relays asked to start receiving ([`Action::Prepare`]) and not yet
    /// released.
    prepared: HashSet<String>,
}

impl Engine {
    /// An idle output under `rules`. Tokens start at `first_token`, so that
    /// several engines can share one event channel.
    pub fn new(rules: Rules, first_token: u64) -> Engine {
        Engine {
            rules,
            agenda: VecDeque::new(),
            waiting: Vec::new(),
            on_air: None,
            done: HashMap::new(),
            next_token: first_token,
            stopping: false,
            prepared: HashSet::new(),
        }
    }

    pub fn rules(&self) -> &Rules {
        &self.rules
    }

    /// Takes new rules (config.yaml changed): they apply to every decision
    /// from now on; what is on air is left as it is.
    pub fn set_rules(&mut self, rules: Rules) {
        self.rules = rules;
    }

    /// Notes an occurrence already closed on record (from the play log), so
    /// it is never planned again.
    pub fn mark_done(&mut self, id: String, time: DateTime<Utc>) {
        if !self.agenda.is_empty() {
            self.agenda.retain(|o| o.id != id);
        }
        self.done.insert(id, time);
    }

    /// Whether the occurrence is closed for good.
    pub fn is_done(&self, id: &str) -> bool {
        self.done.contains_key(id)
    }

    /// Forgets closed occurrences due before `t`: they can no longer be
    /// planned, so remembering them only costs memory.
    pub fn forget_before(&mut self, t: DateTime<Utc>) {
        self.done.retain(|_, at| *at >= t);
    }

    /// Whether the occurrence waits or is on air.
    pub fn in_hand(&self, id: &str) -> bool {
        self.on_air.as_ref().is_some_and(|c| c.occ.id == id)
            || self.waiting.iter().any(|w| w.occ.id == id)
    }

    pub fn on_air(&self) -> Option<&OnAir> {
        self.on_air.as_ref()
    }

    pub fn waiting(&self) -> &[Waiting] {
        &self.waiting
    }

    /// Planned and not yet due, in time order.
    pub fn agenda(&self) -> impl Iterator<Item = &Occurrence> {
        self.agenda.iter()
    }

    /// Takes one input at `now` and says what to do. Plans (`Planned`,
    /// `More`, `Lost`) only change what is known: what falls due by them
    /// is done at the next other input, so that a daemon can finish
    /// starting up (closing what a crash left open) before anything begins.
    pub fn step(&mut self, now: DateTime<Utc>, input: Input) -> Vec<Action> {
        let mut out = Vec::new();
        let act = !matches!(
            input,
            Input::Planned(_) | Input::More(_) | Input::Lost { .. }
        );
        match input {
            Input::Planned(occs) => self.planned(occs, &mut out),
            Input::More(occs) => {
                let known: HashSet<&str> = self.agenda.iter().map(|o| o.id.as_str()).collect();
                let fresh: Vec<Occurrence> = occs
                    .into_iter()
                    .filter(|o| {
                        !known.contains(o.id.as_str())
                            && !self.is_done(&o.id)
                            && !self.in_hand(&o.id)
                    })
                    .collect();
                self.agenda.extend(fresh);
            }
            Input::Tick => {}
            Input::Ready => {
                if let Some(cur) = self.on_air.as_mut().filter(|c| c.is_held()) {
                    cur.retry_at = Some(now);
                }
            }
            Input::Output(ev) => self.output(now, ev, &mut out),
            Input::Lost { occs, why } => self.lost(occs, &why, &mut out),
            Input::ClockJumped => self.drop_waiting(Reason::ClockJump, &mut out),
            Input::ClockWrong => {
                self.agenda.clear();
                self.drop_waiting(Reason::ClockJump, &mut out);
                self.release_unplanned(&mut out);
            }
            Input::Shutdown => {
                self.stopping = true;
                self.cut(now, Reason::Shutdown, None, &mut out);
            }
        }
        if act {
            self.advance(now, &mut out);
        }
        out
    }

    fn planned(&mut self, occs: Vec<Occurrence>, out: &mut Vec<Action>) {
        // One that waits takes its schedule as it is now: a new recording,
        // or a new priority, counts from the reload on.
        let fresh: HashMap<&str, &Occurrence> = occs.iter().map(|o| (o.id.as_str(), o)).collect();
        let (keep, gone): (Vec<Waiting>, Vec<Waiting>) = std::mem::take(&mut self.waiting)
            .into_iter()
            .partition(|w| fresh.contains_key(w.occ.id.as_str()));
        self.waiting = keep
            .into_iter()
            .map(|w| Waiting {
                occ: fresh.get(w.occ.id.as_str()).map_or(w.occ, |o| (*o).clone()),
                attempt: w.attempt,
            })
            .collect();
        for w in gone {
            self.close(
                w.occ,
                None,
                w.attempt,
                Outcome::Skipped,
                Some(Reason::Removed),
                out,
            );
        }
        let agenda: VecDeque<Occurrence> = occs
            .into_iter()
            .filter(|o| !self.is_done(&o.id) && !self.in_hand(&o.id))
            .collect();
        self.agenda = agenda;
        self.release_unplanned(out);
    }

    /// Cuts what is on air for `why`. One held for its speech has nothing
    /// open: it ends here.
    fn cut(
        &mut self,
        now: DateTime<Utc>,
        why: Reason,
        by: Option<Occurrence>,
        out: &mut Vec<Action>,
    ) {
        let Some(cur) = self.on_air.as_mut() else {
            return;
        };
        cur.cut = Some(why.clone());
        if cur.is_held() {
            if let Some(cur) = self.on_air.take() {
                self.ended(now, cur, Ending::Stopped, out);
            }
            return;
        }
        out.push(Action::Cut {
            token: cur.token,
            reason: why,
            by,
        });
    }

    fn output(&mut self, now: DateTime<Utc>, ev: OutputEvent, out: &mut Vec<Action>) {
        let token = match &ev {
            OutputEvent::Opened { token }
            | OutputEvent::NotReady { token }
            | OutputEvent::Started { token, .. }
            | OutputEvent::Ended { token, .. } => *token,
        };
        let Some(cur) = self.on_air.as_mut().filter(|c| c.token == token) else {
            return;
        };
        match ev {
            OutputEvent::NotReady { .. } => cur.retry_at = Some(now + RETRY),
            OutputEvent::Opened { .. } => cur.on_record = true,
            OutputEvent::Started { at, .. } => cur.started = Some(at),
            OutputEvent::Ended { ending, .. } => {
                let Some(cur) = self.on_air.take() else {
                    return;
                };
                self.ended(now, cur, ending, out);
            }
        }
    }

    /// Does what is due at `now`: planned occurrences come due (or are
    /// skipped), waiting ones past their limit are missed, an emergency cuts
    /// what is on air, and a free output goes to the most urgent.
    fn advance(&mut self, now: DateTime<Utc>, out: &mut Vec<Action>) {
        if self.stopping {
            return;
        }
        let mut i = 0;
        while i < self.agenda.len() {
            let o = &self.agenda[i];
            if o.utc() - self.rules.lead > now {
                break;
            }
            if self.rules.wake_for(o) > now {
                i += 1;
                continue;
            }
            let Some(o) = self.agenda.remove(i) else {
                break;
            };
            match self.rules.skip(&o) {
                Some(why) => self.close(o, None, 1, Outcome::Skipped, Some(why), out),
                None => self.waiting.push(Waiting { occ: o, attempt: 1 }),
            }
        }
        // Past its limit an occurrence is missed now, not when the output
        // frees up: the record then exists even if the daemon dies.
        let limit = self.rules.late_limit;
        let (late, keep): (Vec<Waiting>, Vec<Waiting>) = std::mem::take(&mut self.waiting)
            .into_iter()
            .partition(|w| now > w.occ.utc() + w.occ.late_limit(limit));
        self.waiting = keep;
        for w in late {
            self.close(
                w.occ,
                None,
                w.attempt,
                Outcome::Missed,
                Some(Reason::Busy),
                out,
            );
        }
        self.prepare(now, out);
        if let Some(cur) = self.on_air.as_ref() {
            if cur.cut.is_some() || cur.occ.priority() == Priority::Emergency {
                self.begin_held(now, out);
                return;
            }
            let by = self
                .waiting
                .iter()
                .filter(|w| w.occ.priority() == Priority::Emergency && w.occ.utc() <= now)
                .min_by_key(|w| w.occ.utc())
                .map(|w| w.occ.clone());
            match by {
                Some(by) => self.cut(now, Reason::Emergency, Some(by), out),
                None => {
                    self.begin_held(now, out);
                    return;
                }
            }
            if self.on_air.is_some() {
                return;
            }
        }
        if let Some(i) = self.most_urgent(now) {
            let w = self.waiting.remove(i);
            let token = self.next_token;
            self.next_token += 1;
            let at = w.occ.utc().max(now);
            self.on_air = Some(OnAir {
                token,
                occ: w.occ.clone(),
                attempt: w.attempt,
                at,
                started: None,
                on_record: false,
                cut: None,
                retry_at: None,
            });
            out.push(Action::Begin {
                token,
                occ: w.occ,
                attempt: w.attempt,
                at,
                again: false,
            });
        }
    }

    /// Who gets a free output: among those already due, the highest
    /// priority, then the earliest; when none is due yet, the one due first
    /// (it is opened early, to start on its second).
    fn most_urgent(&self, now: DateTime<Utc>) -> Option<usize> {
        let due = |w: &Waiting| w.occ.utc() <= now;
        let key = |w: &Waiting| {
            (
                due(w),
                if due(w) {
                    w.occ.priority()
                } else {
                    Priority::Normal
                },
                std::cmp::Reverse(w.occ.utc()),
                w.occ.priority(),
            )
        };
        self.waiting
            .iter()
            .enumerate()
            .max_by(|(ia, a), (ib, b)| key(a).cmp(&key(b)).then(ib.cmp(ia)))
            .map(|(i, _)| i)
    }
}
