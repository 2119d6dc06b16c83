//! The preview: the on-air engine driven by a paper output whose plays last
//! exactly the program's length, on a clock that jumps from one deadline to
//! the next. `next` and `check` read what will happen from here.

use std::collections::{BTreeMap, HashMap, VecDeque};
use std::time::Duration;

use chrono::{DateTime, TimeDelta, Utc};

use super::{Action, Dropped, Ending, Engine, Input, OutputEvent, Rules, Shape};
use crate::kinds::{Outcome, Reason};
use crate::plan::Occurrence;

/// What will happen to one occurrence.
#[derive(Clone, Debug, PartialEq)]
pub struct Prediction {
    /// When its first attempt's first sample leaves the device; `None` when
    /// it will not sound.
    pub start: Option<DateTime<Utc>>,
    /// When its last attempt ends (or when it is closed without sounding).
    pub end: Option<DateTime<Utc>>,
    pub outcome: Outcome,
    pub reason: Option<Reason>,
    /// What was on air at its time, when it had to wait (or was missed).
    pub behind: Option<Who>,
    /// For an emergency: the broadcast it cuts.
    pub cuts: Option<Who>,
    /// Each time it is cut: when, by which broadcast, and when it starts
    /// again (`None` when it does not).
    pub restarts: Vec<Restart>,
    /// The repeats its last attempt loses, and why (it would run into
    /// quiet hours).
    pub dropped: Option<Dropped>,
}

/// Another broadcast a prediction names: the one it waited behind, cut,
/// or was cut by.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Who {
    pub name: String,
    /// Its schedule file.
    pub file: String,
}

impl Who {
    fn of(occ: &Occurrence) -> Who {
        Who {
            name: occ.broadcast().name.clone(),
            file: occ.schedule.file.clone(),
        }
    }
}

/// One cut of an occurrence by an emergency.
#[derive(Clone, Debug, PartialEq)]
pub struct Restart {
    pub cut_at: DateTime<Utc>,
    pub by: Who,
    pub again_at: Option<DateTime<Utc>>,
}

impl Prediction {
    /// Nothing known: closed without sounding, for no stated reason.
    pub fn unknown() -> Prediction {
        unsounded(None)
    }

    /// Seconds after its scheduled time that it starts.
    pub fn delay(&self, occ: &Occurrence) -> Option<Duration> {
        self.start.and_then(|s| (s - occ.utc()).to_std().ok())
    }
}

/// What an occurrence's program is on paper: its shape in time, or why it
/// cannot sound (a file missing or undecodable), as the real output would
/// say.
pub type Paper = Result<Shape, (Reason, Option<String>)>;

/// A play in progress on the paper output.
struct Play {
    token: u64,
    occ: Occurrence,
    at: DateTime<Utc>,
    length: TimeDelta,
    started: bool,
}

fn failure(p: &Paper) -> Option<Ending> {
    p.as_ref().err().map(|(reason, detail)| Ending::Failed {
        reason: reason.clone(),
        detail: detail.clone(),
    })
}

/// Plays `plan` (each occurrence with its program on paper, in time order)
/// through one output under `rules`, from `from` until everything is closed.
/// Returns one prediction per occurrence, by id.
pub fn preview(
    rules: Rules,
    plan: &[(Occurrence, Paper)],
    from: DateTime<Utc>,
) -> HashMap<String, Prediction> {
    let programs: HashMap<&str, &Paper> = plan.iter().map(|(o, p)| (o.id.as_str(), p)).collect();
    let mut engine = Engine::new(rules, 1);
    let mut out: HashMap<String, Prediction> = HashMap::new();
    let mut play: Option<Play> = None;
    // Who held the output over which span, to say what one waited behind.
    let mut held: BTreeMap<DateTime<Utc>, (DateTime<Utc>, Who)> = BTreeMap::new();
    let mut now = from;
    let mut inputs = VecDeque::from([Input::Planned(
        plan.iter().map(|(o, _)| o.clone()).collect(),
    )]);
    // Each step moves the clock or closes something, so this ends; the cap
    // only guards against a mistake turning into a hang.
    let mut budget = 64 * plan.len() + 64;
    while budget > 0 {
        budget -= 1;
        let Some(input) = inputs.pop_front() else {
            // Nothing to feed: move the clock to the next thing that happens.
            let output_due = play
                .as_ref()
                .map(|p| if p.started { p.at + p.length } else { p.at });
            let next = [engine.next_deadline(), output_due]
                .into_iter()
                .flatten()
                .min();
            let Some(next) = next else { break };
            now = now.max(next);
            if output_due == Some(now)
                && let Some(p) = play.as_mut()
            {
                if p.started {
                    let token = p.token;
                    held.insert(p.at, (now, Who::of(&p.occ)));
                    play = None;
                    inputs.push_back(Input::Output(OutputEvent::Ended {
                        token,
                        ending: Ending::Completed,
                    }));
                } else {
                    p.started = true;
                    let e = out
                        .entry(p.occ.id.clone())
                        .or_insert_with(|| unsounded(None));
                    if e.start.is_none() {
                        e.start = Some(now);
                    } else if let Some(r) = e.restarts.last_mut() {
                        r.again_at = Some(now);
                    }
                    inputs.push_back(Input::Output(OutputEvent::Started {
                        token: p.token,
                        at: now,
                    }));
                }
            } else {
                inputs.push_back(Input::Tick);
            }
            continue;
        };
        for action in engine.step(now, input) {
            match action {
                Action::Begin { token, occ, at, .. } => {
                    let paper = programs.get(occ.id.as_str()).copied();
                    if let Some(ending) = paper.and_then(failure) {
                        // The output fails at once, as a missing file does.
                        inputs.push_back(Input::Output(OutputEvent::Ended { token, ending }));
                        continue;
                    }
                    let shape = paper.and_then(|p| p.as_ref().ok());
                    // The same cut the daemon makes when it begins.
                    let dropped = shape.and_then(|s| engine.rules().dropped(&occ, at, s));
                    let length = shape
                        .map(|s| s.length_less(dropped.as_ref()))
                        .and_then(|d| TimeDelta::from_std(d).ok())
                        .unwrap_or_default();
                    out.entry(occ.id.clone())
                        .or_insert_with(|| unsounded(None))
                        .dropped = dropped;
                    if at > occ.utc() {
                        let behind = holder(&held, &play, occ.utc());
                        let e = out.entry(occ.id.clone()).or_insert_with(|| unsounded(None));
                        if e.behind.is_none() && e.start.is_none() {
                            e.behind = behind;
                        }
                    }
                    play = Some(Play {
                        token,
                        occ,
                        at,
                        length,
                        started: false,
                    });
                    inputs.push_back(Input::Output(OutputEvent::Opened { token }));
                }
                Action::Cut { token, by, .. } => {
                    if let Some(p) = play.take().filter(|p| p.token == token) {
                        if let Some(by) = &by {
                            out.entry(by.id.clone())
                                .or_insert_with(|| unsounded(None))
                                .cuts = Some(Who::of(&p.occ));
                            if p.started {
                                out.entry(p.occ.id.clone())
                                    .or_insert_with(|| unsounded(None))
                                    .restarts
                                    .push(Restart {
                                        cut_at: now,
                                        by: Who::of(by),
                                        again_at: None,
                                    });
                            }
                        }
                        if p.started {
                            held.insert(p.at, (now, Who::of(&p.occ)));
                        }
                    }
                    inputs.push_back(Input::Output(OutputEvent::Ended {
                        token,
                        ending: Ending::Stopped,
                    }));
                }
                // Paper receives nothing.
                Action::Prepare(_) | Action::Release(_) => {}
                Action::Close(c) => {
                    let behind = match c.outcome {
                        Outcome::Missed => holder(&held, &play, c.occ.utc()),
                        _ => None,
                    };
                    let e = out
                        .entry(c.occ.id.clone())
                        .or_insert_with(|| unsounded(behind.clone()));
                    e.outcome = c.outcome;
                    e.reason = c.reason;
                    if e.behind.is_none() {
                        e.behind = behind;
                    }
                    if e.start.is_some() {
                        e.end = Some(now);
                    }
                }
            }
        }
    }
    out
}

fn unsounded(behind: Option<Who>) -> Prediction {
    Prediction {
        start: None,
        end: None,
        outcome: Outcome::Missed,
        reason: None,
        behind,
        cuts: None,
        restarts: Vec::new(),
        dropped: None,
    }
}

/// The broadcast that held the output at `t`.
fn holder(
    held: &BTreeMap<DateTime<Utc>, (DateTime<Utc>, Who)>,
    play: &Option<Play>,
    t: DateTime<Utc>,
) -> Option<Who> {
    if let Some(p) = play.as_ref().filter(|p| p.at <= t) {
        return Some(Who::of(&p.occ));
    }
    held.range(..=t)
        .next_back()
        .filter(|(_, (end, _))| *end > t)
        .map(|(_, (_, name))| name.clone())
}
