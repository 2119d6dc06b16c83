//! Wall-clock faults on the fake clock (SPEC §5): a forward jump, a
//! backward jump, and a clock earlier than the newest play-log line.

mod common;

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, TimeDelta, TimeZone, Utc};
use loa::clock::FakeClock;
use loa::config::Config;
use loa::daemon::{Daemon, Shutdown};
use loa::i18n::Lang;
use loa::player::NullOutput;

fn local(d: u32, h: u32, m: u32) -> DateTime<Utc> {
    chrono_tz::Asia::Ho_Chi_Minh
        .with_ymd_and_hms(2025, 3, d, h, m, 0)
        .single()
        .map(|t| t.with_timezone(&Utc))
        .unwrap_or_default()
}

fn config() -> (tempfile::TempDir, Config) {
    let st = common::sample_station(|c| c.replace("device: default", "device: \"null\""));
    let config = Config::load(&st.path().join("config.yaml")).unwrap_or_else(|e| panic!("{e:?}"));
    (st, config)
}

/// Runs the daemon on `clock` for `minutes`; `script` may jump the clock
/// while it runs.
async fn run(
    config: &Config,
    minutes: u64,
    script: impl std::future::Future<Output = ()> + Send + 'static,
    clock: Arc<FakeClock>,
) {
    let d = Daemon::start(config.clone(), Lang::En, clock, &|_| {
        Box::new(NullOutput::new())
    })
    .unwrap_or_else(|e| panic!("{e}"));
    d.run(async move {
        tokio::join!(
            script,
            tokio::time::sleep(Duration::from_secs(minutes * 60))
        );
        Shutdown::Signal
    })
    .await;
}

/// Final (outcome, reason) by scheduled local time `HH:MM` on the 3rd.
fn outcomes(log: &[serde_json::Value]) -> HashMap<String, Vec<(String, String)>> {
    let mut out: HashMap<String, Vec<(String, String)>> = HashMap::new();
    for f in common::events(log, "finish") {
        let id = f["id"].as_str().unwrap_or("");
        let when = id
            .rsplit_once('@')
            .map(|(_, t)| t[11..16].to_string())
            .unwrap_or_default();
        out.entry(when).or_default().push((
            f["outcome"].as_str().unwrap_or("").into(),
            f["reason"].as_str().unwrap_or("").into(),
        ));
    }
    out
}

/// The status says the clock is wrong, and nothing else, and nothing is
/// planned.
fn held_by_a_wrong_clock(state: &std::path::Path) {
    let s = loa::status::read(state).unwrap_or_default();
    assert_eq!(
        s.warnings.iter().map(|w| w.code()).collect::<Vec<_>>(),
        ["clock_wrong"],
        "{s:?}"
    );
    assert!(s.next.is_empty(), "planned by a wrong clock: {:?}", s.next);
}

fn pair(o: &str, r: &str) -> Vec<(String, String)> {
    vec![(o.to_string(), r.to_string())]
}

#[tokio::test(start_paused = true)]
async fn a_forward_jump_closes_what_it_skipped_as_missed_without_a_burst() {
    let (_st, config) = config();
    // Monday 3 March: broadcasts at 06:00, 06:15, 06:30, 06:45.
    let clock = Arc::new(FakeClock::new(local(3, 5, 50)));
    let c = Arc::clone(&clock);
    let script = async move {
        // At 06:05 the clock leaps to 06:40: 06:15 and 06:30 are skipped.
        tokio::time::sleep(Duration::from_secs(15 * 60)).await;
        c.jump(TimeDelta::minutes(35));
    };
    run(&config, 30, script, Arc::clone(&clock)).await;
    let log = common::read_log(&config.playlog_dir);
    let got = outcomes(&log);
    assert_eq!(got["06:00"], pair("played", ""));
    assert_eq!(got["06:15"], pair("missed", "clock_jump"));
    assert_eq!(got["06:30"], pair("missed", "clock_jump"));
    assert_eq!(got["06:45"], pair("played", ""));
    // No burst: only two broadcasts sounded.
    assert_eq!(common::events(&log, "start").len(), 2);
}

#[tokio::test(start_paused = true)]
async fn a_backward_jump_never_replays_and_waits_for_the_clock() {
    let (_st, config) = config();
    let clock = Arc::new(FakeClock::new(local(3, 5, 50)));
    let c = Arc::clone(&clock);
    let script = async move {
        // At 06:20 the clock falls back to 05:55: 06:00 and 06:15 come again.
        tokio::time::sleep(Duration::from_secs(30 * 60)).await;
        c.jump(TimeDelta::minutes(-25));
    };
    run(&config, 90, script, Arc::clone(&clock)).await;
    let log = common::read_log(&config.playlog_dir);
    let got = outcomes(&log);
    assert_eq!(got["06:00"], pair("played", ""));
    assert_eq!(got["06:15"], pair("played", ""));
    // The wall clock passes 06:20 again 25 min after the jump; by the end
    // of the run (wall 06:55) 06:30 and 06:45 have sounded once each.
    assert_eq!(got["06:30"], pair("played", ""));
    assert_eq!(got["06:45"], pair("played", ""));
    assert_eq!(common::events(&log, "start").len(), 4);
}

#[tokio::test(start_paused = true)]
async fn a_clock_earlier_than_the_log_schedules_nothing_until_it_is_right() {
    let (_st, config) = config();
    // A first run writes the log up to 06:20 on the 3rd.
    let clock = Arc::new(FakeClock::new(local(3, 6, 0)));
    run(&config, 20, async {}, clock).await;
    // The box reboots without its RTC battery: 1970, until NTP answers ten
    // minutes later with the right time, 06:40.
    let epoch = Utc.timestamp_opt(0, 0).single().unwrap_or_default();
    let clock = Arc::new(FakeClock::new(epoch));
    let c = Arc::clone(&clock);
    let state = config.state_dir.clone();
    let script = async move {
        tokio::time::sleep(Duration::from_secs(60)).await;
        held_by_a_wrong_clock(&state);
        tokio::time::sleep(Duration::from_secs(9 * 60)).await;
        let right = local(3, 6, 40);
        c.jump(right - (epoch + TimeDelta::minutes(10)));
        tokio::time::sleep(Duration::from_secs(60)).await;
        let s = loa::status::read(&state).unwrap_or_default();
        assert!(s.warnings.is_empty(), "{s:?}");
    };
    run(&config, 30, script, Arc::clone(&clock)).await;
    let log = common::read_log(&config.playlog_dir);
    // Nothing was written in 1970: every line after the first run is dated
    // no earlier than the newest line before it.
    assert!(!config.playlog_dir.join("1970-01.jsonl").exists());
    let got = outcomes(&log);
    assert_eq!(got["06:00"], pair("played", ""));
    assert_eq!(got["06:15"], pair("played", ""));
    // 06:30 fell due while the box was off or on a wrong clock. The daemon
    // came up at about 06:30 (ten minutes before NTP's 06:40), so 06:30 is
    // on the clock's account.
    assert_eq!(got["06:30"].len(), 1);
    assert_eq!(got["06:30"][0].0, "missed");
    assert_eq!(got["06:45"], pair("played", ""));
    assert_eq!(common::events(&log, "start").len(), 3);
}

#[tokio::test(start_paused = true)]
async fn an_unwritable_play_log_keeps_every_line_and_writes_them_in_order_later() {
    let (_st, config) = config();
    // A plain file where the play-log folder should be: every write fails,
    // as on a full or read-only disk.
    std::fs::write(&config.playlog_dir, b"").unwrap_or_else(|e| panic!("{e}"));
    let clock = Arc::new(FakeClock::new(local(3, 5, 50)));
    let dir = config.playlog_dir.clone();
    let state = config.state_dir.clone();
    let script = async move {
        // 06:40: three broadcasts have sounded with nowhere to write.
        tokio::time::sleep(Duration::from_secs(50 * 60)).await;
        let s = loa::status::read(&state).unwrap_or_default();
        assert_eq!(
            s.warnings.iter().map(|w| w.code()).collect::<Vec<_>>(),
            ["playlog_not_writable"],
            "{s:?}"
        );
        assert_eq!(s.last.len(), 3, "{:?}", s.last);
        assert!(
            s.last
                .iter()
                .all(|o| o.outcome == loa::kinds::Outcome::Played)
        );
        // The disk is fixed.
        std::fs::remove_file(&dir).unwrap_or_else(|e| panic!("{e}"));
        tokio::time::sleep(Duration::from_secs(60)).await;
        let s = loa::status::read(&state).unwrap_or_default();
        assert!(s.warnings.is_empty(), "{s:?}");
    };
    run(&config, 60, script, Arc::clone(&clock)).await;
    // read_log checks the chain and the seq order across every line.
    let log = common::read_log(&config.playlog_dir);
    let events: Vec<&str> = log.iter().filter_map(|v| v["event"].as_str()).collect();
    assert_eq!(events[..2], ["daemon_start", "reload"]);
    assert_eq!(events.last(), Some(&"daemon_stop"));
    let got = outcomes(&log);
    for t in ["06:00", "06:15", "06:30", "06:45"] {
        assert_eq!(got[t], pair("played", ""), "{t}");
    }
    // Each start before its finish, times never going back.
    let ats: Vec<&str> = log.iter().filter_map(|v| v["at"].as_str()).collect();
    assert!(ats.windows(2).all(|w| w[0] <= w[1]), "{ats:?}");
}

/// A schedule changed while the clock is wrong is not planned by that
/// clock: before, the reload filled the agenda by the wrong time, and once
/// its first deadline passed the loop woke for it again and again without
/// sleeping (on the paused clock of this test, it would never return).
#[tokio::test(start_paused = true)]
async fn a_reload_while_the_clock_is_wrong_plans_nothing_until_it_is_right() {
    let (_st, config) = config();
    let clock = Arc::new(FakeClock::new(local(3, 6, 0)));
    run(&config, 20, async {}, clock).await;
    // A box with a saved but stale clock boots at 05:50; the log ends 06:20.
    let clock = Arc::new(FakeClock::new(local(3, 5, 50)));
    let state = config.state_dir.clone();
    let schedules = config.schedules_dir.clone();
    let script = async move {
        tokio::time::sleep(Duration::from_secs(10)).await;
        common::write(
            &schedules.join("moi.yaml"),
            "title: Mới\napproved_by: \"A\"\nbroadcasts:\n  - name: Mới\n    audio: cchc/iso-9001.mp3\n    at: \"05:55\"\n",
        );
        // The watch (or the 30 s rescan) and the settle take it in; the clock
        // is still wrong.
        tokio::time::sleep(Duration::from_secs(60)).await;
        held_by_a_wrong_clock(&state);
    };
    run(&config, 60, script, Arc::clone(&clock)).await;
    let log = common::read_log(&config.playlog_dir);
    let reloads = common::events(&log, "reload");
    assert!(
        reloads.iter().any(|r| r["taken"]
            .as_array()
            .is_some_and(|t| t.iter().any(|x| x == "moi.yaml"))),
        "the new file was taken: {reloads:?}"
    );
    // 05:55 on the 3rd lies before the log's end: it never sounds.
    let got = outcomes(&log);
    assert!(!got.contains_key("05:55"), "{got:?}");
    // Once the clock passed 06:20 the rest of the morning was planned again.
    assert_eq!(got.get("06:30"), Some(&pair("played", "")), "{got:?}");
    assert_eq!(got.get("06:45"), Some(&pair("played", "")), "{got:?}");
}

/// A box whose clock no time daemon has set (no network yet, no battery
/// clock): the kernel's "unsynchronised" view goes on `daemon_start` and on
/// every `start`, and the status warns while it lasts.
#[tokio::test(start_paused = true)]
async fn an_unsynchronised_clock_is_on_record_and_in_the_status() {
    let (_st, config) = config();
    let clock = Arc::new(FakeClock::new(local(3, 5, 50)));
    clock.set_synced(Some(false));
    let c = Arc::clone(&clock);
    let state = config.state_dir.clone();
    let script = async move {
        // 06:05: 06:00 has sounded on the unsynchronised clock.
        tokio::time::sleep(Duration::from_secs(15 * 60)).await;
        let s = loa::status::read(&state).unwrap_or_default();
        assert_eq!(
            s.warnings.iter().map(|w| w.code()).collect::<Vec<_>>(),
            ["clock_not_synced"],
            "{s:?}"
        );
        // NTP answers at 06:05.
        c.set_synced(Some(true));
        tokio::time::sleep(Duration::from_secs(15 * 60)).await;
        let s = loa::status::read(&state).unwrap_or_default();
        assert!(s.warnings.is_empty(), "{s:?}");
    };
    run(&config, 30, script, Arc::clone(&clock)).await;
    let log = common::read_log(&config.playlog_dir);
    let first = common::events(&log, "daemon_start");
    assert_eq!(first[0]["clock_synced"], false, "{:?}", first[0]);
    let synced: Vec<_> = common::events(&log, "start")
        .iter()
        .map(|s| {
            (
                s["scheduled"].as_str().unwrap_or("")[11..16].to_string(),
                s["clock_synced"].clone(),
            )
        })
        .collect();
    assert_eq!(
        synced,
        [
            ("06:00".to_string(), serde_json::json!(false)),
            ("06:15".to_string(), serde_json::json!(true))
        ]
    );
    let stop = common::events(&log, "daemon_stop");
    assert_eq!(stop[0]["clock_synced"], true, "{:?}", stop[0]);
}
