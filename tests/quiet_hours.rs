//! Repeats and quiet hours (issue 15, item 7): a broadcast whose repeats
//! would run into quiet hours loses the repeats that would start there.
//! `check` warns, `next` predicts the shortened end, and the daemon plays
//! exactly that and says why in its start line. Emergencies lose nothing.

mod common;

use std::sync::Arc;

use assert_cmd::Command;
use chrono::{DateTime, NaiveTime, TimeDelta, TimeZone, Utc};
use loa::clock::FakeClock;
use loa::config::Config;
use loa::daemon::{Daemon, Shutdown};
use loa::i18n::Lang;
use loa::player::NullOutput;

const HCM: chrono_tz::Tz = chrono_tz::Asia::Ho_Chi_Minh;

/// One repeat: a 6 s tone; 2 s between repeats; no chime. The evening
/// broadcast's repeat r starts 8 r seconds after 21:29:40: 21:29:40, :48,
/// :56 (still sounding at 21:30, it finishes at 21:30:02), then 21:30:04
/// and 21:30:12, which are dropped.
const CLIP_S: f64 = 6.0;
const GAP_S: f64 = 2.0;

fn local(h: u32, m: u32, s: u32) -> DateTime<Utc> {
    HCM.with_ymd_and_hms(2025, 3, 3, h, m, s)
        .single()
        .map(|t| t.with_timezone(&Utc))
        .unwrap_or_default()
}

fn station() -> tempfile::TempDir {
    let st = common::station(
        "station: x\nlanguage: en\noutput:\n  device: \"null\"\n  loudness: off\nquiet_hours: [\"21:30-05:00\"]\n",
    );
    let tone = common::wav(CLIP_S, |t| 0.3 * (t * 2600.0).sin());
    std::fs::write(st.path().join("audio/a.wav"), tone).unwrap_or_else(|e| panic!("{e}"));
    common::write(
        &st.path().join("schedules/evening.yaml"),
        "title: Evening\nbroadcasts:\n  - name: Late\n    audio: a.wav\n    chime: false\n    at: \"21:29:40\"\n    repeat: 5\n    gap: 2s\n  - name: Storm\n    audio: a.wav\n    chime: false\n    priority: emergency\n    at: \"21:31\"\n    repeat: 5\n    gap: 2s\n",
    );
    st
}

fn loa(st: &tempfile::TempDir, args: &[&str]) -> std::process::Output {
    Command::cargo_bin("loa")
        .unwrap_or_else(|e| panic!("{e}"))
        .current_dir(st.path())
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("{e}"))
}

#[test]
fn next_predicts_the_end_without_the_dropped_repeats() {
    let st = station();
    let out = loa(
        &st,
        &[
            "next",
            "--from",
            "2025-03-03 21:00",
            "--days",
            "1",
            "--json",
        ],
    );
    assert_eq!(out.status.code(), Some(0));
    let lines: Vec<serde_json::Value> = String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_default())
        .collect();
    assert_eq!(lines.len(), 2, "{lines:?}");
    let late = &lines[0];
    assert_eq!(late["broadcast"], "Late");
    assert_eq!(late["outcome"], "played");
    assert_eq!(late["start"], "2025-03-03T21:29:40.000+07:00");
    // Three repeats and two gaps: 22 s, not the whole 38 s.
    assert_eq!(late["end"], "2025-03-03T21:30:02.000+07:00");
    assert_eq!(late["length_s"], 38.0);
    assert_eq!(late["dropped_repeats"], 2);
    assert_eq!(late["dropped_reason"], "quiet_hours");
    assert_eq!(late["conflict"], serde_json::Value::Null);
    let storm = &lines[1];
    assert_eq!(storm["broadcast"], "Storm");
    assert_eq!(storm["end"], "2025-03-03T21:31:38.000+07:00");
    assert!(storm.get("dropped_repeats").is_none(), "{storm}");

    let out = loa(&st, &["next", "--from", "2025-03-03 21:00", "--days", "1"]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("quiet hours: the last 2 of 5 repeats dropped, ends 21:30:02"),
        "{text}"
    );
}

#[test]
fn check_says_valid_and_warns_at_the_broadcast() {
    let st = station();
    let out = loa(&st, &["--now", "2025-03-03T05:00:00+07:00", "check"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert!(
        String::from_utf8_lossy(&out.stdout).starts_with("Valid:"),
        "{stderr}"
    );
    // Once for the week, not once a day; and not for the emergency.
    assert_eq!(
        stderr.matches("runs into quiet hours").count(),
        1,
        "{stderr}"
    );
    assert!(
        stderr.contains("warning: schedules/evening.yaml:3:5: \"Late\" at 2025-03-03 21:29 runs into quiet hours (21:30-05:00): the last 2 of its 5 repeats will not sound"),
        "{stderr}"
    );
}

#[tokio::test(start_paused = true)]
async fn the_daemon_does_not_sound_the_dropped_repeats_and_says_why() {
    let st = station();
    let config = Config::load(&st.path().join("config.yaml")).unwrap_or_else(|e| panic!("{e:?}"));
    let clock = Arc::new(FakeClock::new(local(21, 29, 0)));
    let d = Daemon::start(config.clone(), Lang::En, clock, &|_| {
        Box::new(NullOutput::new())
    })
    .unwrap_or_else(|e| panic!("{e}"));
    d.run(async {
        tokio::time::sleep(std::time::Duration::from_secs(5 * 60)).await;
        Shutdown::Signal
    })
    .await;
    let log = common::read_log(&config.playlog_dir);
    let start_of = |name: &str| {
        common::events(&log, "start")
            .into_iter()
            .find(|v| v["broadcast"] == name)
            .unwrap_or_else(|| panic!("no start for {name}"))
            .clone()
    };
    let finish_of = |start: &serde_json::Value| {
        common::events(&log, "finish")
            .into_iter()
            .find(|v| v["id"] == start["id"])
            .unwrap_or_else(|| panic!("no finish for {}", start["id"]))
            .clone()
    };

    let s = start_of("Late");
    assert_eq!(s["repeat"], 5);
    assert_eq!(s["dropped_repeats"], 2);
    assert_eq!(s["dropped_reason"], "quiet_hours");
    let f = finish_of(&s);
    assert_eq!(f["outcome"], "played");
    let played = f["played_s"].as_f64().unwrap_or(0.0);
    let kept = 3.0;
    assert!(
        (played - (kept * CLIP_S + (kept - 1.0) * GAP_S)).abs() < 0.01,
        "played {played} s"
    );
    // No repeat starts inside quiet hours; the one sounding at 21:30 ends.
    let first = local(21, 29, 40)
        + TimeDelta::microseconds(
            (f["start_error_ms"].as_f64().unwrap_or(f64::MAX) * 1000.0) as i64,
        );
    let quiet = NaiveTime::from_hms_opt(21, 30, 0).unwrap_or_default();
    let mut r = 0.0;
    while r * (CLIP_S + GAP_S) < played {
        let at = first + TimeDelta::milliseconds((r * (CLIP_S + GAP_S) * 1000.0) as i64);
        assert!(
            at.with_timezone(&HCM).time() < quiet,
            "repeat {r} starts at {at}"
        );
        r += 1.0;
    }
    let end = f["at"]
        .as_str()
        .and_then(|t| DateTime::parse_from_rfc3339(t).ok())
        .map(|t| t.with_timezone(&Utc))
        .unwrap_or_default();
    assert!(
        (end - local(21, 30, 2)).num_milliseconds().abs() <= 5,
        "ended {end}"
    );

    // The emergency in quiet hours sounds whole, and says nothing dropped.
    let s = start_of("Storm");
    assert!(s.get("dropped_repeats").is_none(), "{s}");
    assert!(s.get("dropped_reason").is_none(), "{s}");
    let f = finish_of(&s);
    let played = f["played_s"].as_f64().unwrap_or(0.0);
    assert!(
        (played - 38.0).abs() < 0.01,
        "the emergency played {played} s"
    );
}
