//! The occurrence life cycle on the one output: planned → due → waiting →
//! sounding → closed with exactly one `finish` (per attempt).

use std::sync::Arc;

use chrono::{DateTime, TimeDelta, Utc};
use tokio::time::Instant;
use tracing::{info, warn};

use super::records::{self, round3};
use super::{Current, Daemon, HORIZON, LEAD, MAX_SLEEP, Waiting};
use crate::plan::{self, Occurrence};
use crate::player::{CHIME_GAP, Ending, Event, Gate, Program, Segment};
use crate::playlog::{Finish, Start, outcome, reason};
use crate::schedule::Priority;
use crate::station;

/// What the wall clock looks like against the play log.
enum ClockCheck {
    Fine,
    /// Earlier than the newest log line: hold everything.
    Wrong,
    /// Was wrong, and has just come right.
    RightAgain,
}

/// A wall-clock step larger than this, between two looks, is a jump.
const JUMP: TimeDelta = TimeDelta::seconds(5);

fn lead() -> TimeDelta {
    TimeDelta::from_std(LEAD).unwrap_or_default()
}

impl Daemon {
    pub(super) fn late_limit(&self) -> TimeDelta {
        TimeDelta::from_std(self.config.late_limit).unwrap_or_default()
    }

    /// Why an occurrence will not sound at all, if it will not.
    pub(super) fn skip_reason(&self, o: &Occurrence) -> Option<&'static str> {
        if self.config.require_approval && !o.schedule.is_approved() {
            return Some(reason::NOT_APPROVED);
        }
        if o.priority() != Priority::Emergency && self.config.in_quiet_hours(o.time.time()) {
            return Some(reason::QUIET_HOURS);
        }
        None
    }

    /// When the loop must look at an agenda item.
    fn wake_for(&self, o: &Occurrence) -> DateTime<Utc> {
        match self.skip_reason(o) {
            Some(_) => o.utc(),
            None => o.utc() - lead(),
        }
    }

    pub(super) fn in_hand(&self, id: &str) -> bool {
        self.current.as_ref().is_some_and(|c| c.occ.id == id)
            || self.waiting.iter().any(|w| w.occ.id == id)
    }

    /// Plans again from `late_limit` ago, after the schedules changed.
    pub(super) fn replan(&mut self) {
        let now = self.clock.now();
        let to = now + HORIZON;
        let occs = plan::occurrences(
            &self.schedules(),
            self.config.timezone,
            now - self.late_limit(),
            to,
        );
        let planned: std::collections::HashSet<&str> = occs.iter().map(|o| o.id.as_str()).collect();
        // Waiting occurrences whose broadcast is gone do not sound.
        let (keep, gone): (Vec<Waiting>, Vec<Waiting>) = std::mem::take(&mut self.waiting)
            .into_iter()
            .partition(|w| planned.contains(w.occ.id.as_str()));
        self.waiting = keep;
        for w in gone {
            self.close(&w.occ, outcome::SKIPPED, reason::REMOVED, None);
        }
        self.agenda = occs
            .into_iter()
            .filter(|o| !self.done.contains_key(&o.id) && !self.in_hand(&o.id))
            .collect();
        self.agenda_to = to;
    }

    /// Extends the agenda when its end comes near, and forgets old ids.
    fn refill(&mut self, now: DateTime<Utc>) {
        if now + HORIZON / 2 < self.agenda_to {
            return;
        }
        let to = now + HORIZON;
        let more = plan::occurrences(&self.schedules(), self.config.timezone, self.agenda_to, to);
        self.agenda
            .extend(more.into_iter().filter(|o| !self.done.contains_key(&o.id)));
        self.agenda_to = to;
        let horizon = now - TimeDelta::days(3);
        self.done.retain(|_, t| *t > horizon);
    }

    /// The next moment the loop has something to do.
    pub(super) fn next_wake(&self) -> Instant {
        let mut wake = Instant::now() + MAX_SLEEP;
        let mut at = |t: DateTime<Utc>| wake = wake.min(self.clock.instant_at(t));
        for o in &self.agenda {
            let w = self.wake_for(o);
            // The agenda is in time order: nothing later can wake sooner.
            if o.utc() - lead()
                > self.clock.now() + TimeDelta::from_std(MAX_SLEEP).unwrap_or_default()
            {
                break;
            }
            at(w);
        }
        if self.current.is_some() {
            for w in &self.waiting {
                at(w.occ.utc() + self.late_limit());
                if w.occ.priority() == Priority::Emergency {
                    at(w.occ.utc());
                }
            }
        }
        if self.log.pending() > 0 {
            wake = wake.min(Instant::now() + std::time::Duration::from_secs(5));
        }
        if let Some(t) = self.look_at {
            wake = wake.min(t);
        }
        if let Some(t) = self.status_due() {
            wake = wake.min(t);
        }
        if let Some(w) = &self.watchdog {
            wake = wake.min(w.due());
        }
        wake.min(self.rescan_at)
    }

    /// Looks at the clock and does what is due.
    pub(super) fn tick(&mut self) {
        let mono = Instant::now();
        // The loop came round: it is alive.
        if let Some(w) = self.watchdog.as_mut() {
            w.feed(mono);
        }
        if self.look_at.is_some_and(|t| t <= mono) || self.rescan_at <= mono {
            if self.rescan_at <= mono {
                self.rescan_at = mono + super::watch::RESCAN;
                if self.measuring.rescan_due(mono) {
                    self.measure_new_audio();
                }
            }
            self.look(false);
        }
        let now = self.clock.now();
        let (last_wall, last_mono) = self.last_look;
        let mono_d = TimeDelta::from_std(mono - last_mono).unwrap_or_default();
        let jump = (now - last_wall) - mono_d;
        self.last_look = (now, mono);
        match self.clock_check(now, mono) {
            ClockCheck::Wrong => {
                if self.log.pending() > 0 {
                    let _ = self.log.flush();
                }
                self.write_status();
                return;
            }
            // The step that set it right is not a jump to act on again.
            ClockCheck::RightAgain => {}
            ClockCheck::Fine => self.on_jump(jump, last_wall, now),
        }
        self.refill(now);

        let mut i = 0;
        while i < self.agenda.len() {
            if self.agenda[i].utc() - lead() > now {
                break;
            }
            if self.wake_for(&self.agenda[i]) > now {
                i += 1;
                continue;
            }
            let o = self.agenda.remove(i);
            match self.skip_reason(&o) {
                Some(why) => self.close(&o, outcome::SKIPPED, why, None),
                None => self.waiting.push(Waiting { occ: o, attempt: 1 }),
            }
        }
        self.dispatch(now);
        if self.log.pending() > 0 && self.log.flush().is_ok() {
            info!("the play log is writable again; every kept line is on disk");
        }
        self.write_status();
    }

    /// A wall clock earlier than the newest play-log line is wrong (a box
    /// with no RTC battery boots in 1970 until NTP answers): nothing is
    /// planned or played until it is right. When it comes right, what fell
    /// due meanwhile is closed: `daemon_down` before this process started,
    /// `clock_jump` after.
    fn clock_check(&mut self, now: DateTime<Utc>, mono: Instant) -> ClockCheck {
        let Some(floor) = self.log.last_at() else {
            return ClockCheck::Fine;
        };
        if now + JUMP < floor {
            if self.clock_wrong.is_none() {
                warn!(clock = %now, newest_log_line = %floor, "THE CLOCK IS WRONG: it is earlier than the newest play-log line; nothing is scheduled until it is right");
                self.clock_wrong = Some(floor);
                self.agenda.clear();
                for w in std::mem::take(&mut self.waiting) {
                    self.close(&w.occ, outcome::MISSED, reason::CLOCK_JUMP, None);
                }
            }
            return ClockCheck::Wrong;
        }
        if let Some(floor) = self.clock_wrong.take() {
            let up_since = now
                - TimeDelta::from_std(mono.duration_since(self.started_mono)).unwrap_or_default();
            info!(clock = %now, "the clock is right again");
            // Started with the clock wrong: before the start the daemon was
            // down. Gone wrong while running: all of it is the clock's.
            let (down, split) = if up_since > floor {
                let (n, _) = self.close_span(
                    floor - self.late_limit(),
                    up_since.min(now),
                    reason::DAEMON_DOWN,
                );
                (n, up_since.min(now))
            } else {
                (0, floor)
            };
            let (jumped, _) = self.close_span(split, now, reason::CLOCK_JUMP);
            info!(
                down,
                jumped, "occurrences that fell due while the clock was wrong"
            );
            self.replan();
            return ClockCheck::RightAgain;
        }
        ClockCheck::Fine
    }

    /// A step of the wall clock between two looks, beyond what the
    /// monotonic clock saw.
    fn on_jump(&mut self, jump: TimeDelta, last_wall: DateTime<Utc>, now: DateTime<Utc>) {
        if jump > JUMP {
            warn!(
                seconds = jump.num_seconds(),
                "the wall clock jumped forward; what it skipped is recorded as missed, not played"
            );
            let (missed, _) = self.close_span(last_wall, now, reason::CLOCK_JUMP);
            // Waiting ones were due before the jump: their time is gone too.
            for w in std::mem::take(&mut self.waiting) {
                self.close(&w.occ, outcome::MISSED, reason::CLOCK_JUMP, None);
            }
            info!(missed, "occurrences skipped by the clock jump");
            self.replan();
        } else if jump < -JUMP {
            warn!(
                seconds = -jump.num_seconds(),
                "the wall clock jumped backward; nothing already closed plays again"
            );
        }
    }

    /// Gives the output to the most urgent waiting occurrence.
    fn dispatch(&mut self, now: DateTime<Utc>) {
        // Past its late limit an occurrence is missed now, not when the
        // output frees up: the record then exists even if the daemon dies.
        let limit = self.late_limit();
        let (late, keep): (Vec<Waiting>, Vec<Waiting>) = std::mem::take(&mut self.waiting)
            .into_iter()
            .partition(|w| w.occ.utc() + limit < now);
        self.waiting = keep;
        for w in late {
            self.close(&w.occ, outcome::MISSED, reason::BUSY, None);
        }
        if let Some(cur) = self.current.as_mut() {
            let cut = cur.occ.priority() != Priority::Emergency
                && cur.stop_reason.is_none()
                && self
                    .waiting
                    .iter()
                    .any(|w| w.occ.priority() == Priority::Emergency && w.occ.utc() <= now);
            if cut {
                info!(broadcast = %cur.occ.id, "an emergency cuts in");
                cur.stop_reason = Some(reason::EMERGENCY);
                cur.stop.stop();
            }
            return;
        }
        loop {
            let best = self
                .waiting
                .iter()
                .enumerate()
                .max_by(|(_, a), (_, b)| {
                    a.occ
                        .priority()
                        .cmp(&b.occ.priority())
                        .then(b.occ.time.cmp(&a.occ.time))
                })
                .map(|(i, _)| i);
            let Some(i) = best else { return };
            // Those past their late limit were closed above.
            let w = self.waiting.remove(i);
            if self.begin(w, now) {
                return;
            }
        }
    }

    /// Opens the output for an occurrence. False when it failed at once.
    fn begin(&mut self, w: Waiting, now: DateTime<Utc>) -> bool {
        let (chime, clips) = match station::clips(&self.config, &mut self.cache, &w.occ) {
            Ok(c) => c,
            Err((rel, e)) => {
                warn!(broadcast = %w.occ.id, file = %rel, error = %e, "cannot play");
                self.close(
                    &w.occ,
                    outcome::FAILED,
                    e.reason(),
                    Some(format!("{rel}: {e}")),
                );
                return false;
            }
        };
        self.cache.save();
        let b = w.occ.broadcast();
        let gain = self.config.output.volume * b.volume;
        let target = self.config.output.loudness;
        let gain_of = |c: &station::Clip| {
            gain * crate::audio::db_to_linear(records::loudness_gain(c, target).unwrap_or(0.0))
        };
        let mut segments = Vec::new();
        if let Some(c) = &chime {
            segments.push(Segment::File {
                path: c.path.clone(),
                gain: gain_of(c),
                length: c.info.length,
            });
            segments.push(Segment::Silence(CHIME_GAP));
        }
        for r in 0..b.repeat {
            if r > 0 {
                segments.push(Segment::Silence(b.gap));
            }
            for c in &clips {
                segments.push(Segment::File {
                    path: c.path.clone(),
                    gain: gain_of(c),
                    length: c.info.length,
                });
            }
        }
        let gate = Gate::new(self.clock.instant_at(w.occ.utc().max(now)));
        let info = records::info(&w.occ);
        let start = Start {
            occ: info.clone(),
            audio: clips
                .iter()
                .map(|c| records::audio_entry(c, records::loudness_gain(c, target)))
                .collect(),
            chime: chime
                .as_ref()
                .map(|c| records::audio_entry(c, records::loudness_gain(c, target))),
            repeat: b.repeat,
            device: self.output.device().to_string(),
            attempt: w.attempt,
        };
        let token = self.next_token;
        self.next_token += 1;
        let program = Program {
            segments,
            gate: Arc::clone(&gate),
        };
        let length = program.length();
        let stop = self.output.start(token, program, self.events_tx.clone());
        self.current = Some(Current {
            length,
            token,
            occ: w.occ,
            info,
            attempt: w.attempt,
            stop,
            gate,
            start_logged: false,
            first_sample: None,
            stop_reason: None,
        });
        self.pending_start = Some(start);
        true
    }

    /// Handles what the output reports.
    pub(super) fn on_event(&mut self, ev: Event) {
        let token = match &ev {
            Event::Opened { token }
            | Event::Started { token, .. }
            | Event::Finished { token, .. } => *token,
        };
        if self.current.as_ref().is_none_or(|c| c.token != token) {
            return;
        }
        match ev {
            Event::Opened { .. } => {
                let stopping = self
                    .current
                    .as_ref()
                    .is_some_and(|c| c.stop_reason.is_some());
                if let Some(start) = self.pending_start.take()
                    && !stopping
                {
                    // The start line is on disk (or kept) before any sound.
                    self.write("start", &start);
                    if let Some(cur) = self.current.as_mut() {
                        cur.start_logged = true;
                        cur.gate.arm();
                    }
                }
            }
            Event::Started { at, .. } => {
                let ago = TimeDelta::from_std(Instant::now().saturating_duration_since(at))
                    .unwrap_or_default();
                let first = self.clock.now() - ago;
                if self.output_error.take().is_some() {
                    info!(device = %self.config.output.device, "the audio output works again");
                }
                if let Some(cur) = self.current.as_mut() {
                    cur.first_sample = Some(first);
                    info!(broadcast = %cur.occ.id, start_error_ms = (first - cur.occ.utc()).num_milliseconds(), "on air");
                }
            }
            Event::Finished { played, ending, .. } => {
                if let Some(cur) = self.current.take() {
                    self.finish_current(cur, ending, played);
                }
            }
        }
    }

    /// Writes the `finish` of what was on the output.
    pub(super) fn finish_current(
        &mut self,
        cur: Current,
        ending: Ending,
        played: std::time::Duration,
    ) {
        self.pending_start = None;
        let now = self.clock.now();
        let (out, why, detail) = match &ending {
            Ending::Completed => (outcome::PLAYED, None, None),
            Ending::Stopped => (
                outcome::INTERRUPTED,
                Some(cur.stop_reason.unwrap_or(reason::SHUTDOWN)),
                None,
            ),
            Ending::DeviceError(e) => {
                (outcome::FAILED, Some(reason::DEVICE_ERROR), Some(e.clone()))
            }
            Ending::DecodeError(e) => {
                (outcome::FAILED, Some(reason::DECODE_ERROR), Some(e.clone()))
            }
        };
        let retry = why == Some(reason::EMERGENCY) && cur.occ.utc() + self.late_limit() > now;
        if !cur.start_logged {
            // Nothing sounded and no start was written.
            if retry {
                self.waiting.push(Waiting {
                    occ: cur.occ,
                    attempt: cur.attempt,
                });
            } else if out != outcome::INTERRUPTED || cur.occ.utc() <= now {
                self.close(&cur.occ, out, why.unwrap_or(reason::SHUTDOWN), detail);
            }
            return;
        }
        let start_error_ms = cur
            .first_sample
            .map(|t| round3((t - cur.occ.utc()).num_microseconds().unwrap_or(0) as f64 / 1000.0));
        let finish = Finish {
            id: cur.info.id.clone(),
            info: None,
            outcome: out.to_string(),
            reason: why.map(str::to_string),
            played_s: round3(played.as_secs_f64()),
            start_error_ms,
            detail,
        };
        info!(broadcast = %cur.occ.id, outcome = out, reason = why.unwrap_or(""), played_s = finish.played_s, "finished");
        if why == Some(reason::DEVICE_ERROR) {
            self.output_failed(finish.detail.clone().unwrap_or_default());
        }
        self.write("finish", &finish);
        self.note_outcome(&cur.occ, out, why);
        if retry {
            self.waiting.push(Waiting {
                occ: cur.occ,
                attempt: cur.attempt + 1,
            });
        } else {
            self.done.insert(cur.occ.id.clone(), cur.occ.utc());
        }
    }

    /// Notes an output failure. The system log hears of it once when it
    /// starts (and when its message changes), not at every broadcast: a
    /// station without its amplifier for a week would otherwise bury
    /// everything else.
    fn output_failed(&mut self, error: String) {
        if self.output_error.as_deref() != Some(error.as_str()) {
            warn!(device = %self.config.output.device, error = %error, "THE AUDIO OUTPUT IS FAILING: broadcasts are logged failed until it works again");
        }
        self.output_error = Some(error);
    }

    /// Closes an occurrence that never sounded.
    pub(super) fn close(&mut self, o: &Occurrence, out: &str, why: &str, detail: Option<String>) {
        info!(broadcast = %o.id, outcome = out, reason = why, "closed");
        let f = records::finish_without_start(o, out, why, detail.clone());
        self.write("finish", &f);
        self.note_outcome(o, out, Some(why));
        if why == reason::DEVICE_ERROR {
            self.output_failed(detail.unwrap_or_else(|| why.to_string()));
        }
        self.done.insert(o.id.clone(), o.utc());
    }

    /// Closes a `start` left open by a crash.
    pub(super) fn close_open(&mut self, s: &Start, why: &str) {
        let f = Finish {
            id: s.occ.id.clone(),
            info: None,
            outcome: outcome::INTERRUPTED.to_string(),
            reason: Some(why.to_string()),
            played_s: 0.0,
            start_error_ms: None,
            detail: None,
        };
        self.write("finish", &f);
        self.done.insert(
            s.occ.id.clone(),
            records::time_of_id(&s.occ.id).unwrap_or_else(|| self.clock.now()),
        );
    }
}
