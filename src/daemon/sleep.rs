//! The main loop's sleep until its next deadline. On the real clock it is
//! a `timerfd` (CLOCK_MONOTONIC) in the runtime's epoll: one wake-up at
//! the deadline. tokio's timer wheel instead wakes the thread at each
//! level it moves a far timer down (a 20 s sleep woke it three times), and
//! re-registering the loop's timer woke it once more; with the periodic
//! rescan that was most of the idle wake-ups SPEC §7 counts. In-process
//! runs (the tests' paused clock) keep tokio's sleep, which follows that
//! clock.

use std::io;
use std::os::fd::{AsRawFd, FromRawFd, OwnedFd};

use tokio::io::unix::AsyncFd;
use tokio::time::Instant;
use tracing::warn;

pub(super) enum Sleeper {
    Tokio,
    TimerFd(AsyncFd<OwnedFd>),
}

impl Sleeper {
    /// A timerfd sleeper, or tokio's sleep (said once) if none can be made.
    pub(super) fn real() -> Sleeper {
        match timerfd() {
            Ok(fd) => Sleeper::TimerFd(fd),
            Err(e) => {
                warn!(error = %e, "{}", crate::i18n::journal::say(crate::i18n::journal::Note::NoTimerfd));
                Sleeper::Tokio
            }
        }
    }

    /// Returns at `t` (on tokio's timer after a timerfd error).
    pub(super) async fn until(&self, t: Instant) {
        if let Sleeper::TimerFd(fd) = self {
            match timerfd_until(fd, t).await {
                Ok(()) => return,
                Err(e) => {
                    warn!(error = %e, "{}", crate::i18n::journal::say(crate::i18n::journal::Note::TimerfdFailed))
                }
            }
        }
        tokio::time::sleep_until(t).await;
    }
}

fn timerfd() -> io::Result<AsyncFd<OwnedFd>> {
    // SAFETY: plain syscall; the descriptor is owned from here on.
    let fd = unsafe {
        libc::timerfd_create(
            libc::CLOCK_MONOTONIC,
            libc::TFD_NONBLOCK | libc::TFD_CLOEXEC,
        )
    };
    if fd < 0 {
        return Err(io::Error::last_os_error());
    }
    // SAFETY: `fd` was just created and nothing else owns it.
    let owned = unsafe { OwnedFd::from_raw_fd(fd) };
    // SAFETY: the OwnedFd is moved into the AsyncFd and closed only when it
    // is dropped, which deregisters it first; nothing else holds the fd.
    unsafe { AsyncFd::register_with_interest(owned, tokio::io::Interest::READABLE) }
        .map_err(|e| e.into())
}

/// Arms the timer for `t` and waits for it. An expiry left from an earlier,
/// cancelled sleep (the loop woke for something else) is read and ignored.
async fn timerfd_until(fd: &AsyncFd<OwnedFd>, t: Instant) -> io::Result<()> {
    let left = t.saturating_duration_since(Instant::now());
    if left.is_zero() {
        return Ok(());
    }
    let spec = libc::itimerspec {
        it_interval: libc::timespec {
            tv_sec: 0,
            tv_nsec: 0,
        },
        it_value: libc::timespec {
            tv_sec: left.as_secs() as libc::time_t,
            tv_nsec: libc::c_long::from(left.subsec_nanos().max(1) as i32),
        },
    };
    // SAFETY: a valid timerfd and a valid itimerspec; no old value asked.
    if unsafe { libc::timerfd_settime(fd.as_raw_fd(), 0, &spec, std::ptr::null_mut()) } < 0 {
        return Err(io::Error::last_os_error());
    }
    loop {
        let mut guard = fd.readable().await?;
        let read = guard.try_io(|inner| {
            let mut count = [0u8; 8];
            // SAFETY: reads 8 bytes into a buffer of 8.
            let n = unsafe { libc::read(inner.as_raw_fd(), count.as_mut_ptr().cast(), 8) };
            if n < 0 {
                Err(io::Error::last_os_error())
            } else {
                Ok(())
            }
        });
        match read {
            Ok(Ok(())) if Instant::now() >= t => return Ok(()),
            // A stale expiry: the armed one is still to come.
            Ok(Ok(())) => continue,
            Ok(Err(e)) => return Err(e),
            // Not readable after all: readiness was cleared; wait again.
            Err(_) => continue,
        }
    }
}
