//! Keeping `state/status.json` current for `loa status`.

use chrono::{DateTime, SecondsFormat, TimeDelta, Utc};
use tokio::time::Instant;
use tracing::warn;

use super::Daemon;
use crate::kinds::{Outcome, Reason};
use crate::plan::Occurrence;
use crate::status::{self, OutputState, Playing, RefusedFile, Status, Upcoming, Warning};

/// How many outcomes and upcoming broadcasts the status shows.
const SHOWN: usize = 8;

/// How the daemon is doing, as `loa status` and systemd see it. Changed
/// only here; the loop says it is alive through [`Health::alive`].
pub(super) struct Health {
    started_at: String,
    /// The newest outcomes, newest last, for the status file.
    last_outcomes: std::collections::VecDeque<crate::status::Outcome>,
    /// The status last written (without its time) and when.
    status_written: Option<(crate::status::Status, Instant)>,
    /// The line last sent to systemd's STATUS.
    sd_status: String,
    watchdog: Option<super::systemd::Watchdog>,
}

impl Health {
    /// Just started at `now`.
    pub(super) fn new(now: DateTime<Utc>, tz: chrono_tz::Tz) -> Health {
        Health {
            started_at: crate::playlog::format_at(now, tz),
            last_outcomes: std::collections::VecDeque::new(),
            status_written: None,
            sd_status: String::new(),
            watchdog: super::systemd::Watchdog::from_env(),
        }
    }

    /// The loop came round at `mono`: systemd's watchdog hears it.
    pub(super) fn alive(&mut self, mono: Instant) {
        if let Some(w) = self.watchdog.as_mut() {
            w.feed(mono);
        }
    }

    /// When systemd's watchdog wants to hear from the loop next.
    pub(super) fn watchdog_due(&self) -> Option<Instant> {
        self.watchdog.as_ref().map(|w| w.due())
    }

    /// The line last sent to systemd's STATUS (the one `READY` carries).
    pub(super) fn systemd_line(&self) -> &str {
        &self.sd_status
    }
}

impl Daemon {
    /// Remembers an outcome for the status file.
    pub(super) fn note_outcome(
        &mut self,
        o: &Occurrence,
        outcome: Outcome,
        reason: Option<&Reason>,
    ) {
        self.health.last_outcomes.push_back(status::Outcome {
            output: o.output.as_deref().unwrap_or_default().to_string(),
            scheduled: o.time.to_rfc3339_opts(SecondsFormat::Secs, false),
            broadcast: o.broadcast().name.clone(),
            outcome,
            reason: reason.cloned(),
        });
        while self.health.last_outcomes.len() > SHOWN {
            self.health.last_outcomes.pop_front();
        }
    }

    fn status(&self) -> Status {
        let now = self.clock.now();
        let tz = self.config.timezone;
        let fmt = |t: DateTime<Utc>| crate::playlog::format_at(t, tz);
        let mut on_air = Vec::new();
        let mut next: Vec<Upcoming> = Vec::new();
        let mut warnings = Vec::new();
        if let Some(floor) = self.time.wrong_since() {
            warnings.push(Warning::ClockWrong {
                clock: fmt(now),
                newest: fmt(floor),
            });
        }
        if self.clock.synced() == Some(false) {
            warnings.push(Warning::ClockNotSynced);
        }
        for z in self.outputs.zones() {
            let playing = z
                .engine
                .on_air()
                .and_then(|c| Some((c, z.attempts.get(&c.token)?)))
                .filter(|(_, a)| a.start_logged);
            if let Some((c, a)) = playing {
                let start = c.started.unwrap_or_else(|| c.at.max(now));
                let b = c.occ.broadcast();
                on_air.push(Playing {
                    output: z.name.clone(),
                    id: c.occ.id.clone(),
                    broadcast: b.name.clone(),
                    topic: b.topic.clone(),
                    priority: b.priority,
                    scheduled: c.occ.time.to_rfc3339_opts(SecondsFormat::Secs, false),
                    until: fmt(start + TimeDelta::from_std(a.length).unwrap_or_default()),
                    source: b
                        .relay
                        .as_ref()
                        .filter(|_| a.relaying())
                        .map(|r| r.source.as_record()),
                });
            }
            let rules = z.engine.rules();
            next.extend(
                z.engine
                    .waiting()
                    .iter()
                    .map(|w| &w.occ)
                    .chain(z.engine.agenda())
                    .take(SHOWN)
                    .map(|o| {
                        let b = o.broadcast();
                        Upcoming {
                            output: z.name.clone(),
                            time: o.time.to_rfc3339_opts(SecondsFormat::Secs, false),
                            broadcast: b.name.clone(),
                            topic: b.topic.clone(),
                            priority: b.priority,
                            skip: rules.skip(o),
                        }
                    }),
            );
            if let Some(e) = &z.error {
                warnings.push(Warning::OutputFailing {
                    output: z.name.clone(),
                    device: z.output.device().to_string(),
                    error: e.clone(),
                });
            }
        }
        if !self.config_file.restart_needed.is_empty() {
            warnings.push(Warning::RestartNeeded {
                keys: self
                    .config_file
                    .restart_needed
                    .iter()
                    .map(|k| k.to_string())
                    .collect(),
            });
        }
        for (path, problem) in &self.media.chime_trouble {
            warnings.push(Warning::ChimeUnusable {
                path: path.clone(),
                problem: problem.clone(),
            });
        }
        next.sort_by(|a, b| a.time.cmp(&b.time));
        next.truncate(SHOWN);
        if self.log.pending() > 0 {
            warnings.push(Warning::PlaylogNotWritable {
                lines: self.log.pending(),
                error: self.log.trouble.clone().unwrap_or_default(),
            });
        }
        Status {
            version: env!("CARGO_PKG_VERSION").to_string(),
            pid: std::process::id(),
            station: self.config.station.clone(),
            started_at: self.health.started_at.clone(),
            updated_at: String::new(),
            outputs: self
                .outputs
                .zones()
                .iter()
                .map(|z| OutputState {
                    name: z.name.clone(),
                    device: z.output.device().to_string(),
                })
                .collect(),
            on_air,
            next,
            last: self.health.last_outcomes.iter().rev().cloned().collect(),
            refused: self
                .config_file
                .refused
                .iter()
                .map(|e| RefusedFile {
                    file: self.config.shown(&self.config.path).display().to_string(),
                    diagnostics: e.clone(),
                })
                .chain(self.refused().into_iter().map(|(f, e)| RefusedFile {
                    file: f.to_string(),
                    diagnostics: e.to_vec(),
                }))
                .collect(),
            warnings,
        }
    }

    /// Writes the status file when it changed, and at least every
    /// heartbeat so that `loa status` can tell a live daemon from a hung one.
    /// A heartbeat that would fall due before the next periodic rescan is
    /// written now: idle, the two share one wake-up (SPEC §7 counts them).
    pub(super) fn write_status(&mut self) {
        let mut s = self.status();
        let mono = Instant::now();
        let beat = std::time::Duration::from_secs(status::HEARTBEAT_S as u64);
        if let Some((old, at)) = &self.health.status_written
            && *old == s
            && *at + beat > mono
            && *at + beat > self.library.rescan_at()
        {
            return;
        }
        let line = systemd_line(&s, self.lang);
        if line != self.health.sd_status {
            super::systemd::status(&line);
            self.health.sd_status = line;
        }
        let unchanged = s.clone();
        s.updated_at = crate::playlog::format_at(self.clock.now(), self.config.timezone);
        if let Err(e) = status::write(&self.config.state_dir, &s) {
            warn!(error = %e, dir = %self.config.state_dir.display(), "{}", crate::i18n::journal::say(crate::i18n::journal::Note::StatusNotWritten));
        }
        self.health.status_written = Some((unchanged, mono));
    }

    /// When the status file is next due for its heartbeat: after the next
    /// periodic rescan as long as [`super::watch::RESCAN`] is shorter than
    /// the heartbeat, so that it never wakes the loop on its own.
    pub(super) fn status_due(&self) -> Option<Instant> {
        let beat = std::time::Duration::from_secs(status::HEARTBEAT_S as u64);
        self.health
            .status_written
            .as_ref()
            .map(|(_, at)| *at + beat)
    }
}

/// `systemctl status` shows one line, in the station's language: what is
/// on air, or what is next, and the first warning.
fn systemd_line(s: &Status, lang: crate::i18n::Lang) -> String {
    let w = crate::i18n::Words::new(lang);
    let main = match (s.on_air.first(), s.next.first()) {
        (Some(p), _) => w.sd_on_air(&p.broadcast, p.until.get(11..19).unwrap_or(&p.until)),
        (None, Some(n)) => w.sd_next(
            n.time.replace('T', " ").get(..16).unwrap_or(&n.time),
            &n.broadcast,
        ),
        (None, None) => w.sd_nothing().to_string(),
    };
    match s.warnings.first() {
        // One line: a newline would end the sd_notify STATUS field.
        Some(warning) => w.sd_warning(&main, &warning.message(lang).replace(['\n', '\r'], " ")),
        None => main,
    }
}
