//! The service figures of SPEC §7 besides start accuracy and reports: idle
//! CPU, wake-ups and memory with 1,000 broadcasts loaded; reload latency;
//! `next --days 7` over 1,000 broadcasts; start-up to READY.
//!
//! Method: a station on the null output whose schedules hold 1,000
//! broadcasts (100 files × 10, each once a day at its own minute, none
//! falling in the measured minute), with the sample station's ten
//! recordings in `audio/`. The release `loa` binary runs as a child:
//! - idle: CPU from /proc/PID/stat (user + system), wake-ups as the growth
//!   of voluntary + involuntary context switches of each of its threads,
//!   and VmRSS/VmHWM from /proc/PID/status, over IDLE_S seconds (default
//!   60) from 12 s after the start;
//! - reload: a new schedule file written into schedules/ while it runs, to
//!   its `reload` line in the play log (polled every 2 ms), 10 times;
//! - next: `loa next --days 7 --json`, wall time, 10 runs;
//! - start-up: spawn to the READY=1 datagram on a NOTIFY_SOCKET we bind,
//!   with the audio analysis already cached in state/, 10 runs; and with
//!   nothing measured (state/audio.json removed before each run), 5 runs,
//!   each stopped by SIGTERM right after READY, while it measures: the time
//!   from the signal to the process's exit;
//! - playback CPU: `loa run` playing a 48 kHz MP3 for PLAY_S seconds
//!   (default 20, 0 skips) into the SPEC §8 capture, on a station of its
//!   own (`common/playback.rs`, shared with the start-accuracy bench).
//!
//! Run: `cargo bench --bench service`.

use std::os::unix::net::UnixDatagram;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant, SystemTime};

#[path = "../tests/common/capture.rs"]
#[allow(dead_code)]
mod capture;
#[path = "common/playback.rs"]
#[allow(dead_code)]
mod playback;

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("mkdir");
    for e in std::fs::read_dir(from).expect("read_dir").flatten() {
        let p = e.path();
        if p.is_dir() {
            copy_dir(&p, &to.join(e.file_name()));
        } else {
            std::fs::copy(&p, to.join(e.file_name())).expect("copy");
        }
    }
}

/// 1,000 broadcasts in 100 files; none within `keep_clear` minutes of now.
fn station(dir: &Path) {
    copy_dir(&repo().join("audio"), &dir.join("audio"));
    std::fs::create_dir_all(dir.join("schedules")).expect("mkdir");
    std::fs::write(
        dir.join("config.yaml"),
        "station: Bench\noutput:\n  device: \"null\"\nquiet_hours: []\n",
    )
    .expect("config");
    let clips: Vec<String> = std::fs::read_dir(dir.join("audio/cchc"))
        .expect("audio")
        .flatten()
        .map(|e| format!("cchc/{}", e.file_name().to_string_lossy()))
        .collect();
    let now = chrono::Utc::now().with_timezone(&chrono_tz::Asia::Ho_Chi_Minh);
    let clear = chrono::Timelike::hour(&now) * 60 + chrono::Timelike::minute(&now);
    let mut minute = (clear + 30) % 1440;
    for f in 0..100 {
        let mut y = format!("title: File {f}\ntopic: T{}\nbroadcasts:\n", f % 5);
        for b in 0..10 {
            let t = format!("{:02}:{:02}", minute / 60, minute % 60);
            minute = (minute + 1) % 1440;
            if minute == clear {
                minute = (minute + 60) % 1440;
            }
            y.push_str(&format!(
                "  - name: B{b}\n    audio: {}\n    at: \"{t}\"\n",
                clips[(f * 10 + b) % clips.len()]
            ));
        }
        std::fs::write(dir.join(format!("schedules/f{f:03}.yaml")), y).expect("schedule");
    }
}

fn spawn(dir: &Path, notify: Option<&Path>) -> Child {
    let mut c = Command::new(loa_bin());
    c.current_dir(dir)
        .arg("run")
        .env("LOA_LOG", "warn")
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    if let Some(n) = notify {
        c.env("NOTIFY_SOCKET", n);
    }
    c.spawn().expect("spawn loa")
}

/// Blocks until `READY=1` arrives on the notify socket.
fn wait_ready(sock: &UnixDatagram) {
    let mut buf = [0u8; 4096];
    loop {
        let n = sock.recv(&mut buf).expect("no READY in 10 s");
        if String::from_utf8_lossy(&buf[..n])
            .lines()
            .any(|l| l == "READY=1")
        {
            return;
        }
    }
}

fn stop(mut child: Child) {
    let _ = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status();
    let _ = child.wait();
}

fn cpu_ticks(pid: u32) -> u64 {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
    let rest = stat.rsplit_once(')').map(|(_, r)| r).unwrap_or("");
    let f: Vec<&str> = rest.split_whitespace().collect();
    f.get(11).and_then(|v| v.parse::<u64>().ok()).unwrap_or(0)
        + f.get(12).and_then(|v| v.parse::<u64>().ok()).unwrap_or(0)
}

/// Context switches (voluntary + involuntary) of each thread of `pid`, by
/// thread id.
fn switches(pid: u32) -> std::collections::BTreeMap<String, u64> {
    let mut by_thread = std::collections::BTreeMap::new();
    for t in std::fs::read_dir(format!("/proc/{pid}/task"))
        .into_iter()
        .flatten()
        .flatten()
    {
        let s = std::fs::read_to_string(t.path().join("status")).unwrap_or_default();
        let n: u64 = s
            .lines()
            .filter(|l| {
                l.starts_with("voluntary_ctxt_switches:")
                    || l.starts_with("nonvoluntary_ctxt_switches:")
            })
            .filter_map(|l| l.split_whitespace().nth(1)?.parse::<u64>().ok())
            .sum();
        by_thread.insert(t.file_name().to_string_lossy().into_owned(), n);
    }
    by_thread
}

/// Wake-ups between two looks: each thread's growth, a thread started
/// meanwhile counted from zero. A thread that ended meanwhile is not seen
/// at the second look (its switches are lost, not subtracted): the
/// measured span starts after start-up's threads have gone.
fn woken(
    before: &std::collections::BTreeMap<String, u64>,
    after: &std::collections::BTreeMap<String, u64>,
) -> u64 {
    after
        .iter()
        .map(|(t, n)| n.saturating_sub(before.get(t).copied().unwrap_or(0)))
        .sum()
}

fn status_kb(pid: u32, key: &str) -> u64 {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .unwrap_or_default()
        .lines()
        .find(|l| l.starts_with(key))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|v| v.parse().ok())
        .unwrap_or(0)
}

fn stats(mut v: Vec<f64>) -> (f64, f64) {
    v.sort_by(f64::total_cmp);
    (v[v.len() / 2], v[v.len() - 1])
}

fn log_text(dir: &Path) -> String {
    let mut s = String::new();
    for e in std::fs::read_dir(dir.join("playlog"))
        .into_iter()
        .flatten()
        .flatten()
    {
        s.push_str(&std::fs::read_to_string(e.path()).unwrap_or_default());
    }
    s
}

/// `loa run` playing a 48 kHz MP3 of `secs` seconds through ALSA into a
/// capture: its CPU in % of one core over the middle of the playback.
fn playback_cpu(secs: usize) -> String {
    if secs < 4 {
        return "not measured (PLAY_S < 4)".into();
    }
    let tmp = tempfile::tempdir().expect("tempdir");
    let cap = capture::Capture::with_chunk(tmp.path(), 48);
    let st = playback::station(
        tmp.path(),
        "station: bench\nquiet_hours: []\noutput:\n  loudness: off\n",
    );
    if let Err(e) = playback::mp3(&st.join("audio"), 48_000, secs) {
        let _ = cap.finish();
        return format!("not measured: {e}");
    }
    let now = SystemTime::now();
    let whole = now
        .duration_since(SystemTime::UNIX_EPOCH)
        .unwrap_or_default()
        .as_secs();
    let at = SystemTime::UNIX_EPOCH + Duration::from_secs(whole + 4);
    std::fs::write(
        st.join("schedules/p.yaml"),
        format!("title: p\nbroadcasts:\n{}", playback::entry(at)),
    )
    .expect("schedule");
    let child = Command::new(loa_bin())
        .current_dir(&st)
        .arg("run")
        .env("LOA_LOG", "warn")
        .env("ALSA_CONFIG_PATH", cap.alsa_config_path())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("spawn loa");
    let (cpu, span) = playback::measure(child.id(), at, secs);
    stop(child);
    let heard = capture::flatten(&cap.finish());
    let (rms, _) = capture::rms_and_crossings(&heard);
    assert!(
        rms > 0.01,
        "the MP3 was not heard at the capture (rms {rms})"
    );
    assert!(
        log_text(&st).contains("\"outcome\":\"played\""),
        "the MP3 was not logged as played"
    );
    format!("{cpu:.2} % over {span:.0} s")
}

fn main() {
    let play_s: usize = std::env::var("PLAY_S")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(20);
    let idle_s: u64 = std::env::var("IDLE_S")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(60);
    let tmp = tempfile::tempdir().expect("tempdir");
    let dir = tmp.path();
    station(dir);

    // Start-up to READY, the audio analysis cached by a first run.
    let sock_path = dir.join("notify.sock");
    let sock = UnixDatagram::bind(&sock_path).expect("bind");
    sock.set_read_timeout(Some(Duration::from_secs(10)))
        .expect("timeout");
    let mut ready = Vec::new();
    for run in 0..11 {
        let t = Instant::now();
        let child = spawn(dir, Some(&sock_path));
        wait_ready(&sock);
        if run > 0 {
            ready.push(t.elapsed().as_secs_f64() * 1000.0);
        }
        stop(child);
    }
    let (r_med, r_worst) = stats(ready);

    // Start-up with nothing measured, and SIGTERM while measuring.
    let mut cold = Vec::new();
    let mut stopping = Vec::new();
    for _ in 0..5 {
        let _ = std::fs::remove_file(dir.join("state/audio.json"));
        let t = Instant::now();
        let mut child = spawn(dir, Some(&sock_path));
        wait_ready(&sock);
        cold.push(t.elapsed().as_secs_f64() * 1000.0);
        let t = Instant::now();
        let _ = Command::new("kill")
            .args(["-TERM", &child.id().to_string()])
            .status();
        let status = child.wait().expect("wait");
        assert_eq!(status.code(), Some(0), "exit while measuring");
        stopping.push(t.elapsed().as_secs_f64() * 1000.0);
    }
    let (c_med, c_worst) = stats(cold);
    let (s_med, s_worst) = stats(stopping);

    // Idle.
    let child = spawn(dir, None);
    let pid = child.id();
    // Settled: tokio's blocking-pool thread that checked the audio cache
    // at start-up ends after 10 s idle.
    std::thread::sleep(Duration::from_secs(12));
    let (c0, w0, t0) = (cpu_ticks(pid), switches(pid), Instant::now());
    std::thread::sleep(Duration::from_secs(idle_s));
    let (c1, w1, secs) = (cpu_ticks(pid), switches(pid), t0.elapsed().as_secs_f64());
    let cpu = (c1 - c0) as f64 / 100.0 / secs * 100.0;
    let wakeups = woken(&w0, &w1) as f64 / secs;
    let threads = w1.len();
    let (rss, hwm) = (status_kb(pid, "VmRSS:"), status_kb(pid, "VmHWM:"));

    // Reload latency, on the same running daemon.
    let mut reload = Vec::new();
    for k in 0..10 {
        let name = format!("new{k}.yaml");
        let before = log_text(dir).matches("\"event\":\"reload\"").count();
        let t = Instant::now();
        std::fs::write(
            dir.join("schedules").join(&name),
            "title: New\nbroadcasts:\n  - name: N\n    audio: cchc/bieu-duong.mp3\n    at: \"03:03\"\n",
        )
        .expect("write");
        while log_text(dir).matches("\"event\":\"reload\"").count() == before {
            assert!(t.elapsed() < Duration::from_secs(5), "not taken in 5 s");
            std::thread::sleep(Duration::from_millis(2));
        }
        reload.push(t.elapsed().as_secs_f64() * 1000.0);
        std::thread::sleep(Duration::from_millis(300));
    }
    stop(child);
    let (rl_med, rl_worst) = stats(reload);

    // next --days 7.
    let mut next = Vec::new();
    for _ in 0..10 {
        let t = Instant::now();
        let out = Command::new(loa_bin())
            .current_dir(dir)
            .args(["next", "--days", "7", "--json"])
            .output()
            .expect("next");
        next.push(t.elapsed().as_secs_f64() * 1000.0);
        assert!(out.status.success());
        assert!(out.stdout.iter().filter(|b| **b == b'\n').count() >= 7000);
    }
    let (n_med, n_worst) = stats(next);

    let playing = playback_cpu(play_s);

    println!(
        "{:<34} {:>14} {:>14} {:>10}",
        "figure (1,000 broadcasts)", "measured", "worst", "target"
    );
    println!(
        "{:<34} {:>12.3} % {:>14} {:>10}",
        format!("idle CPU over {secs:.0} s"),
        cpu,
        "",
        "< 0.1 %"
    );
    println!(
        "{:<34} {:>12.2}/s {:>14} {:>10}",
        format!("idle wake-ups ({threads} threads)"),
        wakeups,
        "",
        "≤ 0.2/s"
    );
    println!(
        "{:<34} {:>11.1} MiB {:>10.1} MiB {:>10}",
        "resident memory (now / peak)",
        rss as f64 / 1024.0,
        hwm as f64 / 1024.0,
        "< 20 MiB"
    );
    println!(
        "{:<34} {:>11.0} ms {:>11.0} ms {:>10}",
        "reload: write → reload line", rl_med, rl_worst, "< 1000 ms"
    );
    println!(
        "{:<34} {:>11.1} ms {:>11.1} ms {:>10}",
        "next --days 7 --json", n_med, n_worst, "< 100 ms"
    );
    println!(
        "{:<34} {:>11.1} ms {:>11.1} ms {:>10}",
        "start-up to READY (cached)", r_med, r_worst, "< 200 ms"
    );
    println!(
        "{:<34} {:>11.1} ms {:>11.1} ms {:>10}",
        "start-up to READY (nothing measured)", c_med, c_worst, "< 200 ms"
    );
    println!(
        "{:<34} {:>11.1} ms {:>11.1} ms {:>10}",
        "SIGTERM while measuring → exit 0", s_med, s_worst, "< 2000 ms"
    );
    println!(
        "{:<34} {:>29} {:>10}",
        "playback CPU, MP3 at 48 kHz", playing, "< 2 %"
    );
}

/// The binary measured: `LOA=/path/to/loa` (an older build, to compare in
/// the same run), else the one cargo built for the bench.
fn loa_bin() -> String {
    std::env::var("LOA").unwrap_or_else(|_| env!("CARGO_BIN_EXE_loa").to_string())
}
