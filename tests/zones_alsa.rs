//! Two outputs through the real cpal → ALSA path, each into its own paced
//! capture (SPEC §8): two broadcasts due at the same second on different
//! outputs sound together; an emergency for all cuts both, sounds on both,
//! and both cut broadcasts start again from the beginning.

mod common;

use std::process::Command;
use std::time::{Duration, Instant, SystemTime};

use chrono::{TimeDelta, Utc};
use common::capture::{self, Capture, Chunk};

const LOW: f64 = 440.0;
const HIGH: f64 = 880.0;
const ALARM: f64 = 1_760.0;

/// The frequency heard in each 10 ms chunk (by zero crossings), or 0 for
/// silence, with the chunk's time.
fn tones(chunks: &[Chunk]) -> Vec<(SystemTime, f64)> {
    chunks
        .iter()
        .map(|c| {
            let (rms, crossings) = capture::rms_and_crossings(&c.left);
            (c.at, if rms > 0.02 { crossings / 2.0 } else { 0.0 })
        })
        .collect()
}

fn near(f: f64, want: f64) -> bool {
    (f - want).abs() < want * 0.1
}

/// When `want` is first heard at or after `from` (for three chunks in a
/// row: a chunk half of one tone and half silence counts its crossings as
/// another tone's), and when it stops.
fn span_of(
    heard: &[(SystemTime, f64)],
    want: f64,
    from: SystemTime,
) -> Option<(SystemTime, SystemTime)> {
    let start = (0..heard.len().saturating_sub(2))
        .find(|&k| heard[k].0 >= from && heard[k..k + 3].iter().all(|(_, f)| near(*f, want)))?;
    let end = heard[start..]
        .iter()
        .position(|(_, f)| !near(*f, want))
        .map_or(heard.len() - 1, |k| start + k);
    Some((heard[start].0, heard[end].0))
}

fn secs(a: SystemTime, b: SystemTime) -> f64 {
    match b.duration_since(a) {
        Ok(d) => d.as_secs_f64(),
        Err(e) => -e.duration().as_secs_f64(),
    }
}

#[test]
fn two_outputs_sound_together_and_an_emergency_cuts_both_which_then_restart() {
    let st = common::station(
        "station: Two zones\noutputs:\n  - name: a\n    device: zone_a\n    loudness: off\n  - name: b\n    device: zone_b\n    loudness: off\nquiet_hours: []\nlate_limit: 1m\n",
    );
    for (name, secs, hz) in [
        ("low", 5.0, LOW),
        ("high", 5.0, HIGH),
        ("alarm", 1.5, ALARM),
    ] {
        let bytes = common::wav(secs, |t| 0.3 * (2.0 * std::f64::consts::PI * hz * t).sin());
        std::fs::write(st.path().join(format!("audio/{name}.wav")), bytes)
            .unwrap_or_else(|e| panic!("{e}"));
    }
    let a = Capture::named(st.path(), "zone_a");
    let b = Capture::named(st.path(), "zone_b");
    let t0 = Utc::now() + TimeDelta::seconds(4);
    let t0 = t0 - TimeDelta::nanoseconds(i64::from(chrono::Timelike::nanosecond(&t0)));
    let local = |s: i64| {
        (t0 + TimeDelta::seconds(s))
            .with_timezone(&chrono_tz::Asia::Ho_Chi_Minh)
            .format("%Y-%m-%d %H:%M:%S")
            .to_string()
    };
    common::write(
        &st.path().join("schedules/day.yaml"),
        &format!(
            "title: day\nbroadcasts:\n  - name: Low\n    audio: low.wav\n    chime: false\n    outputs: [a]\n    on: [\"{}\"]\n  - name: High\n    audio: high.wav\n    chime: false\n    outputs: [b]\n    on: [\"{}\"]\n  - name: Alarm\n    audio: alarm.wav\n    chime: false\n    priority: emergency\n    on: [\"{}\"]\n",
            local(0),
            local(0),
            local(2)
        ),
    );
    let mut child = Command::new(env!("CARGO_BIN_EXE_loa"))
        .current_dir(st.path())
        .arg("run")
        .env("ALSA_CONFIG_PATH", capture::config_path(&[&a, &b]))
        .env("LOA_LOG", "warn")
        .spawn()
        .unwrap_or_else(|e| panic!("{e}"));
    // 4 s to its time, 2 s then the 1.5 s alarm, then 5 s again.
    let began = Instant::now();
    let log = loop {
        let l = common::read_log(&st.path().join("playlog"));
        if common::events(&l, "finish").len() >= 6 || began.elapsed() > Duration::from_secs(20) {
            break l;
        }
        std::thread::sleep(Duration::from_millis(100));
    };
    std::thread::sleep(Duration::from_millis(300));
    let _ = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status();
    assert!(child.wait().map(|s| s.success()).unwrap_or(false));
    let (ha, hb) = (tones(&a.finish()), tones(&b.finish()));

    // The log: each output's broadcast cut by the alarm, then played whole;
    // the alarm played on both.
    let outcomes: Vec<(String, String, String)> = common::events(&log, "finish")
        .iter()
        .map(|f| {
            let id = f["id"].as_str().unwrap_or("");
            let name = id
                .split('#')
                .nth(1)
                .and_then(|x| x.split('@').next())
                .unwrap_or("");
            (
                name.to_string(),
                f["output"].as_str().unwrap_or("").to_string(),
                format!(
                    "{}/{}",
                    f["outcome"].as_str().unwrap_or(""),
                    f["reason"].as_str().unwrap_or("")
                ),
            )
        })
        .collect();
    for want in [
        ("Low", "a", "interrupted/emergency"),
        ("High", "b", "interrupted/emergency"),
        ("Alarm", "a", "played/"),
        ("Alarm", "b", "played/"),
        ("Low", "a", "played/"),
        ("High", "b", "played/"),
    ] {
        assert!(
            outcomes
                .iter()
                .any(|(n, o, r)| (n.as_str(), o.as_str(), r.as_str()) == want),
            "{want:?} not in {outcomes:?}"
        );
    }

    // The sound: on each output its own tone from t0, together.
    let t0 = SystemTime::from(t0);
    let low = span_of(&ha, LOW, t0 - Duration::from_millis(500))
        .unwrap_or_else(|| panic!("a never sounded"));
    let high = span_of(&hb, HIGH, t0 - Duration::from_millis(500))
        .unwrap_or_else(|| panic!("b never sounded"));
    assert!(
        secs(t0, low.0).abs() < 0.05,
        "a began {:.3} s from its time",
        secs(t0, low.0)
    );
    assert!(
        secs(t0, high.0).abs() < 0.05,
        "b began {:.3} s from its time",
        secs(t0, high.0)
    );
    assert!(
        secs(low.0, high.0).abs() < 0.02,
        "a and b began {:.3} s apart",
        secs(low.0, high.0)
    );
    // Both cut at the alarm's time, which sounds on both...
    let cut = t0 + Duration::from_secs(2);
    for (heard, first, name) in [(&ha, low, "a"), (&hb, high, "b")] {
        assert!(
            (secs(first.1, cut)).abs() < 0.15,
            "{name}: cut {:.3} s from the alarm's time",
            secs(cut, first.1)
        );
        let alarm = span_of(heard, ALARM, cut - Duration::from_millis(200))
            .unwrap_or_else(|| panic!("{name}: no alarm"));
        assert!(
            secs(cut, alarm.0).abs() < 0.15,
            "{name}: alarm {:.3} s late",
            secs(cut, alarm.0)
        );
        // ...then the cut broadcast again, whole (5 s), after the alarm.
        let again_hz = if name == "a" { LOW } else { HIGH };
        let again = span_of(heard, again_hz, alarm.1)
            .unwrap_or_else(|| panic!("{name}: not started again"));
        let len = secs(again.0, again.1);
        assert!((len - 5.0).abs() < 0.1, "{name}: played {len:.2} s again");
    }
}
