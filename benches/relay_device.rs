//! Relay at the device (issue 11, SPEC §7 "Relay"): `loa run` relays a live
//! MP3 stream from a real icecast2 on loopback (fed by ffmpeg with a 440 Hz
//! sine) through the real cpal → ALSA path into the paced capture (SPEC §8),
//! and this measures from outside what a listener gets:
//! 1. the capture's own delay, from a bare writer (REFS tones);
//! 2. the relay's start error at the device: N relays of 3 s, each heard at
//!    the capture, less the capture's median delay, against its scheduled
//!    second; the log's `start_error_ms` beside it;
//! 3. loa's CPU (user + system from /proc, whole daemon) over the middle of
//!    a CPU_S-second relay;
//! 4. the reconnect: in a 12 s relay, ffmpeg is killed for 2 s and started
//!    again; the time from its restart to sound again at the capture, and
//!    the relay's `dropouts` and `received_s`.
//!
//! Run: `cargo bench --bench relay_device` (about 1 min 20 s). Environment:
//! N (5), CPU_S (20).

#[path = "../tests/common/capture.rs"]
#[allow(dead_code)]
mod capture;
#[path = "../tests/common/icecast.rs"]
mod icecast;
#[path = "common/playback.rs"]
#[allow(dead_code)]
mod playback;

use std::time::{Duration, SystemTime};

use capture::Capture;
use playback::{bare_tones, heard, local, run_loa, sleep_until, station, stop};

const REFS: usize = 5;

fn ms(a: SystemTime, b: SystemTime) -> f64 {
    match a.duration_since(b) {
        Ok(d) => d.as_secs_f64() * 1000.0,
        Err(e) => -e.duration().as_secs_f64() * 1000.0,
    }
}

fn median(v: &[f64]) -> f64 {
    let mut v = v.to_vec();
    v.sort_by(f64::total_cmp);
    v.get(v.len() / 2).copied().unwrap_or(f64::NAN)
}

fn whole_second(t: SystemTime) -> SystemTime {
    let d = t.duration_since(SystemTime::UNIX_EPOCH).unwrap_or_default();
    SystemTime::UNIX_EPOCH + Duration::from_secs(d.as_secs() + 1)
}

fn main() {
    let env = |name: &str, default: u64| {
        std::env::var(name)
            .ok()
            .and_then(|s| s.parse().ok())
            .unwrap_or(default)
    };
    let (n, cpu_s) = (env("N", 5), env("CPU_S", 20));
    let dir = tempfile::tempdir().expect("tempdir");
    let cap = Capture::with_chunk(dir.path(), 48);
    // SAFETY: no other thread reads the environment yet.
    unsafe { std::env::set_var("ALSA_CONFIG_PATH", cap.alsa_config_path()) };

    // 1. The capture's own delay.
    let entered = bare_tones(&cap, REFS);

    // The source.
    let ice_dir = dir.path().join("icecast");
    std::fs::create_dir_all(&ice_dir).expect("mkdir");
    let ice = icecast::Icecast::start(&ice_dir);
    let url = ice.url("vov1.mp3");
    let feed = icecast::Feed::start(ice.port, "vov1.mp3", icecast::Codec::Mp3);
    while !icecast::mount_up(&url) {
        std::thread::sleep(Duration::from_millis(50));
    }

    // 2–4. The station: N short relays, one long one, one with an outage.
    let st = station(
        dir.path(),
        "station: bench\nquiet_hours: []\nlate_limit: 1m\noutput:\n  loudness: off\n",
    );
    let first = whole_second(SystemTime::now()) + Duration::from_secs(8);
    let times: Vec<SystemTime> = (0..n).map(|i| first + Duration::from_secs(5 * i)).collect();
    let long_at = first + Duration::from_secs(5 * n + 2);
    let out_at = long_at + Duration::from_secs(cpu_s + 3);
    let relay = |name: &str, at: SystemTime, secs: u64| {
        format!(
            "  - name: {name}\n    relay: \"{url}\"\n    for: {secs}s\n    on: [\"{}\"]\n",
            local(at)
        )
    };
    let mut yaml = String::from("broadcasts:\n");
    for (i, t) in times.iter().enumerate() {
        yaml.push_str(&relay(&format!("short{i}"), *t, 3));
    }
    yaml.push_str(&relay("long", long_at, cpu_s));
    yaml.push_str(&relay("outage", out_at, 12));
    std::fs::write(st.join("schedules/b.yaml"), yaml).expect("write");
    let child = run_loa(&st);
    let (cpu, span) = playback::measure(child.id(), long_at, cpu_s as usize);
    sleep_until(out_at + Duration::from_secs(4));
    feed.stop();
    std::thread::sleep(Duration::from_secs(2));
    let restarted = SystemTime::now();
    let _feed = icecast::Feed::start(ice.port, "vov1.mp3", icecast::Codec::Mp3);
    sleep_until(out_at + Duration::from_secs(14));
    stop(child);
    let chunks = cap.finish();
    let runs = capture::runs(&chunks, Duration::from_millis(300));

    let chain = heard(&runs, &entered, "a bare-writer tone");
    let delay = median(&chain);
    let raw = heard(&runs, &times, "a relay");
    let errors: Vec<f64> = raw.iter().map(|r| r - delay).collect();
    let back = runs
        .iter()
        .find(|r| r.start > restarted)
        .map(|r| ms(r.start, restarted) / 1000.0);
    let log = std::fs::read_dir(st.join("playlog"))
        .expect("playlog")
        .flatten()
        .filter_map(|e| std::fs::read_to_string(e.path()).ok())
        .collect::<String>();
    let finishes: Vec<serde_json::Value> = log
        .lines()
        .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
        .filter(|v| v["event"] == "finish")
        .collect();
    let logged: Vec<f64> = finishes
        .iter()
        .filter(|f| f["id"].as_str().is_some_and(|i| i.contains("#short")))
        .filter_map(|f| f["start_error_ms"].as_f64())
        .collect();
    let outage = finishes
        .iter()
        .find(|f| f["id"].as_str().is_some_and(|i| i.contains("#outage@")));
    let mut abs: Vec<f64> = errors.iter().map(|e| e.abs()).collect();
    abs.sort_by(f64::total_cmp);
    println!("capture's own delay (bare writer, {REFS} tones): median {delay:.1} ms");
    println!(
        "relay start at the device, {n} relays of a 128 kbit/s MP3 stream: raw {:?} ms; less the capture's delay: median |error| {:.1} ms, worst {:.1} ms; logged start_error_ms {:?}",
        raw.iter()
            .map(|r| (r * 10.0).round() / 10.0)
            .collect::<Vec<_>>(),
        median(&abs),
        abs.last().copied().unwrap_or(f64::NAN),
        logged
    );
    println!("loa (whole daemon) while relaying: {cpu:.2} % of one core over {span:.0} s");
    println!(
        "2 s source outage: sound back at the device {} after ffmpeg restarted; finish: dropouts {}, received_s {} of played_s {}",
        back.map_or("never".to_string(), |b| format!("{b:.2} s")),
        outage.map_or("?".into(), |f| f["dropouts"].to_string()),
        outage.map_or("?".into(), |f| f["received_s"].to_string()),
        outage.map_or("?".into(), |f| f["played_s"].to_string()),
    );
}
