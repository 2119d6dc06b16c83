//! The daemon's side of the on-air engines: it feeds each output's engine
//! what happened, and carries out what the engine asks (open the output,
//! cut, write the record). The rules themselves live in [`crate::onair`].

use std::collections::{HashMap, VecDeque};
use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, TimeDelta, Utc};
use tokio::time::Instant;
use tracing::{info, warn};

use super::Daemon;
use super::records;
use crate::kinds::{Outcome, Reason};
use crate::onair::{self, Action, Close, Engine, Input, OutputEvent};
use crate::plan::Occurrence;
use crate::player::{Ending, Event, Gate, Output, Program, Report, Stop};
use crate::playlog::{Finish, OccurrenceInfo, Start};
use crate::sound::relay::{self, Live};
use crate::units::round3;

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
    start: Option<Start>,
    pub(super) start_logged: bool,
    pub(super) first_sample: Option<DateTime<Utc>>,
    played: Duration,
    /// The level of what was sent, once the output has finished.
    levels: crate::device::Levels,
    stop: Stop,
    gate: Arc<Gate>,
    /// A relay's receiver, and what it had done when this attempt began.
    relay: Option<RelayAttempt>,
}

/// An attempt at a relay.
pub(super) struct RelayAttempt {
    live: Arc<Live>,
    before: relay::Stats,
    /// Its fallback plays instead, the source being down.
    fallback: bool,
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
    fn since(
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
pub(super) struct Outputs {
    /// The station's outputs, each with its own on-air engine.
    pub(super) zones: Vec<Zone>,
    pub(super) events_tx: tokio::sync::mpsc::UnboundedSender<Event>,
    pub(super) events_rx: tokio::sync::mpsc::UnboundedReceiver<Event>,
    /// Closing a span of occurrences at once: lines are flushed together.
    pub(super) batch: bool,
    /// Occurrences missed in the current batch.
    pub(super) missed_now: u64,
}

impl Daemon {
    pub(super) fn late_limit(&self) -> TimeDelta {
        self.config.late()
    }

    fn zone_of(&self, token: u64) -> usize {
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

    /// Opens output `z` for an attempt. Returns what the output says at
    /// once when it could not begin: it ended, or its speech is not ready.
    fn begin(
        &mut self,
        z: usize,
        begun: Begun,
        occ: Occurrence,
        now: DateTime<Utc>,
    ) -> Option<OutputEvent> {
        let Begun {
            token,
            attempt,
            at,
            again,
        } = begun;
        let ended = |ending| Some(OutputEvent::Ended { token, ending });
        let output = self.config.outputs.get(z).cloned().unwrap_or_default();
        let mut composed = match crate::program::compose(
            &self.config,
            &output,
            &mut self.media.cache,
            &occ,
        ) {
            Ok(c) => c,
            // Held under the occurrence's own limit, the one the engine
            // closes it by (a relay's fallback may wait out the relay).
            // Its engine failed on it: a failure now, with the engine's own
            // words, and the output free for what follows.
            Err(e)
                if e.not_rendered
                    && let Some(why) = self.speech_failure(&occ) =>
            {
                let detail = format!("{}: {why}", e.rel);
                warn!(broadcast = %occ.id, file = %e.rel, error = %detail, "{}", crate::i18n::journal::say(crate::i18n::journal::Note::CannotPlay));
                return ended(onair::Ending::Failed {
                    reason: e.reason,
                    detail: Some(detail),
                });
            }
            Err(e) if e.not_rendered && now <= occ.utc() + occ.late_limit(self.late_limit()) => {
                // The speech thread renders it, nearest first: the engine
                // holds the output for it and begins it again.
                if !again {
                    info!(broadcast = %occ.id, file = %e.rel, "{}", crate::i18n::journal::say(crate::i18n::journal::Note::SpeechWaiting));
                }
                return Some(OutputEvent::NotReady { token });
            }
            Err(e) => {
                let detail = if e.not_rendered {
                    format!(
                        "{}: speech still not rendered {} s after its time (late_limit)",
                        e.rel,
                        occ.late_limit(self.late_limit()).num_seconds()
                    )
                } else {
                    e.detail
                };
                warn!(broadcast = %occ.id, file = %e.rel, error = %detail, "{}", crate::i18n::journal::say(crate::i18n::journal::Note::CannotPlay));
                return ended(onair::Ending::Failed {
                    reason: e.reason,
                    detail: Some(detail),
                });
            }
        };
        let first = at.max(now);
        let relay = match composed.relay.is_some() {
            true => self.media.relays.of(&occ),
            false => None,
        };
        if let Some(live) = &relay {
            let st = live.stats();
            if !st.ever_received && st.failures > 0 {
                // Not reached at all by its time: the fallback, if set.
                match crate::program::compose_fallback(
                    &self.config,
                    &output,
                    &mut self.media.cache,
                    &occ,
                ) {
                    Some(Ok(f)) => {
                        warn!(broadcast = %occ.id, source = %live.source().as_record(), error = st.last_error.as_deref().unwrap_or(""), "{}", crate::i18n::journal::say(crate::i18n::journal::Note::FallbackPlays));
                        composed = f;
                    }
                    Some(Err(e)) => {
                        warn!(broadcast = %occ.id, file = %e.rel, error = %e.detail, "{}", crate::i18n::journal::say(crate::i18n::journal::Note::FallbackFails));
                    }
                    None => {
                        warn!(broadcast = %occ.id, source = %live.source().as_record(), error = st.last_error.as_deref().unwrap_or(""), "{}", crate::i18n::journal::say(crate::i18n::journal::Note::RelayingSilence));
                    }
                }
            }
            if !composed.fallback {
                composed.attach(live.clone(), &occ, first);
            }
        }
        self.media.cache.save();
        match &composed.chime_trouble {
            Some((rel, e)) => self.chime_seen(rel, Some(e.clone())),
            None => {
                if let Some(c) = &composed.chime {
                    self.chime_seen(&c.rel, None);
                }
            }
        }
        for c in composed.clips.iter().chain(&composed.chime) {
            if c.info.unmeasured {
                warn!(broadcast = %occ.id, file = %c.rel, "{}", crate::i18n::journal::say(crate::i18n::journal::Note::UnityGain));
            }
        }
        let info = records::info(&occ);
        let zone = &mut self.outputs.zones[z];
        // The preview makes the same cut (onair::paper), from the same rule.
        let dropped = zone.engine.rules().dropped(&occ, first, &composed.shape());
        if let Some(d) = &dropped {
            composed.keep_repeats(composed.shape().repeat - d.repeats);
            warn!(broadcast = %occ.id, output = %zone.name, repeat = occ.broadcast().repeat, dropped = d.repeats, reason = %d.reason, "{}", crate::i18n::journal::say(crate::i18n::journal::Note::RepeatsDropped));
        }
        let start = Start {
            occ: info.clone(),
            audio: composed.audio_entries(),
            chime: composed.chime_entry(),
            repeat: occ.broadcast().repeat,
            dropped_repeats: dropped.as_ref().map_or(0, |d| d.repeats),
            dropped_reason: dropped.map(|d| d.reason),
            device: zone.output.device().to_string(),
            output: Some(zone.name.clone()),
            attempt,
            clock_synced: self.clock.synced(),
            source: composed.relay.as_ref().map(|s| s.as_record()),
            fallback: composed.fallback,
        };
        let gate = Gate::new(self.clock.instant_at(first));
        let program = Program {
            segments: composed.segments(),
            gate: Arc::clone(&gate),
        };
        let length = composed.length();
        let stop = zone
            .output
            .start(program, Report::new(token, self.outputs.events_tx.clone()));
        zone.attempts.insert(
            token,
            Attempt {
                occ,
                info,
                length,
                start: Some(start),
                start_logged: false,
                first_sample: None,
                played: Duration::ZERO,
                levels: crate::device::Levels::default(),
                stop,
                gate,
                relay: relay.map(|live| RelayAttempt {
                    before: live.stats(),
                    live,
                    fallback: composed.fallback,
                }),
            },
        );
        None
    }

    /// Handles what an output reports.
    pub(super) fn on_event(&mut self, ev: Event) {
        let token = match &ev {
            Event::Opened { token }
            | Event::Started { token, .. }
            | Event::Finished { token, .. } => *token,
        };
        let z = self.zone_of(token);
        let now = self.clock.now();
        let Some(a) = self
            .outputs
            .zones
            .get_mut(z)
            .and_then(|zone| zone.attempts.get_mut(&token))
        else {
            return;
        };
        let input = match ev {
            Event::Opened { .. } => {
                let cutting = self.outputs.zones[z]
                    .engine
                    .on_air()
                    .is_some_and(|c| c.token == token && c.cut.is_some());
                let Some(start) = self.outputs.zones[z]
                    .attempts
                    .get_mut(&token)
                    .and_then(|a| a.start.take())
                else {
                    return;
                };
                if cutting {
                    return;
                }
                // The start line is on disk (or kept) before any sound.
                self.write(crate::kinds::Event::Start, &start);
                if let Some(a) = self.outputs.zones[z].attempts.get_mut(&token) {
                    a.start_logged = true;
                    a.gate.arm();
                }
                OutputEvent::Opened { token }
            }
            Event::Started { at, .. } => {
                let ago = TimeDelta::from_std(Instant::now().saturating_duration_since(at))
                    .unwrap_or_default();
                let first = now - ago;
                a.first_sample = Some(first);
                info!(broadcast = %a.occ.id, start_error_ms = (first - a.occ.utc()).num_milliseconds(), "{}", crate::i18n::journal::say(crate::i18n::journal::Note::OnAir));
                let zone = &mut self.outputs.zones[z];
                if zone.error.take().is_some() {
                    info!(device = %zone.output.device(), "{}", crate::i18n::journal::say(crate::i18n::journal::Note::OutputWorksAgain));
                }
                OutputEvent::Started { token, at: first }
            }
            Event::Finished {
                played,
                ending,
                levels,
                ..
            } => {
                a.played = played;
                a.levels = levels;
                let received = a
                    .relay
                    .as_ref()
                    .filter(|r| !r.fallback)
                    .map(RelayAttempt::since);
                let ending = match ending {
                    // A relay that received nothing throughout: its source
                    // was down all the while (SPEC §3 `source_down`).
                    Ending::Completed if received.as_ref().is_some_and(|r| r.0.is_zero()) => {
                        onair::Ending::Failed {
                            reason: Reason::SourceDown,
                            detail: received.and_then(|r| r.2),
                        }
                    }
                    // Sound went out, but none of it above SILENT_DBFS: a
                    // silent recording, a dead stream (SPEC §3).
                    Ending::Completed if levels.silent() => onair::Ending::Failed {
                        reason: Reason::Silent,
                        detail: Some(format!(
                            "peak {} dBFS over {:.1} s, under {} dBFS throughout",
                            levels.peak_db().unwrap_or(-120.0),
                            played.as_secs_f64(),
                            crate::device::SILENT_DBFS
                        )),
                    },
                    Ending::Completed => onair::Ending::Completed,
                    Ending::Stopped => onair::Ending::Stopped,
                    Ending::DeviceError(e) => onair::Ending::Failed {
                        reason: Reason::DeviceError,
                        detail: Some(e),
                    },
                    Ending::DecodeError(e) => onair::Ending::Failed {
                        reason: Reason::DecodeError,
                        detail: Some(e),
                    },
                };
                OutputEvent::Ended { token, ending }
            }
        };
        let ended = matches!(input, OutputEvent::Ended { .. });
        self.drive(z, Input::Output(input));
        if ended {
            // The engine may end an attempt without a record (cut before its
            // start was written): forget it here too.
            self.outputs.zones[z].attempts.remove(&token);
        }
    }

    /// Writes the record of what the engine closed.
    fn record(&mut self, z: usize, c: Close) {
        let attempt = c
            .token
            .and_then(|t| self.outputs.zones[z].attempts.remove(&t));
        let zone = &self.outputs.zones[z];
        info!(broadcast = %c.occ.id, output = %zone.name, outcome = %c.outcome, reason = c.reason.as_ref().map(Reason::as_str).unwrap_or(""), "{}", crate::i18n::journal::say(crate::i18n::journal::Note::Closed));
        if c.reason == Some(Reason::DeviceError) {
            let detail = c
                .detail
                .clone()
                .unwrap_or_else(|| Reason::DeviceError.to_string());
            self.output_failed(z, detail);
        }
        let finish = match attempt.filter(|a| a.start_logged) {
            Some(a) => {
                // A relay's figures, once, read together; none for a
                // fallback that played instead.
                let relayed = a
                    .relay
                    .as_ref()
                    .filter(|r| !r.fallback)
                    .map(RelayAttempt::since);
                Finish {
                    id: a.info.id.clone(),
                    info: None,
                    output: c.occ.output.as_deref().map(str::to_string),
                    outcome: c.outcome,
                    reason: c.reason.clone(),
                    played_s: round3(a.played.as_secs_f64()),
                    start_error_ms: a.first_sample.map(|t| {
                        round3((t - a.occ.utc()).num_microseconds().unwrap_or(0) as f64 / 1000.0)
                    }),
                    rms_db: a.levels.rms_db(),
                    peak_db: a.levels.peak_db(),
                    detail: c.detail.clone(),
                    received_s: relayed.as_ref().map(|r| round3(r.0.as_secs_f64())),
                    dropouts: relayed.as_ref().map(|r| r.1),
                    silent_s: relayed.as_ref().map(|r| round3(r.3.as_secs_f64())),
                }
            }
            None => {
                records::finish_without_start(&c.occ, c.outcome, c.reason.clone(), c.detail.clone())
            }
        };
        if self.outputs.batch {
            self.log
                .push(self.clock.now(), crate::kinds::Event::Finish, &finish);
        } else {
            self.write(crate::kinds::Event::Finish, &finish);
        }
        self.note_outcome(&c.occ, c.outcome, c.reason.as_ref());
        if self.outputs.batch && c.outcome == Outcome::Missed {
            self.outputs.missed_now += 1;
        }
    }

    /// Notes an output failure. The system log hears of it once when it
    /// starts (and when its message changes), not at every broadcast: a
    /// station without its amplifier for a week would otherwise bury
    /// everything else.
    fn output_failed(&mut self, z: usize, error: String) {
        let zone = &mut self.outputs.zones[z];
        if zone.error.as_deref() != Some(error.as_str()) {
            warn!(device = %zone.output.device(), output = %zone.name, error = %error, "{}", crate::i18n::journal::say(crate::i18n::journal::Note::OutputFailing));
        }
        zone.error = Some(error);
    }

    /// Closes a `start` left open by a crash.
    pub(super) fn close_open(&mut self, s: &Start, why: Reason) {
        let f = Finish {
            id: s.occ.id.clone(),
            info: None,
            output: s.output.clone(),
            outcome: Outcome::Interrupted,
            reason: Some(why),
            played_s: 0.0,
            start_error_ms: None,
            rms_db: None,
            peak_db: None,
            detail: None,
            received_s: None,
            dropouts: None,
            silent_s: None,
        };
        self.write(crate::kinds::Event::Finish, &f);
        let closed = crate::playlog::Closed::of(&s.occ.desc, s.output.as_deref());
        self.mark_done(&s.occ.id, &closed);
    }
}
