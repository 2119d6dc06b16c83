//! The daemon's side of the on-air engines: it feeds each output's engine
//! what happened, and carries out what the engine asks (open the output,
//! cut, write the record). The rules themselves live in [`crate::onair`].

use std::collections::{HashMap, VecDeque};
use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, TimeDelta, Utc};
use tracing::info;

use super::Daemon;

mod begin;
mod events;
use crate::onair::{self, Action, Engine, Input};
use crate::plan::Occurrence;
use crate::player::{Event, Gate, Output, Stop};
use crate::playlog::{OccurrenceInfo, Start};
use crate::sound::relay::{self, Live};

/// Tokens of different outputs never meet: each output's engine counts
/// from its own multiple of this.
const TOKENS_PER_OUTPUT: u64 = 1 << 40;

/// One output of the station: its engine, its device, and the attempts
/// begun on it.
pub(super) struct Zone {
    pub(super) name: String,
    pub(super) engine: Engine,
    pub(super) output: Box<dyn Output>,
    pub(super) attempts: HashMap<u64, Attempt>,
    /// The output's last error, until a broadcast sounds again.
    pub(super) error: Option<String>,
}

impl Zone {
    /// What this output has planned, nearest first: on air, waiting, then
    /// the agenda.
    pub(super) fn planned(&self) -> impl Iterator<Item = &Occurrence> {
        self.engine
            .on_air()
            .map(|c| &c.occ)
            .into_iter()
            .chain(self.engine.waiting().iter().map(|w| &w.occ))
            .chain(self.engine.agenda())
    }
}

impl Zone {
    pub(super) fn new(
        index: usize,
        name: String,
        rules: onair::Rules,
        output: Box<dyn Output>,
    ) -> Zone {
        Zone {
            name,
            engine: Engine::new(rules, 1 + index as u64 * TOKENS_PER_OUTPUT),
            output,
            attempts: HashMap::new(),
            error: None,
        }
    }
}

/// An attempt the engine asks to begin.
struct Begun {
    token: u64,
    attempt: u32,
    at: DateTime<Utc>,
    /// It was held for its speech before.
    again: bool,
}

/// What the daemon keeps about an attempt the engine began.
pub(super) struct Attempt {
    pub(super) occ: Occurrence,
    pub(super) info: OccurrenceInfo,
    /// The program's length: chime, gaps and the repeats that sound.
    pub(super) length: Duration,
    /// The `start` line, until the output is open and it is written.
    pub(super) start: Option<Start>,
    pub(super) start_logged: bool,
    pub(super) first_sample: Option<DateTime<Utc>>,
    pub(super) played: Duration,
    /// The level of what was sent, once the output has finished.
    pub(super) levels: crate::device::Levels,
    stop: Stop,
    pub(super) gate: Arc<Gate>,
    /// A relay's receiver, and what it had done when this attempt began.
    pub(super) relay: Option<RelayAttempt>,
}

/// An attempt at a relay.
pub(super) struct RelayAttempt {
    live: Arc<Live>,
    before: relay::Stats,
    /// Its fallback plays instead, the source being down.
    pub(super) fallback: bool,
}

impl Attempt {
    /// It relays (its fallback is not playing instead).
    pub(super) fn relaying(&self) -> bool {
        self.relay.as_ref().is_some_and(|r| !r.fallback)
    }
}

impl RelayAttempt {
    /// Sound received and aired during this attempt, the times the source
    /// was lost meanwhile, and its last error.
    pub(super) fn since(
        &self,
    ) -> (
        std::time::Duration,
        u32,
        Option<String>,
        std::time::Duration,
    ) {
        let st = self.live.stats();
        (
            st.aired.saturating_sub(self.before.aired),
            st.dropouts.saturating_sub(self.before.dropouts),
            st.last_error,
            st.silent.saturating_sub(self.before.silent),
        )
    }
}

/// The station's outputs, each with its own on-air engine, and the
/// channel their events come back on.
/// Changed only in this module: the rest of the daemon reads the zones
/// and asks through the methods below.
pub(super) struct Outputs {
    /// The station's outputs, each with its own on-air engine.
    zones: Vec<Zone>,
    events_tx: tokio::sync::mpsc::UnboundedSender<Event>,
    events_rx: tokio::sync::mpsc::UnboundedReceiver<Event>,
    /// Closing a span of occurrences at once: lines are flushed together.
    batch: bool,
    /// Occurrences missed in the current batch.
    missed_now: u64,
}

impl Outputs {
    /// The station's outputs, in the config's order.
    pub(super) fn zones(&self) -> &[Zone] {
        &self.zones
    }

    /// Waits for what an output reports next.
    pub(super) async fn next_event(&mut self) -> Option<Event> {
        self.events_rx.recv().await
    }

    /// New rules for every output (config.yaml changed).
    pub(super) fn set_rules(&mut self, rules: &onair::Rules) {
        for z in &mut self.zones {
            z.engine.set_rules(rules.clone());
        }
    }

    /// Forgets closed occurrences due before `t` on every output.
    pub(super) fn forget_before(&mut self, t: DateTime<Utc>) {
        for z in &mut self.zones {
            z.engine.forget_before(t);
        }
    }

    /// Starts closing a span at once: records are kept and flushed
    /// together, and the missed ones counted.
    pub(super) fn begin_batch(&mut self) {
        self.batch = true;
        self.missed_now = 0;
    }

    /// Ends the span: how many were missed in it.
    pub(super) fn end_batch(&mut self) -> u64 {
        self.batch = false;
        self.missed_now
    }

    /// The station's outputs, each opened by `open`, idle.
    pub(super) fn new(
        config: &crate::config::Config,
        open: &dyn Fn(&crate::config::OutputConfig) -> Box<dyn Output>,
    ) -> Outputs {
        let (events_tx, events_rx) = tokio::sync::mpsc::unbounded_channel();
        let rules = crate::preview::rules(config);
        let zones = config
            .outputs()
            .iter()
            .enumerate()
            .map(|(i, o)| Zone::new(i, o.name.clone(), rules.clone(), open(o)))
            .collect();
        Outputs {
            zones,
            events_tx,
            events_rx,
            batch: false,
            missed_now: 0,
        }
    }
}

impl Daemon {
    pub(super) fn late_limit(&self) -> TimeDelta {
        self.config.late()
    }

    pub(super) fn zone_of(&self, token: u64) -> usize {
        (token / TOKENS_PER_OUTPUT) as usize
    }

    /// Notes an occurrence closed on record, under its id on every output
    /// arrangement, so that a change of outputs never plays it again.
    pub(super) fn mark_done(&mut self, id: &str, closed: &crate::playlog::Closed) {
        let t = closed.due.unwrap_or_else(|| self.clock.now());
        let names: Vec<&str> = self.outputs.zones.iter().map(|z| z.name.as_str()).collect();
        let mut ids =
            crate::plan::ids_on(id, closed.base.as_deref(), closed.output.as_deref(), &names);
        if !ids.iter().any(|x| x == id) {
            ids.push(id.to_string());
        }
        for zone in &mut self.outputs.zones {
            for x in &ids {
                zone.engine.mark_done(x.clone(), t);
            }
        }
    }

    /// Feeds one input to the engine of output `z` and carries out what it
    /// asks, and so on until nothing follows.
    pub(super) fn drive(&mut self, z: usize, input: Input) {
        let mut queue = VecDeque::from([input]);
        while let Some(input) = queue.pop_front() {
            let now = self.clock.now();
            let Some(zone) = self.outputs.zones.get_mut(z) else {
                return;
            };
            for action in zone.engine.step(now, input) {
                match action {
                    Action::Begin {
                        token,
                        occ,
                        attempt,
                        at,
                        again,
                    } => {
                        let begun = Begun {
                            token,
                            attempt,
                            at,
                            again,
                        };
                        if let Some(ev) = self.begin(z, begun, occ, now) {
                            queue.push_back(Input::Output(ev));
                        }
                    }
                    Action::Prepare(occ) => {
                        self.media.relays.of(&occ);
                    }
                    Action::Release(id) => self.media.relays.done(&id),
                    Action::Cut { token, reason, by } => {
                        if let Some(a) = self.outputs.zones[z].attempts.get(&token) {
                            match &by {
                                Some(e) => {
                                    info!(broadcast = %a.occ.id, emergency = %e.id, "{}", crate::i18n::journal::say(crate::i18n::journal::Note::EmergencyCutsIn))
                                }
                                None => {
                                    info!(broadcast = %a.occ.id, reason = %reason, "{}", crate::i18n::journal::say(crate::i18n::journal::Note::Stopping))
                                }
                            }
                            a.stop.stop();
                        }
                    }
                    Action::Close(c) => self.record(z, c),
                }
            }
        }
    }

    /// Feeds the same input to every output's engine.
    pub(super) fn drive_all(&mut self, input: &Input) {
        for z in 0..self.outputs.zones.len() {
            self.drive(z, input.clone());
        }
    }
}
