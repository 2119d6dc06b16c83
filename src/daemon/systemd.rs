//! systemd integration (SPEC §5): READY once started, STATUS with what is
//! on air or next, and the watchdog fed from the main loop, so a hung loop
//! is restarted. Outside systemd (no `NOTIFY_SOCKET`) every call is a no-op.

use std::time::Duration;

use sd_notify::NotifyState;
use tokio::time::Instant;
use tracing::debug;

/// The watchdog as systemd set it up for this process, if at all.
pub struct Watchdog {
    every: Duration,
    next: Instant,
}

impl Watchdog {
    /// Feeds at half the interval systemd asked for.
    pub fn from_env() -> Option<Watchdog> {
        let every = sd_notify::watchdog_enabled()? / 2;
        Some(Watchdog {
            every,
            next: Instant::now(),
        })
    }

    /// When the next feed is due.
    pub fn due(&self) -> Instant {
        self.next
    }

    /// Feeds it if due.
    pub fn feed(&mut self, now: Instant) {
        if now >= self.next {
            notify(&[NotifyState::Watchdog]);
            self.next = now + self.every;
        }
    }
}

/// Tells systemd the daemon is ready, with its first status line.
pub fn ready(status: &str) {
    notify(&[NotifyState::Ready, NotifyState::Status(status)]);
}

/// The one-line status `systemctl status loa` shows.
pub fn status(line: &str) {
    notify(&[NotifyState::Status(line)]);
}

/// Tells systemd the daemon is stopping.
pub fn stopping() {
    notify(&[NotifyState::Stopping]);
}

fn notify(state: &[NotifyState]) {
    if let Err(e) = sd_notify::notify(state) {
        debug!(error = %e, "sd_notify failed");
    }
}
