//! loa's CPU while it plays an MP3 at 48 kHz (SPEC §7, issue 14: under 2 %
//! of one core), shared by `benches/start_accuracy.rs` (after its tones,
//! on the same capture) and `benches/service.rs` (on a capture of its own).
//!
//! The MP3 is 128 kb/s stereo pink noise made with `sox` and `lame`
//! (skipped, with the reason, if either is missing); loa plays it through
//! ALSA into the SPEC §8 capture (a `plug` into a `file` PCM whose FIFO a
//! reader drains at 48 kHz), so ALSA's conversion and writes are counted in
//! loa's process as a card's driver calls would be. CPU = the process's
//! user + system ticks from /proc/PID/stat from 2 s into the playback to
//! 1 s before its end, over that wall time.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, SystemTime};

/// A stereo MP3 of pink noise at `rate`, `secs` long, if sox and lame exist.
pub fn mp3(dir: &Path, rate: usize, secs: usize) -> Result<PathBuf, String> {
    let wav = dir.join("noise.wav");
    let mp3 = dir.join("noise.mp3");
    let ok = |c: &mut Command| c.status().is_ok_and(|s| s.success());
    if !ok(Command::new("sox")
        .args(["-n", "-r", &rate.to_string(), "-c", "2"])
        .arg(&wav)
        .args(["synth", &secs.to_string(), "pinknoise", "vol", "0.3"]))
    {
        return Err("sox is missing (apt install sox)".into());
    }
    if !ok(Command::new("lame")
        .args(["--quiet", "-b", "128"])
        .arg(&wav)
        .arg(&mp3))
    {
        return Err("lame is missing (apt install lame)".into());
    }
    let _ = std::fs::remove_file(&wav);
    Ok(mp3)
}

/// CPU seconds (user + system) the process has used, from /proc.
pub fn cpu_seconds(pid: u32) -> f64 {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
    let rest = stat.rsplit_once(')').map(|(_, r)| r).unwrap_or("");
    let f: Vec<&str> = rest.split_whitespace().collect();
    let tick = |i: usize| f.get(i).and_then(|x| x.parse::<f64>().ok()).unwrap_or(0.0);
    (tick(11) + tick(12)) / 100.0
}

pub fn sleep_until(t: SystemTime) {
    while let Ok(left) = t.duration_since(SystemTime::now()) {
        if left > Duration::from_millis(2) {
            std::thread::sleep(left - Duration::from_millis(1));
        }
    }
}

/// Local `YYYY-MM-DD HH:MM:SS` of `t`, for an `on:` entry.
pub fn local(t: SystemTime) -> String {
    chrono::DateTime::<chrono::Utc>::from(t)
        .with_timezone(&chrono_tz::Asia::Ho_Chi_Minh)
        .format("%Y-%m-%d %H:%M:%S")
        .to_string()
}

/// The schedule entry that plays `noise.mp3` at `at`.
pub fn entry(at: SystemTime) -> String {
    format!(
        "  - name: noise\n    audio: noise.mp3\n    chime: false\n    on: [\"{}\"]\n",
        local(at)
    )
}

/// Waits through a playback of `secs` seconds that starts at `at` in the
/// process `pid`, and returns its CPU over the middle, in % of one core,
/// with the span measured in seconds. Returns once the playback is over.
pub fn measure(pid: u32, at: SystemTime, secs: usize) -> (f64, f64) {
    let (from, to) = (
        at + Duration::from_secs(2),
        at + Duration::from_secs(secs as u64 - 1),
    );
    sleep_until(from);
    let c0 = cpu_seconds(pid);
    sleep_until(to);
    let c1 = cpu_seconds(pid);
    let span = to.duration_since(from).unwrap_or_default().as_secs_f64();
    sleep_until(at + Duration::from_secs(secs as u64 + 2));
    ((c1 - c0) / span * 100.0, span)
}

/// A bench's station folder, `dir/station`, with `schedules/`, `audio/` and
/// `config` as its config.yaml.
pub fn station(dir: &Path, config: &str) -> PathBuf {
    let st = dir.join("station");
    std::fs::create_dir_all(st.join("schedules")).expect("mkdir");
    std::fs::create_dir_all(st.join("audio")).expect("mkdir");
    std::fs::write(st.join("config.yaml"), config).expect("write config.yaml");
    st
}

/// The capture's own delay, from a bare writer: `refs` tones written
/// straight into the capture's FIFO, each 400 ms ahead and 300 ms apart;
/// the instants they entered it. [`heard`] gives how late each was heard.
pub fn bare_tones(cap: &crate::capture::Capture, refs: usize) -> Vec<SystemTime> {
    (0..refs)
        .map(|_| {
            let at = SystemTime::now() + Duration::from_millis(400);
            let entered = cap.bare_tone(at).expect("write the capture FIFO");
            std::thread::sleep(Duration::from_millis(300));
            entered
        })
        .collect()
}

/// How late (ms) the sound meant for each of `times` was heard in `runs`;
/// panics naming `what` when one was not heard.
pub fn heard(runs: &[crate::capture::Run], times: &[SystemTime], what: &str) -> Vec<f64> {
    times
        .iter()
        .map(|t| {
            crate::capture::heard_late(runs, *t).unwrap_or_else(|| panic!("{what} was not heard"))
        })
        .collect()
}

/// `loa run` on the station `st` (the release build under test), its own
/// log at warnings only.
pub fn run_loa(st: &Path) -> std::process::Child {
    Command::new(loa_bin())
        .arg("--config")
        .arg(st.join("config.yaml"))
        .arg("run")
        .env("LOA_LOG", "warn")
        .spawn()
        .expect("spawn loa")
}

/// Stops a daemon as systemd would (SIGTERM) and waits for it.
pub fn stop(mut child: std::process::Child) {
    let _ = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status();
    let _ = child.wait();
}

/// The binary measured: `LOA=/path/to/loa` (an older build, to compare in
/// the same run), else the one cargo built for the bench.
fn loa_bin() -> String {
    std::env::var("LOA").unwrap_or_else(|_| env!("CARGO_BIN_EXE_loa").to_string())
}
