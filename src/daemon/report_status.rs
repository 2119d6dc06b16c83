//! Keeping `state/status.json` current for `loa status`.

use chrono::{DateTime, SecondsFormat, TimeDelta, Utc};
use tokio::time::Instant;
use tracing::warn;

use super::Daemon;
use crate::plan::Occurrence;
use crate::status::{self, Outcome, Playing, RefusedFile, Status, Upcoming, Warning};

/// How many outcomes and upcoming broadcasts the status shows.
const SHOWN: usize = 8;

impl Daemon {
    /// Remembers an outcome for the status file.
    pub(super) fn note_outcome(&mut self, o: &Occurrence, outcome: &str, reason: Option<&str>) {
        self.last_outcomes.push_back(Outcome {
            scheduled: o.time.to_rfc3339_opts(SecondsFormat::Secs, false),
            broadcast: o.broadcast().name.clone(),
            outcome: outcome.to_string(),
            reason: reason.map(str::to_string),
        });
        while self.last_outcomes.len() > SHOWN {
            self.last_outcomes.pop_front();
        }
    }

    fn status(&self) -> Status {
        let now = self.clock.now();
        let tz = self.config.timezone;
        let fmt = |t: DateTime<Utc>| crate::playlog::format_at(t, tz);
        let now_playing = self.current.as_ref().filter(|c| c.start_logged).map(|c| {
            let start = c.first_sample.unwrap_or_else(|| c.occ.utc().max(now));
            let b = c.occ.broadcast();
            Playing {
                id: c.occ.id.clone(),
                broadcast: b.name.clone(),
                topic: b.topic.clone(),
                priority: b.priority.as_str().to_string(),
                scheduled: c.occ.time.to_rfc3339_opts(SecondsFormat::Secs, false),
                until: fmt(start + TimeDelta::from_std(c.length).unwrap_or_default()),
            }
        });
        let next = self
            .waiting
            .iter()
            .map(|w| &w.occ)
            .chain(self.agenda.iter())
            .take(SHOWN)
            .map(|o| {
                let b = o.broadcast();
                Upcoming {
                    time: o.time.to_rfc3339_opts(SecondsFormat::Secs, false),
                    broadcast: b.name.clone(),
                    topic: b.topic.clone(),
                    priority: b.priority.as_str().to_string(),
                    skip: self.skip_reason(o).map(str::to_string),
                }
            })
            .collect();
        let mut warnings = Vec::new();
        let words = crate::i18n::Words::new(self.lang);
        if let Some(floor) = self.clock_wrong {
            warnings.push(Warning {
                code: "clock_wrong".into(),
                message: words.clock_wrong(&fmt(now), &fmt(floor)),
            });
        }
        if let Some(e) = &self.output_error {
            warnings.push(Warning {
                code: "output_failing".into(),
                message: words.output_failing(&self.config.output.device, e),
            });
        }
        if self.log.pending() > 0 {
            warnings.push(Warning {
                code: "playlog_not_writable".into(),
                message: words.playlog_not_writable(
                    self.log.pending(),
                    self.log.trouble.as_deref().unwrap_or(""),
                ),
            });
        }
        Status {
            version: env!("CARGO_PKG_VERSION").to_string(),
            pid: std::process::id(),
            station: self.config.station.clone(),
            started_at: self.started_at.clone(),
            updated_at: String::new(),
            device: self.output.device().to_string(),
            now_playing,
            next,
            last: self.last_outcomes.iter().rev().cloned().collect(),
            refused: self
                .refused()
                .into_iter()
                .map(|(f, e)| RefusedFile {
                    file: f.to_string(),
                    error: e.to_string(),
                })
                .collect(),
            warnings,
        }
    }

    /// Writes the status file when it changed, and at least every
    /// heartbeat so that `loa status` can tell a live daemon from a hung one.
    pub(super) fn write_status(&mut self) {
        let mut s = self.status();
        let mono = Instant::now();
        let beat = std::time::Duration::from_secs(status::HEARTBEAT_S as u64);
        if let Some((old, at)) = &self.status_written
            && *old == s
            && mono.duration_since(*at) < beat
        {
            return;
        }
        let line = systemd_line(&s);
        if line != self.sd_status {
            super::systemd::status(&line);
            self.sd_status = line;
        }
        let unchanged = s.clone();
        s.updated_at = crate::playlog::format_at(self.clock.now(), self.config.timezone);
        if let Err(e) = status::write(&self.config.state_dir, &s) {
            warn!(error = %e, dir = %self.config.state_dir.display(), "cannot write the status file");
        }
        self.status_written = Some((unchanged, mono));
    }

    /// When the status file is next due for its heartbeat.
    pub(super) fn status_due(&self) -> Option<Instant> {
        let beat = std::time::Duration::from_secs(status::HEARTBEAT_S as u64);
        self.status_written.as_ref().map(|(_, at)| *at + beat)
    }
}

/// `systemctl status` shows one line: what is on air, or what is next, and
/// the first warning.
fn systemd_line(s: &Status) -> String {
    let main = match (&s.now_playing, s.next.first()) {
        (Some(p), _) => format!(
            "on air: {} until {}",
            p.broadcast,
            p.until.get(11..19).unwrap_or(&p.until)
        ),
        (None, Some(n)) => format!(
            "next: {} {}",
            n.time.replace('T', " ").get(..16).unwrap_or(&n.time),
            n.broadcast
        ),
        (None, None) => "nothing planned".to_string(),
    };
    match s.warnings.first() {
        Some(w) => format!("{main}; WARNING: {}", w.code),
        None => main,
    }
}
