//! The player above the sinks: a program's samples with the start gate and
//! the stop. A sink asks for a buffer and says when its first frame will
//! leave the device; the source puts the program's first frame at the frame
//! of that buffer that leaves at the gate's instant, and says so.

use std::sync::Arc;
use std::sync::atomic::{AtomicU32, AtomicU64, Ordering};
use std::time::{Duration, Instant};

use super::feed::Samples;
use super::{Ending, Gate, Stop};
use crate::device::Levels;

/// The level of the program's samples as they go to the sink: written by
/// the one thread that renders, read by the one that reports.
#[derive(Debug, Default)]
pub(super) struct Meter {
    samples: AtomicU64,
    sum_sq: AtomicU64,
    peak: AtomicU32,
}

impl Meter {
    /// Adds `s`, rendered by the single writer.
    fn add(&self, s: &[f32]) {
        if s.is_empty() {
            return;
        }
        let (mut sq, mut peak) = (0.0f64, f32::from_bits(self.peak.load(Ordering::Relaxed)));
        for x in s {
            let a = x.abs().min(1.0);
            sq += f64::from(a) * f64::from(a);
            peak = peak.max(a);
        }
        let total = f64::from_bits(self.sum_sq.load(Ordering::Relaxed)) + sq;
        self.sum_sq.store(total.to_bits(), Ordering::Relaxed);
        self.peak.store(peak.to_bits(), Ordering::Relaxed);
        self.samples.fetch_add(s.len() as u64, Ordering::Relaxed);
    }

    /// What has been measured so far.
    pub(super) fn levels(&self) -> Levels {
        Levels {
            samples: self.samples.load(Ordering::Relaxed),
            sum_sq: f64::from_bits(self.sum_sq.load(Ordering::Relaxed)),
            peak: f32::from_bits(self.peak.load(Ordering::Relaxed)),
        }
    }
}

/// What one buffer brought about.
#[derive(Debug, Default, PartialEq)]
pub(super) struct Rendered {
    /// The program's first frame is in this buffer and leaves at this instant.
    pub started: Option<Instant>,
    /// The program ended in this buffer; its last frame has left the device
    /// by this instant.
    pub ended: Option<(Ending, Instant)>,
}

/// See the module docs.
pub(super) struct ProgramSource {
    samples: Box<dyn Samples>,
    channels: usize,
    rate: u32,
    gate: Arc<Gate>,
    gate_at: Instant,
    stop: Stop,
    started: bool,
    ended: bool,
    /// Program frames handed to the sink since the start.
    played: Arc<AtomicU64>,
    /// Their level.
    meter: Arc<Meter>,
}

impl ProgramSource {
    /// The source of a program gated by `gate`, taking its samples,
    /// `channels` × `rate`, from `samples`.
    pub(super) fn new(
        samples: Box<dyn Samples>,
        gate: &Arc<Gate>,
        channels: u16,
        rate: u32,
        stop: Stop,
    ) -> ProgramSource {
        ProgramSource {
            samples,
            channels: usize::from(channels.max(1)),
            rate: rate.max(1),
            gate: gate.clone(),
            gate_at: gate.at().into_std(),
            stop,
            started: false,
            ended: false,
            played: Arc::new(AtomicU64::new(0)),
            meter: Arc::default(),
        }
    }

    /// Program frames handed over so far, readable from another thread.
    pub(super) fn played(&self) -> Arc<AtomicU64> {
        self.played.clone()
    }

    /// The level of the program frames handed over, readable from another
    /// thread.
    pub(super) fn meter(&self) -> Arc<Meter> {
        self.meter.clone()
    }

    /// Fills `out` (interleaved, whole frames) whose first frame leaves the
    /// device at `at`: silence before the gate's frame and after the end,
    /// the program in between.
    pub(super) fn render(&mut self, out: &mut [f32], at: Instant) -> Rendered {
        let mut r = Rendered::default();
        let frames = out.len() / self.channels;
        if self.ended {
            out.fill(0.0);
            return r;
        }
        if self.stop.is_stopped() {
            out.fill(0.0);
            self.ended = true;
            r.ended = Some((Ending::Stopped, at));
            return r;
        }
        let mut from = 0;
        if !self.started {
            let wait = match self.gate.is_armed() {
                true => frames_until(self.gate_at, at, self.rate),
                false => u64::MAX,
            };
            if wait >= frames as u64 {
                out.fill(0.0);
                return r;
            }
            from = wait as usize;
            out[..from * self.channels].fill(0.0);
            self.started = true;
            r.started = Some(at + frames_time(wait, self.rate));
        }
        let got = self.samples.fill(&mut out[from * self.channels..]);
        self.played.fetch_add(got.frames as u64, Ordering::Relaxed);
        let end = from + got.frames;
        self.meter
            .add(&out[from * self.channels..end * self.channels]);
        // Silence after the end, or where decoding fell behind.
        out[end * self.channels..].fill(0.0);
        if got.ended {
            self.ended = true;
            r.ended = Some((Ending::Completed, at + frames_time(end as u64, self.rate)));
        }
        r
    }
}

/// Frames from `at` to the first frame that leaves at or after `gate`.
fn frames_until(gate: Instant, at: Instant, rate: u32) -> u64 {
    let Some(ahead) = gate.checked_duration_since(at) else {
        return 0;
    };
    (ahead.as_nanos() * u128::from(rate))
        .div_ceil(1_000_000_000)
        .try_into()
        .unwrap_or(u64::MAX)
}

/// How long `frames` take to leave at `rate`.
pub(super) fn frames_time(frames: u64, rate: u32) -> Duration {
    Duration::from_nanos(
        (u128::from(frames) * 1_000_000_000 / u128::from(rate.max(1)))
            .try_into()
            .unwrap_or(u64::MAX),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::player::{Program, Segment};

    const RATE: u32 = 48_000;

    fn program(segments: Vec<Segment>, gate_in: Duration) -> (Program, Instant) {
        let now = tokio::time::Instant::now();
        let gate = Gate::new(now + gate_in);
        gate.arm();
        (Program { segments, gate }, (now + gate_in).into_std())
    }

    fn silence(ms: u64) -> Vec<Segment> {
        vec![Segment::Silence(Duration::from_millis(ms))]
    }

    /// The source on buffers of `period` stereo frames whose playback
    /// instants follow on from `t0` without a gap, until it ends: the
    /// instants reported, and every frame's left sample, with a program
    /// made of a constant 0.5 so its frames can be told from silence.
    fn run(
        src: &mut ProgramSource,
        t0: Instant,
        period: usize,
    ) -> (Option<Instant>, Option<(Ending, Instant)>, Vec<f32>) {
        let (mut started, mut ended, mut left) = (None, None, Vec::new());
        let mut buf = vec![0.0f32; period * 2];
        for k in 0..10_000u64 {
            let at = t0 + frames_time(k * period as u64, RATE);
            let r = src.render(&mut buf, at);
            started = started.or(r.started);
            left.extend(buf.iter().step_by(2));
            if r.ended.is_some() {
                ended = r.ended;
                break;
            }
        }
        (started, ended, left)
    }

    #[test]
    fn the_first_frame_is_the_one_that_leaves_at_the_gate() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let wav = dir.path().join("dc.wav");
        // 0.1 s of a constant 0.5 at 48 kHz stereo.
        std::fs::write(&wav, dc_wav(4_800)).unwrap_or_else(|e| panic!("{e}"));
        let file = Segment::File {
            path: wav,
            gain: 1.0,
            length: Duration::from_millis(100),
        };
        // The gate 1.5 buffers of 96 frames after the first buffer, plus a
        // third of a frame: the program begins at frame 145, not at 192.
        let offset = frames_time(144, RATE) + Duration::from_nanos(7_000);
        let (prog, _) = program(vec![file], Duration::ZERO);
        let stop = Stop::default();
        let mut src = prog
            .samples(2, RATE, &stop, false)
            .map(|(s, _)| s)
            .unwrap_or_else(|e| panic!("{e:?}"));
        let t0 = src.gate_at - offset;
        let (started, ended, left) = run(&mut src, t0, 96);
        let first = left.iter().position(|s| *s > 0.25);
        assert_eq!(first, Some(145));
        let started = started.unwrap_or_else(|| panic!("never started"));
        assert_eq!(started, t0 + frames_time(145, RATE));
        assert!(started >= src.gate_at && started - src.gate_at < frames_time(1, RATE));
        let (ending, end) = ended.unwrap_or_else(|| panic!("never ended"));
        assert_eq!(ending, Ending::Completed);
        assert_eq!(end, t0 + frames_time(145 + 4_800, RATE));
        assert_eq!(src.played().load(Ordering::Relaxed), 4_800);
        assert_eq!(left.iter().filter(|s| **s > 0.25).count(), 4_800);
    }

    #[test]
    fn a_gate_not_armed_holds_the_program_and_a_late_one_starts_at_once() {
        let now = tokio::time::Instant::now();
        let gate = Gate::new(now);
        let prog = Program {
            segments: silence(10),
            gate: gate.clone(),
        };
        let mut src = prog
            .samples(2, RATE, &Stop::default(), false)
            .map(|(s, _)| s)
            .unwrap_or_else(|e| panic!("{e:?}"));
        let mut buf = vec![0.0f32; 192];
        let t = now.into_std() + Duration::from_millis(50);
        assert_eq!(src.render(&mut buf, t), Rendered::default());
        gate.arm();
        // Armed after its instant: the next buffer's first frame.
        let later = t + Duration::from_millis(2);
        assert_eq!(src.render(&mut buf, later).started, Some(later));
    }

    #[test]
    fn a_stop_ends_the_program_with_silence() {
        let (prog, gate_at) = program(silence(1_000), Duration::ZERO);
        let stop = Stop::default();
        let mut src = prog
            .samples(2, RATE, &stop, false)
            .map(|(s, _)| s)
            .unwrap_or_else(|e| panic!("{e:?}"));
        let mut buf = vec![0.5f32; 192];
        assert_eq!(src.render(&mut buf, gate_at).started, Some(gate_at));
        stop.stop();
        buf.fill(0.5);
        let t = gate_at + Duration::from_millis(2);
        let r = src.render(&mut buf, t);
        assert_eq!(r.ended, Some((Ending::Stopped, t)));
        assert!(buf.iter().all(|s| *s == 0.0));
        assert_eq!(src.render(&mut buf, t).ended, None);
    }

    #[test]
    fn frames_until_rounds_up_to_the_next_frame() {
        let t = Instant::now();
        assert_eq!(frames_until(t, t, RATE), 0);
        assert_eq!(frames_until(t, t + Duration::from_millis(1), RATE), 0);
        assert_eq!(frames_until(t + Duration::from_nanos(1), t, RATE), 1);
        assert_eq!(frames_until(t + frames_time(96, RATE), t, RATE), 96);
    }

    /// A 16-bit stereo WAV of `frames` frames, every sample 0.5.
    fn dc_wav(frames: u32) -> Vec<u8> {
        let mut v = crate::sound::speech::wav_header(RATE, 2, frames * 4).to_vec();
        for _ in 0..frames * 2 {
            v.extend(16_384i16.to_le_bytes());
        }
        v
    }
}
