//! A program's samples: its recordings decoded, brought to the sink's rate
//! and channel count, at their gain, with its silences, in order.
//!
//! Both sinks read through this, so `null` meets the same decode errors as
//! the ALSA device does.

use std::collections::VecDeque;
use std::time::Duration;

use rodio::source::UniformSourceIterator;
use rodio::{ChannelCount, Sample, SampleRate, Source};

use super::Segment;

enum Seg {
    File(Box<dyn Iterator<Item = Sample> + Send>, f32),
    /// Samples (not frames) of silence left.
    Silence(u64),
}

/// Where a program source takes its samples from: the decoders directly
/// ([`Feed`]) or what a decoding thread has made ready (`Ahead`).
pub(super) trait Samples: Send {
    /// Fills whole frames at the start of `out` with the program's next
    /// samples and says how many.
    fn fill(&mut self, out: &mut [f32]) -> Filled;
}

/// What one [`Samples::fill`] gave.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) struct Filled {
    pub frames: usize,
    /// The program has no more samples.
    pub ended: bool,
}

/// The interleaved samples of a program, pulled a buffer at a time.
pub(super) struct Feed {
    segments: VecDeque<Seg>,
    channels: usize,
}

impl Feed {
    /// Opens every recording of `segments` for `channels` × `rate`.
    ///
    /// Errors: the first file that cannot be opened or decoded, named.
    pub(super) fn open(segments: &[Segment], channels: u16, rate: u32) -> Result<Feed, String> {
        let ch = ChannelCount::new(channels).ok_or("a sink with no channels")?;
        let sr = SampleRate::new(rate).ok_or("a sink with a sample rate of 0")?;
        let segments = segments
            .iter()
            .map(|s| match s {
                Segment::File { path, gain, .. } => {
                    let dec = crate::sound::audio::decoder(path)
                        .map_err(|e| format!("{}: {e}", path.display()))?;
                    let uniform = UniformSourceIterator::new(Steady::new(dec), ch, sr);
                    Ok(Seg::File(Box::new(uniform), *gain))
                }
                Segment::Silence(d) => {
                    let frames = (d.as_secs_f64() * f64::from(rate)).round() as u64;
                    Ok(Seg::Silence(frames * u64::from(channels)))
                }
                // A relay is read by the sink directly (super::relay), never
                // mixed into a program of recordings.
                Segment::Relay { source, .. } => Err(format!(
                    "{}: a relay inside a program of recordings",
                    source.as_record()
                )),
            })
            .collect::<Result<_, String>>()?;
        Ok(Feed {
            segments,
            channels: usize::from(channels),
        })
    }

    /// The channel count and rate of the first recording in `segments`,
    /// if it can be opened: a sink free to choose (`null`) takes the
    /// program in it, so that recording is not converted.
    pub(super) fn first_format(segments: &[Segment]) -> Option<(u16, u32)> {
        segments.iter().find_map(|s| match s {
            Segment::File { path, .. } => {
                let dec = crate::sound::audio::decoder(path).ok()?;
                crate::sound::audio::contain(|| (dec.channels().get(), dec.sample_rate().get()))
                    .ok()
            }
            Segment::Silence(_) | Segment::Relay { .. } => None,
        })
    }

    /// Fills `out` with the next whole frames and returns how many it
    /// wrote; fewer than fit means the program has ended (the rest of `out`
    /// is left as it was).
    pub(super) fn fill(&mut self, out: &mut [f32]) -> usize {
        let ch = self.channels;
        let want = out.len() - out.len() % ch;
        let mut n = 0;
        while n < want {
            let Some(seg) = self.segments.front_mut() else {
                break;
            };
            match seg {
                Seg::Silence(left) => {
                    let k = (*left).min((want - n) as u64) as usize;
                    out[n..n + k].fill(0.0);
                    *left -= k as u64;
                    n += k;
                    if *left == 0 {
                        self.segments.pop_front();
                    }
                }
                Seg::File(it, gain) => {
                    let g = *gain;
                    let before = n;
                    for slot in out[n..want].iter_mut() {
                        let Some(s) = it.next() else { break };
                        *slot = s * g;
                        n += 1;
                    }
                    if n == want && n > before {
                        continue;
                    }
                    // The file ended: pad its last frame, then go on.
                    while n % ch != 0 {
                        out[n] = 0.0;
                        n += 1;
                    }
                    self.segments.pop_front();
                }
            }
        }
        n / ch
    }
}

impl Samples for Feed {
    fn fill(&mut self, out: &mut [f32]) -> Filled {
        let frames = Feed::fill(self, out);
        Filled {
            frames,
            ended: frames < out.len() / self.channels,
        }
    }
}

/// A decoder seen as one span of fixed format.
///
/// rodio 0.23's symphonia decoder reports a span length of 0 before its
/// first packet is decoded (always so for Ogg Vorbis), which makes
/// `UniformSourceIterator` end the stream at once. Reading the first sample
/// up front, and reporting no span length, avoids that. Recordings do not
/// change format mid-file, so one span is enough.
struct Steady<S: Source> {
    inner: S,
    /// The decoder panicked: nothing more is read from it.
    broken: bool,
    first: Option<Sample>,
    channels: ChannelCount,
    rate: SampleRate,
}

impl<S: Source> Steady<S> {
    fn new(mut inner: S) -> Self {
        let first = crate::sound::audio::contain(|| inner.next()).ok().flatten();
        let format = crate::sound::audio::contain(|| (inner.channels(), inner.sample_rate()));
        let (channels, rate) = format
            .clone()
            .unwrap_or((ChannelCount::MIN, SampleRate::MIN));
        Steady {
            broken: first.is_none() || format.is_err(),
            inner,
            first,
            channels,
            rate,
        }
    }
}

impl<S: Source> Iterator for Steady<S> {
    type Item = Sample;

    fn next(&mut self) -> Option<Sample> {
        if self.broken {
            return None;
        }
        if let Some(s) = self.first.take() {
            return Some(s);
        }
        // A decoder that panics mid-file (a file changed since it was
        // measured) ends the recording there instead of the audio callback.
        crate::sound::audio::contain(|| self.inner.next()).unwrap_or_else(|_| {
            self.broken = true;
            None
        })
    }
}

impl<S: Source> Source for Steady<S> {
    fn current_span_len(&self) -> Option<usize> {
        None
    }

    fn channels(&self) -> ChannelCount {
        self.channels
    }

    fn sample_rate(&self) -> SampleRate {
        self.rate
    }

    fn total_duration(&self) -> Option<Duration> {
        if self.broken {
            return None;
        }
        crate::sound::audio::contain(|| self.inner.total_duration())
            .ok()
            .flatten()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::PathBuf;

    /// Samples of `seg` at `channels` × `rate`, read in odd-sized buffers.
    fn count(seg: Segment, channels: u16, rate: u32) -> u64 {
        let mut feed = Feed::open(&[seg], channels, rate).unwrap_or_else(|e| panic!("{e}"));
        let mut buf = vec![0.0; 1001 * usize::from(channels)];
        let mut n = 0u64;
        loop {
            let k = feed.fill(&mut buf);
            n += (k * usize::from(channels)) as u64;
            if k < 1001 {
                return n;
            }
        }
    }

    #[test]
    fn resampled_clips_keep_their_length() {
        let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
        for (path, rate) in [
            (root.join("audio/cchc/thanh-toan-truc-tuyen.mp3"), 44_100),
            (root.join("audio/cchc/thanh-toan-truc-tuyen.mp3"), 48_000),
            (root.join("chimes/tin-hieu.ogg"), 44_100),
            (root.join("chimes/tin-hieu.ogg"), 48_000),
        ] {
            let info = crate::sound::audio::probe(&path).unwrap_or_else(|e| panic!("{e}"));
            let n = count(
                Segment::File {
                    path: path.clone(),
                    gain: 1.0,
                    length: info.length,
                },
                2,
                rate,
            );
            let secs = n as f64 / 2.0 / f64::from(rate);
            assert!(
                (secs - info.length.as_secs_f64()).abs() < 0.05,
                "{rate}: {secs} vs {:?}",
                info.length
            );
        }
        let n = count(Segment::Silence(Duration::from_millis(500)), 2, 48_000);
        assert_eq!(n, 48_000);
    }

    #[test]
    fn gain_applies_to_files_and_segments_follow_each_other() {
        let tone = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/tones/tone.wav");
        let file = |gain| Segment::File {
            path: tone.clone(),
            gain,
            length: Duration::from_secs(1),
        };
        let peak = |segs: &[Segment]| {
            let mut feed = Feed::open(segs, 2, 48_000).unwrap_or_else(|e| panic!("{e}"));
            let mut buf = vec![0.0f32; 2 * 48_000];
            let n = feed.fill(&mut buf);
            let p = buf[..n * 2].iter().fold(0.0f32, |a, s| a.max(s.abs()));
            (n, p)
        };
        let (n, full) = peak(&[file(1.0)]);
        assert_eq!(n, 48_000);
        let (_, half) = peak(&[file(0.5)]);
        assert!((half / full - 0.5).abs() < 0.01, "{half} vs {full}");
        // 0.25 s of silence first: the tone's first quarter second is pushed out.
        let (n, _) = peak(&[Segment::Silence(Duration::from_millis(250)), file(1.0)]);
        assert_eq!(n, 48_000);
        let mut feed = Feed::open(
            &[Segment::Silence(Duration::from_millis(250)), file(1.0)],
            2,
            48_000,
        )
        .unwrap_or_else(|e| panic!("{e}"));
        let mut buf = vec![1.0f32; 2 * 12_000];
        assert_eq!(feed.fill(&mut buf), 12_000);
        assert!(buf.iter().all(|s| *s == 0.0));
    }

    #[test]
    fn a_file_that_is_no_recording_is_an_error_naming_it() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let bad = dir.path().join("hong.mp3");
        std::fs::write(&bad, b"not an mp3 at all, just text").unwrap_or_else(|e| panic!("{e}"));
        let err = Feed::open(
            &[Segment::File {
                path: bad.clone(),
                gain: 1.0,
                length: Duration::from_secs(1),
            }],
            2,
            48_000,
        )
        .err()
        .unwrap_or_default();
        assert!(err.contains("hong.mp3"), "{err}");
    }
}
