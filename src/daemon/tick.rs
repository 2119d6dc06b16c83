//! The daemon's clock: when to wake, what to plan, and what the wall clock
//! did since the last look (SPEC §5 "Time").

use chrono::{DateTime, TimeDelta, Utc};
use tokio::time::Instant;
use tracing::{info, warn};

use super::{Daemon, HORIZON, MAX_SLEEP};
use crate::kinds::Reason;
use crate::onair::Input;
use crate::plan::{self, Occurrence};

/// What the wall clock looks like against the play log.
enum ClockCheck {
    Fine,
    /// Earlier than the newest log line: hold everything.
    Wrong,
    /// Was wrong, and has just come right.
    RightAgain,
}

/// The daemon's own view of time: how far ahead it has planned, what the
/// clocks said at the last look, and whether the wall clock is wrong.
/// Changed only here.
pub(super) struct Time {
    /// How far ahead the engines' agendas are planned.
    agenda_to: DateTime<Utc>,
    /// Wall and monotonic time at the last look, to see clock jumps.
    last_look: (DateTime<Utc>, Instant),
    /// When this process started, on the monotonic clock.
    started_mono: Instant,
    /// While the wall clock is earlier than the newest log line: that
    /// line's time.
    clock_wrong: Option<DateTime<Utc>>,
}

impl Time {
    /// Just started at `now`: nothing planned yet.
    pub(super) fn new(now: DateTime<Utc>) -> Time {
        Time {
            agenda_to: now,
            last_look: (now, Instant::now()),
            started_mono: Instant::now(),
            clock_wrong: None,
        }
    }

    /// Since when (the newest log line's time) the wall clock is wrong.
    pub(super) fn wrong_since(&self) -> Option<DateTime<Utc>> {
        self.clock_wrong
    }
}

/// What a deadline in the daemon's timetable is for.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Due {
    /// An output's engine: a broadcast's lead, a late limit, an
    /// emergency's cut, a relay to connect, speech held.
    Outputs,
    /// The play log could not be written: try again.
    LogRetry,
    /// A file changed under the watched folders and has settled.
    Look,
    /// The periodic rescan, for changes the watcher missed.
    Rescan,
    /// `status.json` is due.
    Status,
    /// systemd's watchdog wants to hear from us.
    Watchdog,
    /// Background loudness measuring has more to do.
    Measure,
}

/// How soon a play log that could not be written is tried again.
const LOG_RETRY: std::time::Duration = std::time::Duration::from_secs(5);

/// A wall-clock step larger than this, between two looks, is a jump.
const JUMP: TimeDelta = TimeDelta::seconds(5);

/// How long closed occurrences are remembered: longer than anything can
/// still be planned for (`late_limit` back from now).
const REMEMBER: TimeDelta = TimeDelta::days(3);

impl Daemon {
    /// The occurrences due in `[from, to)`, each on the outputs it plays on,
    /// split by output.
    pub(super) fn plan_by_output(
        &self,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> Vec<Vec<Occurrence>> {
        let occs = plan::occurrences(&self.schedules(), self.config.timezone, from, to);
        let names: Vec<&str> = self
            .outputs
            .zones()
            .iter()
            .map(|z| z.name.as_str())
            .collect();
        plan::by_output(occs, &names)
    }

    /// Plans again from `late_limit` ago, after the schedules changed.
    pub(super) fn replan(&mut self) {
        if self.time.clock_wrong.is_some() {
            // Nothing is planned by a wrong clock; planning starts again
            // when it is right.
            return;
        }
        let now = self.clock.now();
        let to = now + HORIZON;
        let planned = self.plan_by_output(now - self.late_limit(), to);
        for (z, occs) in planned.into_iter().enumerate() {
            self.drive(z, Input::Planned(occs));
        }
        self.time.agenda_to = to;
    }

    /// Extends the agendas when their end comes near, and forgets old ids.
    fn refill(&mut self, now: DateTime<Utc>) {
        if now + HORIZON / 2 < self.time.agenda_to {
            return;
        }
        let to = now + HORIZON;
        let more = self.plan_by_output(self.time.agenda_to, to);
        for (z, occs) in more.into_iter().enumerate() {
            self.drive(z, Input::More(occs));
        }
        self.outputs.forget_before(now - REMEMBER);
        self.time.agenda_to = to;
    }

    /// The daemon's one timetable: every deadline it keeps, by what it is
    /// for. What is on air, what waits, a relay's connection and speech
    /// that is held for all come from the outputs' engines.
    fn timetable(&self) -> [(Due, Option<Instant>); 7] {
        let outputs = self
            .outputs
            .zones()
            .iter()
            .filter_map(|z| z.engine.next_deadline())
            .min()
            .map(|t| self.clock.instant_at(t));
        let log_retry = (self.log.pending() > 0).then(|| Instant::now() + LOG_RETRY);
        [
            (Due::Outputs, outputs),
            (Due::LogRetry, log_retry),
            (Due::Look, self.library.look_at()),
            (Due::Rescan, Some(self.library.rescan_at())),
            (Due::Status, self.status_due()),
            (Due::Watchdog, self.health.watchdog_due()),
            (Due::Measure, self.media.measuring.wake()),
        ]
    }

    /// The next moment the loop has something to do: the timetable's
    /// soonest, and at most [`MAX_SLEEP`] away.
    pub(super) fn next_wake(&self) -> Instant {
        let soonest = self.timetable().into_iter().filter_map(|(_, t)| t).min();
        let anyway = Instant::now() + MAX_SLEEP;
        soonest.map_or(anyway, |t| t.min(anyway))
    }

    /// Looks at the clock and does what is due.
    pub(super) fn tick(&mut self) {
        let mono = Instant::now();
        // The loop came round: it is alive.
        self.health.alive(mono);
        if self.media.measuring.wake().is_some_and(|t| t <= mono) {
            self.measure_new_audio();
        }
        if let Some(rescan) = self.library.due(mono) {
            if rescan && self.media.measuring.rescan_due(mono) {
                self.measure_new_audio();
            }
            self.look(false);
            self.look_config(false);
        }
        let now = self.clock.now();
        let (last_wall, last_mono) = self.time.last_look;
        let mono_d = TimeDelta::from_std(mono - last_mono).unwrap_or_default();
        let jump = (now - last_wall) - mono_d;
        self.time.last_look = (now, mono);
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
        self.drive_all(&Input::Tick);
        if self.log.pending() > 0 && self.log.flush().is_ok() {
            info!(
                "{}",
                crate::i18n::journal::say(crate::i18n::journal::Note::LogWritableAgain)
            );
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
            if self.time.clock_wrong.is_none() {
                warn!(clock = %now, newest_log_line = %floor, "{}", crate::i18n::journal::say(crate::i18n::journal::Note::ClockWrong));
                self.time.clock_wrong = Some(floor);
                self.drive_all(&Input::ClockWrong);
            }
            return ClockCheck::Wrong;
        }
        if let Some(floor) = self.time.clock_wrong.take() {
            let up_since = now
                - TimeDelta::from_std(mono.duration_since(self.time.started_mono))
                    .unwrap_or_default();
            info!(clock = %now, "{}", crate::i18n::journal::say(crate::i18n::journal::Note::ClockRight));
            // Started with the clock wrong: before the start the daemon was
            // down. Gone wrong while running: all of it is the clock's.
            let (down, split) = if up_since > floor {
                let (n, _) = self.close_span(
                    floor - self.late_limit(),
                    up_since.min(now),
                    Reason::DaemonDown,
                );
                (n, up_since.min(now))
            } else {
                (0, floor)
            };
            let (jumped, _) = self.close_span(split, now, Reason::ClockJump);
            info!(
                down,
                jumped,
                "{}",
                crate::i18n::journal::say(crate::i18n::journal::Note::FellDueWhileWrong)
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
                "{}",
                crate::i18n::journal::say(crate::i18n::journal::Note::JumpedForward)
            );
            let (missed, _) = self.close_span(last_wall, now, Reason::ClockJump);
            // Waiting ones were due before the jump: their time is gone too.
            self.drive_all(&Input::ClockJumped);
            info!(
                missed,
                "{}",
                crate::i18n::journal::say(crate::i18n::journal::Note::SkippedByJump)
            );
            self.replan();
        } else if jump < -JUMP {
            warn!(
                seconds = -jump.num_seconds(),
                "{}",
                crate::i18n::journal::say(crate::i18n::journal::Note::JumpedBackward)
            );
        }
    }
}
