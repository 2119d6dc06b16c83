//! The daemon in-process on a fake clock: days of the sample station's
//! schedule in a fraction of a second, checked occurrence by occurrence.

mod common;

use std::collections::HashMap;
use std::sync::Arc;

use chrono::{DateTime, TimeZone, Utc};
use loa::clock::FakeClock;
use loa::config::Config;
use loa::daemon::{Daemon, Shutdown};
use loa::i18n::Lang;
use loa::player::NullOutput;

fn local(y: i32, m: u32, d: u32, h: u32, min: u32) -> DateTime<Utc> {
    chrono_tz::Asia::Ho_Chi_Minh
        .with_ymd_and_hms(y, m, d, h, min, 0)
        .single()
        .map(|t| t.with_timezone(&Utc))
        .unwrap_or_default()
}

async fn run_for(config: Config, start: DateTime<Utc>, days: u64) {
    let clock = Arc::new(FakeClock::new(start));
    let d = Daemon::start(config, Lang::En, clock, &|_| Box::new(NullOutput::new()))
        .unwrap_or_else(|e| panic!("start: {e}"));
    let code = d
        .run(async move {
            tokio::time::sleep(std::time::Duration::from_secs(days * 24 * 3600)).await;
            Shutdown::Signal
        })
        .await;
    assert_eq!(code, std::process::ExitCode::SUCCESS);
}

#[tokio::test(start_paused = true)]
async fn three_days_of_the_sample_station_play_exactly_as_planned() {
    let st = common::sample_station(|c| c.replace("device: default", "device: \"null\""));
    let config = Config::load(&st.path().join("config.yaml")).unwrap_or_else(|e| panic!("{e:?}"));
    // Monday 2025-03-03 00:00 local, during the 2025 campaign.
    let start = local(2025, 3, 3, 0, 0);
    let end = local(2025, 3, 6, 0, 0);
    let wall = std::time::Instant::now();
    run_for(config.clone(), start, 3).await;
    let took = wall.elapsed();

    let schedules: Vec<_> = loa::station::read_all(&config)
        .into_iter()
        .filter_map(|f| f.schedule)
        .collect();
    let planned = loa::plan::occurrences(&schedules, config.timezone, start, end);
    assert!(
        planned.len() >= 19,
        "the sample station plans {} broadcasts in 3 days",
        planned.len()
    );

    let log = common::read_log(&config.playlog_dir);
    assert_eq!(
        log.first().map(|v| v["event"].clone()),
        Some("daemon_start".into())
    );
    assert_eq!(
        log.last().map(|v| v["event"].clone()),
        Some("daemon_stop".into())
    );
    let starts: HashMap<&str, &serde_json::Value> = common::events(&log, "start")
        .into_iter()
        .map(|v| (v["id"].as_str().unwrap_or(""), v))
        .collect();
    let finishes = common::events(&log, "finish");
    assert_eq!(
        finishes.len(),
        planned.len(),
        "one finish per planned occurrence"
    );
    for o in &planned {
        let f: Vec<_> = finishes
            .iter()
            .filter(|f| f["id"] == o.id.as_str())
            .collect();
        assert_eq!(f.len(), 1, "{}", o.id);
        let f = f[0];
        assert_eq!(f["outcome"], "played", "{}", o.id);
        let err = f["start_error_ms"].as_f64().unwrap_or(f64::MAX);
        assert!(err.abs() < 1.0, "{}: start error {err} ms", o.id);
        let s = starts
            .get(o.id.as_str())
            .unwrap_or_else(|| panic!("no start for {}", o.id));
        assert_eq!(
            s["scheduled"],
            o.time.to_rfc3339_opts(chrono::SecondsFormat::Secs, false)
        );
        assert_eq!(s["device"], "null");
        assert_eq!(s["approved_by"], "Trần Quang Hướng");
        assert!(
            s["audio"][0]["sha256"]
                .as_str()
                .is_some_and(|h| h.len() == 64)
        );
        let b = o.broadcast();
        let clip: f64 = s["audio"]
            .as_array()
            .map(|a| a.iter().filter_map(|x| x["length_s"].as_f64()).sum())
            .unwrap_or(0.0);
        let chime = s["chime"]["length_s"].as_f64().unwrap_or(0.0);
        let expected = chime
            + 0.5
            + clip * f64::from(b.repeat)
            + b.gap.as_secs_f64() * f64::from(b.repeat - 1);
        let played = f["played_s"].as_f64().unwrap_or(0.0);
        assert!(
            (played - expected).abs() < 0.01,
            "{}: played {played} s, expected {expected} s",
            o.id
        );
    }
    // Start lines come before their finish lines.
    for f in &finishes {
        let id = f["id"].as_str().unwrap_or("");
        let s = starts
            .get(id)
            .map(|s| s["seq"].as_u64().unwrap_or(0))
            .unwrap_or(0);
        assert!(s > 0 && s < f["seq"].as_u64().unwrap_or(0), "{id}");
    }
    // On the fake clock, not real time (three days): 3.4-4 s on 2 cores,
    // most of it the schedule and audio rescans every 30 s and 60 s.
    assert!(took.as_secs_f64() < 30.0, "3 simulated days took {took:?}");
}

#[tokio::test(start_paused = true)]
async fn a_restart_never_plays_an_occurrence_twice() {
    let st = common::sample_station(|c| c.replace("device: default", "device: \"null\""));
    let config = Config::load(&st.path().join("config.yaml")).unwrap_or_else(|e| panic!("{e:?}"));
    // Stop one minute into the 06:15 broadcast's late window, restart at once.
    run_for(config.clone(), local(2025, 3, 3, 6, 0), 0).await;
    let clock_start = local(2025, 3, 3, 6, 0);
    let clock = Arc::new(FakeClock::new(clock_start));
    let d = Daemon::start(config.clone(), Lang::En, clock, &|_| {
        Box::new(NullOutput::new())
    })
    .unwrap_or_else(|e| panic!("{e}"));
    d.run(async {
        tokio::time::sleep(std::time::Duration::from_secs(20 * 60)).await;
        Shutdown::Signal
    })
    .await;
    let clock = Arc::new(FakeClock::new(local(2025, 3, 3, 6, 20)));
    let d = Daemon::start(config.clone(), Lang::En, clock, &|_| {
        Box::new(NullOutput::new())
    })
    .unwrap_or_else(|e| panic!("{e}"));
    d.run(async {
        tokio::time::sleep(std::time::Duration::from_secs(60 * 60)).await;
        Shutdown::Signal
    })
    .await;
    let log = common::read_log(&config.playlog_dir);
    let mut count: HashMap<String, usize> = HashMap::new();
    for f in common::events(&log, "finish") {
        *count
            .entry(f["id"].as_str().unwrap_or("").to_string())
            .or_default() += 1;
    }
    assert!(count.values().all(|n| *n == 1), "{count:?}");
    // 06:00, 06:15 (+ repeat), 06:30, 06:45 on a Monday in the campaign.
    assert_eq!(count.len(), 4, "{count:?}");
}

/// Runs a fresh daemon from `start` for `minutes`.
async fn run_minutes(config: &Config, start: DateTime<Utc>, minutes: u64) {
    let clock = Arc::new(FakeClock::new(start));
    let d = Daemon::start(config.clone(), Lang::En, clock, &|_| {
        Box::new(NullOutput::new())
    })
    .unwrap_or_else(|e| panic!("{e}"));
    d.run(async move {
        tokio::time::sleep(std::time::Duration::from_secs(minutes * 60)).await;
        Shutdown::Signal
    })
    .await;
}

/// Each occurrence id with its final finish's (outcome, reason).
fn outcomes(log: &[serde_json::Value]) -> HashMap<String, (String, String)> {
    let mut out = HashMap::new();
    for f in common::events(log, "finish") {
        let id = f["id"].as_str().unwrap_or("").to_string();
        let o = f["outcome"].as_str().unwrap_or("").to_string();
        let r = f["reason"].as_str().unwrap_or("").to_string();
        assert!(
            out.insert(id.clone(), (o, r)).is_none(),
            "two finishes for {id}"
        );
    }
    out
}

#[tokio::test(start_paused = true)]
async fn time_the_daemon_was_down_is_recorded_as_missed() {
    let st = common::sample_station(|c| c.replace("device: default", "device: \"null\""));
    let config = Config::load(&st.path().join("config.yaml")).unwrap_or_else(|e| panic!("{e:?}"));
    // Up 06:00–06:20, down until 17:52, up again until 19:00.
    run_minutes(&config, local(2025, 3, 3, 6, 0), 20).await;
    run_minutes(&config, local(2025, 3, 3, 17, 52), 68).await;
    let log = common::read_log(&config.playlog_dir);
    let got = outcomes(&log);
    let played = || ("played".to_string(), String::new());
    let down = || ("missed".to_string(), "daemon_down".to_string());
    let schedules: Vec<_> = loa::station::read_all(&config)
        .into_iter()
        .filter_map(|f| f.schedule)
        .collect();
    let planned = loa::plan::occurrences(
        &schedules,
        config.timezone,
        local(2025, 3, 3, 6, 0),
        local(2025, 3, 3, 19, 0),
    );
    let mut want = HashMap::new();
    for o in &planned {
        let t = o.utc();
        // Before the stop: played. Down and past the 10 min late limit at
        // restart: missed. 17:45 is still within it at 17:52: played late.
        let w = if t < local(2025, 3, 3, 6, 20) || t >= local(2025, 3, 3, 17, 42) {
            played()
        } else {
            down()
        };
        want.insert(o.id.clone(), w);
    }
    assert_eq!(got, want);
    assert_eq!(want.values().filter(|w| **w == down()).count(), 3);
    let rec = common::events(&log, "recovered");
    assert_eq!(rec.len(), 1);
    assert_eq!(rec[0]["missed"], 3);
    assert!(rec[0].get("not_examined_before").is_none());
}

#[tokio::test(start_paused = true)]
async fn a_very_long_outage_is_capped_and_says_so() {
    let st = common::sample_station(|c| c.replace("device: default", "device: \"null\""));
    let config = Config::load(&st.path().join("config.yaml")).unwrap_or_else(|e| panic!("{e:?}"));
    run_minutes(&config, local(2025, 3, 3, 6, 0), 20).await;
    // Seventeen days off.
    let back = local(2025, 3, 20, 12, 0);
    run_minutes(&config, back, 1).await;
    let log = common::read_log(&config.playlog_dir);
    let rec = common::events(&log, "recovered");
    assert_eq!(rec.len(), 1);
    let schedules: Vec<_> = loa::station::read_all(&config)
        .into_iter()
        .filter_map(|f| f.schedule)
        .collect();
    let late = chrono::TimeDelta::minutes(10);
    let week = loa::plan::occurrences(
        &schedules,
        config.timezone,
        back - chrono::TimeDelta::days(7),
        back - late,
    );
    assert!(week.len() > 20, "{}", week.len());
    assert_eq!(rec[0]["missed"].as_u64(), Some(week.len() as u64));
    assert_eq!(
        rec[0]["not_examined_before"],
        "2025-03-13T12:00:00.000+07:00"
    );
    let got = outcomes(&log);
    for o in &week {
        assert_eq!(
            got.get(&o.id).map(|(o, r)| (o.as_str(), r.as_str())),
            Some(("missed", "daemon_down")),
            "{}",
            o.id
        );
    }
}

/// A station that goes from one output to two between runs: what was
/// closed on the one output is closed on both, from what the log says of it
/// (its schedule, time and output), so nothing due within the late limit
/// sounds again.
#[tokio::test(start_paused = true)]
async fn a_change_of_outputs_never_plays_a_closed_occurrence_again() {
    let one = |c: String| c.replace("device: default", "device: \"null\"");
    let st = common::sample_station(one);
    let config = Config::load(&st.path().join("config.yaml")).unwrap_or_else(|e| panic!("{e:?}"));
    run_minutes(&config, local(2025, 3, 3, 6, 0), 20).await;
    let text = std::fs::read_to_string(st.path().join("config.yaml")).unwrap_or_default();
    let (head, rest) = text.split_once("output:\n").unwrap_or_default();
    // The single output's block ends at the next top-level key.
    let rest = rest.split_once("\nchime:").map_or("", |(_, r)| r);
    let two = format!(
        "{head}outputs:\n  - name: a\n    device: \"null\"\n  - name: b\n    device: \"null\"\nchime:{rest}"
    );
    common::write(&st.path().join("config.yaml"), &two);
    let config = Config::load(&st.path().join("config.yaml")).unwrap_or_else(|e| panic!("{e:?}"));
    assert_eq!(config.outputs.len(), 2);
    // 06:20: the 06:15 broadcast is closed, and still inside its late limit.
    run_minutes(&config, local(2025, 3, 3, 6, 20), 5).await;
    let log = common::read_log(&config.playlog_dir);
    let due_0615: Vec<&serde_json::Value> = common::events(&log, "start")
        .into_iter()
        .filter(|s| {
            s["id"]
                .as_str()
                .is_some_and(|id| id.contains("@2025-03-03T06:15:00+07:00"))
        })
        .collect();
    assert_eq!(due_0615.len(), 1, "{due_0615:#?}");
    assert!(
        due_0615[0]["id"]
            .as_str()
            .is_some_and(|id| !id.contains("/"))
    );
}
