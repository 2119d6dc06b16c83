//! The ALSA device through cpal: which format to open it in, and the output
//! callback that takes each buffer from the program source at the instant
//! the device's playback clock gives for its first frame.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::mpsc as std_mpsc;
use std::time::Instant;

use cpal::traits::{DeviceTrait, HostTrait};
use cpal::{BufferSize, FromSample, SampleFormat, SizedSample, StreamConfig, SupportedBufferSize};

use super::Ending;
use super::source::ProgramSource;

/// Frames per ALSA period while a broadcast sounds (1 ms at 48 kHz; cpal's
/// buffer holds two). The first sample is placed by the device's reported
/// delay, which covers the buffer on a real card; where a device holds
/// samples it does not report (the SPEC §8 capture holds two periods and
/// about 2 ms more), a short period keeps that hidden part small: measured
/// there, 3.5 ms late with 48 frames, 4.2 with 64, 6.1 with 96, 12.2 with
/// 240 (bench/README.md). `LOA_ALSA_PERIOD` overrides it, for measuring.
pub const PERIOD_FRAMES: u32 = 48;
/// The rate asked of the device when it has a choice.
const RATE: u32 = 48_000;

/// What the callback tells the audio thread.
#[derive(Debug)]
pub(super) enum Note {
    Started(Instant),
    Ended(Ending, Instant),
    Failed(String),
}

/// Counters the callback keeps for the audio thread.
#[derive(Debug, Default)]
pub(super) struct Shared {
    pub callbacks: AtomicU64,
    pub xruns: AtomicU64,
    /// The device's last reported delay (playback − callback), in µs.
    pub delay_us: AtomicU64,
}

/// The format a device is opened in.
#[derive(Clone, Debug)]
pub(super) struct Format {
    pub config: StreamConfig,
    pub sample: SampleFormat,
}

/// The period size to use: [`PERIOD_FRAMES`] unless `LOA_ALSA_PERIOD` says.
pub fn period_frames() -> u32 {
    std::env::var("LOA_ALSA_PERIOD")
        .ok()
        .and_then(|s| s.parse().ok())
        .filter(|p| *p > 0)
        .unwrap_or(PERIOD_FRAMES)
}

pub(super) fn find_device(name: &str) -> Result<cpal::Device, String> {
    let host = cpal::default_host();
    if name == "default" {
        return host
            .default_output_device()
            .ok_or_else(|| "no default output device".to_string());
    }
    let id = cpal::DeviceId::new(host.id(), name);
    host.device_by_id(&id)
        .ok_or_else(|| format!("no output device named \"{name}\""))
}

/// Stereo at 48 kHz in floats if the device takes it, else the nearest it
/// offers, with the short period clamped into the device's range.
pub(super) fn choose(device: &cpal::Device) -> Result<Format, String> {
    let ranges: Vec<_> = device
        .supported_output_configs()
        .map_err(|e| e.to_string())?
        .filter(|r| sample_rank(r.sample_format()).is_some())
        .collect();
    let best = ranges.iter().min_by_key(|r| {
        (
            r.channels() != 2,
            !r.contains_rate(RATE),
            sample_rank(r.sample_format()),
        )
    });
    let Some(range) = best else {
        return Err("the device takes no sample format loa can write".into());
    };
    let rate = if range.contains_rate(RATE) {
        RATE
    } else {
        range.max_sample_rate()
    };
    let period = period_frames();
    let period = match range.buffer_size() {
        SupportedBufferSize::Range { min, max } => period.clamp(*min, (*max).max(*min)),
        SupportedBufferSize::Unknown => period,
    };
    Ok(Format {
        config: StreamConfig {
            channels: range.channels(),
            sample_rate: rate,
            buffer_size: BufferSize::Fixed(period),
        },
        sample: range.sample_format(),
    })
}

/// Lower is better; None: not written by loa.
fn sample_rank(f: SampleFormat) -> Option<u8> {
    match f {
        SampleFormat::F32 => Some(0),
        SampleFormat::I32 => Some(1),
        SampleFormat::I16 => Some(2),
        _ => None,
    }
}

/// Opens the output stream (not yet playing) that feeds `source` to the
/// device. Errors: the device refused the format or could not be opened.
pub(super) fn open(
    device: &cpal::Device,
    format: &Format,
    source: ProgramSource,
    notes: std_mpsc::Sender<Note>,
    shared: Arc<Shared>,
) -> Result<cpal::Stream, String> {
    match format.sample {
        SampleFormat::F32 => build::<f32>(device, format, source, notes, shared),
        SampleFormat::I32 => build::<i32>(device, format, source, notes, shared),
        SampleFormat::I16 => build::<i16>(device, format, source, notes, shared),
        other => Err(format!("sample format {other} is not supported")),
    }
}

fn build<T: SizedSample + FromSample<f32>>(
    device: &cpal::Device,
    format: &Format,
    mut source: ProgramSource,
    notes: std_mpsc::Sender<Note>,
    shared: Arc<Shared>,
) -> Result<cpal::Stream, String> {
    let failed = notes.clone();
    let counters = shared.clone();
    let mut buf: Vec<f32> = Vec::new();
    let data = move |out: &mut [T], info: &cpal::OutputCallbackInfo| {
        let now = Instant::now();
        let ts = info.timestamp();
        // The driver's own delay: how long after this callback the first
        // frame written now leaves the device.
        let delay = ts.playback.saturating_duration_since(ts.callback);
        shared.callbacks.fetch_add(1, Ordering::Relaxed);
        shared
            .delay_us
            .store(delay.as_micros() as u64, Ordering::Relaxed);
        if buf.len() != out.len() {
            buf.resize(out.len(), 0.0);
        }
        let r = source.render(&mut buf, now + delay);
        for (o, s) in out.iter_mut().zip(&buf) {
            *o = T::from_sample(s.clamp(-1.0, 1.0));
        }
        if let Some(t) = r.started {
            let _ = notes.send(Note::Started(t));
        }
        if let Some((ending, t)) = r.ended {
            let _ = notes.send(Note::Ended(ending, t));
        }
    };
    let reported = AtomicBool::new(false);
    let error = move |e: cpal::Error| match e.kind() {
        // cpal has prepared the device again; a click, not a failure.
        cpal::ErrorKind::Xrun => {
            counters.xruns.fetch_add(1, Ordering::Relaxed);
        }
        cpal::ErrorKind::DeviceChanged => {}
        // cpal can report a pulled card in a tight loop: pass on the first.
        _ => {
            if !reported.swap(true, Ordering::AcqRel) {
                let _ = failed.send(Note::Failed(e.to_string()));
            }
        }
    };
    device
        .build_output_stream::<T, _, _>(format.config, data, error, None)
        .map_err(|e| e.to_string())
}

/// The ALSA outputs cpal can enumerate, as (PCM name, description).
pub(super) fn device_names() -> Vec<(String, String)> {
    let host = cpal::default_host();
    let Ok(devices) = host.output_devices() else {
        return Vec::new();
    };
    named(devices)
}

/// The ALSA capture PCMs cpal can enumerate (a relay's line input), as
/// (PCM name, description).
pub(super) fn capture_names() -> Vec<(String, String)> {
    let host = cpal::default_host();
    let Ok(devices) = host.input_devices() else {
        return Vec::new();
    };
    named(devices)
}

fn named(devices: impl Iterator<Item = cpal::Device>) -> Vec<(String, String)> {
    devices
        .filter_map(|d| {
            let id = d.id().ok()?.id().to_string();
            let desc = d
                .description()
                .map(|x| x.name().to_string())
                .unwrap_or_default();
            Some((id, desc))
        })
        .collect()
}
