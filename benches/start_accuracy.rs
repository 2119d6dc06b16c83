//! Start accuracy at the device (SPEC §7, §8): when the first sample of a
//! broadcast reaches a paced ALSA capture, against its scheduled time.
//!
//! Method: ALSA's default PCM is a plug into a `file` PCM writing to a FIFO
//! that a reader drains at 48 kHz. First a reference rodio player (same
//! 512-frame period as loa) starts a tone at known instants: the capture sees
//! each one a constant chain delay later, whose median is the calibration.
//! Then `loa run` plays a tone at scheduled times; each start error is the
//! capture time, less the scheduled time, less the chain delay.
//!
//! Run: `cargo bench --bench start_accuracy` (env `N` sets the number of
//! broadcasts, default 30).

#[path = "../tests/common/capture.rs"]
#[allow(dead_code)]
mod capture;

use std::process::Command;
use std::time::{Duration, Instant, SystemTime};

use capture::Capture;
use rodio::Source;

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
    let n: usize = std::env::var("N")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(30);
    let dir = tempfile::tempdir().expect("tempdir");
    let cap = Capture::new(dir.path());
    // SAFETY: no other thread reads the environment yet (the capture reader
    // only touches its FIFO).
    unsafe { std::env::set_var("ALSA_CONFIG_PATH", cap.alsa_config_path()) };

    // 1. Reference starts.
    let mut refs = Vec::new();
    for _ in 0..5 {
        let mut sink = rodio::DeviceSinkBuilder::from_default_device()
            .and_then(|b| {
                b.with_buffer_size(rodio::cpal::BufferSize::Fixed(512))
                    .open_stream()
            })
            .expect("open the capture device");
        sink.log_on_drop(false);
        let t0 = SystemTime::now() + Duration::from_millis(1200);
        sleep_until(t0);
        let tone = rodio::source::SineWave::new(440.0)
            .take_duration(Duration::from_millis(400))
            .amplify(0.25);
        sink.mixer().add(tone);
        refs.push(t0);
        std::thread::sleep(Duration::from_millis(900));
        drop(sink);
        std::thread::sleep(Duration::from_millis(300));
    }

    // 2. loa.
    let st = dir.path().join("station");
    std::fs::create_dir_all(st.join("schedules")).expect("mkdir");
    std::fs::create_dir_all(st.join("audio")).expect("mkdir");
    std::fs::copy(
        concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/tones/tone.wav"),
        st.join("audio/tone.wav"),
    )
    .expect("copy");
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
    let chunks = cap.finish();

    let runs = capture::runs(&chunks, Duration::from_millis(300));
    assert_eq!(
        runs.len(),
        refs.len() + n,
        "expected {} sounds, heard {}",
        refs.len() + n,
        runs.len()
    );
    let ms = |a: SystemTime, b: SystemTime| match a.duration_since(b) {
        Ok(d) => d.as_secs_f64() * 1000.0,
        Err(e) => -e.duration().as_secs_f64() * 1000.0,
    };
    let chain: Vec<f64> = refs
        .iter()
        .zip(&runs)
        .map(|(t, r)| ms(r.start, *t))
        .collect();
    let (delay, _, _) = stats(chain.clone());
    let errors: Vec<f64> = times
        .iter()
        .zip(&runs[refs.len()..])
        .map(|(t, r)| ms(r.start, *t) - delay)
        .collect();
    let (median, p99, worst) = stats(errors.clone());
    println!("chain delay (reference rodio player): median {delay:.1} ms, each {chain:.1?}");
    println!(
        "loa start error over {n} broadcasts: median {median:.1} ms, p99 {p99:.1} ms, worst {worst:.1} ms"
    );
    println!("targets: median <= 5 ms, p99 <= 20 ms; SIGTERM to exit: {stop_ms} ms");
}
