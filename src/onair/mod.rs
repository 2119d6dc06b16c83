//! The on-air rules of one output (SPEC §2.3) as a machine that does no I/O
//! and reads no clock.
//!
//! Time comes in as an argument of [`Engine::step`], with one [`Input`]: new
//! plans, a tick, what the output reported, a clock fault. What to do comes
//! out as [`Action`]s: begin an attempt, cut the one on air, close an
//! occurrence with its outcome, start and stop receiving a relay.
//! [`Engine::next_deadline`] is the one timetable of what falls due: an
//! occurrence's lead, a waiting one's late limit, an emergency's cut, a
//! relay's connection [`PREPARE`] early, and an attempt held for its
//! speech ([`RETRY`]).
//!
//! The daemon drives one engine per output with the real output; the preview
//! (`next`, `check`) drives the same engine with a paper output whose plays
//! last exactly the program's length ([`paper`]). So the preview is what
//! happens.

mod engine;
pub mod paper;
mod quiet;

pub use engine::{Engine, OnAir, Waiting};
pub use quiet::{Dropped, Shape};

use chrono::{DateTime, TimeDelta, Utc};

use crate::kinds::{Outcome, Priority, Reason};
use crate::plan::Occurrence;
use crate::units::TimeRange;

/// How early the output is opened before an occurrence's time, so that its
/// first sample can leave the device on the scheduled instant.
pub const LEAD: TimeDelta = TimeDelta::milliseconds(1200);

/// How long before its time a relay starts receiving (or opens the
/// capture): enough for a TCP and TLS handshake, an HTTP answer, a
/// decoder's first frames and one retry after a refused connection, so
/// that the ring holds live sound when its first sample is due.
pub const PREPARE: TimeDelta = TimeDelta::seconds(5);

/// How often an attempt held for its speech is begun again when nothing
/// says the speech is ready meanwhile.
pub const RETRY: TimeDelta = TimeDelta::milliseconds(200);

/// The station's rules that decide who gets an output and when.
#[derive(Clone, Debug)]
pub struct Rules {
    /// How late an occurrence may still start.
    pub late_limit: TimeDelta,
    /// How early the output is opened before an occurrence's time.
    pub lead: TimeDelta,
    /// Only emergencies sound in here.
    pub quiet_hours: Vec<TimeRange>,
    /// Unapproved schedules never sound (emergencies apart).
    pub require_approval: bool,
}

impl Rules {
    /// The rules, with the output opened [`LEAD`] early. The daemon and the
    /// preview take them from the station's config
    /// (`preview::rules`); the engine reads no config of its own.
    pub fn new(
        late_limit: TimeDelta,
        quiet_hours: Vec<TimeRange>,
        require_approval: bool,
    ) -> Rules {
        Rules {
            late_limit,
            lead: LEAD,
            quiet_hours,
            require_approval,
        }
    }

    /// Why an occurrence will not sound at all, if it will not: the one
    /// place the skip rules live.
    pub fn skip(&self, o: &Occurrence) -> Option<Reason> {
        // An emergency needs no approval (SPEC §9): a storm warning is not
        // held for a signature.
        if self.require_approval && o.priority() != Priority::Emergency && !o.schedule.is_approved()
        {
            return Some(Reason::NotApproved);
        }
        let t = o.time.time();
        if o.priority() != Priority::Emergency && self.quiet_hours.iter().any(|r| r.contains(t)) {
            return Some(Reason::QuietHours);
        }
        None
    }

    /// When the engine must look at a planned occurrence: its time when it
    /// will be skipped, `lead` before it otherwise.
    fn wake_for(&self, o: &Occurrence) -> DateTime<Utc> {
        match self.skip(o) {
            Some(_) => o.utc(),
            None => o.utc() - self.lead,
        }
    }
}

/// Something that happened, for the engine to act on.
#[derive(Clone, Debug)]
pub enum Input {
    /// The occurrences planned from now on, in time order. They replace the
    /// agenda; those already closed or in hand are left out, and one that
    /// waits but is no longer planned (its file was removed) is closed
    /// `skipped`/`removed`.
    Planned(Vec<Occurrence>),
    /// More occurrences after the end of the agenda, in time order.
    More(Vec<Occurrence>),
    /// Nothing new: do what is due.
    Tick,
    /// What the output reported about an attempt.
    Output(OutputEvent),
    /// Something an attempt may wait for is ready (a speech render
    /// finished): an attempt held for it begins again now.
    Ready,
    /// These fell due while nothing could sound: each one not yet closed is
    /// closed `missed` with `why` (or `skipped`, when a rule would have kept
    /// it silent anyway).
    Lost { occs: Vec<Occurrence>, why: Reason },
    /// The wall clock stepped forward: what waits was due before the step,
    /// and is missed.
    ClockJumped,
    /// The wall clock is earlier than the record: nothing is planned, and
    /// what waits is missed.
    ClockWrong,
    /// The daemon stops: cut what is on air, begin nothing more.
    Shutdown,
}

/// What an output reports about one attempt.
#[derive(Clone, Debug, PartialEq)]
pub enum OutputEvent {
    /// The attempt cannot begin yet (its speech is still being rendered):
    /// it keeps the output, and is begun again [`RETRY`] later or when
    /// [`Input::Ready`] comes, unless cut meanwhile.
    NotReady { token: u64 },
    /// The output is open and the attempt's `start` is on record.
    Opened { token: u64 },
    /// The attempt's first sample left the device at `at`.
    Started { token: u64, at: DateTime<Utc> },
    /// The attempt is over.
    Ended { token: u64, ending: Ending },
}

/// How an attempt ended, as the output saw it.
#[derive(Clone, Debug, PartialEq)]
pub enum Ending {
    /// The whole program sounded.
    Completed,
    /// Stopped because the engine cut it.
    Stopped,
    /// It could not sound (or stopped sounding): device, file, decoder.
    Failed {
        reason: Reason,
        detail: Option<String>,
    },
}

/// What the engine asks of the output and the record.
#[derive(Clone, Debug)]
pub enum Action {
    /// Open the output for an attempt; its first sample is due at `at`.
    /// `again`: it was held for its speech, and is begun again.
    Begin {
        token: u64,
        occ: Occurrence,
        attempt: u32,
        at: DateTime<Utc>,
        again: bool,
    },
    /// Stop the attempt on air; `by` is the emergency that cuts it.
    Cut {
        token: u64,
        reason: Reason,
        by: Option<Occurrence>,
    },
    /// An occurrence (or one attempt at it) is over.
    Close(Close),
    /// Start receiving this relay: it is due within [`PREPARE`].
    Prepare(Occurrence),
    /// Stop receiving the relay of this occurrence id: it is closed for
    /// good, or no longer planned.
    Release(String),
}

/// The outcome of an occurrence, or of one attempt when another follows.
#[derive(Clone, Debug)]
pub struct Close {
    pub occ: Occurrence,
    /// The attempt this closes, when one was begun.
    pub token: Option<u64>,
    pub attempt: u32,
    pub outcome: Outcome,
    pub reason: Option<Reason>,
    /// Free text for people (an error message), when there is one.
    pub detail: Option<String>,
    /// Another attempt follows (an emergency cut this one in time).
    pub retry: bool,
}

#[cfg(test)]
mod tests;
