//! What the outputs report about an attempt, carried to its engine, and
//! what goes on record when the engine closes it.

use chrono::TimeDelta;
use tokio::time::Instant;
use tracing::{info, warn};

use super::RelayAttempt;
use crate::daemon::Daemon;
use crate::daemon::records;
use crate::kinds::{Outcome, Reason};
use crate::onair::{self, Close, Input, OutputEvent};
use crate::player::{Ending, Event};
use crate::playlog::{Finish, Start};
use crate::units::round3;

impl Daemon {
    /// Handles what an output reports.
    pub(in crate::daemon) fn on_event(&mut self, ev: Event) {
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
    pub(super) fn record(&mut self, z: usize, c: Close) {
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
    pub(super) fn output_failed(&mut self, z: usize, error: String) {
        let zone = &mut self.outputs.zones[z];
        if zone.error.as_deref() != Some(error.as_str()) {
            warn!(device = %zone.output.device(), output = %zone.name, error = %error, "{}", crate::i18n::journal::say(crate::i18n::journal::Note::OutputFailing));
        }
        zone.error = Some(error);
    }

    /// Closes a `start` left open by a crash.
    pub(in crate::daemon) fn close_open(&mut self, s: &Start, why: Reason) {
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
