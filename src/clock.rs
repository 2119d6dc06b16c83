//! Wall-clock time for the daemon, real or fake.
//!
//! The daemon sleeps on tokio's monotonic timers and asks a [`Clock`] for the
//! wall time. [`FakeClock`] derives wall time from tokio's clock, so a test
//! on paused tokio time runs days of schedule in milliseconds, and it can
//! jump the wall clock like a bad NTP step or a dead RTC battery.

use std::path::Path;
use std::sync::Mutex;

use chrono::{DateTime, TimeDelta, Utc};
use tokio::time::Instant;

/// Source of wall-clock time.
pub trait Clock: Send + Sync {
    fn now(&self) -> DateTime<Utc>;

    /// Whether the wall clock is synchronised (NTP, GPS, ...), as the kernel
    /// sees it; `None` when it cannot be asked.
    fn synced(&self) -> Option<bool> {
        kernel_synced()
    }

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

/// Whether the clock is synchronised, by the first way this process is
/// allowed: the kernel's own flag ([`adjtimex_synced`]), or, where the
/// sandbox forbids asking the kernel (the shipped unit's `ProtectClock=yes`
/// denies even a read of `adjtimex`), what systemd-timesyncd says
/// ([`timesyncd_synced`]). `None`: unknown (another time daemon, or none).
#[cfg(target_os = "linux")]
pub fn kernel_synced() -> Option<bool> {
    adjtimex_synced().or_else(|| timesyncd_synced(Path::new(TIMESYNC_DIR)))
}

/// The kernel's view of the clock: `adjtimex(2)` with no change asked,
/// read for its "unsynchronised" flag (`STA_UNSYNC`), which the kernel sets
/// until a time daemon (systemd-timesyncd, chrony, ntpd) has disciplined
/// the clock, and again when that daemon stops reporting. A box with no
/// battery clock that booted without network keeps it set. `None` when
/// the call is refused (a seccomp filter for `@clock`).
#[cfg(target_os = "linux")]
pub fn adjtimex_synced() -> Option<bool> {
    // SAFETY: adjtimex reads into the zeroed struct we own; `modes` is 0,
    // so nothing about the clock is changed (allowed to any user).
    let mut t: libc::timex = unsafe { std::mem::zeroed() };
    let state = unsafe { libc::adjtimex(&mut t) };
    if state < 0 {
        return None;
    }
    Some(state != libc::TIME_ERROR && t.status & libc::STA_UNSYNC == 0)
}

/// systemd-timesyncd's runtime folder: it exists while the daemon runs,
/// and holds `synchronized` once the clock has been set from the network
/// (systemd 239 and later; readable under any sandbox).
pub const TIMESYNC_DIR: &str = "/run/systemd/timesync";

/// What systemd-timesyncd says in `dir`: synchronised when `synchronized`
/// is there, not yet when only the folder is; `None` when timesyncd does
/// not run (nothing to ask).
pub fn timesyncd_synced(dir: &Path) -> Option<bool> {
    if dir.join("synchronized").exists() {
        Some(true)
    } else if dir.is_dir() {
        Some(false)
    } else {
        None
    }
}

#[cfg(not(target_os = "linux"))]
pub fn kernel_synced() -> Option<bool> {
    None
}

/// Wall time that follows tokio's (possibly paused) clock from a chosen start.
#[derive(Debug)]
pub struct FakeClock {
    base_wall: DateTime<Utc>,
    base: Instant,
    offset: Mutex<TimeDelta>,
    synced: Mutex<Option<bool>>,
}

impl FakeClock {
    pub fn new(start: DateTime<Utc>) -> Self {
        FakeClock {
            base_wall: start,
            base: Instant::now(),
            offset: Mutex::new(TimeDelta::zero()),
            synced: Mutex::new(Some(true)),
        }
    }

    /// Steps the wall clock by `by` (negative: backwards).
    pub fn jump(&self, by: TimeDelta) {
        let mut o = self.offset.lock().unwrap_or_else(|p| p.into_inner());
        *o += by;
    }

    /// Sets what [`Clock::synced`] answers (synchronised at first).
    pub fn set_synced(&self, synced: Option<bool>) {
        *self.synced.lock().unwrap_or_else(|p| p.into_inner()) = synced;
    }
}

impl Clock for FakeClock {
    fn now(&self) -> DateTime<Utc> {
        let elapsed = TimeDelta::from_std(self.base.elapsed()).unwrap_or_default();
        let offset = *self.offset.lock().unwrap_or_else(|p| p.into_inner());
        self.base_wall + elapsed + offset
    }

    fn synced(&self) -> Option<bool> {
        *self.synced.lock().unwrap_or_else(|p| p.into_inner())
    }
}

#[cfg(all(test, target_os = "linux"))]
mod tests {
    #[test]
    fn the_kernel_answers_whether_the_clock_is_synchronised() {
        // Either answer is right, depending on the machine; no answer is not.
        assert!(super::kernel_synced().is_some());
    }

    #[test]
    fn timesyncd_says_synchronised_not_yet_or_nothing() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let ts = dir.path().join("timesync");
        assert_eq!(super::timesyncd_synced(&ts), None);
        std::fs::create_dir(&ts).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(super::timesyncd_synced(&ts), Some(false));
        std::fs::write(ts.join("synchronized"), b"").unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(super::timesyncd_synced(&ts), Some(true));
    }
}
