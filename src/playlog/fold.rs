//! The one rule by which an occurrence's `start` and `finish` lines fold
//! into its record (SPEC §3): one final outcome per occurrence; an attempt
//! cut by an emergency has a `finish` that is not final, and the
//! occurrence may start again; nothing follows the final outcome. Every
//! reader that pairs lines (the whole-log check, the streamed check under
//! reports, the roll-up and `log verify`, the report's read of a broken log
//! whole, publish's list of what aired) takes each line through
//! [`Fold::line`], so they cannot count one occurrence differently.

use std::collections::{HashMap, HashSet};
use std::hash::{BuildHasher, Hash};

use crate::kinds::{Event, Outcome, Reason};

/// Where an occurrence stands after the lines read so far.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Stage {
    /// A `start` with no `finish` yet.
    Open,
    /// Cut by an emergency: its `finish` is not final, and it may start
    /// again.
    Cut,
    /// Its final outcome is on record.
    Done,
}

/// A line the rule refuses: a `start` while the occurrence is open or
/// after its final outcome, or a second final outcome. `was` is where the
/// occurrence stood.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Breach {
    pub was: Stage,
}

/// What one accepted line did to its occurrence.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Step {
    /// The occurrence's first line.
    pub first: bool,
    /// Where it stands now.
    pub now: Stage,
}

impl Step {
    /// The line gave the occurrence its final outcome.
    pub fn last(&self) -> bool {
        self.now == Stage::Done
    }
}

/// Whether a `finish` with this outcome and reason is its occurrence's
/// final outcome: every one is, but an attempt an emergency cut
/// (`interrupted`/`emergency`), after which the occurrence starts again or
/// is closed by another `finish`.
pub fn is_final(outcome: Option<Outcome>, reason: Option<&Reason>) -> bool {
    !(outcome == Some(Outcome::Interrupted) && reason == Some(&Reason::Emergency))
}

/// The stage after a line of `event` (`is_final` for a `finish`: see
/// [`is_final`]), from `was` (`None`: no line yet). `Ok(None)`
/// for an event that is not an occurrence's.
pub fn next(was: Option<Stage>, event: &Event, is_final: bool) -> Result<Option<Stage>, Breach> {
    match (event, was) {
        (Event::Start, Some(was @ (Stage::Open | Stage::Done))) => Err(Breach { was }),
        (Event::Start, _) => Ok(Some(Stage::Open)),
        (Event::Finish, Some(Stage::Done)) => Err(Breach { was: Stage::Done }),
        (Event::Finish, _) if is_final => Ok(Some(Stage::Done)),
        (Event::Finish, _) => Ok(Some(Stage::Cut)),
        _ => Ok(None),
    }
}

/// Occurrences by key (an id, or a fingerprint of one), folded line by
/// line under [`next`]. Those done are kept as bare keys: most of a long
/// log's occurrences, so the set stays small.
pub struct Fold<K, S = std::collections::hash_map::RandomState> {
    done: HashSet<K, S>,
    pending: HashMap<K, Stage, S>,
}

impl<K, S: Default> Default for Fold<K, S> {
    fn default() -> Self {
        Fold {
            done: HashSet::default(),
            pending: HashMap::default(),
        }
    }
}

impl<K: Hash + Eq, S: BuildHasher> Fold<K, S> {
    /// Where the occurrence under `key` stands, if any line of it was read.
    pub fn stage(&self, key: &K) -> Option<Stage> {
        if self.done.contains(key) {
            Some(Stage::Done)
        } else {
            self.pending.get(key).copied()
        }
    }

    /// Takes one line of the occurrence under `key`. `Ok(None)` for an event
    /// that is not an occurrence's; `Err` for a line the rule refuses, which
    /// changes nothing.
    pub fn line(&mut self, key: K, event: &Event, is_final: bool) -> Result<Option<Step>, Breach> {
        let was = self.stage(&key);
        let Some(now) = next(was, event, is_final)? else {
            return Ok(None);
        };
        if now == Stage::Done {
            self.pending.remove(&key);
            self.done.insert(key);
        } else {
            self.pending.insert(key, now);
        }
        Ok(Some(Step {
            first: was.is_none(),
            now,
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_final_outcome_and_a_cut_attempt_may_start_again() {
        let mut f: Fold<&str> = Fold::default();
        let step = |now, first| Ok(Some(Step { first, now }));
        assert_eq!(f.line("a", &Event::Start, false), step(Stage::Open, true));
        assert_eq!(
            f.line("a", &Event::Start, false),
            Err(Breach { was: Stage::Open })
        );
        assert_eq!(f.line("a", &Event::Finish, false), step(Stage::Cut, false));
        assert_eq!(f.line("a", &Event::Start, false), step(Stage::Open, false));
        assert_eq!(f.line("a", &Event::Finish, true), step(Stage::Done, false));
        assert_eq!(
            f.line("a", &Event::Finish, true),
            Err(Breach { was: Stage::Done })
        );
        assert_eq!(
            f.line("a", &Event::Start, false),
            Err(Breach { was: Stage::Done })
        );
        // A finish with no start (skipped, missed) is the whole record.
        assert_eq!(f.line("b", &Event::Finish, true), step(Stage::Done, true));
        assert_eq!(f.line("c", &Event::Reload, false), Ok(None));
        assert_eq!(f.stage(&"c"), None);
    }
}
