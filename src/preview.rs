//! What the station will do over a span of time: every occurrence on every
//! output it plays on, each output's day played on paper through the same
//! on-air engine the daemon runs. `next` and `check` read it.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, Utc};

use crate::config::Config;
use crate::kinds::{Outcome, Reason};
use crate::onair::Rules;
use crate::onair::paper::{self, Paper, Prediction, Restart, Who};
use crate::plan::{self, Occurrence};
use crate::schedule::Schedule;
use crate::sound::audio::AudioCache;

/// One occurrence and what will happen to it.
#[derive(Clone, Debug)]
pub struct Predicted {
    pub occ: Occurrence,
    /// How long its whole program sounds (zero when it cannot be composed),
    /// before any repeats are dropped (`p.dropped`).
    pub length: Duration,
    /// Its length holds speech not rendered yet, estimated from the words.
    pub estimated: bool,
    pub p: Prediction,
}

/// The on-air rules of the station's config, for the daemon's engines and
/// the preview's alike.
pub fn rules(config: &Config) -> Rules {
    Rules::new(
        config.late(),
        config.quiet_hours.clone(),
        config.require_approval,
    )
}

/// How far before `from` the paper day starts, so that what is still on
/// air or waiting at `from` is in the picture: the late limit, and an hour
/// for a long program that started before it.
const WARM_UP: chrono::TimeDelta = chrono::TimeDelta::hours(1);

/// The occurrences due in `[from, to)`, in time order (at equal times, in
/// the order of the outputs), with what will happen to each. The paper
/// output starts earlier ([`WARM_UP`] and the late limit), as if what fell
/// due before `from` went as predicted, so a broadcast still on air at
/// `from` holds its output in the preview too.
pub fn span(
    config: &Config,
    cache: &mut AudioCache,
    schedules: &[Arc<Schedule>],
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> Vec<Predicted> {
    let early = from - config.late() - WARM_UP;
    let occs = plan::occurrences(schedules, config.timezone, early, to);
    let names = config.output_names();
    let rules = rules(config);
    let mut out = Vec::new();
    // The preview renders no speech: what is not rendered yet is estimated.
    let estimating = cache.set_estimate_speech(true);
    for (output, occs) in config.outputs().iter().zip(plan::by_output(occs, &names)) {
        // Every occurrence of a broadcast sounds the same program: compose
        // it once per broadcast, not once per day it plays.
        let mut programs: HashMap<(usize, usize), (Paper, bool)> = HashMap::new();
        let mut estimated: HashMap<String, bool> = HashMap::new();
        let papers: Vec<(Occurrence, Paper)> = occs
            .into_iter()
            .map(|o| {
                let key = (Arc::as_ptr(&o.schedule) as usize, o.index);
                let (p, est) = programs
                    .entry(key)
                    .or_insert_with(|| {
                        let before = cache.speech_estimates();
                        let p = crate::program::compose(config, output, cache, &o)
                            .map(|c| c.shape())
                            .map_err(|e| (e.reason, Some(e.detail)));
                        (p, cache.speech_estimates() > before)
                    })
                    .clone();
                estimated.insert(o.id.clone(), est);
                (o, p)
            })
            .collect();
        let mut predicted = paper::preview(rules.clone(), &papers, early);
        out.extend(
            papers
                .into_iter()
                .filter(|(occ, _)| occ.utc() >= from)
                .map(|(occ, p)| Predicted {
                    p: predicted
                        .remove(&occ.id)
                        .unwrap_or_else(Prediction::unknown),
                    length: p.map(|s| s.length()).unwrap_or_default(),
                    estimated: estimated.get(&occ.id).copied().unwrap_or(false),
                    occ,
                }),
        );
    }
    cache.set_estimate_speech(estimating);
    // Stable: the outputs' order stays at equal times.
    out.sort_by_key(|x| x.occ.utc());
    out
}

/// A start this much after its time is worth a word, in `next` and in
/// `check` alike.
pub const NOTABLE_DELAY: Duration = Duration::from_secs(1);

/// What happens to an occurrence besides sounding at its time: the one
/// reading of a [`Prediction`] that `next`, `check` and `announce` render,
/// so they cannot tell it differently.
#[derive(Clone, Debug, PartialEq)]
pub enum Happens {
    /// Due inside quiet hours: skipped.
    QuietHours,
    /// Its schedule is not approved while approval is required: skipped.
    NotApproved,
    /// It cannot start within the late limit; `behind` is what held the
    /// output, when anything did.
    Missed { behind: Option<Who> },
    /// An emergency that cuts what is on air at its time.
    Cuts(Who),
    /// Cut by an emergency (the first cut; the prediction lists them all).
    Cut(Restart),
    /// It waits behind `behind` and starts `delay` late (at least
    /// [`NOTABLE_DELAY`]).
    Waits { behind: Who, delay: Duration },
}

impl Predicted {
    /// What happens to it, or `None` when it simply sounds at its time
    /// (or fails for a reason of its own program, which `outcome` says).
    pub fn happens(&self) -> Option<Happens> {
        let p = &self.p;
        match (&p.reason, p.outcome) {
            (Some(Reason::QuietHours), Outcome::Skipped) => return Some(Happens::QuietHours),
            (Some(Reason::NotApproved), Outcome::Skipped) => return Some(Happens::NotApproved),
            (_, Outcome::Missed) => {
                return Some(Happens::Missed {
                    behind: p.behind.clone(),
                });
            }
            _ => {}
        }
        if let Some(cut) = &p.cuts {
            return Some(Happens::Cuts(cut.clone()));
        }
        if let Some(r) = p.restarts.first() {
            return Some(Happens::Cut(r.clone()));
        }
        match (p.delay(&self.occ), &p.behind) {
            (Some(delay), Some(behind)) if delay >= NOTABLE_DELAY => Some(Happens::Waits {
                behind: behind.clone(),
                delay,
            }),
            _ => None,
        }
    }
}
