//! Decoding what a source sends to the ring's format: symphonia reads the
//! stream packet by packet (it cannot seek), [`Convert`] maps channels to
//! stereo and the rate to [`RATE`], and [`feed`] hands the result to the
//! ring in chunks of at most [`CHUNK`].

use std::time::Duration;

use symphonia::core::audio::{SampleBuffer, SignalSpec};
use symphonia::core::codecs::{CODEC_TYPE_NULL, Decoder, DecoderOptions};
use symphonia::core::errors::Error;
use symphonia::core::formats::{FormatOptions, FormatReader};
use symphonia::core::io::{MediaSource, MediaSourceStream};
use symphonia::core::meta::MetadataOptions;
use symphonia::core::probe::Hint;

use super::{CHANNELS, Feeder, RATE};

/// At most this much sound goes to the ring at once (50 ms), so the output
/// never waits behind a big block.
pub(super) const CHUNK: usize = (RATE as usize / 20) * CHANNELS as usize;
/// Packets in a row that may fail to decode before the stream counts as
/// broken (a few bad frames after a hiccup are skipped).
const BAD_PACKETS: u32 = 50;

/// A probe hint from a Content-Type and a file extension.
pub(super) fn hint(mime: &str, extension: Option<&str>) -> Hint {
    let mut hint = Hint::new();
    let ext = hint_extension(mime).or(extension);
    if !mime.is_empty() {
        hint.mime_type(mime);
    }
    if let Some(ext) = ext {
        hint.with_extension(ext);
    }
    hint
}

/// The extension symphonia knows a Content-Type's format by.
pub(super) fn hint_extension(mime: &str) -> Option<&'static str> {
    match mime {
        "audio/mpeg" | "audio/mp3" | "audio/mpeg3" => Some("mp3"),
        "audio/aac" | "audio/aacp" | "audio/x-aac" => Some("aac"),
        "application/ogg" | "audio/ogg" | "audio/vorbis" => Some("ogg"),
        _ => None,
    }
}

/// Pushes `samples` (interleaved stereo at [`RATE`]) in chunks of at most
/// [`CHUNK`]. With `pace`, waits before each chunk while the ring holds
/// more than that (a source faster than real time). False once stopped.
pub(super) fn feed(feeder: &Feeder, samples: &[f32], pace: Option<Duration>) -> bool {
    for chunk in samples.chunks(CHUNK) {
        if let Some(limit) = pace {
            while feeder.buffered() > limit {
                if !feeder.sleep(Duration::from_millis(50)) {
                    return false;
                }
            }
        }
        if feeder.stopped() {
            return false;
        }
        feeder.push(chunk);
    }
    !feeder.stopped()
}

/// Decodes `source` to its end, feeding the ring; `sent` becomes true once
/// sound went to it. Ok at the end of the stream or once stopped.
///
/// Errors: the stream is not one of the formats built in, or its
/// transport or decoding failed (the reason, for people).
pub(super) fn decode(
    source: Box<dyn MediaSource>,
    hint: &Hint,
    feeder: &Feeder,
    convert: &mut Convert,
    sent: &mut bool,
    pace: Option<Duration>,
) -> Result<(), String> {
    let stream = MediaSourceStream::new(source, Default::default());
    let probed = symphonia::default::get_probe()
        .format(
            hint,
            stream,
            &FormatOptions::default(),
            &MetadataOptions::default(),
        )
        .map_err(|e| reason(&e, "not a stream loa can decode"))?;
    let mut format = probed.format;
    let (mut track, mut decoder) = open_track(&*format)?;
    let mut buffer: Option<(SignalSpec, SampleBuffer<f32>)> = None;
    let mut bad = 0;
    let mut out = Vec::new();
    loop {
        if feeder.stopped() {
            return Ok(());
        }
        let packet = match format.next_packet() {
            Ok(p) => p,
            // A chained Ogg stream (a new logical stream after a metadata
            // change on Icecast): decode on with the new stream's decoder.
            Err(Error::ResetRequired) => {
                (track, decoder) = open_track(&*format)?;
                continue;
            }
            Err(Error::IoError(e)) if e.kind() == std::io::ErrorKind::UnexpectedEof => {
                return Ok(());
            }
            Err(e) => return Err(reason(&e, "reading the stream failed")),
        };
        if packet.track_id() != track {
            continue;
        }
        let decoded = match decoder.decode(&packet) {
            Ok(d) => d,
            Err(Error::DecodeError(e)) => {
                bad += 1;
                if bad > BAD_PACKETS {
                    return Err(format!("cannot decode the stream: {e}"));
                }
                continue;
            }
            Err(Error::ResetRequired) => {
                (track, decoder) = open_track(&*format)?;
                continue;
            }
            Err(e) => return Err(reason(&e, "decoding failed")),
        };
        bad = 0;
        let spec = *decoded.spec();
        let frames = decoded.capacity() as u64;
        let fits = matches!(&buffer, Some((s, b)) if *s == spec && b.capacity() as u64 >= frames * spec.channels.count() as u64);
        if !fits {
            buffer = Some((spec, SampleBuffer::new(frames, spec)));
        }
        let Some((_, buf)) = buffer.as_mut() else {
            continue;
        };
        buf.copy_interleaved_ref(decoded);
        out.clear();
        convert.run(buf.samples(), spec.channels.count(), spec.rate, &mut out);
        if !out.is_empty() {
            *sent = true;
        }
        if !feed(feeder, &out, pace) {
            return Ok(());
        }
    }
}

fn reason(e: &Error, what: &str) -> String {
    match e {
        Error::IoError(io) => io.to_string(),
        _ => format!("{what}: {e}"),
    }
}

fn open_track(format: &dyn FormatReader) -> Result<(u32, Box<dyn Decoder>), String> {
    let track = format
        .tracks()
        .iter()
        .find(|t| t.codec_params.codec != CODEC_TYPE_NULL)
        .ok_or_else(|| "the stream has no audio track".to_string())?;
    let decoder = symphonia::default::get_codecs()
        .make(&track.codec_params, &DecoderOptions::default())
        .map_err(|e| format!("no decoder for the stream: {e}"))?;
    Ok((track.id, decoder))
}

/// Interleaved sound of any rate and channel count to stereo at [`RATE`]:
/// mono goes to both channels, more than two keep the first two, and the
/// rate is converted by linear interpolation (enough for speech and news
/// radio on a loudspeaker line), carried across calls.
#[derive(Debug, Default)]
pub(super) struct Convert {
    rate: u32,
    channels: usize,
    /// The next output frame's position in input frames, counted from
    /// `prev` (position 0) when there is one.
    pos: f64,
    prev: Option<[f32; 2]>,
    frames: Vec<[f32; 2]>,
}

impl Convert {
    /// Appends `input` (interleaved, `channels` at `rate`) converted to
    /// `out`.
    pub fn run(&mut self, input: &[f32], channels: usize, rate: u32, out: &mut Vec<f32>) {
        if channels == 0 || rate == 0 {
            return;
        }
        if (rate, channels) != (self.rate, self.channels) {
            *self = Convert {
                rate,
                channels,
                ..Convert::default()
            };
        }
        self.frames.clear();
        self.frames.extend(self.prev);
        self.frames
            .extend(input.chunks_exact(channels).map(|f| match f {
                [m] => [*m, *m],
                [l, r, ..] => [*l, *r],
                [] => [0.0, 0.0],
            }));
        let Some(&last) = self.frames.last() else {
            return;
        };
        if rate == RATE {
            // Same rate: the frames as they are (the held one included).
            for f in &self.frames[..self.frames.len() - 1] {
                out.extend_from_slice(f);
            }
        } else {
            let step = f64::from(rate) / f64::from(RATE);
            let end = (self.frames.len() - 1) as f64;
            while self.pos < end {
                let i = self.pos as usize;
                let t = (self.pos - i as f64) as f32;
                let (a, b) = (self.frames[i], self.frames[i + 1]);
                out.push(a[0] + (b[0] - a[0]) * t);
                out.push(a[1] + (b[1] - a[1]) * t);
                self.pos += step;
            }
            self.pos -= end;
        }
        self.prev = Some(last);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sine(freq: f32, rate: u32, channels: usize, secs: f32) -> Vec<f32> {
        let n = (rate as f32 * secs) as usize;
        (0..n)
            .flat_map(|i| {
                let v = (i as f32 * freq * std::f32::consts::TAU / rate as f32).sin() * 0.5;
                std::iter::repeat_n(v, channels)
            })
            .collect()
    }

    /// Zero crossings (upward) per second of the left channel.
    fn frequency(stereo: &[f32]) -> f32 {
        let left: Vec<f32> = stereo.iter().step_by(2).copied().collect();
        let ups = left
            .windows(2)
            .filter(|w| w[0] < 0.0 && w[1] >= 0.0)
            .count();
        ups as f32 * RATE as f32 / left.len() as f32
    }

    #[test]
    fn rates_and_channels_become_48k_stereo_across_uneven_blocks() {
        for (rate, channels) in [
            (44_100, 2),
            (22_050, 1),
            (32_000, 6),
            (48_000, 2),
            (48_000, 1),
        ] {
            let input = sine(440.0, rate, channels, 1.0);
            let mut convert = Convert::default();
            let mut out = Vec::new();
            // Blocks of uneven, odd sizes, as packets come.
            let mut rest = &input[..];
            let mut size = 1;
            while !rest.is_empty() {
                let n = (size * channels).min(rest.len());
                convert.run(&rest[..n], channels, rate, &mut out);
                rest = &rest[n..];
                size = size * 7 % 1153 + 1;
            }
            let frames = out.len() / 2;
            assert_eq!(out.len() % 2, 0);
            assert!(
                frames.abs_diff(48_000) <= 2,
                "{rate} Hz × {channels}: {frames} frames"
            );
            let f = frequency(&out);
            assert!((f - 440.0).abs() < 2.0, "{rate} Hz × {channels}: {f} Hz");
            let peak = out.iter().fold(0.0f32, |m, s| m.max(s.abs()));
            assert!((peak - 0.5).abs() < 0.01, "peak {peak}");
            // Mono goes to both channels.
            assert!(out.chunks(2).all(|f| f[0] == f[1]));
        }
    }

    #[test]
    fn a_new_rate_starts_afresh() {
        let mut convert = Convert::default();
        let mut out = Vec::new();
        convert.run(&sine(440.0, 44_100, 2, 0.5), 2, 44_100, &mut out);
        out.clear();
        convert.run(&sine(440.0, 24_000, 2, 0.5), 2, 24_000, &mut out);
        assert!((out.len() / 2).abs_diff(24_000) <= 2, "{}", out.len() / 2);
    }
}
