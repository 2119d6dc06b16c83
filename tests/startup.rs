//! Start-up does not wait for measuring: a station with hours of
//! recordings nobody has measured yet is READY at once, measures them in
//! the background nearest broadcast first, saving each as it goes, starts a
//! broadcast on its second meanwhile, and stops cleanly on SIGTERM at any
//! point. A real daemon on the null output, real time.

mod common;

use std::io::Write as _;
use std::os::unix::net::UnixDatagram;
use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use common::daemon::{in_secs, spawn_run, wait_ready};
use serde_json::Value;

/// Writes a mono 16-bit 8 kHz WAV of `secs` seconds: a square wave of
/// `period` samples, so each file has its own content (and hash).
fn long_wav(path: &Path, secs: u32, period: u32) -> String {
    use sha2::Digest as _;
    let n = 8_000 * secs;
    let mut head = Vec::with_capacity(44);
    head.extend_from_slice(b"RIFF");
    head.extend_from_slice(&(36 + n * 2).to_le_bytes());
    head.extend_from_slice(b"WAVEfmt ");
    head.extend_from_slice(&16u32.to_le_bytes());
    head.extend_from_slice(&1u16.to_le_bytes());
    head.extend_from_slice(&1u16.to_le_bytes());
    head.extend_from_slice(&8_000u32.to_le_bytes());
    head.extend_from_slice(&16_000u32.to_le_bytes());
    head.extend_from_slice(&2u16.to_le_bytes());
    head.extend_from_slice(&16u16.to_le_bytes());
    head.extend_from_slice(b"data");
    head.extend_from_slice(&(n * 2).to_le_bytes());
    // One second of the wave, repeated.
    let second: Vec<u8> = (0..8_000u32)
        .flat_map(|k| {
            let x: i16 = if (k / (period / 2)).is_multiple_of(2) {
                6000
            } else {
                -6000
            };
            x.to_le_bytes()
        })
        .collect();
    let mut sha = sha2::Sha256::new();
    let file = std::fs::File::create(path).unwrap_or_else(|e| panic!("{e}"));
    let mut out = std::io::BufWriter::new(file);
    sha.update(&head);
    out.write_all(&head).unwrap_or_else(|e| panic!("{e}"));
    for _ in 0..secs {
        sha.update(&second);
        out.write_all(&second).unwrap_or_else(|e| panic!("{e}"));
    }
    out.flush().unwrap_or_else(|e| panic!("{e}"));
    format!("{:x}", sha.finalize())
}

/// The content hashes state/audio.json holds.
fn measured(dir: &Path) -> Vec<String> {
    let text = std::fs::read_to_string(dir.join("state/audio.json")).unwrap_or_default();
    serde_json::from_str::<serde_json::Map<String, Value>>(&text)
        .map(|m| m.keys().cloned().collect())
        .unwrap_or_default()
}

#[test]
fn hours_of_unmeasured_recordings_do_not_hold_up_ready_a_broadcast_or_a_stop() {
    let st = common::station(
        "station: Start-up test\noutput:\n  device: \"null\"\nquiet_hours: []\nlate_limit: 30s\n",
    );
    let audio = st.path().join("audio");
    // Eight hours of recordings (an hour is measured in about a second
    // here: five hours were sometimes all measured before the stop below);
    // the broadcast uses the one a folder walk reaches last.
    let hashes: Vec<String> = (1..=8)
        .map(|k| long_wav(&audio.join(format!("ban-tin-{k}.wav")), 3600, 8 + 2 * k))
        .collect();
    let needed = &hashes[7];
    common::write(
        &st.path().join("schedules/sang.yaml"),
        &format!(
            "title: Sáng\ntopic: Test\nbroadcasts:\n  - name: sang\n    audio: ban-tin-8.wav\n    on: [\"{}\"]\n",
            in_secs(4)
        ),
    );

    // Recordings copied in a moment ago rest until they have settled;
    // these were copied before the station started.
    std::thread::sleep(Duration::from_millis(1100));
    let sock_path = st.path().join("notify.sock");
    let sock = UnixDatagram::bind(&sock_path).unwrap_or_else(|e| panic!("{e}"));
    sock.set_read_timeout(Some(Duration::from_millis(50)))
        .unwrap_or_else(|e| panic!("{e}"));
    let began = Instant::now();
    let mut child = spawn_run(st.path(), &[("NOTIFY_SOCKET", sock_path.as_os_str())]);
    let ready = wait_ready(&sock, began, Duration::from_secs(30));
    println!("spawn → READY=1: {ready:?}");
    assert!(ready < Duration::from_secs(2), "READY after {ready:?}");

    // The first result saved is the recording the broadcast needs.
    let first = loop {
        let m = measured(st.path());
        if !m.is_empty() {
            break m;
        }
        assert!(
            began.elapsed() < Duration::from_secs(60),
            "nothing measured"
        );
        std::thread::sleep(Duration::from_millis(10));
    };
    println!("first measured after {:?}", began.elapsed());
    assert_eq!(&first, std::slice::from_ref(needed), "nearest first");

    // The broadcast starts on its second, measured or not.
    let log_dir = st.path().join("playlog");
    let start = loop {
        let log = common::read_log(&log_dir);
        if let Some(s) = common::events(&log, "start").first() {
            break (*s).clone();
        }
        assert!(began.elapsed() < Duration::from_secs(12), "no start");
        std::thread::sleep(Duration::from_millis(10));
    };
    assert_eq!(start["audio"][0]["sha256"], needed.as_str(), "{start}");

    // SIGTERM while it sounds and the rest is being measured: exit 0,
    // daemon_stop, and what was measured is kept.
    std::thread::sleep(Duration::from_millis(5_500).saturating_sub(began.elapsed()));
    assert!(
        measured(st.path()).len() < hashes.len(),
        "measuring should still be under way; make the recordings longer"
    );
    let asked = Instant::now();
    let _ = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status();
    let status = child.wait().unwrap_or_else(|e| panic!("{e}"));
    let stopped = asked.elapsed();
    println!("SIGTERM → exit: {stopped:?}");
    assert_eq!(status.code(), Some(0), "{status:?}");
    assert!(stopped < Duration::from_secs(2), "took {stopped:?}");
    let log = common::read_log(&log_dir);
    assert_eq!(common::events(&log, "daemon_stop").len(), 1, "{log:#?}");
    let fin = common::events(&log, "finish");
    assert_eq!(fin.len(), 1, "{log:#?}");
    assert_eq!(fin[0]["reason"], "shutdown", "{}", fin[0]);
    let err = fin[0]["start_error_ms"].as_f64().unwrap_or(f64::MAX);
    assert!(err.abs() < 100.0, "started {err} ms off its second");
    assert!(measured(st.path()).contains(needed), "the cache is kept");
}

#[test]
fn sigterm_as_soon_as_the_daemon_starts_stops_it_cleanly() {
    let st =
        common::station("station: Start-up test\noutput:\n  device: \"null\"\nquiet_hours: []\n");
    for k in 1..=3 {
        long_wav(&st.path().join(format!("audio/b{k}.wav")), 1800, 8 + 2 * k);
    }
    let mut child = spawn_run(st.path(), &[]);
    // As soon as the daemon has put its start on record, before it can
    // have measured anything.
    let began = Instant::now();
    while common::events(
        &common::read_log(&st.path().join("playlog")),
        "daemon_start",
    )
    .is_empty()
    {
        assert!(began.elapsed() < Duration::from_secs(30), "no daemon_start");
        std::thread::sleep(Duration::from_millis(1));
    }
    let _ = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status();
    let asked = Instant::now();
    let status = child.wait().unwrap_or_else(|e| panic!("{e}"));
    let stopped = asked.elapsed();
    println!(
        "daemon_start → exit: {:?}, SIGTERM → exit: {stopped:?}",
        began.elapsed()
    );
    assert_eq!(status.code(), Some(0), "{status:?}");
    assert!(stopped < Duration::from_secs(2), "took {stopped:?}");
    let log = common::read_log(&st.path().join("playlog"));
    assert_eq!(common::events(&log, "daemon_stop").len(), 1, "{log:#?}");
}
