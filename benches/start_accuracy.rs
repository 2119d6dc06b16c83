//! Start accuracy at the device (SPEC §7, §8): when the first sample of a
//! broadcast reaches a paced ALSA capture, against its scheduled time, with
//! cron + aplay on the same capture as a baseline.
//!
//! Method: ALSA's default PCM is a plug into a `file` PCM writing to a FIFO
//! of one page that a reader drains at 48 kHz, 1 ms at a time. First a
//! reference rodio player starts a tone at the first device callback after a
//! chosen instant and notes when it handed that first sample over: the
//! capture sees it a constant chain delay later, whose median over the
//! reference starts is the calibration. Then `loa run` plays a tone at
//! scheduled times; each start error is the capture time, less the
//! scheduled time, less the chain delay. Last, cron runs `aplay` on the same
//! tone at the top of each minute (needs root and the `cron` package).
//!
//! Run: `cargo bench --bench start_accuracy`. Environment: `N` broadcasts
//! (default 30), `CRON` minutes of cron + aplay (default 3, 0 skips it).

#[path = "../tests/common/capture.rs"]
#[allow(dead_code)]
mod capture;

use std::process::{Child, Command};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, SystemTime};

use capture::Capture;
use rodio::{ChannelCount, Sample, SampleRate, Source};

const TONE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/tones/tone.wav");
/// Reference starts for the calibration.
const REFS: usize = 10;

/// A 440 Hz tone that starts on the first sample of the first device
/// callback at or after `at`, and notes when that sample was handed over.
struct Reference {
    at: SystemTime,
    channels: ChannelCount,
    rate: SampleRate,
    /// A pause this long between samples means a new callback.
    pause: Duration,
    last: Option<Instant>,
    handed: Arc<Mutex<Option<SystemTime>>>,
    /// Samples of tone sounded, once started.
    sounded: Option<u64>,
}

impl Iterator for Reference {
    type Item = Sample;

    fn next(&mut self) -> Option<Sample> {
        let ch = u64::from(self.channels.get());
        let Some(n) = self.sounded else {
            let now = Instant::now();
            let new_callback = self.last.is_none_or(|l| now - l >= self.pause);
            self.last = Some(now);
            let wall = SystemTime::now();
            if !(new_callback && wall >= self.at) {
                return Some(0.0);
            }
            *self.handed.lock().unwrap_or_else(|p| p.into_inner()) = Some(wall);
            self.sounded = Some(0);
            return self.next();
        };
        let frame = n / ch;
        if frame >= u64::from(self.rate.get()) * 4 / 10 {
            return None;
        }
        self.sounded = Some(n + 1);
        let t = frame as f32 / self.rate.get() as f32;
        Some(0.25 * (2.0 * std::f32::consts::PI * 440.0 * t).sin())
    }
}

impl Source for Reference {
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

/// One reference start: opens the device, starts the tone at the first
/// callback after a second and a bit, returns when the first sample left.
fn reference_start() -> SystemTime {
    let mut sink = rodio::DeviceSinkBuilder::from_default_device()
        .and_then(|b| {
            b.with_buffer_size(rodio::cpal::BufferSize::Fixed(512))
                .open_stream()
        })
        .expect("open the capture device");
    sink.log_on_drop(false);
    let handed = Arc::new(Mutex::new(None));
    let rate = sink.config().sample_rate();
    sink.mixer().add(Reference {
        at: SystemTime::now() + Duration::from_millis(1200),
        channels: sink.config().channel_count(),
        rate,
        pause: Duration::from_secs_f64(256.0 / f64::from(rate.get())),
        last: None,
        handed: handed.clone(),
        sounded: None,
    });
    std::thread::sleep(Duration::from_millis(1900));
    drop(sink);
    std::thread::sleep(Duration::from_millis(300));
    let at = *handed.lock().unwrap_or_else(|p| p.into_inner());
    at.expect("the reference tone never started")
}

/// Starts cron with a job that plays the tone through `aplay` every minute,
/// unless cron or aplay is missing or this is not root. Returns the cron
/// process it started (none if one was already running) and the job file.
fn start_cron(
    alsa_config: &str,
    log: &std::path::Path,
) -> Result<(Option<Child>, std::path::PathBuf), String> {
    for tool in ["/usr/sbin/cron", "/usr/bin/aplay"] {
        if !std::path::Path::new(tool).exists() {
            return Err(format!("{tool} is missing (apt install cron alsa-utils)"));
        }
    }
    let job = std::path::PathBuf::from("/etc/cron.d/loa-bench");
    std::fs::write(
        &job,
        format!(
            "* * * * * root ALSA_CONFIG_PATH={alsa_config} /usr/bin/aplay -q {TONE} >>{} 2>&1\n",
            log.display()
        ),
    )
    .map_err(|e| format!("cannot write {} ({e}); run as root", job.display()))?;
    let running = Command::new("pgrep")
        .args(["-x", "cron"])
        .status()
        .is_ok_and(|s| s.success());
    let child = if running {
        None
    } else {
        Some(
            Command::new("/usr/sbin/cron")
                .arg("-f")
                .spawn()
                .map_err(|e| format!("cannot start cron: {e}"))?,
        )
    };
    Ok((child, job))
}

/// Milliseconds from `b` to `a`.
fn ms(a: SystemTime, b: SystemTime) -> f64 {
    match a.duration_since(b) {
        Ok(d) => d.as_secs_f64() * 1000.0,
        Err(e) => -e.duration().as_secs_f64() * 1000.0,
    }
}

fn sleep_until(t: SystemTime) {
    while let Ok(left) = t.duration_since(SystemTime::now()) {
        if left > Duration::from_millis(2) {
            std::thread::sleep(left - Duration::from_millis(1));
        }
    }
}

fn stats(mut v: Vec<f64>) -> (f64, f64, f64) {
    v.sort_by(f64::total_cmp);
    let pick = |q: f64| v[((v.len() - 1) as f64 * q).round() as usize];
    let worst = v
        .iter()
        .copied()
        .fold(0.0f64, |a, b| if b.abs() > a.abs() { b } else { a });
    (pick(0.5), pick(0.99), worst)
}

fn main() {
    let env = |name: &str, default: usize| {
        std::env::var(name)
            .ok()
            .and_then(|s| s.parse().ok())
            .unwrap_or(default)
    };
    let (n, cron_minutes) = (env("N", 30), env("CRON", 3));
    let dir = tempfile::tempdir().expect("tempdir");
    let cap = Capture::with_chunk(dir.path(), 48);
    // SAFETY: no other thread reads the environment yet (the capture reader
    // only touches its FIFO).
    unsafe { std::env::set_var("ALSA_CONFIG_PATH", cap.alsa_config_path()) };

    // 1. Reference starts.
    let refs: Vec<SystemTime> = (0..REFS).map(|_| reference_start()).collect();

    // 2. loa.
    let st = dir.path().join("station");
    std::fs::create_dir_all(st.join("schedules")).expect("mkdir");
    std::fs::create_dir_all(st.join("audio")).expect("mkdir");
    std::fs::copy(TONE, st.join("audio/tone.wav")).expect("copy");
    std::fs::write(
        st.join("config.yaml"),
        "station: bench\nquiet_hours: []\noutput:\n  loudness: off\n",
    )
    .expect("write");
    let first = SystemTime::now() + Duration::from_secs(3);
    let times: Vec<SystemTime> = (0..n)
        .map(|i| first + Duration::from_secs(2 * i as u64))
        .collect();
    let on: Vec<String> = times
        .iter()
        .map(|t| {
            format!(
                "\"{}\"",
                chrono::DateTime::<chrono::Utc>::from(*t)
                    .with_timezone(&chrono_tz::Asia::Ho_Chi_Minh)
                    .format("%Y-%m-%d %H:%M:%S")
            )
        })
        .collect();
    // `on` takes whole seconds: round the schedule to them.
    let times: Vec<SystemTime> = times
        .iter()
        .map(|t| {
            let d = t.duration_since(SystemTime::UNIX_EPOCH).unwrap_or_default();
            SystemTime::UNIX_EPOCH + Duration::from_secs(d.as_secs())
        })
        .collect();
    std::fs::write(st.join("schedules/b.yaml"), format!("title: b\nbroadcasts:\n  - name: tone\n    audio: tone.wav\n    chime: false\n    on: [{}]\n", on.join(", "))).expect("write");
    let mut child = Command::new(env!("CARGO_BIN_EXE_loa"))
        .args([
            "--config",
            &st.join("config.yaml").display().to_string(),
            "run",
        ])
        .env("LOA_LOG", "warn")
        .spawn()
        .expect("spawn loa (build it first: cargo build --release)");
    let end = times.last().copied().unwrap_or(first) + Duration::from_secs(3);
    sleep_until(end);
    let began = Instant::now();
    let _ = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status();
    let _ = child.wait();
    let stop_ms = began.elapsed().as_millis();

    // 3. cron + aplay, at the top of the next `cron_minutes` minutes.
    let loa_done = SystemTime::now();
    let aplay_log = dir.path().join("aplay.log");
    let cron = (cron_minutes > 0).then(|| start_cron(&cap.alsa_config_path(), &aplay_log));
    if let Some(Ok(_)) = &cron {
        let secs = loa_done
            .duration_since(SystemTime::UNIX_EPOCH)
            .map(|d| d.as_secs())
            .unwrap_or(0);
        let minute = SystemTime::UNIX_EPOCH + Duration::from_secs(secs - secs % 60 + 60);
        println!("cron + aplay: waiting for {cron_minutes} minute(s) of cron jobs");
        sleep_until(minute + Duration::from_secs(60 * (cron_minutes as u64 - 1) + 5));
    }
    let cron_note = match cron {
        None => "skipped (CRON=0)".to_string(),
        Some(Err(e)) => format!("skipped: {e}"),
        Some(Ok((child, job))) => {
            let _ = std::fs::remove_file(&job);
            if let Some(mut c) = child {
                let _ = c.kill();
                let _ = c.wait();
            }
            String::new()
        }
    };
    let chunks = cap.finish();
    let runs = capture::runs(&chunks, Duration::from_millis(300));
    assert!(
        runs.len() >= refs.len() + n,
        "expected {} sounds, heard {}",
        refs.len() + n,
        runs.len()
    );
    let chain: Vec<f64> = refs
        .iter()
        .zip(&runs)
        .map(|(t, r)| ms(r.start, *t))
        .collect();
    let (delay, _, _) = stats(chain.clone());
    let (lo, hi) = chain
        .iter()
        .fold((f64::MAX, f64::MIN), |(a, b), &c| (a.min(c), b.max(c)));
    let loa_runs = &runs[refs.len()..refs.len() + n];
    let raw: Vec<f64> = times
        .iter()
        .zip(loa_runs)
        .map(|(t, r)| ms(r.start, *t))
        .collect();
    let errors: Vec<f64> = raw.iter().map(|r| r - delay).collect();
    // Each cron sound belongs to the minute it started in.
    let cron_raw: Vec<f64> = runs[refs.len() + n..]
        .iter()
        .filter(|r| r.start > loa_done)
        .map(|r| {
            let secs = r
                .start
                .duration_since(SystemTime::UNIX_EPOCH)
                .map(|d| d.as_secs())
                .unwrap_or(0);
            ms(
                r.start,
                SystemTime::UNIX_EPOCH + Duration::from_secs(secs - secs % 60),
            )
        })
        .collect();

    let (median, p99, worst) = stats(errors.clone());
    let (raw_median, _, _) = stats(raw.clone());
    println!(
        "chain delay (reference rodio player, {REFS} starts): median {delay:.1} ms, range {lo:.1}–{hi:.1} ms"
    );
    println!();
    println!(
        "| start error at the capture | loa ({n} broadcasts) | cron + aplay ({} minutes) |",
        cron_raw.len()
    );
    println!("|---|---|---|");
    if cron_raw.is_empty() && cron_note.is_empty() {
        let log = std::fs::read_to_string(&aplay_log).unwrap_or_default();
        println!("cron + aplay: no sound captured; aplay said: {log}");
    }
    let cron_cell = |f: &dyn Fn(Vec<f64>) -> f64| {
        if cron_raw.is_empty() {
            cron_note.clone()
        } else {
            format!("{:.1} ms", f(cron_raw.clone()))
        }
    };
    println!(
        "| raw, median | {raw_median:.1} ms | {} |",
        cron_cell(&|v| stats(v).0)
    );
    println!(
        "| less the chain delay, median | {median:.1} ms | {} |",
        cron_cell(&|v| stats(v).0 - delay)
    );
    println!(
        "| less the chain delay, p99 | {p99:.1} ms | {} |",
        cron_cell(&|v| stats(v).1 - delay)
    );
    println!(
        "| less the chain delay, worst | {worst:.1} ms | {} |",
        cron_cell(&|v| stats(v).2 - delay)
    );
    println!();
    println!("loa each (ms): {errors:.1?}");
    println!("cron + aplay raw each (ms): {cron_raw:.1?}");
    println!("targets: median <= 5 ms, p99 <= 20 ms; loa SIGTERM to exit: {stop_ms} ms");
}
