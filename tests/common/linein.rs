//! A line input with no sound card (SPEC §8): a capture PCM `linein` of
//! type `file` whose `infile` is a FIFO a writer thread fills with a 440 Hz
//! tone at 48 kHz, paced like a card (the `null` slave keeps no time; a
//! read from the FIFO waits for the writer).

use std::io::Write;
use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

const RATE: u32 = 48_000;

/// The capture PCM's raw format: S16_LE, stereo, 48 kHz.
const FRAME: usize = 4;

/// Writes the ALSA configuration of `linein` into `dir` and returns an
/// `ALSA_CONFIG_PATH` with it.
pub fn asound(dir: &Path, fifo: &Path) -> String {
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
pub fn tone_writer(fifo: &Path, stop: Arc<AtomicBool>) -> std::thread::JoinHandle<u64> {
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
