//! Start accuracy at the device (SPEC §7, §8): when the first sample of a
//! broadcast leaves the ALSA device, measured at a paced capture, against
//! its scheduled time; the play log's own `start_error_ms` beside it; and
//! loa's CPU while it plays an MP3 at 48 kHz.
//!
//! Method (bench/README.md has it in full): ALSA's default PCM is a plug
//! into a `file` PCM of wide frames (S32_LE × 8) writing to a FIFO of one
//! page that a reader drains at 48 kHz, 1 ms at a time.
//! 1. The capture's own delay: a bare writer keeps the FIFO full and puts
//!    a tone into it at a known instant, REFS times; capture time − the
//!    tone's write is the chain's delay, no player in it.
//! 2. `loa run` plays a 1 s tone at N scheduled whole seconds; each error is
//!    capture time − scheduled − the chain's median delay, next to the
//!    `start_error_ms` loa logged for it.
//! 3. Then loa plays a 48 kHz MP3 for CPU_S seconds (made with sox and
//!    lame, skipped without them); its CPU from /proc over the middle.
//! 4. Optionally cron runs `aplay` on the tone at the top of CRON minutes.
//!
//! Run: `cargo bench --bench start_accuracy`. Environment: N (30), CPU_S
//! (20, 0 skips), MP3_RATE (48000), CRON (0), LOA_ALSA_PERIOD (loa's
//! period in frames).

#[path = "../tests/common/capture.rs"]
#[allow(dead_code)]
mod capture;

use std::path::Path;
use std::time::{Duration, SystemTime};

use capture::Capture;
use playback::{bare_tones, heard, local, mp3, run_loa, sleep_until, station, stop};

#[path = "common/playback.rs"]
mod playback;

const TONE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/tones/tone.wav");
/// Bare-writer starts for the capture's own delay.
const REFS: usize = 10;

/// Milliseconds from `b` to `a`.
fn ms(a: SystemTime, b: SystemTime) -> f64 {
    match a.duration_since(b) {
        Ok(d) => d.as_secs_f64() * 1000.0,
        Err(e) => -e.duration().as_secs_f64() * 1000.0,
    }
}

/// Median, 99th percentile and worst (by size, with its sign).
fn stats(v: &[f64]) -> (f64, f64, f64) {
    let mut v = v.to_vec();
    v.sort_by(f64::total_cmp);
    let pick = |q: f64| v[((v.len() - 1) as f64 * q).round() as usize];
    let worst = v
        .iter()
        .copied()
        .fold(0.0f64, |a, b| if b.abs() > a.abs() { b } else { a });
    (pick(0.5), pick(0.99), worst)
}

fn abs(v: &[f64]) -> Vec<f64> {
    v.iter().map(|x| x.abs()).collect()
}

fn whole_second(t: SystemTime) -> SystemTime {
    let d = t.duration_since(SystemTime::UNIX_EPOCH).unwrap_or_default();
    SystemTime::UNIX_EPOCH + Duration::from_secs(d.as_secs())
}

/// `start_error_ms` of each `finish` line whose id names `broadcast`.
fn logged_errors(playlog: &Path, broadcast: &str) -> Vec<f64> {
    let mut files: Vec<_> = std::fs::read_dir(playlog)
        .map(|d| d.flatten().map(|e| e.path()).collect())
        .unwrap_or_default();
    files.sort();
    let needle = format!("#{broadcast}@");
    files
        .iter()
        .flat_map(|f| {
            std::fs::read_to_string(f)
                .unwrap_or_default()
                .lines()
                .map(str::to_string)
                .collect::<Vec<_>>()
        })
        .filter_map(|l| serde_json::from_str::<serde_json::Value>(&l).ok())
        .filter(|v| v["event"] == "finish" && v["id"].as_str().is_some_and(|i| i.contains(&needle)))
        .filter_map(|v| v["start_error_ms"].as_f64())
        .collect()
}

#[path = "start_accuracy/cron.rs"]
mod cron;

fn main() {
    let env = |name: &str, default: usize| {
        std::env::var(name)
            .ok()
            .and_then(|s| s.parse().ok())
            .unwrap_or(default)
    };
    let (n, cpu_s, cron_minutes) = (env("N", 30), env("CPU_S", 20), env("CRON", 0));
    let mp3_rate = env("MP3_RATE", 48_000);
    let dir = tempfile::tempdir().expect("tempdir");
    let cap = Capture::with_chunk(dir.path(), 48);
    // SAFETY: no other thread reads the environment yet (the capture reader
    // only touches its FIFO).
    unsafe { std::env::set_var("ALSA_CONFIG_PATH", cap.alsa_config_path()) };

    // 1. The capture's own delay, from a bare writer.
    let entered = bare_tones(&cap, REFS);

    // 2. loa, and 3. an MP3 at 48 kHz after it.
    let st = station(
        dir.path(),
        "station: bench\nquiet_hours: []\noutput:\n  loudness: off\n",
    );
    std::fs::copy(TONE, st.join("audio/tone.wav")).expect("copy");
    let first = whole_second(SystemTime::now()) + Duration::from_secs(4);
    let times: Vec<SystemTime> = (0..n)
        .map(|i| first + Duration::from_secs(2 * i as u64))
        .collect();
    let on: Vec<String> = times.iter().map(|t| format!("\"{}\"", local(*t))).collect();
    let mut yaml = format!(
        "title: b\nbroadcasts:\n  - name: tone\n    audio: tone.wav\n    chime: false\n    on: [{}]\n",
        on.join(", ")
    );
    let last = times.last().copied().unwrap_or(first);
    let mp3_at = last + Duration::from_secs(3);
    let mp3 = (cpu_s > 0).then(|| mp3(&st.join("audio"), mp3_rate, cpu_s));
    if let Some(Ok(_)) = &mp3 {
        yaml.push_str(&playback::entry(mp3_at));
    }
    std::fs::write(st.join("schedules/b.yaml"), yaml).expect("write");
    let child = run_loa(&st);
    let cpu = match &mp3 {
        Some(Ok(_)) => {
            let (cpu, span) = playback::measure(child.id(), mp3_at, cpu_s);
            format!("{cpu:.2} % of one core over {span:.0} s")
        }
        Some(Err(e)) => {
            sleep_until(last + Duration::from_secs(3));
            format!("not measured: {e}")
        }
        None => {
            sleep_until(last + Duration::from_secs(3));
            "not measured (CPU_S=0)".into()
        }
    };
    stop(child);
    let loa_done = SystemTime::now();

    // 4. cron + aplay.
    let cron = cron::run(cron_minutes, &cap.alsa_config_path(), dir.path(), TONE);
    let chunks = cap.finish();
    let runs = capture::runs(&chunks, Duration::from_millis(300));

    let chain = heard(&runs, &entered, "a bare-writer tone");
    let (delay, _, _) = stats(&chain);
    let (lo, hi) = chain
        .iter()
        .fold((f64::MAX, f64::MIN), |(a, b), &c| (a.min(c), b.max(c)));
    let raw = heard(&runs, &times, "a broadcast");
    let errors: Vec<f64> = raw.iter().map(|r| r - delay).collect();
    let logged = logged_errors(&st.join("playlog"), "tone");
    assert_eq!(
        logged.len(),
        n,
        "the log has {} finishes of {n}",
        logged.len()
    );

    let period = loa::player::period_frames();
    println!(
        "loa's period: {period} frames ({:.1} ms at 48 kHz)",
        f64::from(period) / 48.0
    );
    println!(
        "capture's own delay (bare writer, {REFS} starts): median {delay:.2} ms, range {lo:.2}–{hi:.2} ms"
    );
    println!();
    println!("| start error, {n} broadcasts | at the capture, less its delay | in the play log |");
    println!("|---|---|---|");
    let (m, p, w) = stats(&errors);
    let (lm, lp, lw) = stats(&logged);
    let (am, ap, _) = stats(&abs(&errors));
    let (lam, lap, _) = stats(&abs(&logged));
    println!("| median | {m:.1} ms | {lm:.1} ms |");
    println!("| median of \\|error\\| (target ≤ 5 ms) | {am:.1} ms | {lam:.1} ms |");
    println!("| p99 of \\|error\\| (target ≤ 10 ms) | {ap:.1} ms | {lap:.1} ms |");
    println!("| p99, worst | {p:.1} ms, {w:.1} ms | {lp:.1} ms, {lw:.1} ms |");
    println!("| raw at the capture, median | {:.1} ms | |", stats(&raw).0);
    println!();
    println!(
        "log's median − capture's median: {:.1} ms (target within ±5 ms)",
        lm - m
    );
    println!("playback CPU, MP3 at {mp3_rate} Hz: {cpu}");
    println!("at the capture each (ms): {errors:.1?}");
    println!("in the log each (ms): {logged:.1?}");
    cron::report(cron, &runs, loa_done, delay);
}
