//! Decoding ahead of the device, on a thread of its own.
//!
//! With a 1 ms period the device's callback must never wait for a disk read
//! (an SD card on a small box can stall for several milliseconds) or for a
//! decoder's larger packets. A `loa-decode` thread keeps up to [`AHEAD`] of
//! the program decoded, and the callback only copies from it.

use std::collections::VecDeque;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use super::Stop;
use super::feed::{Feed, Filled, Samples};

/// How much of the program is kept decoded ahead of the device.
const AHEAD: Duration = Duration::from_millis(500);
/// How much is decoded at a time, and how often the thread looks.
const STEP: Duration = Duration::from_millis(20);

struct Ring {
    queue: Mutex<VecDeque<f32>>,
    /// Every sample of the program is in the queue.
    ended: AtomicBool,
    /// The reading side is gone: the decoding thread stops.
    gone: AtomicBool,
    /// Times the device asked for more than was decoded.
    short: AtomicU64,
}

/// The reading side, for a [`super::source::ProgramSource`].
pub(super) struct Ahead {
    ring: Arc<Ring>,
    channels: usize,
}

/// How often a device found decoding behind, readable after the playback.
#[derive(Clone)]
pub(super) struct Shortfalls(Arc<Ring>);

impl Shortfalls {
    pub(super) fn count(&self) -> u64 {
        self.0.short.load(Ordering::Relaxed)
    }
}

/// Starts decoding `feed` (`channels` × `rate`) ahead on its own thread,
/// until the program ends, `stop` is set or the reader is dropped.
///
/// Errors: the thread could not be started.
pub(super) fn spawn(
    mut feed: Feed,
    channels: u16,
    rate: u32,
    stop: Stop,
) -> std::io::Result<(Ahead, Shortfalls)> {
    let channels = usize::from(channels.max(1));
    let samples = |d: Duration| (d.as_secs_f64() * f64::from(rate)) as usize * channels;
    let (ahead, step) = (samples(AHEAD), samples(STEP).max(channels));
    let ring = Arc::new(Ring {
        queue: Mutex::new(VecDeque::with_capacity(ahead + step)),
        ended: AtomicBool::new(false),
        gone: AtomicBool::new(false),
        short: AtomicU64::new(0),
    });
    let filler = ring.clone();
    std::thread::Builder::new()
        .name("loa-decode".into())
        .spawn(move || {
            let mut buf = vec![0.0f32; step];
            while !filler.gone.load(Ordering::Acquire) && !stop.is_stopped() {
                let have = filler.queue.lock().map_or(0, |q| q.len());
                if have >= ahead {
                    std::thread::sleep(STEP);
                    continue;
                }
                let frames = feed.fill(&mut buf);
                if let Ok(mut q) = filler.queue.lock() {
                    q.extend(&buf[..frames * channels]);
                }
                if frames * channels < buf.len() {
                    filler.ended.store(true, Ordering::Release);
                    return;
                }
            }
        })?;
    Ok((
        Ahead {
            ring: ring.clone(),
            channels,
        },
        Shortfalls(ring),
    ))
}

impl Samples for Ahead {
    fn fill(&mut self, out: &mut [f32]) -> Filled {
        let want = out.len() - out.len() % self.channels;
        // Read before taking samples: once set, nothing more will come.
        let ended = self.ring.ended.load(Ordering::Acquire);
        let Ok(mut q) = self.ring.queue.lock() else {
            return Filled {
                frames: 0,
                ended: true,
            };
        };
        let n = want.min(q.len());
        for (o, s) in out.iter_mut().zip(q.drain(..n)) {
            *o = s;
        }
        let drained = q.is_empty();
        drop(q);
        if n < want && !(ended && drained) {
            self.ring.short.fetch_add(1, Ordering::Relaxed);
        }
        Filled {
            frames: n / self.channels,
            ended: ended && drained && n < want,
        }
    }
}

impl Drop for Ahead {
    fn drop(&mut self) {
        self.ring.gone.store(true, Ordering::Release);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::player::Segment;
    use std::path::PathBuf;

    #[test]
    fn what_is_decoded_ahead_is_the_program_sample_for_sample() {
        let tone = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/tones/tone.ogg");
        let segments = [
            Segment::File {
                path: tone,
                gain: 0.5,
                length: Duration::from_secs(1),
            },
            Segment::Silence(Duration::from_millis(100)),
        ];
        let mut direct = Feed::open(&segments, 2, 48_000).unwrap_or_else(|e| panic!("{e}"));
        let feed = Feed::open(&segments, 2, 48_000).unwrap_or_else(|e| panic!("{e}"));
        let (mut ahead, short) =
            spawn(feed, 2, 48_000, Stop::default()).unwrap_or_else(|e| panic!("{e}"));
        let (mut a, mut b) = (vec![0.0f32; 96], vec![0.0f32; 96]);
        let mut frames = 0;
        loop {
            let want = Feed::fill(&mut direct, &mut a);
            let got = loop {
                let got = ahead.fill(&mut b);
                // Behind (the test reads faster than real time): ask again.
                if got.frames == want || got.ended {
                    break got;
                }
                assert_eq!(got.frames, 0, "a partial buffer from the ring");
                std::thread::sleep(Duration::from_millis(1));
            };
            assert_eq!(got.frames, want);
            assert_eq!(a[..want * 2], b[..want * 2]);
            frames += want;
            if want < 48 {
                assert!(got.ended);
                break;
            }
        }
        // The whole tone (1 s and what the codec pads) and the silence.
        assert!(frames >= 48_000 + 4_800, "{frames} frames");
        // Reading faster than real time is behind at times; counted.
        let _ = short.count();
    }

    #[test]
    fn a_dropped_reader_or_a_stop_ends_the_decoding_thread() {
        let segments = [Segment::Silence(Duration::from_secs(3600))];
        let feed = Feed::open(&segments, 2, 48_000).unwrap_or_else(|e| panic!("{e}"));
        let stop = Stop::default();
        let (ahead, short) = spawn(feed, 2, 48_000, stop.clone()).unwrap_or_else(|e| panic!("{e}"));
        drop(ahead);
        // The thread holds the ring until it sees the drop.
        let began = std::time::Instant::now();
        while Arc::strong_count(&short.0) > 1 {
            assert!(began.elapsed() < Duration::from_secs(2), "still decoding");
            std::thread::sleep(Duration::from_millis(5));
        }
    }
}
