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
    let d = Daemon::start(config, Lang::En, clock, Box::new(NullOutput::new()))
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
    let st = common::sample_station(|c| c.replace("device: default", "device: null"));
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
    assert!(took.as_secs_f64() < 5.0, "3 simulated days took {took:?}");
}

#[tokio::test(start_paused = true)]
async fn a_restart_never_plays_an_occurrence_twice() {
    let st = common::sample_station(|c| c.replace("device: default", "device: null"));
    let config = Config::load(&st.path().join("config.yaml")).unwrap_or_else(|e| panic!("{e:?}"));
    // Stop one minute into the 06:15 broadcast's late window, restart at once.
    run_for(config.clone(), local(2025, 3, 3, 6, 0), 0).await;
    let clock_start = local(2025, 3, 3, 6, 0);
    let clock = Arc::new(FakeClock::new(clock_start));
    let d = Daemon::start(config.clone(), Lang::En, clock, Box::new(NullOutput::new()))
        .unwrap_or_else(|e| panic!("{e}"));
    d.run(async {
        tokio::time::sleep(std::time::Duration::from_secs(20 * 60)).await;
        Shutdown::Signal
    })
    .await;
    let clock = Arc::new(FakeClock::new(local(2025, 3, 3, 6, 20)));
    let d = Daemon::start(config.clone(), Lang::En, clock, Box::new(NullOutput::new()))
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
