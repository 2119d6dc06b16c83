//! Relay (issue 11) through the real daemon, from a real icecast2 on
//! loopback fed by ffmpeg, on air through the real cpal → ALSA path into
//! the paced capture (SPEC §8): heard on its second, with the source's
//! tone, for its `for`; through a source outage; cut by an emergency and
//! going on live.

mod common;

use std::path::Path;
use std::process::Command;
use std::time::{Duration, SystemTime};

use chrono::{TimeDelta, Utc};
use common::capture::{self, Capture};
use common::icecast::{Codec, Feed, Icecast};
use common::onair::{run_with_alsa, start_daemon, stop_and_capture, wait_finishes};
use serde_json::Value;

/// A station whose default ALSA output is the capture, and `schedule` as
/// its only schedule file.
fn station(schedule: &str) -> tempfile::TempDir {
    let st = common::station(
        "station: Relay test\noutput:\n  device: default\n  loudness: off\nquiet_hours: []\nlate_limit: 1m\n",
    );
    common::copy_dir(
        &common::repo().join("tests/fixtures/tones"),
        &st.path().join("audio/tones"),
    );
    common::write(&st.path().join("schedules/test.yaml"), schedule);
    st
}

/// The local date-time `secs` from now (whole seconds), for an `on:`
/// entry, and that instant.
fn at_in(secs: i64) -> (String, SystemTime) {
    let t = Utc::now() + TimeDelta::seconds(secs);
    let t = t
        .with_timezone(&chrono_tz::Asia::Ho_Chi_Minh)
        .with_nanosecond(0)
        .unwrap_or_else(|| panic!("a time"));
    let sys = SystemTime::UNIX_EPOCH + Duration::from_secs(t.timestamp() as u64);
    (t.format("%Y-%m-%d %H:%M:%S").to_string(), sys)
}

use chrono::Timelike as _;

/// A running icecast2 with ffmpeg's 440 Hz sine on `mount`, up.
fn source(dir: &Path, mount: &str, codec: Codec) -> (Icecast, Feed, String) {
    common::icecast::serving(dir, mount, codec)
}

/// The captured frames from `from` for `secs`, by wall time.
fn frames_at(chunks: &[capture::Chunk], from: SystemTime, secs: f64) -> Vec<f32> {
    let to = from + Duration::from_secs_f64(secs);
    chunks
        .iter()
        .filter(|c| c.at >= from && c.at < to)
        .flat_map(|c| c.left.iter().copied())
        .collect()
}

#[test]
fn a_relay_is_heard_on_its_second_with_the_source_tone_and_ends_at_its_for() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let (_ice, _feed, url) = source(dir.path(), "vov1.mp3", Codec::Mp3);
    let (on, due) = at_in(8);
    let st = station(&format!(
        "broadcasts:\n  - name: VOV1\n    relay: \"{url}\"\n    for: 4s\n    on: [\"{on}\"]\n"
    ));
    let cap = Capture::new(st.path());
    let mut child = start_daemon(st.path(), &cap);
    let l = wait_finishes(st.path(), 1, Duration::from_secs(25));
    let chunks = stop_and_capture(&mut child, cap);
    let f = common::events(&l, "finish");
    assert_eq!(f.len(), 1, "{l:#?}");
    assert_eq!(f[0]["outcome"], "played", "{}", f[0]);
    assert_eq!(f[0]["dropouts"], 0, "{}", f[0]);
    let received = f[0]["received_s"].as_f64().unwrap_or(0.0);
    assert!(received > 3.8 && received <= 4.0, "{}", f[0]);
    let s = common::events(&l, "start");
    assert_eq!(s[0]["source"], url.as_str(), "{}", s[0]);
    let runs = capture::runs(&chunks, Duration::from_millis(300));
    assert_eq!(runs.len(), 1, "{runs:#?}");
    let late = capture::heard_late(&runs, due)
        .unwrap_or_else(|| panic!("nothing heard within 0.5 s of its second: {runs:#?}"));
    println!("relay heard {late:+.1} ms from its second (the capture adds ~3 ms)");
    assert!(late.abs() < 500.0, "{late}");
    // It ends at its for: 4 s of sound, then the output closes.
    assert!((runs[0].seconds - 4.0).abs() < 0.1, "{runs:#?}");
    // The source's tone: 440 Hz is 880 zero crossings a second.
    let mid = frames_at(&chunks, due + Duration::from_secs(1), 2.0);
    let (rms, crossings) = capture::rms_and_crossings(&mid);
    assert!((crossings - 880.0).abs() < 20.0, "{crossings} crossings/s");
    assert!(rms > 0.05, "rms {rms}");
}

#[test]
fn a_relay_survives_a_2_s_source_outage_and_says_what_it_lost() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let (ice, feed, url) = source(dir.path(), "vov1.mp3", Codec::Mp3);
    let (on, due) = at_in(8);
    let st = station(&format!(
        "broadcasts:\n  - name: VOV1\n    relay: \"{url}\"\n    for: 10s\n    on: [\"{on}\"]\n"
    ));
    let cap = Capture::new(st.path());
    let mut child = start_daemon(st.path(), &cap);
    // Two seconds into the relay, the feed dies for two seconds.
    let wait = due + Duration::from_secs(2);
    while SystemTime::now() < wait {
        std::thread::sleep(Duration::from_millis(20));
    }
    feed.stop();
    std::thread::sleep(Duration::from_secs(2));
    let back = SystemTime::now();
    let _feed = Feed::start(ice.port, "vov1.mp3", Codec::Mp3);
    let l = wait_finishes(st.path(), 1, Duration::from_secs(25));
    let chunks = stop_and_capture(&mut child, cap);
    let f = common::events(&l, "finish")[0];
    assert_eq!(f["outcome"], "played", "{f}");
    assert!(f["dropouts"].as_u64().unwrap_or(0) >= 1, "{f}");
    let received = f["received_s"].as_f64().unwrap_or(0.0);
    assert!(received < 9.0 && received > 4.0, "{f}");
    assert_eq!(f["played_s"], 10.0, "{f}");
    // Sound came back after the outage, and how soon is measured.
    let runs = capture::runs(&chunks, Duration::from_millis(300));
    let again = runs
        .iter()
        .find(|r| r.start > back)
        .unwrap_or_else(|| panic!("no sound after the source came back: {runs:#?}"));
    let after = again.start.duration_since(back).unwrap_or_default();
    println!(
        "sound back at the device {:.2} s after the feed restarted",
        after.as_secs_f64()
    );
    assert!(after < Duration::from_secs(4), "{after:?}");
}

#[test]
fn an_emergency_cuts_a_live_relay_and_the_relay_goes_on_live_after_it() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let (_ice, _feed, url) = source(dir.path(), "vov1.aac", Codec::Aac);
    let (on, due) = at_in(8);
    let (storm, _) = at_in(10);
    let st = station(&format!(
        "broadcasts:\n  - name: VOV1\n    relay: \"{url}\"\n    for: 7s\n    on: [\"{on}\"]\n  - name: Bão\n    audio: tones/tone.wav\n    priority: emergency\n    on: [\"{storm}\"]\n"
    ));
    let cap = Capture::new(st.path());
    let mut child = start_daemon(st.path(), &cap);
    let l = wait_finishes(st.path(), 3, Duration::from_secs(30));
    let chunks = stop_and_capture(&mut child, cap);
    let f = common::events(&l, "finish");
    assert_eq!(f.len(), 3, "{l:#?}");
    let vov: Vec<&&Value> = f
        .iter()
        .filter(|x| x["id"].as_str().is_some_and(|i| i.contains("#VOV1@")))
        .collect();
    assert_eq!(vov[0]["outcome"], "interrupted", "{}", vov[0]);
    assert_eq!(vov[1]["outcome"], "played", "{}", vov[1]);
    // Live again after the emergency, and only to the end of its for.
    assert!(
        vov[1]["received_s"].as_f64().unwrap_or(0.0) > 2.0,
        "{}",
        vov[1]
    );
    let end = due + Duration::from_secs(7);
    let last = chunks
        .iter()
        .filter(|c| c.left.iter().any(|s| s.abs() > 0.002))
        .map(|c| c.at)
        .max()
        .unwrap_or(due);
    let over = match last.duration_since(end) {
        Ok(d) => d.as_secs_f64(),
        Err(e) => -e.duration().as_secs_f64(),
    };
    assert!(
        over.abs() < 0.2,
        "last sound {over:+.2} s from the end of its for"
    );
    // The relay's tone is heard after the emergency's.
    let after = frames_at(&chunks, end - Duration::from_millis(2500), 2.0);
    let (_, crossings) = capture::rms_and_crossings(&after);
    assert!((crossings - 880.0).abs() < 30.0, "{crossings} crossings/s");
}

#[test]
fn the_line_input_is_relayed_on_its_second_for_its_for() {
    use std::os::unix::fs::OpenOptionsExt as _;
    use std::sync::Arc;
    use std::sync::atomic::{AtomicBool, Ordering};
    let (on, due) = at_in(8);
    let st = station(&format!(
        "broadcasts:\n  - name: Thu FM\n    relay: \"alsa:linein\"\n    for: 3s\n    on: [\"{on}\"]\n"
    ));
    let fifo = st.path().join("linein.fifo");
    let made = Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .is_ok_and(|s| s.success());
    assert!(made, "mkfifo failed");
    // Its own folder: the capture writes an asound.conf of its own.
    let conf = st.path().join("linein");
    std::fs::create_dir_all(&conf).unwrap_or_else(|e| panic!("{e}"));
    let linein = common::linein::asound(&conf, &fifo);
    let linein = linein.rsplit(':').next().unwrap_or_default().to_string();
    let stop = Arc::new(AtomicBool::new(false));
    let writer = common::linein::tone_writer(&fifo, stop.clone());
    let cap = Capture::new(st.path());
    let mut child = run_with_alsa(st.path(), &format!("{}:{linein}", cap.alsa_config_path()));
    let l = wait_finishes(st.path(), 1, Duration::from_secs(25));
    let chunks = stop_and_capture(&mut child, cap);
    stop.store(true, Ordering::Release);
    // A writer still waiting for ALSA to open the FIFO is let go.
    let _ = std::fs::OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NONBLOCK)
        .open(&fifo);
    let _ = writer.join();
    let f = common::events(&l, "finish");
    assert_eq!(f.len(), 1, "{l:#?}");
    assert_eq!(f[0]["outcome"], "played", "{}", f[0]);
    let received = f[0]["received_s"].as_f64().unwrap_or(0.0);
    assert!(received > 2.8, "{}", f[0]);
    assert_eq!(common::events(&l, "start")[0]["source"], "alsa:linein");
    let runs = capture::runs(&chunks, Duration::from_millis(300));
    assert_eq!(runs.len(), 1, "{runs:#?}");
    let late = capture::heard_late(&runs, due)
        .unwrap_or_else(|| panic!("nothing heard within 0.5 s of its second: {runs:#?}"));
    println!("line input heard {late:+.1} ms from its second");
    assert!((runs[0].seconds - 3.0).abs() < 0.1, "{runs:#?}");
    let mid = frames_at(&chunks, due + Duration::from_millis(500), 2.0);
    let (rms, crossings) = capture::rms_and_crossings(&mid);
    assert!((crossings - 880.0).abs() < 20.0, "{crossings} crossings/s");
    // The writer's tone: amplitude 0.25, RMS 0.177.
    assert!((rms - 0.177).abs() < 0.02, "rms {rms}");
}
