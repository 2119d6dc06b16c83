//! The outputs loa can name and how loud what went out was: the table of
//! sinks by configured device name (`null`, or an ALSA PCM), the
//! [`Levels`] of what was sent and [`SILENT_DBFS`]. Value-level, below config (which refuses a name no sink
//! takes), relay (a line input is an ALSA capture PCM) and the player
//! (which opens the sink a name selects).

/// Below this peak (dBFS) throughout, a program is silence (SPEC §3:
/// `failed`/`silent`). −60 dBFS is 0.1 % of full scale: under the noise of
/// a 10-bit recording, far under any speech or music at broadcast level
/// (loudness normalisation brings programs to about −16 LUFS).
pub const SILENT_DBFS: f64 = -60.0;

/// The level of a program's samples as they were sent to the device.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Levels {
    /// Samples (not frames) measured.
    pub samples: u64,
    /// Sum of their squares.
    pub sum_sq: f64,
    /// Largest absolute sample (1.0 is full scale; clipped there).
    pub peak: f32,
}

impl Levels {
    /// RMS level in dBFS, to 0.1 dB (a full-scale sine is −3.0); None when
    /// nothing was measured, −120 for digital silence.
    pub fn rms_db(&self) -> Option<f64> {
        (self.samples > 0).then(|| db((self.sum_sq / self.samples as f64).sqrt()))
    }

    /// Peak level in dBFS, to 0.1 dB; None when nothing was measured.
    pub fn peak_db(&self) -> Option<f64> {
        (self.samples > 0).then(|| db(f64::from(self.peak)))
    }

    /// Something was sent and all of it stayed under [`SILENT_DBFS`].
    pub fn silent(&self) -> bool {
        self.peak_db().is_some_and(|p| p < SILENT_DBFS)
    }
}

/// dBFS of a linear level, to 0.1 dB, floored at −120.
fn db(x: f64) -> f64 {
    let d = if x > 0.0 { 20.0 * x.log10() } else { -120.0 };
    let d = (d.max(-120.0) * 10.0).round() / 10.0;
    // No "-0.0" on record.
    if d == 0.0 { 0.0 } else { d }
}

/// The kinds of sink loa has.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SinkKind {
    /// Keeps real time on tokio timers and makes no sound.
    Null,
    /// An ALSA PCM by name, through cpal.
    Alsa,
}

/// Sinks by configured name; any other name that could be an ALSA PCM's
/// is one.
pub const SINKS: &[(&str, SinkKind)] = &[("null", SinkKind::Null)];

/// The sink a configured device name selects: one from [`SINKS`], else
/// ALSA for a name an ALSA PCM can have (`default`, `plughw:1,0`,
/// `hw:CARD=PCH,DEV=0`, a name from asound.conf). None for anything else,
/// and for a spelling of "null" that is not exactly it ("Null", "nul",
/// "none"), so a slip never turns a rehearsal into a broadcast: config
/// refuses it with its place in the file.
pub fn sink_for(device: &str) -> Option<SinkKind> {
    if let Some((_, kind)) = SINKS.iter().find(|(name, _)| *name == device) {
        return Some(*kind);
    }
    let lower = device.to_ascii_lowercase();
    if ["null", "none", "off", "nul", "nil", "no"].contains(&lower.as_str()) {
        return None;
    }
    let (base, args) = device.split_once(':').unwrap_or((device, ""));
    let mut chars = base.chars();
    let pcm = chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-' || c == '.')
        && !args.chars().any(|c| c.is_whitespace() || c.is_control());
    pcm.then_some(SinkKind::Alsa)
}
