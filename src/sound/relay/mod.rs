//! Relay (tiếp âm, SPEC §2.2, §2.4): a live programme taken from a stream
//! (`http(s)://…`: Icecast/Shoutcast MP3, AAC, Ogg Vorbis; HLS `.m3u8`) or
//! from the line input (`alsa:<capture PCM>`), put on air for `for`.
//!
//! A [`Live`] is one source being received: a thread of its own connects
//! (a few seconds before the broadcast), decodes to [`CHANNELS`] ×
//! [`RATE`] and keeps the newest [`KEEP`] of it in a ring; it reconnects
//! with backoff for as long as the [`Live`] is held, and counts what it
//! received and how often the source was lost. The output takes from the
//! ring in its own time, and plays silence where the ring is empty.

mod capture;
mod decode;
mod hls;
mod http;
mod m3u8;
mod receive;
mod ts;

use std::collections::VecDeque;
use std::sync::atomic::{AtomicBool, AtomicU32, AtomicU64, Ordering};
use std::sync::{Arc, Condvar, Mutex};
use std::time::Duration;

/// The format every source is decoded to.
pub const RATE: u32 = 48_000;
pub const CHANNELS: u16 = 2;
/// At most this much received sound waits in the ring; older sound is
/// dropped (a stream's burst on connect, a source a little faster than the
/// device's clock, what came in before the broadcast began).
pub const KEEP: Duration = Duration::from_secs(3);

pub use crate::address::{Source, SourceError};

/// What a [`Live`] has done so far.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Stats {
    /// Sound taken from the ring by the output (real received audio that
    /// went on air, not the silence played in gaps).
    pub aired: Duration,
    /// Times the source was lost after it had been sending.
    pub dropouts: u32,
    /// Connection attempts that failed before any sound came.
    pub failures: u32,
    /// Of `aired`, whole seconds of received sound that stayed under
    /// [`crate::device::SILENT_DBFS`] throughout: a source sending dead
    /// air (a receiver off the station, a stream of silence).
    pub silent: Duration,
    /// Sound has come in at least once.
    pub ever_received: bool,
    /// The last error, for people.
    pub last_error: Option<String>,
}

/// The state a receiving thread and the output share.
#[derive(Debug, Default)]
struct Shared {
    ring: Mutex<VecDeque<f32>>,
    stopped: AtomicBool,
    wake: Condvar,
    /// Frames the output took from the ring.
    aired: AtomicU64,
    /// Frames of it in seconds that were silence, and the second being
    /// looked at now: its frames and its peak.
    silent: AtomicU64,
    window: Mutex<(u64, f32)>,
    dropouts: AtomicU32,
    failures: AtomicU32,
    ever: AtomicBool,
    last_error: Mutex<Option<String>>,
}

/// One source being received; see the module docs. Dropping it stops the
/// receiving thread.
#[derive(Debug)]
pub struct Live {
    source: Source,
    shared: Arc<Shared>,
}

impl Live {
    /// Starts receiving `source` on a thread of its own, now. Never blocks
    /// and never fails: a thread that cannot start is an error in the
    /// stats, and the relay plays silence.
    pub fn start(source: Source) -> Live {
        let shared = Arc::new(Shared::default());
        let feeder = Feeder {
            shared: shared.clone(),
        };
        let s = source.clone();
        let spawned = std::thread::Builder::new()
            .name("loa-relay".into())
            .spawn(move || receive::run(&s, &feeder));
        if let Err(e) = spawned {
            shared.failures.fetch_add(1, Ordering::Relaxed);
            if let Ok(mut last) = shared.last_error.lock() {
                *last = Some(format!("cannot start the receiving thread: {e}"));
            }
        }
        Live { source, shared }
    }

    /// A Live fed by the caller through the returned [`Feeder`], with no
    /// thread of its own (a source received elsewhere; tests).
    pub fn fed_by_hand(source: Source) -> (Live, Feeder) {
        let shared = Arc::new(Shared::default());
        let feeder = Feeder {
            shared: shared.clone(),
        };
        (Live { source, shared }, feeder)
    }

    pub fn source(&self) -> &Source {
        &self.source
    }

    /// Moves up to `out.len()` samples (whole [`CHANNELS`] frames) of
    /// received sound into `out`, oldest first, and says how many frames.
    /// Never waits for the receiver.
    pub fn take(&self, out: &mut [f32]) -> usize {
        let ch = usize::from(CHANNELS);
        let want = out.len() - out.len() % ch;
        let Ok(mut q) = self.shared.ring.lock() else {
            return 0;
        };
        let n = want.min(q.len() - q.len() % ch);
        for (o, s) in out.iter_mut().zip(q.drain(..n)) {
            *o = s;
        }
        drop(q);
        let frames = n / ch;
        self.shared
            .aired
            .fetch_add(frames as u64, Ordering::Relaxed);
        self.watch_silence(&out[..n]);
        frames
    }

    /// Counts the whole seconds of aired sound whose peak stayed under
    /// [`crate::device::SILENT_DBFS`].
    fn watch_silence(&self, aired: &[f32]) {
        let floor = 10f32.powf(crate::device::SILENT_DBFS as f32 / 20.0);
        let Ok(mut w) = self.shared.window.lock() else {
            return;
        };
        let ch = usize::from(CHANNELS);
        let mut rest = aired;
        while !rest.is_empty() {
            let room = (u64::from(RATE) - w.0) as usize * ch;
            let (now, later) = rest.split_at(room.min(rest.len()));
            w.1 = now.iter().fold(w.1, |p, s| p.max(s.abs()));
            w.0 += (now.len() / ch) as u64;
            if w.0 == u64::from(RATE) {
                if w.1 < floor {
                    self.shared.silent.fetch_add(w.0, Ordering::Relaxed);
                }
                *w = (0, 0.0);
            }
            rest = later;
        }
    }

    /// How much received sound waits in the ring.
    pub fn buffered(&self) -> Duration {
        self.shared.ring.lock().map_or(Duration::ZERO, |q| {
            frames_time(q.len() as u64 / u64::from(CHANNELS))
        })
    }

    /// Drops the oldest received sound so that at most `keep` waits: what
    /// plays next is as near the live programme as `keep` allows.
    pub fn trim(&self, keep: Duration) {
        let Ok(mut q) = self.shared.ring.lock() else {
            return;
        };
        let ch = usize::from(CHANNELS);
        let keep = (keep.as_secs_f64() * f64::from(RATE)) as usize * ch;
        if q.len() > keep {
            let over = q.len() - keep;
            q.drain(..over - over % ch);
        }
    }

    pub fn stats(&self) -> Stats {
        let s = &self.shared;
        Stats {
            aired: frames_time(s.aired.load(Ordering::Relaxed)),
            silent: frames_time(s.silent.load(Ordering::Relaxed)),
            dropouts: s.dropouts.load(Ordering::Relaxed),
            failures: s.failures.load(Ordering::Relaxed),
            ever_received: s.ever.load(Ordering::Relaxed),
            last_error: s.last_error.lock().ok().and_then(|e| e.clone()),
        }
    }
}

/// One receiver is equal only to itself.
impl PartialEq for Live {
    fn eq(&self, other: &Live) -> bool {
        std::ptr::eq(self, other)
    }
}

impl Drop for Live {
    fn drop(&mut self) {
        // Under the lock the receiving thread sleeps on, so the wake-up
        // cannot fall between its look at `stopped` and its wait.
        let guard = self.shared.last_error.lock();
        self.shared.stopped.store(true, Ordering::Release);
        drop(guard);
        self.shared.wake.notify_all();
    }
}

/// The receiving thread's side of a [`Live`].
#[derive(Debug)]
pub struct Feeder {
    shared: Arc<Shared>,
}

impl Feeder {
    /// Another handle on the same [`Live`], for a reader or a capture
    /// callback that must notice it stop.
    fn share(&self) -> Feeder {
        Feeder {
            shared: self.shared.clone(),
        }
    }

    /// Whether the [`Live`] is gone: the thread returns.
    pub fn stopped(&self) -> bool {
        self.shared.stopped.load(Ordering::Acquire)
    }

    /// Adds received sound (interleaved [`CHANNELS`] × [`RATE`]); beyond
    /// [`KEEP`] the oldest is dropped.
    pub fn push(&self, samples: &[f32]) {
        if samples.is_empty() {
            return;
        }
        self.shared.ever.store(true, Ordering::Release);
        let cap = (KEEP.as_secs_f64() * f64::from(RATE)) as usize * usize::from(CHANNELS);
        let Ok(mut q) = self.shared.ring.lock() else {
            return;
        };
        q.extend(samples);
        if q.len() > cap {
            let ch = usize::from(CHANNELS);
            let over = ((q.len() - cap).div_ceil(ch) * ch).min(q.len());
            q.drain(..over);
        }
    }

    /// How much received sound waits in the ring (a source faster than
    /// real time, such as HLS segments, waits while this is high).
    pub fn buffered(&self) -> Duration {
        self.shared.ring.lock().map_or(Duration::ZERO, |q| {
            frames_time(q.len() as u64 / u64::from(CHANNELS))
        })
    }

    /// The source was lost after it had been sending (`sending`), or an
    /// attempt to reach it failed: counted, and kept as the last error.
    pub fn lost(&self, sending: bool, why: String) {
        if sending {
            self.shared.dropouts.fetch_add(1, Ordering::Relaxed);
        } else {
            self.shared.failures.fetch_add(1, Ordering::Relaxed);
        }
        if let Ok(mut last) = self.shared.last_error.lock() {
            *last = Some(why);
        }
    }

    /// Sleeps for `d` or until the [`Live`] is dropped; false if it was.
    pub fn sleep(&self, d: Duration) -> bool {
        let Ok(guard) = self.shared.last_error.lock() else {
            return !self.stopped();
        };
        if self.stopped() {
            return false;
        }
        let _ = self
            .shared
            .wake
            .wait_timeout_while(guard, d, |_| !self.stopped());
        !self.stopped()
    }
}

/// How long `frames` last at [`RATE`].
pub fn frames_time(frames: u64) -> Duration {
    Duration::from_nanos(
        (u128::from(frames) * 1_000_000_000 / u128::from(RATE))
            .try_into()
            .unwrap_or(u64::MAX),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sources_are_urls_or_capture_pcms() {
        assert_eq!(
            Source::parse(" http://stream.example.vn:8000/vov1 "),
            Ok(Source::Url("http://stream.example.vn:8000/vov1".into()))
        );
        assert!(matches!(
            Source::parse("HTTPS://[::1]:8443/live/index.m3u8"),
            Ok(Source::Url(_))
        ));
        assert_eq!(
            Source::parse("alsa:plughw:1,0"),
            Ok(Source::Alsa("plughw:1,0".into()))
        );
        assert_eq!(
            Source::parse("alsa:linein").map(|s| s.as_record()),
            Ok("alsa:linein".into())
        );
        assert_eq!(Source::parse("ftp://x/y"), Err(SourceError::Scheme));
        assert_eq!(
            Source::parse("stream.example.vn/vov1"),
            Err(SourceError::Scheme)
        );
        assert_eq!(Source::parse("http:///vov1"), Err(SourceError::Url));
        assert_eq!(Source::parse("http://a b/"), Err(SourceError::Url));
        assert_eq!(Source::parse("alsa:"), Err(SourceError::Pcm));
        assert_eq!(Source::parse("alsa:null"), Err(SourceError::Pcm));
        assert_eq!(Source::parse("alsa:hw 1"), Err(SourceError::Pcm));
    }

    #[test]
    fn the_ring_keeps_the_newest_whole_frames() {
        let (live, feeder) = Live::fed_by_hand(Source::Alsa("x".into()));
        let keep = (KEEP.as_secs_f64() * f64::from(RATE)) as usize * 2;
        // More than KEEP, numbered: only the newest KEEP stay.
        let all: Vec<f32> = (0..keep + 10).map(|i| i as f32).collect();
        feeder.push(&all);
        assert_eq!(live.buffered(), KEEP);
        let mut out = vec![0.0f32; 5];
        assert_eq!(live.take(&mut out), 2);
        assert_eq!(out[..4], [10.0, 11.0, 12.0, 13.0]);
        assert_eq!(live.stats().aired, frames_time(2));
        assert_eq!(live.stats().silent, Duration::ZERO);
        assert!(live.stats().ever_received);
        feeder.lost(true, "gone".into());
        feeder.lost(false, "refused".into());
        let s = live.stats();
        assert_eq!((s.dropouts, s.failures), (1, 1));
        assert_eq!(s.last_error.as_deref(), Some("refused"));
        drop(live);
        assert!(feeder.stopped());
        assert!(!feeder.sleep(Duration::from_secs(5)));
    }

    #[test]
    fn whole_seconds_of_received_silence_are_counted() {
        let (live, feeder) = Live::fed_by_hand(Source::Alsa("x".into()));
        let second = RATE as usize * 2;
        // 1 s of a tone at −40 dBFS, 2.5 s at −70 dBFS, then 1 s of tone.
        let mut out = vec![0.0f32; second / 2];
        for (secs, level) in [(1.0, 0.01f32), (2.5, 0.0003), (1.0, 0.01)] {
            let n = (secs * second as f64) as usize;
            let v: Vec<f32> = (0..n)
                .map(|i| if i % 2 == 0 { level } else { -level })
                .collect();
            for chunk in v.chunks(second / 4) {
                feeder.push(chunk);
                while live.take(&mut out) > 0 {}
            }
        }
        let s = live.stats();
        assert_eq!(s.aired, Duration::from_millis(4500));
        // Seconds 2 and 3 are silent; the 4th mixes silence and tone.
        assert_eq!(s.silent, Duration::from_secs(2));
    }
}
