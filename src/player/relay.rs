//! A relay's samples for a sink: what its [`Live`] has received, in the
//! device's own time. Every buffer the device asks for is filled: with
//! received sound as far as the ring has it, with silence where it has
//! none (the source is late, lost, or reconnecting), so the relay lasts
//! exactly its length on the device's clock whatever the network does.
//!
//! It is read directly by the sink's callback, not decoded ahead on a
//! thread ([`super::ahead`]): taking from the ring never waits, and what
//! the device plays stays as live as the ring.

use std::sync::Arc;
use std::time::Duration;

use super::feed::{Filled, Samples};
use crate::sound::relay::{self, Live};

/// What waits in the ring when a relay begins, and again whenever more
/// than [`MAX_LAG`] has piled up (a stream's burst on reconnecting, a
/// source a little faster than the device): a cushion against the
/// network's jitter, and all the delay the relay adds to the live
/// programme. A relay that begins with seconds of sound taken before its
/// time would open with the end of the programme before, and lose as much
/// of its own end.
pub const CUSHION: Duration = Duration::from_secs(1);
/// More than this waiting is cut back to [`CUSHION`]: above the 2 s an HLS
/// source keeps ahead, so a steady source is never cut.
pub const MAX_LAG: Duration = Duration::from_millis(2500);

/// See the module docs.
pub(super) struct RelayFeed {
    live: Arc<Live>,
    gain: f32,
    /// Device frames left to play.
    left: u64,
    channels: usize,
    rate: u32,
    /// Received frames (stereo, [`relay::RATE`]) taken but not yet played,
    /// when the device's format differs from the ring's.
    held: Vec<f32>,
    /// Where the next device frame falls in `held`, in received frames.
    pos: f64,
    /// Nothing played yet.
    first: bool,
}

impl RelayFeed {
    pub(super) fn new(
        live: Arc<Live>,
        gain: f32,
        length: Duration,
        channels: u16,
        rate: u32,
    ) -> RelayFeed {
        let rate = rate.max(1);
        RelayFeed {
            live,
            gain,
            left: (length.as_secs_f64() * f64::from(rate)).round() as u64,
            channels: usize::from(channels.max(1)),
            rate,
            held: Vec::new(),
            pos: 0.0,
            first: true,
        }
    }

    fn direct(&self) -> bool {
        self.channels == usize::from(relay::CHANNELS) && self.rate == relay::RATE
    }

    /// `frames` device frames converted from the ring: stereo to the
    /// device's channels, [`relay::RATE`] to its rate (linear
    /// interpolation: news and speech over a receiver lose nothing by it).
    fn converted(&mut self, out: &mut [f32], frames: usize) {
        let step = f64::from(relay::RATE) / f64::from(self.rate);
        let last = self.pos + step * frames as f64;
        // Received frames needed: up to the one after the last position.
        let need = last.floor() as usize + 2;
        let have = self.held.len() / 2;
        if need > have {
            let start = self.held.len();
            self.held.resize(need * 2, 0.0);
            // Whatever the ring lacks stays silence.
            let _ = self.live.take(&mut self.held[start..]);
        }
        for (i, frame) in out.chunks_exact_mut(self.channels).take(frames).enumerate() {
            let p = self.pos + step * i as f64;
            let k = p.floor() as usize;
            let f = (p - k as f64) as f32;
            let at = |c: usize| {
                let a = self.held[k * 2 + c];
                let b = self.held[(k + 1) * 2 + c];
                a + (b - a) * f
            };
            let (l, r) = (at(0), at(1));
            match frame {
                [m] => *m = (l + r) * 0.5,
                [a, b, rest @ ..] => {
                    *a = l;
                    *b = r;
                    rest.fill(0.0);
                }
                [] => {}
            }
        }
        // Drop the frames wholly behind the next position.
        let used = last.floor() as usize;
        self.held.drain(..(used * 2).min(self.held.len()));
        self.pos = last - used as f64;
    }
}

impl Samples for RelayFeed {
    fn fill(&mut self, out: &mut [f32]) -> Filled {
        let ch = self.channels;
        if self.first || self.live.buffered() > MAX_LAG {
            self.first = false;
            self.live.trim(CUSHION);
        }
        let frames = ((out.len() / ch) as u64).min(self.left) as usize;
        if self.direct() {
            let got = self.live.take(&mut out[..frames * ch]);
            out[got * ch..frames * ch].fill(0.0);
        } else {
            self.converted(out, frames);
        }
        if self.gain != 1.0 {
            for s in &mut out[..frames * ch] {
                *s *= self.gain;
            }
        }
        self.left -= frames as u64;
        Filled {
            frames,
            ended: self.left == 0,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_relay_lasts_its_length_in_device_frames_with_silence_where_nothing_came() {
        // A source that never answers: nothing is received.
        let live = Arc::new(Live::start(relay::Source::Url(
            "http://127.0.0.1:9/nothing".into(),
        )));
        for (channels, rate) in [(2u16, 48_000u32), (1, 44_100), (6, 22_050)] {
            let mut feed = RelayFeed::new(
                live.clone(),
                0.5,
                Duration::from_millis(250),
                channels,
                rate,
            );
            let mut buf = vec![1.0f32; 1000 * usize::from(channels)];
            let mut frames = 0;
            loop {
                let got = feed.fill(&mut buf);
                assert!(
                    buf[..got.frames * usize::from(channels)]
                        .iter()
                        .all(|s| *s == 0.0)
                );
                frames += got.frames;
                if got.ended {
                    break;
                }
                assert_eq!(got.frames, 1000);
            }
            let want = (f64::from(rate) * 0.25).round() as usize;
            assert_eq!(frames, want, "{channels} × {rate}");
        }
        assert_eq!(live.stats().aired, Duration::ZERO);
    }

    #[test]
    fn received_sound_is_played_at_its_gain_in_the_device_format() {
        let (live, feeder) = Live::fed_by_hand(relay::Source::Alsa("x".into()));
        let live = Arc::new(live);
        // 0.1 s of a constant 0.8 on the left and 0.4 on the right.
        let frames = relay::RATE as usize / 10;
        let sound: Vec<f32> = (0..frames).flat_map(|_| [0.8, 0.4]).collect();
        for (channels, rate, level) in [(2u16, 48_000u32, 0.4f32), (1, 44_100, 0.3)] {
            feeder.push(&sound);
            let mut feed =
                RelayFeed::new(live.clone(), 0.5, Duration::from_secs(1), channels, rate);
            let ch = usize::from(channels);
            let mut out = vec![0.0f32; rate as usize * ch];
            let got = feed.fill(&mut out);
            assert_eq!(got.frames, rate as usize);
            assert!(got.ended);
            // The first channel: the received 0.1 s at its level, then silence.
            let first: Vec<f32> = out.iter().step_by(ch).copied().collect();
            let loud = first.iter().filter(|s| (**s - level).abs() < 1e-3).count();
            let want = rate as usize / 10;
            assert!(
                loud.abs_diff(want) <= 2,
                "{channels} × {rate}: {loud} of {want}"
            );
            assert!(first[want + 2..].iter().all(|s| *s == 0.0));
        }
        assert_eq!(live.stats().aired, Duration::from_millis(200));
    }

    #[test]
    fn a_relay_begins_near_live_and_cuts_a_pile_up_back_to_the_cushion() {
        let (live, feeder) = Live::fed_by_hand(relay::Source::Alsa("x".into()));
        let live = Arc::new(live);
        let secs = |s: f64, v: f32| vec![v; (s * f64::from(relay::RATE)) as usize * 2];
        // Received before the relay's time: 2 s of old, then 1 s of new.
        feeder.push(&secs(2.0, 0.1));
        feeder.push(&secs(1.0, 0.9));
        let mut feed = RelayFeed::new(live.clone(), 1.0, Duration::from_secs(60), 2, relay::RATE);
        let mut out = vec![0.0f32; relay::RATE as usize];
        feed.fill(&mut out);
        assert!(
            out.iter().all(|s| *s == 0.9),
            "began with sound from before the cushion"
        );
        // A burst piles 3 s up: cut back to the newest CUSHION.
        feeder.push(&secs(0.5, 0.9));
        feeder.push(&secs(2.5, 0.3));
        assert!(live.buffered() > MAX_LAG);
        feed.fill(&mut out);
        assert!(out.iter().all(|s| *s == 0.3));
        assert!(live.buffered() <= CUSHION);
    }
}
