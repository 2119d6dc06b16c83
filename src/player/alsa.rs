//! The real output: an ALSA PCM through rodio/cpal, driven from one named
//! audio thread fed by a channel.
//!
//! Each playback opens a fresh device sink and closes it afterwards, so an
//! idle daemon holds no device. A device error (cpal may report it in a
//! tight loop when a USB card is pulled) is taken once; the sink is then
//! dropped, which stops the callbacks.

use std::collections::VecDeque;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::mpsc as std_mpsc;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use rodio::cpal::traits::{DeviceTrait, HostTrait};
use rodio::source::UniformSourceIterator;
use rodio::{ChannelCount, DeviceSinkBuilder, MixerDeviceSink, Sample, SampleRate, Source};
use tokio::sync::mpsc;

use super::{Ending, Event, Gate, Output, Program, Segment, Stop};

/// Frames per ALSA period (10.7 ms at 48 kHz); the buffer holds two. The
/// start does not depend on it: [`FrameClock`] opens the gate at the frame
/// inside the period that is due at the gate's instant.
pub const PERIOD_FRAMES: u32 = 512;
/// How long the device may take no samples, once started, before the
/// playback is declared failed.
const STALL_LIMIT: Duration = Duration::from_secs(5);

struct Job {
    token: u64,
    program: Program,
    events: mpsc::UnboundedSender<Event>,
    stop: Stop,
}

/// See the module docs.
pub struct AlsaOutput {
    device: String,
    jobs: Mutex<Option<std_mpsc::Sender<Job>>>,
}

impl AlsaOutput {
    pub fn new(device: &str) -> Self {
        AlsaOutput {
            device: device.to_string(),
            jobs: Mutex::new(None),
        }
    }

    /// The audio thread's queue, starting the thread on first use.
    fn queue(&self) -> Option<std_mpsc::Sender<Job>> {
        let mut slot = self.jobs.lock().unwrap_or_else(|p| p.into_inner());
        if slot.is_none() {
            let (tx, rx) = std_mpsc::channel::<Job>();
            let device = self.device.clone();
            let spawned = std::thread::Builder::new()
                .name("loa-audio".into())
                .spawn(move || {
                    while let Ok(job) = rx.recv() {
                        play(&device, job);
                    }
                });
            if spawned.is_ok() {
                *slot = Some(tx);
            }
        }
        slot.clone()
    }
}

impl Output for AlsaOutput {
    fn start(&self, token: u64, program: Program, events: mpsc::UnboundedSender<Event>) -> Stop {
        let stop = Stop::default();
        let job = Job {
            token,
            program,
            events: events.clone(),
            stop: stop.clone(),
        };
        let sent = self.queue().is_some_and(|q| q.send(job).is_ok());
        if !sent {
            let _ = events.send(Event::Finished {
                token,
                played: Duration::ZERO,
                ending: Ending::DeviceError("cannot start the audio thread".into()),
            });
        }
        stop
    }

    fn device(&self) -> &str {
        &self.device
    }
}

/// The ALSA outputs cpal can enumerate, as (PCM name, description).
pub fn device_names() -> Vec<(String, String)> {
    let host = rodio::cpal::default_host();
    let Ok(devices) = host.output_devices() else {
        return Vec::new();
    };
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

fn find_device(name: &str) -> Result<rodio::cpal::Device, String> {
    let host = rodio::cpal::default_host();
    if name == "default" {
        return host
            .default_output_device()
            .ok_or_else(|| "no default output device".to_string());
    }
    let id = rodio::cpal::DeviceId::new(host.id(), name);
    host.device_by_id(&id)
        .ok_or_else(|| format!("no output device named \"{name}\""))
}

fn open_sink(name: &str, failed: std_mpsc::Sender<Ending>) -> Result<MixerDeviceSink, String> {
    let device = find_device(name)?;
    let reported = Arc::new(AtomicBool::new(false));
    let mut sink = DeviceSinkBuilder::from_device(device)
        .map_err(|e| e.to_string())?
        .with_buffer_size(rodio::cpal::BufferSize::Fixed(PERIOD_FRAMES))
        .with_error_callback(move |e| {
            // cpal can call this in a tight loop; pass on the first only.
            if !reported.swap(true, Ordering::AcqRel) {
                let _ = failed.send(Ending::DeviceError(e.to_string()));
            }
        })
        .open_stream()
        .map_err(|e| {
            format!(
                "{e}: {}",
                std::error::Error::source(&e)
                    .map(|s| s.to_string())
                    .unwrap_or_default()
            )
        })?;
    sink.log_on_drop(false);
    Ok(sink)
}

fn play(device: &str, job: Job) {
    let Job {
        token,
        program,
        events,
        stop,
    } = job;
    let finish = |played: Duration, ending: Ending| {
        let _ = events.send(Event::Finished {
            token,
            played,
            ending,
        });
    };
    let (done_tx, done_rx) = std_mpsc::channel::<Ending>();
    let sink = match open_sink(device, done_tx.clone()) {
        Ok(s) => s,
        Err(e) => return finish(Duration::ZERO, Ending::DeviceError(e)),
    };
    let channels = sink.config().channel_count();
    let rate = sink.config().sample_rate();
    let segments = match decode_all(&program.segments, channels, rate) {
        Ok(s) => s,
        Err(e) => return finish(Duration::ZERO, Ending::DecodeError(e)),
    };
    let _ = events.send(Event::Opened { token });
    let emitted = Arc::new(AtomicU64::new(0));
    let source = ProgramSource {
        channels,
        rate,
        segments,
        gate: program.gate.clone(),
        gate_std: program.gate.at().into_std(),
        clock: FrameClock::new(rate),
        started: false,
        in_frame: 0,
        stop: stop.clone(),
        done: Some(done_tx),
        events: events.clone(),
        token,
        emitted: emitted.clone(),
    };
    sink.mixer().add(source);
    let ending = wait(&done_rx, &stop, &emitted);
    let played = frames_to_duration(emitted.load(Ordering::Acquire), channels, rate);
    if ending == Ending::Completed {
        // Let the last buffers reach the device before closing it.
        std::thread::sleep(
            frames_to_duration(
                u64::from(PERIOD_FRAMES) * 4 * u64::from(channels.get()),
                channels,
                rate,
            ) + Duration::from_millis(50),
        );
    }
    drop(sink);
    finish(played, ending);
}

/// Waits for the source to finish, a device error, a stop that the device
/// never picks up, or a stall.
fn wait(done: &std_mpsc::Receiver<Ending>, stop: &Stop, emitted: &AtomicU64) -> Ending {
    let tick = Duration::from_millis(100);
    let mut last = 0;
    let mut still = Duration::ZERO;
    let mut stopping = Duration::ZERO;
    loop {
        match done.recv_timeout(tick) {
            Ok(e) => return e,
            Err(std_mpsc::RecvTimeoutError::Disconnected) => {
                return Ending::DeviceError("output stream ended".into());
            }
            Err(std_mpsc::RecvTimeoutError::Timeout) => {}
        }
        if stop.is_stopped() {
            stopping += tick;
            if stopping >= Duration::from_millis(500) {
                return Ending::Stopped;
            }
        }
        let now = emitted.load(Ordering::Acquire);
        if now > 0 && now == last {
            still += tick;
            if still >= STALL_LIMIT {
                return Ending::DeviceError("the output device stopped taking samples".into());
            }
        } else {
            still = Duration::ZERO;
        }
        last = now;
    }
}

fn frames_to_duration(samples: u64, channels: ChannelCount, rate: SampleRate) -> Duration {
    Duration::from_secs_f64(samples as f64 / (f64::from(channels.get()) * f64::from(rate.get())))
}

enum Seg {
    File(Box<dyn Iterator<Item = Sample> + Send>, f32),
    Silence(u64),
}

fn decode_all(
    segments: &[Segment],
    channels: ChannelCount,
    rate: SampleRate,
) -> Result<VecDeque<Seg>, String> {
    segments
        .iter()
        .map(|s| match s {
            Segment::File { path, gain, .. } => {
                let dec =
                    crate::audio::decoder(path).map_err(|e| format!("{}: {e}", path.display()))?;
                let uniform = UniformSourceIterator::new(Steady::new(dec), channels, rate);
                Ok(Seg::File(Box::new(uniform), *gain))
            }
            Segment::Silence(d) => {
                let frames = (d.as_secs_f64() * f64::from(rate.get())).round() as u64;
                Ok(Seg::Silence(frames * u64::from(channels.get())))
            }
        })
        .collect()
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
        let first = crate::audio::contain(|| inner.next()).ok().flatten();
        let format = crate::audio::contain(|| (inner.channels(), inner.sample_rate()));
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
        crate::audio::contain(|| self.inner.next()).unwrap_or_else(|_| {
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
        crate::audio::contain(|| self.inner.total_duration())
            .ok()
            .flatten()
    }
}

/// When each frame handed to the device is due there, on one time line.
///
/// The device asks for a period of frames at a time, so every frame of a
/// period is produced at almost the same moment, but they sound one after
/// another at the sample rate. The first frame asked for after a pause (a
/// new callback) is taken as due now; each following frame of the same burst
/// is due one frame later than the one before. The constant between "due"
/// and "heard" (the device's buffer) is the same for every frame, so opening
/// the gate at the first frame due at or after the gate's instant starts the
/// broadcast at that instant to within a frame, not a period.
#[derive(Debug)]
struct FrameClock {
    rate: u32,
    /// A pause this long between two frames starts a new burst.
    pause: std::time::Duration,
    /// When the current burst began, and frames produced since.
    anchor: Option<(std::time::Instant, u64)>,
    last: Option<std::time::Instant>,
}

impl FrameClock {
    fn new(rate: SampleRate) -> FrameClock {
        let rate = rate.get();
        FrameClock {
            rate,
            pause: Duration::from_secs_f64(f64::from(PERIOD_FRAMES) / 2.0 / f64::from(rate)),
            anchor: None,
            last: None,
        }
    }

    /// Takes the next frame, produced at `now`; returns when it is due.
    fn tick(&mut self, now: std::time::Instant) -> std::time::Instant {
        let paused = self
            .last
            .is_none_or(|last| now.saturating_duration_since(last) >= self.pause);
        self.last = Some(now);
        let (start, frames) = match self.anchor {
            Some((start, frames)) if !paused => (start, frames),
            _ => (now, 0),
        };
        self.anchor = Some((start, frames + 1));
        start + Duration::from_nanos(frames * 1_000_000_000 / u64::from(self.rate))
    }
}

/// Silence until the gate opens, then the segments in order, then the end.
struct ProgramSource {
    channels: ChannelCount,
    rate: SampleRate,
    segments: VecDeque<Seg>,
    gate: Arc<Gate>,
    gate_std: std::time::Instant,
    clock: FrameClock,
    started: bool,
    /// Position inside the current frame, so the gate opens on a frame edge.
    in_frame: u16,
    stop: Stop,
    done: Option<std_mpsc::Sender<Ending>>,
    events: mpsc::UnboundedSender<Event>,
    token: u64,
    emitted: Arc<AtomicU64>,
}

impl ProgramSource {
    fn finish(&mut self, ending: Ending) -> Option<Sample> {
        if let Some(done) = self.done.take() {
            let _ = done.send(ending);
        }
        None
    }

    fn step_frame(&mut self) {
        self.in_frame = (self.in_frame + 1) % self.channels.get();
    }
}

impl Iterator for ProgramSource {
    type Item = Sample;

    fn next(&mut self) -> Option<Sample> {
        self.done.as_ref()?;
        if self.stop.is_stopped() {
            return self.finish(Ending::Stopped);
        }
        if !self.started {
            let due = (self.in_frame == 0)
                .then(|| self.clock.tick(std::time::Instant::now()))
                .filter(|due| self.gate.is_armed() && *due >= self.gate_std);
            let Some(due) = due else {
                self.step_frame();
                return Some(0.0);
            };
            self.started = true;
            let _ = self.events.send(Event::Started {
                token: self.token,
                at: tokio::time::Instant::from_std(due),
            });
        }
        loop {
            let sample = match self.segments.front_mut() {
                None => return self.finish(Ending::Completed),
                Some(Seg::File(it, gain)) => it.next().map(|s| s * *gain),
                Some(Seg::Silence(n)) if *n > 0 => {
                    *n -= 1;
                    Some(0.0)
                }
                Some(Seg::Silence(_)) => None,
            };
            match sample {
                Some(s) => {
                    self.emitted.fetch_add(1, Ordering::Relaxed);
                    self.step_frame();
                    return Some(s);
                }
                None => {
                    // A file may end mid-frame; pad it to the frame edge.
                    if self.in_frame != 0 {
                        self.step_frame();
                        return Some(0.0);
                    }
                    self.segments.pop_front();
                }
            }
        }
    }
}

impl Source for ProgramSource {
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
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::PathBuf;

    fn count(seg: Segment, channels: u16, rate: u32) -> u64 {
        let ch = ChannelCount::new(channels).unwrap_or(ChannelCount::MIN);
        let sr = SampleRate::new(rate).unwrap_or(SampleRate::MIN);
        let mut segs = decode_all(&[seg], ch, sr).unwrap_or_else(|e| panic!("{e}"));
        let mut n = 0;
        while let Some(s) = segs.front_mut() {
            match s {
                Seg::File(it, _) => n += it.count() as u64,
                Seg::Silence(k) => n += *k,
            }
            segs.pop_front();
        }
        n
    }

    /// Bursts of `PERIOD_FRAMES` frames, each produced within a few
    /// microseconds, one period apart, starting at `t0`: the frame whose due
    /// time first reaches `gate`, and that due time.
    fn first_due(t0: std::time::Instant, gate: std::time::Instant) -> (u64, std::time::Instant) {
        let rate = SampleRate::new(48_000).unwrap_or(SampleRate::MIN);
        let mut clock = FrameClock::new(rate);
        for n in 0..1000u64 {
            let burst =
                t0 + Duration::from_nanos(n * u64::from(PERIOD_FRAMES) * 1_000_000_000 / 48_000);
            for k in 0..u64::from(PERIOD_FRAMES) {
                let now = burst + Duration::from_nanos(k * 40);
                let due = clock.tick(now);
                if due >= gate {
                    return (n * u64::from(PERIOD_FRAMES) + k, due);
                }
            }
        }
        panic!("the gate never opened");
    }

    #[test]
    fn the_gate_opens_at_the_frame_due_at_its_instant_not_the_next_period() {
        let t0 = std::time::Instant::now();
        // 3.5 periods after the first burst: half-way into the fourth.
        let gate = t0 + Duration::from_nanos(3_500 * u64::from(PERIOD_FRAMES) * 1_000_000 / 48_000);
        let (frame, due) = first_due(t0, gate);
        assert_eq!(
            frame,
            3 * u64::from(PERIOD_FRAMES) + u64::from(PERIOD_FRAMES) / 2
        );
        let late = due.duration_since(gate);
        assert!(late < Duration::from_micros(21), "{late:?} after the gate");
        // A gate exactly on a burst opens at its first frame.
        let gate = t0 + Duration::from_nanos(5 * u64::from(PERIOD_FRAMES) * 1_000_000_000 / 48_000);
        let (frame, _) = first_due(t0, gate);
        assert_eq!(frame, 5 * u64::from(PERIOD_FRAMES));
    }

    #[test]
    fn a_late_callback_starts_a_new_burst() {
        let rate = SampleRate::new(48_000).unwrap_or(SampleRate::MIN);
        let mut clock = FrameClock::new(rate);
        let t0 = std::time::Instant::now();
        assert_eq!(clock.tick(t0), t0);
        let second = clock.tick(t0 + Duration::from_micros(1));
        assert_eq!(second.duration_since(t0), Duration::from_nanos(20_833));
        // 30 ms of silence from the device: the next frame is due when asked.
        let later = t0 + Duration::from_millis(30);
        assert_eq!(clock.tick(later), later);
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
            let info = crate::audio::probe(&path).unwrap_or_else(|e| panic!("{e}"));
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
}
