//! A sound card made of ALSA's `file` plugin and a FIFO (SPEC §8): the real
//! cpal → ALSA path writes what it plays into the FIFO, and a reader thread
//! takes it out at 48 kHz, pacing the chain like a card and noting when each
//! chunk arrived.
//!
//! The plug's slave is wide (S32_LE, 8 channels: 32 bytes a frame), so the
//! one-page pipe the reader keeps holds only 128 frames (2.7 ms): a buffer
//! no player can see into, kept small in time. [`bare_tone`] measures what
//! this chain holds back, with no player in between.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, SystemTime};

pub const RATE: u32 = 48_000;
/// The plug's slave format (for a test that defines another PCM on it).
pub const SLAVE: &str = "format S32_LE; rate 48000; channels 8";
/// Bytes per frame of [`SLAVE`].
const FRAME: usize = 32;
/// Frames per read by default: 10 ms, enough to judge a tone in one chunk.
const CHUNK_FRAMES: usize = 480;

/// Frames read at one moment.
pub struct Chunk {
    pub at: SystemTime,
    /// Left channel only, as f32 in -1..1.
    pub left: Vec<f32>,
}

pub struct Capture {
    pub fifo: PathBuf,
    pub asound: PathBuf,
    stop: Arc<AtomicBool>,
    /// The reader has an empty one-page pipe and waits for a writer.
    listening: Arc<AtomicBool>,
    thread: Option<std::thread::JoinHandle<()>>,
    chunks: Arc<Mutex<Vec<Chunk>>>,
}

impl Capture {
    pub fn new(dir: &Path) -> Capture {
        Capture::with_chunk(dir, CHUNK_FRAMES)
    }

    /// A capture that takes `chunk` frames at a time, `chunk` / 48 kHz
    /// apart. A card drains its buffer all but continuously; smaller chunks
    /// come closer to that and wake the writer at finer steps.
    pub fn with_chunk(dir: &Path, chunk: usize) -> Capture {
        Capture::build(dir, chunk, None)
    }

    /// A capture behind its own PCM called `pcm` (not the default), for a
    /// station with several outputs: each output's device is one such PCM,
    /// and `ALSA_CONFIG_PATH` lists every capture's file ([`config_path`]).
    pub fn named(dir: &Path, pcm: &str) -> Capture {
        Capture::build(dir, CHUNK_FRAMES, Some(pcm))
    }

    fn build(dir: &Path, chunk: usize, pcm: Option<&str>) -> Capture {
        let (fifo, asound, plug, file) = match pcm {
            None => (
                dir.join("capture.fifo"),
                dir.join("asound.conf"),
                "!default".to_string(),
                "loacap".to_string(),
            ),
            Some(p) => (
                dir.join(format!("{p}.fifo")),
                dir.join(format!("{p}.conf")),
                p.to_string(),
                format!("{p}_cap"),
            ),
        };
        let ok = std::process::Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .map(|s| s.success())
            .unwrap_or(false);
        assert!(ok, "mkfifo failed");
        let conf = format!(
            "pcm.{plug} {{\n  type plug\n  slave {{ pcm \"{file}\"; {SLAVE} }}\n}}\npcm.{file} {{\n  type file\n  slave.pcm \"null\"\n  file \"{}\"\n  format \"raw\"\n}}\n",
            fifo.display()
        );
        std::fs::write(&asound, conf).unwrap_or_else(|e| panic!("{e}"));
        let stop = Arc::new(AtomicBool::new(false));
        let listening = Arc::new(AtomicBool::new(false));
        let chunks = Arc::new(Mutex::new(Vec::new()));
        let thread = {
            let (fifo, stop, chunks) = (fifo.clone(), stop.clone(), chunks.clone());
            let listening = listening.clone();
            std::thread::spawn(move || reader(&fifo, chunk, &stop, &listening, &chunks))
        };
        Capture {
            fifo,
            asound,
            stop,
            listening,
            thread: Some(thread),
            chunks,
        }
    }

    /// Waits (up to 5 s) until the reader is ready for a writer: a writer
    /// that came sooner could fill the pipe before it is made small.
    pub fn wait_listening(&self) {
        let began = Instant::now();
        while !self.listening.load(Ordering::Acquire) && began.elapsed() < Duration::from_secs(5) {
            std::thread::sleep(Duration::from_millis(1));
        }
    }

    /// [`bare_tone`] on this capture, once it listens.
    pub fn bare_tone(&self, at: SystemTime) -> std::io::Result<SystemTime> {
        self.wait_listening();
        bare_tone(&self.fifo, at)
    }

    /// The value for `ALSA_CONFIG_PATH`.
    pub fn alsa_config_path(&self) -> String {
        format!("/usr/share/alsa/alsa.conf:{}", self.asound.display())
    }

    /// Stops the reader and returns what it read.
    pub fn finish(mut self) -> Vec<Chunk> {
        self.stop.store(true, Ordering::Release);
        // Unblock a reader waiting in open().
        let _ = std::fs::OpenOptions::new()
            .write(true)
            .custom_flags_nonblock()
            .open(&self.fifo);
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
        std::mem::take(&mut *self.chunks.lock().unwrap_or_else(|p| p.into_inner()))
    }
}

/// `ALSA_CONFIG_PATH` for several captures at once.
pub fn config_path(captures: &[&Capture]) -> String {
    let mut p = String::from("/usr/share/alsa/alsa.conf");
    for c in captures {
        p.push(':');
        p.push_str(&c.asound.display().to_string());
    }
    p
}

/// The chain's own delay, with no player in it: writes to the FIFO as the
/// file plugin does, keeping the pipe full with silence from now on, and
/// puts a 0.4 s 440 Hz tone (amplitude 0.25) into it at the first write at
/// or after `at`, then half a second of silence, and closes. Returns when
/// the tone's first frame went into the pipe (its write returned): the
/// capture hears it [`runs`]' start minus that later.
pub fn bare_tone(fifo: &Path, at: SystemTime) -> std::io::Result<SystemTime> {
    use std::io::Write;
    const BLOCK: usize = 8;
    let mut f = std::fs::OpenOptions::new().write(true).open(fifo)?;
    let silence = vec![0u8; BLOCK * FRAME];
    while SystemTime::now() < at {
        f.write_all(&silence)?;
    }
    let tone_frames = RATE as usize * 4 / 10;
    let mut entered = None;
    let mut block = vec![0u8; BLOCK * FRAME];
    for start in (0..tone_frames).step_by(BLOCK) {
        for (k, fr) in block.chunks_exact_mut(FRAME).enumerate() {
            let t = (start + k) as f64 / f64::from(RATE);
            let v =
                (0.25 * (2.0 * std::f64::consts::PI * 440.0 * t).sin() * 2_147_483_648.0) as i32;
            fr[..4].copy_from_slice(&v.to_le_bytes());
            fr[4..8].copy_from_slice(&v.to_le_bytes());
        }
        f.write_all(&block)?;
        entered.get_or_insert_with(SystemTime::now);
    }
    for _ in 0..RATE as usize / 2 / BLOCK {
        f.write_all(&silence)?;
    }
    Ok(entered.unwrap_or(at))
}

trait NonBlock {
    fn custom_flags_nonblock(&mut self) -> &mut Self;
}

impl NonBlock for std::fs::OpenOptions {
    fn custom_flags_nonblock(&mut self) -> &mut Self {
        use std::os::unix::fs::OpenOptionsExt;
        self.custom_flags(0o4000) // O_NONBLOCK
    }
}

fn reader(
    fifo: &Path,
    chunk: usize,
    stop: &AtomicBool,
    listening: &AtomicBool,
    chunks: &Mutex<Vec<Chunk>>,
) {
    let mut buf = vec![0u8; chunk * FRAME];
    let step_ns = chunk as u64 * 1_000_000_000 / u64::from(RATE);
    while !stop.load(Ordering::Acquire) {
        let Ok(mut f) = std::fs::OpenOptions::new()
            .read(true)
            .custom_flags_nonblock()
            .open(fifo)
        else {
            return;
        };
        shrink(&f);
        listening.store(true, Ordering::Release);
        let written = first_bytes(&f);
        listening.store(false, Ordering::Release);
        if !written {
            continue;
        }
        let began = Instant::now();
        let mut n: u32 = 0;
        loop {
            let due = began + Duration::from_nanos(u64::from(n) * step_ns);
            if let Some(wait) = due.checked_duration_since(Instant::now()) {
                std::thread::sleep(wait);
            }
            n += 1;
            let mut got = 0;
            while got < buf.len() {
                match f.read(&mut buf[got..]) {
                    Ok(0) | Err(_) => break,
                    Ok(k) => got += k,
                }
            }
            if got == 0 {
                break;
            }
            let left = buf[..got - got % FRAME]
                .chunks_exact(FRAME)
                .map(|fr| i32::from_le_bytes([fr[0], fr[1], fr[2], fr[3]]) as f32 / 2_147_483_648.0)
                .collect();
            chunks
                .lock()
                .unwrap_or_else(|p| p.into_inner())
                .push(Chunk {
                    at: SystemTime::now(),
                    left,
                });
            if got < buf.len() {
                break;
            }
        }
    }
}

/// Makes the pipe hold one page (SPEC §8), as a card holds little more than
/// its buffer. Called with no writer yet, so the pipe is empty.
fn shrink(f: &std::fs::File) {
    use std::os::fd::AsRawFd;
    // SAFETY: F_SETPIPE_SZ takes an int and touches no memory of ours; the
    // descriptor is open for the whole call.
    let r = unsafe { libc::fcntl(f.as_raw_fd(), libc::F_SETPIPE_SZ, 4096) };
    assert!(r >= 0, "cannot shrink the capture pipe");
}

/// Waits until a writer has written to the FIFO, then makes reads block.
/// False if a writer came and went without writing (as `finish` does).
fn first_bytes(f: &std::fs::File) -> bool {
    use std::os::fd::AsRawFd;
    let mut pfd = libc::pollfd {
        fd: f.as_raw_fd(),
        events: libc::POLLIN,
        revents: 0,
    };
    // SAFETY: one valid pollfd, for the length given.
    while unsafe { libc::poll(&mut pfd, 1, -1) } < 0 {
        if std::io::Error::last_os_error().kind() != std::io::ErrorKind::Interrupted {
            return false;
        }
    }
    if pfd.revents & libc::POLLIN == 0 {
        return false;
    }
    // SAFETY: plain flag changes on a descriptor we hold.
    unsafe {
        let flags = libc::fcntl(f.as_raw_fd(), libc::F_GETFL);
        libc::fcntl(f.as_raw_fd(), libc::F_SETFL, flags & !libc::O_NONBLOCK);
    }
    true
}

/// A stretch of sound between silences.
#[derive(Debug)]
pub struct Run {
    /// When its first frame was read.
    pub start: SystemTime,
    /// Index of its first frame in [`flatten`]'s output.
    pub first: usize,
    pub seconds: f64,
    pub rms: f64,
}

/// Splits the capture into sounds separated by at least `gap` of silence.
pub fn runs(chunks: &[Chunk], gap: Duration) -> Vec<Run> {
    let gap_frames = (gap.as_secs_f64() * f64::from(RATE)) as usize;
    let mut out: Vec<Run> = Vec::new();
    let (mut start, mut frames, mut sum, mut quiet) = (None, 0usize, 0f64, 0usize);
    let (mut index, mut first) = (0usize, 0usize);
    let mut prev: Option<SystemTime> = None;
    for c in chunks {
        // No writer between two chunks this far apart: the device was
        // closed, which ends a sound as silence would.
        let closed = prev.is_some_and(|p| c.at.duration_since(p).unwrap_or_default() > gap);
        prev = Some(c.at);
        if closed && let Some(s) = start.take() {
            out.push(Run::new(s, first, frames - quiet, sum));
        }
        let n = c.left.len();
        for (i, s) in c.left.iter().enumerate() {
            index += 1;
            let loud = s.abs() > 0.002;
            if start.is_none() {
                if loud {
                    // The chunk was read when its last frame arrived.
                    let back = Duration::from_secs_f64((n - i) as f64 / f64::from(RATE));
                    start = Some(c.at - back);
                    first = index - 1;
                    frames = 0;
                    sum = 0.0;
                    quiet = 0;
                } else {
                    continue;
                }
            }
            frames += 1;
            sum += f64::from(*s) * f64::from(*s);
            quiet = if loud { 0 } else { quiet + 1 };
            if quiet >= gap_frames {
                let s = start.take().unwrap_or(c.at);
                out.push(Run::new(s, first, frames - quiet, sum));
            }
        }
    }
    if let Some(s) = start {
        out.push(Run::new(s, first, frames - quiet, sum));
    }
    out
}

impl Run {
    /// A run of `sounding` frames whose squares sum to `sum`.
    fn new(start: SystemTime, first: usize, sounding: usize, sum: f64) -> Run {
        Run {
            start,
            first,
            seconds: sounding as f64 / f64::from(RATE),
            rms: (sum / sounding.max(1) as f64).sqrt(),
        }
    }
}

/// How late (ms) the first sound heard within 0.5 s either side of `t`
/// began, if one did.
pub fn heard_late(runs: &[Run], t: SystemTime) -> Option<f64> {
    runs.iter()
        .map(|r| match r.start.duration_since(t) {
            Ok(d) => d.as_secs_f64() * 1000.0,
            Err(e) => -e.duration().as_secs_f64() * 1000.0,
        })
        .find(|ms| ms.abs() < 500.0)
}

/// Every captured frame (left channel), in order.
pub fn flatten(chunks: &[Chunk]) -> Vec<f32> {
    chunks.iter().flat_map(|c| c.left.iter().copied()).collect()
}

/// RMS and zero crossings per second of a stretch of frames.
pub fn rms_and_crossings(frames: &[f32]) -> (f64, f64) {
    let rms = (frames
        .iter()
        .map(|s| f64::from(*s) * f64::from(*s))
        .sum::<f64>()
        / frames.len().max(1) as f64)
        .sqrt();
    let crossings = frames
        .windows(2)
        .filter(|w| (w[0] < 0.0) != (w[1] < 0.0))
        .count();
    (
        rms,
        crossings as f64 * f64::from(RATE) / frames.len().max(1) as f64,
    )
}
