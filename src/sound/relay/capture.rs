//! The line input (`alsa:<pcm>`): an ALSA capture PCM opened through cpal
//! by name, whose callback converts what it records and feeds the ring.

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use cpal::traits::{DeviceTrait, HostTrait, StreamTrait};
use cpal::{FromSample, SampleFormat, SizedSample, StreamConfig};

use super::decode::{Convert, feed};
use super::http::STALL;
use super::{Feeder, RATE};

/// What the callback and the watching thread share.
#[derive(Default)]
struct State {
    /// Milliseconds from `began` to the last callback with frames.
    last_ms: AtomicU64,
    sent: AtomicBool,
    failed: Mutex<Option<String>>,
}

/// Records `pcm` into `feeder` until it is stopped (Ok), or the capture
/// fails or gives nothing for [`STALL`] (the reason).
pub(super) fn run(pcm: &str, feeder: &Feeder, sent: &mut bool) -> Result<(), String> {
    let device = find(pcm)?;
    let (config, sample) = choose(&device)?;
    let state = Arc::new(State::default());
    let began = Instant::now();
    let stream = match sample {
        SampleFormat::F32 => build::<f32>(&device, config, feeder, &state, began),
        SampleFormat::I32 => build::<i32>(&device, config, feeder, &state, began),
        SampleFormat::I16 => build::<i16>(&device, config, feeder, &state, began),
        other => Err(format!("sample format {other} is not supported")),
    }?;
    stream.play().map_err(|e| e.to_string())?;
    loop {
        if !feeder.sleep(Duration::from_millis(250)) {
            return Ok(());
        }
        *sent |= state.sent.load(Ordering::Acquire);
        if let Some(e) = state.failed.lock().ok().and_then(|mut f| f.take()) {
            return Err(e);
        }
        let last = Duration::from_millis(state.last_ms.load(Ordering::Acquire));
        if began.elapsed().saturating_sub(last) >= STALL {
            return Err(format!(
                "no sound from the capture for {} s",
                STALL.as_secs()
            ));
        }
    }
}

fn find(pcm: &str) -> Result<cpal::Device, String> {
    let host = cpal::default_host();
    if pcm == "default" {
        return host
            .default_input_device()
            .ok_or_else(|| "no default capture device".to_string());
    }
    let id = cpal::DeviceId::new(host.id(), pcm);
    host.device_by_id(&id)
        .ok_or_else(|| format!("no capture device named \"{pcm}\""))
}

/// 48 kHz stereo if the device takes it, else the nearest it offers
/// (converted afterwards).
fn choose(device: &cpal::Device) -> Result<(StreamConfig, SampleFormat), String> {
    let rank = |f: SampleFormat| match f {
        SampleFormat::F32 => Some(0),
        SampleFormat::I32 => Some(1),
        SampleFormat::I16 => Some(2),
        _ => None,
    };
    let ranges: Vec<_> = device
        .supported_input_configs()
        .map_err(|e| e.to_string())?
        .filter(|r| rank(r.sample_format()).is_some())
        .collect();
    let best = ranges.iter().min_by_key(|r| {
        (
            r.channels() != 2,
            !r.contains_rate(RATE),
            rank(r.sample_format()),
        )
    });
    let Some(range) = best else {
        return Err("the capture device offers no sample format loa can read".into());
    };
    let rate = if range.contains_rate(RATE) {
        RATE
    } else {
        range.max_sample_rate()
    };
    let config = StreamConfig {
        channels: range.channels(),
        sample_rate: rate,
        buffer_size: cpal::BufferSize::Default,
    };
    Ok((config, range.sample_format()))
}

fn build<T: SizedSample>(
    device: &cpal::Device,
    config: StreamConfig,
    feeder: &Feeder,
    state: &Arc<State>,
    began: Instant,
) -> Result<cpal::Stream, String>
where
    f32: FromSample<T>,
{
    let channels = usize::from(config.channels);
    let rate = config.sample_rate;
    let feeder = feeder.share();
    let (shared, failed) = (state.clone(), state.clone());
    let mut convert = Convert::default();
    let (mut floats, mut out) = (Vec::new(), Vec::new());
    let data = move |input: &[T], _: &cpal::InputCallbackInfo| {
        if input.is_empty() {
            return;
        }
        floats.clear();
        floats.extend(input.iter().map(|&s| f32::from_sample_(s)));
        out.clear();
        convert.run(&floats, channels, rate, &mut out);
        feed(&feeder, &out, None);
        let ms = began.elapsed().as_millis() as u64;
        shared.last_ms.store(ms, Ordering::Release);
        shared.sent.store(true, Ordering::Release);
    };
    let error = move |e: cpal::Error| {
        // An overrun loses a little sound; cpal prepares the device again.
        if matches!(e.kind(), cpal::ErrorKind::Xrun) {
            return;
        }
        if let Ok(mut f) = failed.failed.lock() {
            f.get_or_insert_with(|| e.to_string());
        }
    };
    device
        .build_input_stream::<T, _, _>(config, data, error, None)
        .map_err(|e| e.to_string())
}
