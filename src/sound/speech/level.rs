//! Rendered speech levelled for the loudspeakers (issue 12).
//!
//! Every recording is played at the station's loudness target unless its
//! true peak would go over −1 dBTP ([`crate::sound::audio::Loudness::gain_db`]).
//! Synthetic speech has sharp peaks: espeak-ng's reach 0 dBFS while the
//! speech measures about −18 LUFS, so the peak ceiling held it 2–3 LU under
//! the target, quieter than the recordings around it. Each rendered WAV is
//! therefore put through a look-ahead peak limiter once, when it is
//! rendered: its sample peaks are held to [`CREST_DB`] over its own
//! loudness, which leaves room to reach the target under the ceiling. The
//! limiter reads the file twice (once to measure, once to limit) and keeps
//! only a few milliseconds in memory, whatever the text's length.

use std::collections::VecDeque;
use std::io::Write;
use std::path::Path;

use rodio::Source;

/// How far over its loudness the speech's sample peaks may go, in dB: the
/// −1 dBTP ceiling less the −16 LUFS target is 15 dB, and 1 dB is left for
/// the peaks between samples.
pub const CREST_DB: f64 = 14.0;

/// How long before a peak the gain starts to fall.
const AHEAD_S: f64 = 0.005;
/// How long the gain takes to come most of the way back after a peak.
const RELEASE_S: f64 = 0.08;

/// Limits the WAV at `path` in place, if its peaks stand out more than
/// [`CREST_DB`] over its loudness. `Ok(false)` when it was left as it is
/// (already level, silent, or not readable as sound: whoever reads it next
/// says why).
pub fn level(path: &Path) -> std::io::Result<bool> {
    let Some((lufs, peak, rate, channels)) = measure(path) else {
        return Ok(false);
    };
    let ceiling = 10f64.powf((lufs + CREST_DB) / 20.0) as f32;
    if peak <= ceiling || ceiling <= 0.0 {
        return Ok(false);
    }
    let Ok(source) = crate::sound::audio::decoder(path) else {
        return Ok(false);
    };
    let out = path.with_extension("level.wav");
    let written = write_wav(
        &out,
        rate,
        channels,
        Limiter::new(source, ceiling, rate, channels),
    );
    match written.and_then(|()| std::fs::rename(&out, path)) {
        Ok(()) => Ok(true),
        Err(e) => {
            let _ = std::fs::remove_file(&out);
            Err(e)
        }
    }
}

/// Integrated loudness (LUFS), sample peak (linear), rate and channels.
fn measure(path: &Path) -> Option<(f64, f32, u32, u16)> {
    let mut dec = crate::sound::audio::decoder(path).ok()?;
    let rate = dec.sample_rate().get();
    let channels = dec.channels().get();
    let mut meter = ebur128::EbuR128::new(u32::from(channels), rate, ebur128::Mode::I).ok()?;
    let mut buf: Vec<f32> = Vec::with_capacity(4096 * usize::from(channels));
    let mut peak = 0f32;
    for s in dec.by_ref() {
        peak = peak.max(s.abs());
        buf.push(s);
        if buf.len() == buf.capacity() {
            meter.add_frames_f32(&buf).ok()?;
            buf.clear();
        }
    }
    let whole = buf.len() - buf.len() % usize::from(channels.max(1));
    meter.add_frames_f32(&buf[..whole]).ok()?;
    let lufs = meter.loudness_global().ok().filter(|l| l.is_finite())?;
    Some((lufs, peak, rate, channels))
}

/// Frames of `source` with their gain lowered so that no sample goes over
/// `ceiling`: the gain reaches each peak's need [`AHEAD_S`] before the
/// peak, falling along a straight line, and recovers with [`RELEASE_S`].
/// The output is delayed by the look-ahead (and the end flushed).
struct Limiter<S> {
    source: S,
    ceiling: f32,
    channels: usize,
    ahead: usize,
    release: f32,
    /// Frames read and not yet given out; the first is frame `next`.
    window: VecDeque<Vec<f32>>,
    next: u64,
    /// The frames of the window over the ceiling: number and gain needed.
    peaks: VecDeque<(u64, f32)>,
    gain: f32,
    done: bool,
}

impl<S: Iterator<Item = f32>> Limiter<S> {
    fn new(source: S, ceiling: f32, rate: u32, channels: u16) -> Self {
        let rate = f64::from(rate.max(1));
        Limiter {
            source,
            ceiling,
            channels: usize::from(channels.max(1)),
            ahead: ((AHEAD_S * rate) as usize).max(1),
            release: (1.0 - (-1.0 / (RELEASE_S * rate)).exp()) as f32,
            window: VecDeque::new(),
            next: 0,
            peaks: VecDeque::new(),
            gain: 1.0,
            done: false,
        }
    }

    /// The next frame, limited; `None` at the end.
    fn frame(&mut self) -> Option<Vec<f32>> {
        while !self.done && self.window.len() <= self.ahead {
            let frame: Vec<f32> = self.source.by_ref().take(self.channels).collect();
            if frame.len() < self.channels {
                self.done = true;
                break;
            }
            let peak = frame.iter().fold(0f32, |m, s| m.max(s.abs()));
            if peak > self.ceiling {
                let at = self.next + self.window.len() as u64;
                self.peaks.push_back((at, self.ceiling / peak));
            }
            self.window.push_back(frame);
        }
        let mut frame = self.window.pop_front()?;
        let now = self.next;
        self.next += 1;
        // What the peaks ahead will need, reached along a line: a peak k
        // frames away asks for its gain plus k/ahead of the way back to 1.
        let mut want = 1f32;
        for &(at, need) in &self.peaks {
            let k = (at - now) as f32;
            want = want.min(need + (1.0 - need) * k / self.ahead as f32);
        }
        while self.peaks.front().is_some_and(|&(at, _)| at <= now) {
            self.peaks.pop_front();
        }
        self.gain = if want < self.gain {
            want
        } else {
            self.gain + (want - self.gain) * self.release
        };
        for s in &mut frame {
            *s *= self.gain;
        }
        Some(frame)
    }
}

/// Writes the frames as a 16-bit PCM WAV, synced to the disk.
fn write_wav<S: Iterator<Item = f32>>(
    path: &Path,
    rate: u32,
    channels: u16,
    mut frames: Limiter<S>,
) -> std::io::Result<()> {
    let file = std::fs::File::create(path)?;
    let mut w = std::io::BufWriter::new(&file);
    // The header's sizes are filled in at the end.
    w.write_all(&header(rate, channels, 0))?;
    let mut bytes: u64 = 0;
    while let Some(frame) = frames.frame() {
        for s in frame {
            let v = (s.clamp(-1.0, 1.0) * 32767.0).round() as i16;
            w.write_all(&v.to_le_bytes())?;
            bytes += 2;
        }
    }
    let data = u32::try_from(bytes).map_err(|_| std::io::Error::other("speech over 4 GiB"))?;
    w.flush()?;
    drop(w);
    use std::os::unix::fs::FileExt as _;
    file.write_all_at(&header(rate, channels, data), 0)?;
    file.sync_all()
}

/// A canonical 44-byte WAV header for `data` bytes of 16-bit PCM.
pub fn header(rate: u32, channels: u16, data: u32) -> [u8; 44] {
    let block = channels * 2;
    let mut h = [0u8; 44];
    let mut at = 0;
    let mut put = |b: &[u8]| {
        h[at..at + b.len()].copy_from_slice(b);
        at += b.len();
    };
    put(b"RIFF");
    put(&(36 + data).to_le_bytes());
    put(b"WAVEfmt ");
    put(&16u32.to_le_bytes());
    put(&1u16.to_le_bytes());
    put(&channels.to_le_bytes());
    put(&rate.to_le_bytes());
    put(&(rate * u32::from(block)).to_le_bytes());
    put(&block.to_le_bytes());
    put(&16u16.to_le_bytes());
    put(b"data");
    put(&data.to_le_bytes());
    h
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A tone at a speech-like level with short sharp clicks: levelled, no
    /// sample goes over the ceiling, the tone between the clicks keeps its
    /// level, and the length is unchanged.
    #[test]
    fn peaks_are_held_to_the_ceiling_and_the_rest_keeps_its_level() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("s.wav");
        let rate = 22_050u32;
        let n = rate as usize * 3;
        let samples: Vec<i16> = (0..n)
            .map(|i| {
                let t = i as f64 / f64::from(rate);
                let tone = 0.25 * (t * 300.0 * std::f64::consts::TAU).sin();
                // A 1 ms click at full scale every half second.
                let click = if i % (rate as usize / 2) < 22 {
                    0.74
                } else {
                    0.0
                };
                ((tone + click).clamp(-1.0, 1.0) * 32767.0) as i16
            })
            .collect();
        let mut bytes = header(rate, 1, (n * 2) as u32).to_vec();
        for s in &samples {
            bytes.extend_from_slice(&s.to_le_bytes());
        }
        std::fs::write(&path, &bytes).unwrap();
        let (lufs, peak, _, _) = measure(&path).unwrap();
        assert!(peak > 0.98, "{peak}");
        assert!(level(&path).unwrap(), "not levelled");
        let (after, peak_after, r, c) = measure(&path).unwrap();
        assert_eq!((r, c), (rate, 1));
        let ceiling = 10f64.powf((lufs + CREST_DB) / 20.0) as f32;
        assert!(
            peak_after <= ceiling * 1.001,
            "peak {peak_after} over {ceiling}"
        );
        // The clicks carry little of the loudness: it moves by under 1 LU.
        assert!((after - lufs).abs() < 1.0, "{lufs} -> {after}");
        let back = std::fs::read(&path).unwrap();
        assert_eq!(back.len(), bytes.len(), "length changed");
        // Between clicks the tone is as it was.
        let mid = 44 + 2 * (rate as usize / 4);
        let was = i16::from_le_bytes([bytes[mid], bytes[mid + 1]]);
        let now = i16::from_le_bytes([back[mid], back[mid + 1]]);
        assert!(
            (i32::from(was) - i32::from(now)).abs() <= 2,
            "{was} -> {now}"
        );
        // A plain tone stands 3 dB over its loudness: left as it is.
        let plain = dir.path().join("p.wav");
        let mut bytes = header(rate, 1, (n * 2) as u32).to_vec();
        for i in 0..n {
            let t = i as f64 / f64::from(rate);
            let v = (0.5 * (t * 300.0 * std::f64::consts::TAU).sin() * 32767.0) as i16;
            bytes.extend_from_slice(&v.to_le_bytes());
        }
        std::fs::write(&plain, &bytes).unwrap();
        assert!(!level(&plain).unwrap());
        assert_eq!(std::fs::read(&plain).unwrap(), bytes);
    }
}
