//! The line input (`relay: "alsa:<pcm>"`) through real ALSA with no sound
//! card (SPEC §8): a capture PCM of type `file` whose `infile` is a FIFO
//! this test writes a 440 Hz tone into at 48 kHz, paced like a card (the
//! `null` slave keeps no time; a read from the FIFO waits for the writer).
//!
//! `ALSA_CONFIG_PATH` must be set before anything in the process touches
//! ALSA, so this is a test binary of its own, with one test in-process (the
//! other runs `loa devices` as a child with its own environment).

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

mod common;

use common::linein::{asound, tone_writer};
use loa::sound::relay::{Live, RATE, Source};

#[test]
fn loa_devices_lists_the_line_input() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let infile = dir.path().join("in.raw");
    std::fs::write(&infile, b"").unwrap_or_else(|e| panic!("{e}"));
    // A child process: this one's ALSA is set up by the other test.
    let out = assert_cmd::Command::cargo_bin("loa")
        .unwrap_or_else(|e| panic!("{e}"))
        .args(["devices", "--lang", "en"])
        .env("ALSA_CONFIG_PATH", asound(dir.path(), &infile))
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success());
    let (outputs, captures) = text
        .split_once("Capture inputs (for relay: \"alsa:<name>\"):")
        .unwrap_or_else(|| panic!("no capture heading in:\n{text}"));
    assert!(outputs.contains("\nlinein\tLine in (test)\n"), "{text}");
    assert!(
        captures.contains("\nalsa:linein\tLine in (test)\n"),
        "{text}"
    );
    // `alsa:null` is no source a relay takes.
    assert!(!captures.contains("alsa:null"), "{text}");
}

#[test]
fn the_line_input_is_heard() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let fifo = dir.path().join("linein.fifo");
    let made = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .is_ok_and(|s| s.success());
    assert!(made, "mkfifo failed");
    let path = asound(dir.path(), &fifo);
    // SAFETY: the only test in this process that touches ALSA or reads the
    // environment (the other passes its own to a child), before any ALSA
    // call.
    unsafe { std::env::set_var("ALSA_CONFIG_PATH", path) };
    let stop = Arc::new(AtomicBool::new(false));
    let writer = tone_writer(&fifo, stop.clone());
    let began = Instant::now();
    let live = Live::start(Source::Alsa("linein".into()));
    let enough = Duration::from_millis(1300);
    while live.buffered() < enough && began.elapsed() < Duration::from_secs(5) {
        std::thread::sleep(Duration::from_millis(20));
    }
    let held = live.buffered();
    let elapsed = began.elapsed();
    let stats = live.stats();
    assert!(
        held >= enough,
        "{held:?} captured in {elapsed:?}: {stats:?}"
    );
    // Paced by the writer: not faster than real time.
    assert!(
        held <= elapsed + Duration::from_millis(100),
        "{held:?} in {elapsed:?}"
    );
    let mut skip = vec![0.0f32; RATE as usize / 4 * 2];
    live.take(&mut skip);
    let mut all = vec![0.0f32; RATE as usize * 2];
    let got = live.take(&mut all);
    let left: Vec<f32> = all[..got * 2].iter().step_by(2).copied().collect();
    let ups = left
        .windows(2)
        .filter(|w| w[0] < 0.0 && w[1] >= 0.0)
        .count();
    let f = ups as f32 * RATE as f32 / left.len().max(1) as f32;
    let rms = (left.iter().map(|s| s * s).sum::<f32>() / left.len().max(1) as f32).sqrt();
    eprintln!("line input: {f:.1} Hz, rms {rms:.4}, {held:?} after {elapsed:?}, {stats:?}");
    assert!((f - 440.0).abs() < 2.0, "{f} Hz");
    let want = 0.25 / 2f32.sqrt();
    assert!((rms - want).abs() < want * 0.05, "rms {rms}");
    assert_eq!((stats.failures, stats.dropouts), (0, 0), "{stats:?}");
    drop(live);
    stop.store(true, Ordering::Release);
    let _ = writer.join();
}
