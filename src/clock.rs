//! Wall-clock time for the daemon, real or fake.
//!
//! The daemon sleeps on tokio's monotonic timers and asks a [`Clock`] for the
//! wall time. [`FakeClock`] derives wall time from tokio's clock, so a test
//! on paused tokio time runs days of schedule in milliseconds, and it can
//! jump the wall clock like a bad NTP step or a dead RTC battery.

use std::sync::Mutex;

use chrono::{DateTime, TimeDelta, Utc};
use tokio::time::Instant;

/// Source of wall-clock time.
pub trait Clock: Send + Sync {
    fn now(&self) -> DateTime<Utc>;

    /// The monotonic instant at which the wall clock will read `t`, assuming
    /// no jump in between.
    fn instant_at(&self, t: DateTime<Utc>) -> Instant {
        let now = Instant::now();
        match (t - self.now()).to_std() {
            Ok(ahead) => now + ahead,
            // In the past: now.
            Err(_) => now,
        }
    }
}

/// The system's real-time clock.
#[derive(Debug, Default)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> DateTime<Utc> {
        Utc::now()
    }
}

/// Wall time that follows tokio's (possibly paused) clock from a chosen start.
#[derive(Debug)]
pub struct FakeClock {
    base_wall: DateTime<Utc>,
    base: Instant,
    offset: Mutex<TimeDelta>,
}

impl FakeClock {
    pub fn new(start: DateTime<Utc>) -> Self {
        FakeClock {
            base_wall: start,
            base: Instant::now(),
            offset: Mutex::new(TimeDelta::zero()),
        }
    }

    /// Steps the wall clock by `by` (negative: backwards).
    pub fn jump(&self, by: TimeDelta) {
        let mut o = self.offset.lock().unwrap_or_else(|p| p.into_inner());
        *o += by;
    }
}

impl Clock for FakeClock {
    fn now(&self) -> DateTime<Utc> {
        let elapsed = TimeDelta::from_std(self.base.elapsed()).unwrap_or_default();
        let offset = *self.offset.lock().unwrap_or_else(|p| p.into_inner());
        self.base_wall + elapsed + offset
    }
}
