//! Relay (issue 11): the CPU a relay costs while it receives an MP3 stream,
//! measured from outside the receiving process.
//!
//! A real icecast2 on loopback, fed by ffmpeg with a 128 kbit/s MP3 of a
//! 44.1 kHz sine (so the receiver decodes and converts the rate, as for
//! most internet radio). This benchmark then runs itself again as a child
//! (`--child URL SECS`) that starts a `Live` on the mount and takes its
//! sound every 10 ms as the output does, for SECS seconds (RELAY_S, 20 by
//! default), and exits. The parent reaps it with wait4 and prints the
//! child's user + system CPU time over its wall time, and its peak RSS.
//! Run: `cargo bench --bench relay` (or `bash bench/relay.sh`).

#[path = "../tests/common/icecast.rs"]
mod icecast;

use std::process::Command;
use std::time::{Duration, Instant};

use loa::sound::relay::{Live, RATE, Source};

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if let Some(i) = args.iter().position(|a| a == "--child") {
        let url = args.get(i + 1).cloned().unwrap_or_default();
        let secs: u64 = args.get(i + 2).and_then(|s| s.parse().ok()).unwrap_or(20);
        std::process::exit(child(&url, Duration::from_secs(secs)));
    }
    let secs: u64 = std::env::var("RELAY_S")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(20);
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let ice = icecast::Icecast::start(dir.path());
    let url = ice.url("bench.mp3");
    let _feed = icecast::Feed::start(ice.port, "bench.mp3", icecast::Codec::Mp3);
    let up = Instant::now();
    while !icecast::mount_up(&url) {
        assert!(
            up.elapsed() < Duration::from_secs(10),
            "the mount never came up"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    let exe = std::env::current_exe().unwrap_or_else(|e| panic!("{e}"));
    let began = Instant::now();
    // Reaped by wait4 below, for its rusage.
    #[allow(clippy::zombie_processes)]
    let child = Command::new(exe)
        .args(["--child", &url, &secs.to_string()])
        .spawn()
        .unwrap_or_else(|e| panic!("{e}"));
    let mut status = 0;
    // SAFETY: a zeroed rusage is a valid value for wait4 to fill.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: waits for our own child, writing into locals that outlive
    // the call.
    let pid = unsafe { libc::wait4(child.id() as libc::pid_t, &mut status, 0, &mut usage) };
    let wall = began.elapsed();
    assert!(pid > 0 && status == 0, "the child failed (status {status})");
    let tv = |t: libc::timeval| Duration::new(t.tv_sec as u64, t.tv_usec as u32 * 1000);
    let cpu = tv(usage.ru_utime) + tv(usage.ru_stime);
    println!(
        "relay of a 128 kbit/s 44.1 kHz MP3 stream from icecast2, whole receiving process over {:.1} s: \
         user {:.3} s + sys {:.3} s = {:.2} % of one core; peak RSS {:.1} MiB",
        wall.as_secs_f64(),
        tv(usage.ru_utime).as_secs_f64(),
        tv(usage.ru_stime).as_secs_f64(),
        100.0 * cpu.as_secs_f64() / wall.as_secs_f64(),
        usage.ru_maxrss as f64 / 1024.0,
    );
}

/// Relays `url` for `secs`, taking the sound every 10 ms; 0 if sound came.
fn child(url: &str, secs: Duration) -> i32 {
    let Ok(source) = Source::parse(url) else {
        return 2;
    };
    let live = Live::start(source);
    let mut buf = vec![0.0f32; RATE as usize / 100 * 2];
    let began = Instant::now();
    let mut n = 0u32;
    while began.elapsed() < secs {
        n += 1;
        if let Some(w) =
            (began + Duration::from_millis(10) * n).checked_duration_since(Instant::now())
        {
            std::thread::sleep(w);
        }
        live.take(&mut buf);
    }
    let s = live.stats();
    eprintln!("child: {s:?}");
    if s.ever_received && s.aired > secs / 2 {
        0
    } else {
        1
    }
}
