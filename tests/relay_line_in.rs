//! The line input (`relay: "alsa:<pcm>"`) through real ALSA with no sound
//! card (SPEC §8): a capture PCM of type `file` whose `infile` is a FIFO
//! this test writes a 440 Hz tone into at 48 kHz, paced like a card (the
//! `null` slave keeps no time; a read from the FIFO waits for the writer).
//!
//! `ALSA_CONFIG_PATH` must be set before anything in the process touches
//! ALSA, so this is a test binary of its own, with one test in-process (the
//! other runs `loa devices` as a child with its own environment).

use std::io::Write;
use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use loa::relay::{Live, RATE, Source};

/// The capture PCM's raw format: S16_LE, stereo, 48 kHz.
const FRAME: usize = 4;

fn asound(dir: &Path, fifo: &Path) -> String {
    // A plug converts whatever cpal asks for to the file plugin's format;
    // the hint lists it in `loa devices`.
    let conf = format!(
        "pcm.linein {{\n  type plug\n  hint {{ show on; description \"Line in (test)\" }}\n  slave {{ pcm \"linein_file\"; format S16_LE; rate 48000; channels 2 }}\n}}\n\
         pcm.linein_file {{\n  type file\n  slave.pcm \"null\"\n  file \"{}\"\n  infile \"{}\"\n  format \"raw\"\n}}\n",
        dir.join("recorded.raw").display(),
        fifo.display()
    );
    let path = dir.join("asound.conf");
    std::fs::write(&path, conf).unwrap_or_else(|e| panic!("{e}"));
    format!("/usr/share/alsa/alsa.conf:{}", path.display())
}

/// Writes a 440 Hz tone (amplitude 0.25) into `fifo` at 48 kHz, 10 ms at
/// a time, until stopped or the reader goes.
fn tone_writer(fifo: &Path, stop: Arc<AtomicBool>) -> std::thread::JoinHandle<u64> {
    let fifo = fifo.to_path_buf();
    std::thread::spawn(move || {
        // Blocks until ALSA opens the infile.
        let Ok(mut f) = std::fs::OpenOptions::new().write(true).open(&fifo) else {
            return 0;
        };
        let block = RATE as usize / 100;
        let began = Instant::now();
        let mut n: u64 = 0;
        let mut buf = vec![0u8; block * FRAME];
        while !stop.load(Ordering::Acquire) {
            for (k, fr) in buf.chunks_exact_mut(FRAME).enumerate() {
                let t = (n as usize * block + k) as f64 / f64::from(RATE);
                let v = (0.25 * (std::f64::consts::TAU * 440.0 * t).sin() * 32767.0) as i16;
                fr[..2].copy_from_slice(&v.to_le_bytes());
                fr[2..].copy_from_slice(&v.to_le_bytes());
            }
            if f.write_all(&buf).is_err() {
                break;
            }
            n += 1;
            let due = began + Duration::from_millis(10 * n);
            if let Some(w) = due.checked_duration_since(Instant::now()) {
                std::thread::sleep(w);
            }
        }
        n
    })
}

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
