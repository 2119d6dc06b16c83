//! Start-up repair (SPEC §3 `recovered`): what a crash or an outage left
//! behind is closed on the record, and nothing is dropped silently.

use chrono::{DateTime, TimeDelta, Utc};
use tracing::warn;

use super::Daemon;
use crate::kinds::Reason;
use crate::onair::Input;
use crate::playlog::{LogState, Recovered};

/// How far back an outage is examined for occurrences it missed. A box
/// that was off for longer gets one week of `missed` records and a note in
/// `recovered` of the span it did not examine: a year of records for a
/// year in a cupboard would say nothing more and delay start-up.
pub const MAX_DOWN: TimeDelta = TimeDelta::days(7);

impl Daemon {
    /// Closes what the log shows as left open, and every occurrence that
    /// fell due while the daemon was down, then writes `recovered`.
    pub(super) fn recover(&mut self, state: &LogState, mut repaired: Recovered) {
        for (id, start) in &state.open {
            // A start with no finish: the daemon died while it sounded.
            self.close_open(start, Reason::Crash);
            repaired.closed.push(id.clone());
        }
        if let Some(last) = state.last_at {
            self.close_down_time(last.with_timezone(&Utc), &mut repaired);
        }
        if !repaired.torn.is_empty() || !repaired.closed.is_empty() || repaired.missed > 0 {
            self.write(crate::kinds::Event::Recovered, &repaired);
        }
    }

    /// Occurrences between the newest record and `late_limit` ago that have
    /// no outcome: the daemon was not running to play them. Those within
    /// `late_limit` are left to the planner, which can still play them.
    fn close_down_time(&mut self, last: DateTime<Utc>, repaired: &mut Recovered) {
        let now = self.clock.now();
        if now <= last {
            // The clock is behind the log; nothing can be judged missed
            // until it is right (see `tick`).
            return;
        }
        // Anything due before the newest record was closed by then, or was
        // waiting for the output: at most `late_limit` before it.
        let from = last - self.late_limit();
        let to = now - self.late_limit();
        let (missed, cut) = self.close_span(from, to, Reason::DaemonDown);
        if let Some(cut) = cut {
            repaired.not_examined_before =
                Some(crate::playlog::format_at(cut, self.config.timezone));
            warn!(
                since = %last,
                "{}", crate::i18n::journal::say(crate::i18n::journal::Note::DownTooLong)
            );
        }
        if missed > 0 {
            warn!(
                missed,
                "{}",
                crate::i18n::journal::say(crate::i18n::journal::Note::FellDueWhileDown)
            );
        }
        repaired.missed = missed;
    }

    /// Closes every occurrence due in `[from, to)` that has no outcome yet:
    /// `missed` with `why`, or `skipped` when a rule would have kept it
    /// silent anyway. Looks back at most [`MAX_DOWN`] from now; returns how
    /// many were missed, and where the span was cut short, if it was.
    pub(super) fn close_span(
        &mut self,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
        why: Reason,
    ) -> (u64, Option<DateTime<Utc>>) {
        let now = self.clock.now();
        let cut = (from < now - MAX_DOWN).then(|| now - MAX_DOWN);
        let from = cut.unwrap_or(from);
        // A week of records is written in one go, and flushed once.
        self.outputs.begin_batch();
        for (z, occs) in self.plan_by_output(from, to).into_iter().enumerate() {
            self.drive(
                z,
                Input::Lost {
                    occs,
                    why: why.clone(),
                },
            );
        }
        let missed = self.outputs.end_batch();
        if let Err(e) = self.log.flush() {
            warn!(error = %e, pending = self.log.pending(), "{}", crate::i18n::journal::say(crate::i18n::journal::Note::LogNotWritable));
        }
        (missed, cut)
    }
}
