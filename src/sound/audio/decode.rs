//! Decoding a recording, with decoder panics contained, and measuring its
//! exact length and loudness in one pass.

use std::fs::File;
use std::io::BufReader;
use std::path::Path;
use std::time::Duration;

use super::files::supported;
use super::sniff::why_undecodable;
use super::{AudioError, AudioInfo, Loudness, io_error};

/// Opens a decoder for a recording. Used for probing and for playback.
pub fn decoder(path: &Path) -> Result<rodio::Decoder<BufReader<File>>, AudioError> {
    if !supported(path) {
        return Err(AudioError::Unsupported);
    }
    let file = File::open(path).map_err(|e| io_error(&e, path))?;
    let len = file
        .metadata()
        .map(|m| m.len())
        .map_err(|e| io_error(&e, path))?;
    if len == 0 {
        return Err(AudioError::Empty);
    }
    let mut b = rodio::Decoder::builder()
        .with_data(BufReader::new(file))
        .with_byte_len(len);
    if let Some(ext) = path.extension().and_then(|e| e.to_str()) {
        b = b.with_hint(&ext.to_ascii_lowercase());
    }
    match contain(|| b.build()) {
        Ok(Ok(d)) => Ok(d),
        Ok(Err(e)) => Err(why_undecodable(path, e.to_string())),
        Err(AudioError::Undecodable(why)) => Err(why_undecodable(path, why)),
        Err(e) => Err(e),
    }
}

thread_local! {
    /// Set while a decoder runs inside [`contain`], whose panics become
    /// errors: the panic hook then prints nothing.
    static CONTAINED: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Runs decoder code that may panic on a malformed file (the decoding
/// crates assert on, e.g., a sample rate of 0) and turns a panic into
/// [`AudioError::Undecodable`], so a bad recording can never take the
/// daemon or its audio thread down. Needs `panic = "unwind"`, the default:
/// never build loa with `panic = "abort"`.
pub fn contain<T>(f: impl FnOnce() -> T) -> Result<T, AudioError> {
    let outer = CONTAINED.with(|c| c.replace(true));
    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(f));
    CONTAINED.with(|c| c.set(outer));
    result.map_err(|payload| {
        let why = payload
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| payload.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "the decoder failed".into());
        AudioError::Undecodable(why)
    })
}

/// Keeps the standard panic message for real bugs, and silences panics that
/// [`contain`] turns into errors (they are reported as such).
pub fn install_panic_hook() {
    let standard = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        if !CONTAINED.with(|c| c.get()) {
            standard(info);
        }
    }));
}

/// Hashes and fully decodes a recording to learn its exact length and its
/// EBU R128 loudness, in one pass.
pub fn probe(path: &Path) -> Result<AudioInfo, AudioError> {
    let sha256 = crate::hash::sha256_file(path).map_err(|e| io_error(&e, path))?;
    probe_decoded(path, sha256)
}

pub(super) fn probe_decoded(path: &Path, sha256: String) -> Result<AudioInfo, AudioError> {
    contain(|| measure(path, sha256))?
}

pub(super) fn measure(path: &Path, sha256: String) -> Result<AudioInfo, AudioError> {
    use rodio::Source;
    let mut dec = decoder(path)?;
    let rate = dec.sample_rate().get();
    let channels = u32::from(dec.channels().get());
    let mut meter =
        ebur128::EbuR128::new(channels, rate, ebur128::Mode::I | ebur128::Mode::TRUE_PEAK).ok();
    let mut samples: u64 = 0;
    let mut buf: Vec<f32> = Vec::with_capacity(4096 * channels as usize);
    for s in dec.by_ref() {
        samples += 1;
        buf.push(s);
        if buf.len() == buf.capacity() {
            if let Some(m) = meter.as_mut() {
                let _ = m.add_frames_f32(&buf);
            }
            buf.clear();
        }
    }
    let whole = buf.len() - buf.len() % channels.max(1) as usize;
    if let Some(m) = meter.as_mut() {
        let _ = m.add_frames_f32(&buf[..whole]);
    }
    if samples == 0 {
        return Err(why_undecodable(path, "no audio".into()));
    }
    let length = Duration::from_secs_f64(samples as f64 / (f64::from(rate) * f64::from(channels)));
    let loudness = meter.and_then(|m| {
        let lufs = m.loudness_global().ok().filter(|l| l.is_finite())?;
        let peak = (0..channels)
            .filter_map(|c| m.true_peak(c).ok())
            .fold(0.0f64, f64::max);
        (peak > 0.0).then(|| Loudness {
            lufs: (lufs * 100.0).round() / 100.0,
            true_peak_db: (20.0 * peak.log10() * 100.0).round() / 100.0,
        })
    });
    Ok(AudioInfo {
        sha256,
        length,
        loudness,
        unmeasured: false,
    })
}
