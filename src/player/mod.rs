//! Sound output behind a small trait, with sinks chosen by name from a
//! table ([`crate::device::SINKS`]): the real ALSA device through cpal, and `null` (keeps
//! real time, no sound).
//!
//! The player above the sinks ([`source`]) decodes, applies gain and gates
//! the start; a sink only takes samples, a buffer at a time, saying when
//! the buffer's first frame leaves the device.
//!
//! A playback goes: [`Output::start`] opens the device ahead of time and
//! reports [`Event::Opened`]; the daemon writes the play log's `start` line
//! and then [`Gate::arm`]s the program; the first sample leaves the device
//! at the gate's instant ([`Event::Started`]); [`Event::Finished`] says how
//! it ended.

mod ahead;
mod alsa;
mod feed;
mod null;
mod relay;
mod source;
mod stream;

use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use tokio::sync::{Notify, mpsc};
use tokio::time::Instant;

pub use alsa::{AlsaOutput, PERIOD_FRAMES, period_frames};
pub use null::NullOutput;

use crate::device::{Levels, SinkKind, sink_for};
use crate::i18n::{Lang, Words};
use feed::{Feed, Samples};

/// Pause between the chime and the announcement.
pub const CHIME_GAP: Duration = Duration::from_millis(500);

/// One piece of a program.
#[derive(Clone, Debug, PartialEq)]
pub enum Segment {
    /// A recording, played at `gain` (linear).
    File {
        path: PathBuf,
        gain: f32,
        length: Duration,
    },
    Silence(Duration),
    /// A relay: what `live` receives, for `length`, at `gain` (linear).
    /// A program with a relay has nothing else in it. `live` is None in a
    /// program only composed, not played (the preview); a sink given one
    /// so starts receiving itself.
    Relay {
        source: crate::sound::relay::Source,
        live: Option<Arc<crate::sound::relay::Live>>,
        gain: f32,
        length: Duration,
    },
}

impl Segment {
    pub fn length(&self) -> Duration {
        match self {
            Segment::File { length, .. } | Segment::Relay { length, .. } => *length,
            Segment::Silence(d) => *d,
        }
    }
}

/// A relay's receiver, gain and length.
type Relayed = (Arc<crate::sound::relay::Live>, f32, Duration);

/// The relay a program is, if it is one: its receiver, gain and length.
/// The player never connects: a relay's receiver is started ahead by the
/// daemon (`Composed::attach`); one without is an error here.
fn relay_of(segments: &[Segment]) -> Option<Result<Relayed, String>> {
    match segments {
        [
            Segment::Relay {
                source,
                live,
                gain,
                length,
            },
        ] => Some(match live {
            Some(live) => Ok((live.clone(), *gain, *length)),
            None => Err(format!("{}: a relay with no receiver", source.as_record())),
        }),
        _ => None,
    }
}

/// Everything one playback sounds, in order.
#[derive(Clone, Debug)]
pub struct Program {
    pub segments: Vec<Segment>,
    pub gate: Arc<Gate>,
}

impl Program {
    pub fn length(&self) -> Duration {
        self.segments.iter().map(Segment::length).sum()
    }

    /// The format a sink free to choose (`null`) takes the program in: its
    /// first recording's, which then needs no conversion.
    fn preferred_format(&self) -> Option<(u16, u32)> {
        Feed::first_format(&self.segments)
    }

    /// The program's samples for a sink of `channels` × `rate`, gated and
    /// metered: its recordings decoded (`ahead`: on a decoding thread of
    /// their own, for a device whose callback must never decode), or its
    /// relay's receiver read. The one place a program becomes samples: a
    /// sink sees no path and starts no network thread.
    ///
    /// Errors: the first recording that cannot be decoded, named
    /// ([`Ending::DecodeError`]); a decoding thread that cannot start, or a
    /// relay without its receiver ([`Ending::DeviceError`]).
    fn samples(
        &self,
        channels: u16,
        rate: u32,
        stop: &Stop,
        ahead: bool,
    ) -> Result<(source::ProgramSource, Option<ahead::Shortfalls>), Ending> {
        let (samples, short): (Box<dyn Samples>, _) = match relay_of(&self.segments) {
            // A relay is taken from its ring as the sink asks: nothing to
            // decode.
            Some(relay) => {
                let (live, gain, length) = relay.map_err(Ending::DeviceError)?;
                (
                    Box::new(relay::RelayFeed::new(live, gain, length, channels, rate)),
                    None,
                )
            }
            None => {
                let feed =
                    Feed::open(&self.segments, channels, rate).map_err(Ending::DecodeError)?;
                if ahead {
                    let (samples, short) = ahead::spawn(feed, channels, rate, stop.clone())
                        .map_err(|e| {
                            Ending::DeviceError(format!("cannot start the decoding thread: {e}"))
                        })?;
                    (Box::new(samples), Some(short))
                } else {
                    (Box::new(feed), None)
                }
            }
        };
        let source = source::ProgramSource::new(samples, &self.gate, channels, rate, stop.clone());
        Ok((source, short))
    }
}

/// Holds the first sample back until the daemon has logged `start` and the
/// scheduled instant has come.
#[derive(Debug)]
pub struct Gate {
    at: Instant,
    armed: AtomicBool,
    notify: Notify,
}

impl Gate {
    pub fn new(at: Instant) -> Arc<Gate> {
        Arc::new(Gate {
            at,
            armed: AtomicBool::new(false),
            notify: Notify::new(),
        })
    }

    /// Lets the program start once `at` is reached.
    pub fn arm(&self) {
        self.armed.store(true, Ordering::Release);
        self.notify.notify_one();
    }

    pub fn is_armed(&self) -> bool {
        self.armed.load(Ordering::Acquire)
    }

    pub fn at(&self) -> Instant {
        self.at
    }

    /// Waits (async) until armed and `at` has come.
    pub async fn opened(&self) {
        while !self.is_armed() {
            self.notify.notified().await;
        }
        tokio::time::sleep_until(self.at).await;
    }
}

/// Stops a playback from another thread or task.
#[derive(Clone, Debug, Default)]
pub struct Stop {
    inner: Arc<(AtomicBool, Notify)>,
}

impl Stop {
    pub fn stop(&self) {
        self.inner.0.store(true, Ordering::Release);
        self.inner.1.notify_waiters();
        self.inner.1.notify_one();
    }

    pub fn is_stopped(&self) -> bool {
        self.inner.0.load(Ordering::Acquire)
    }

    pub async fn stopped(&self) {
        while !self.is_stopped() {
            self.inner.1.notified().await;
        }
    }
}

/// How a playback ended.
#[derive(Clone, Debug, PartialEq)]
pub enum Ending {
    Completed,
    /// Stopped on request (emergency, shutdown).
    Stopped,
    /// The device could not be opened or failed while playing.
    DeviceError(String),
    /// A file could not be decoded.
    DecodeError(String),
}

/// What a backend reports about one playback, tagged with its token.
#[derive(Clone, Debug, PartialEq)]
pub enum Event {
    /// The device is open; waiting for the gate.
    Opened { token: u64 },
    /// The program's first sample leaves the device at `at` (its playback
    /// instant, by the device's clock). Sent once `at` has come.
    Started { token: u64, at: Instant },
    /// The playback is over; `played` is the sound time after the gate.
    Finished {
        token: u64,
        played: Duration,
        ending: Ending,
        /// The level of what was sent to the device after the gate.
        levels: Levels,
    },
}

/// Where a sink says what became of one playback: the same three events,
/// in the same order, tagged with the playback's token, whatever the sink.
#[derive(Clone, Debug)]
pub struct Report {
    token: u64,
    events: mpsc::UnboundedSender<Event>,
}

impl Report {
    pub fn new(token: u64, events: mpsc::UnboundedSender<Event>) -> Report {
        Report { token, events }
    }

    /// The device is open and the program's samples are ready.
    pub fn opened(&self) {
        let _ = self.events.send(Event::Opened { token: self.token });
    }

    /// The first sample left the device at `at` (sent once `at` has come).
    pub fn started(&self, at: std::time::Instant) {
        let _ = self.events.send(Event::Started {
            token: self.token,
            at: Instant::from_std(at),
        });
    }

    /// The playback is over: the last word on it.
    pub fn finished(self, played: Duration, ending: Ending, levels: Levels) {
        let _ = self.events.send(Event::Finished {
            token: self.token,
            played,
            ending,
            levels,
        });
    }

    /// It could not begin: nothing was played.
    pub fn failed(self, ending: Ending) {
        self.finished(Duration::ZERO, ending, Levels::default());
    }
}

/// A sound output.
pub trait Output: Send + Sync {
    /// Begins a playback: opens the device now and sounds `program` when its
    /// gate opens, saying what becomes of it to `report`. Never blocks for
    /// long.
    fn start(&self, program: Program, report: Report) -> Stop;

    /// The device name, as recorded in the play log.
    fn device(&self) -> &str;
}

/// The output for a configured device name (config has refused names no
/// sink takes; one that slips through is tried as an ALSA PCM, and fails
/// each broadcast with device_error).
pub fn open(device: &str) -> Box<dyn Output> {
    match sink_for(device) {
        Some(SinkKind::Null) => Box::new(NullOutput::new()),
        Some(SinkKind::Alsa) | None => Box::new(AlsaOutput::new(device)),
    }
}

/// `loa devices`: prints the outputs ALSA knows, one per line, then,
/// under a heading, the capture PCMs a relay can take as its line input.
pub fn list_devices(lang: Lang) -> ExitCode {
    let words = Words::new(lang);
    let names = alsa::device_names();
    println!("null\t(loa: no sound, keeps real time)");
    if names.is_empty() {
        eprintln!("{}", words.no_devices());
    }
    for (id, desc) in names {
        println!("{id}\t{desc}");
    }
    // Only what `relay:` takes (not `null`, which is loa's own sink).
    let captures: Vec<_> = alsa::capture_names()
        .into_iter()
        .filter(|(id, _)| sink_for(id) == Some(SinkKind::Alsa))
        .collect();
    println!();
    println!("{}", words.capture_devices());
    if captures.is_empty() {
        eprintln!("{}", words.no_capture_devices());
    }
    for (id, desc) in captures {
        println!("alsa:{id}\t{desc}");
    }
    ExitCode::SUCCESS
}

#[cfg(test)]
mod level_tests {
    use crate::device::Levels;

    #[test]
    fn levels_are_dbfs_to_a_tenth_with_no_minus_zero() {
        // A full-scale square wave: RMS and peak both 0 dBFS.
        let full = Levels {
            samples: 4,
            sum_sq: 4.0,
            peak: 1.0,
        };
        assert_eq!(full.rms_db().map(f64::to_bits), Some(0.0f64.to_bits()));
        assert_eq!(full.peak_db(), Some(0.0));
        // A sine of amplitude 0.5: RMS 0.3536 (−9.0), peak −6.0.
        let sine = Levels {
            samples: 2,
            sum_sq: 0.25,
            peak: 0.5,
        };
        assert_eq!((sine.rms_db(), sine.peak_db()), (Some(-9.0), Some(-6.0)));
        assert!(!sine.silent());
        let zero = Levels {
            samples: 10,
            sum_sq: 0.0,
            peak: 0.0,
        };
        assert_eq!(zero.peak_db(), Some(-120.0));
        assert!(zero.silent());
        // Nothing sent: nothing to say, and not "silent".
        assert_eq!(Levels::default().rms_db(), None);
        assert!(!Levels::default().silent());
    }
}
