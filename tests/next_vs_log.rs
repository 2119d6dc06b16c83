//! The real binary: what `loa next --json` predicts for a dense few
//! seconds is what `loa run` then does on the null output, in real time.
//!
//! The day (times after T, a few seconds from now):
//! - A, normal, 6 s, at T: plays at once;
//! - B, normal, 5 s, at T+2: waits;
//! - C, priority, 4 s, at T+3: goes ahead of B when A ends (T+6);
//! - E, emergency, 2 s, at T+12: cuts B, which starts again after it.

mod common;

use std::collections::HashMap;
use std::path::PathBuf;
use std::process::Command;
use std::time::Duration;

use chrono::{DateTime, TimeDelta, Utc};
use serde_json::Value;

fn bin() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_loa"))
}

fn time(v: &Value, key: &str) -> Option<DateTime<Utc>> {
    v[key]
        .as_str()
        .and_then(|s| DateTime::parse_from_rfc3339(s).ok())
        .map(|t| t.with_timezone(&Utc))
}

#[test]
fn next_predicts_the_starts_and_outcomes_the_daemon_logs() {
    let st = common::station(
        "station: Next test\noutput:\n  device: \"null\"\n  loudness: off\nquiet_hours: []\nlate_limit: 1m\n",
    );
    for (name, secs) in [("a", 6.0), ("b", 5.0), ("c", 4.0), ("e", 2.0)] {
        let bytes = common::wav(secs, |t| 0.3 * (t * 2700.0).sin());
        std::fs::write(st.path().join(format!("audio/{name}.wav")), bytes)
            .unwrap_or_else(|e| panic!("{e}"));
    }
    let tz = chrono_tz::Asia::Ho_Chi_Minh;
    let t = Utc::now().with_timezone(&tz).naive_local() + TimeDelta::seconds(5);
    let t = t - TimeDelta::nanoseconds(i64::from(chrono::Timelike::nanosecond(&t)));
    let at = |s: i64| {
        (t + TimeDelta::seconds(s))
            .format("%Y-%m-%d %H:%M:%S")
            .to_string()
    };
    let mut day = String::from("title: Dày\nbroadcasts:\n");
    for (name, file, prio, offset) in [
        ("A", "a", "normal", 0),
        ("B", "b", "normal", 2),
        ("C", "c", "ưu tiên", 3),
        ("E", "e", "emergency", 12),
    ] {
        day.push_str(&format!(
            "  - name: {name}\n    audio: {file}.wav\n    chime: false\n    priority: {prio}\n    on: [\"{}\"]\n",
            at(offset)
        ));
    }
    common::write(&st.path().join("schedules/day.yaml"), &day);

    let out = Command::new(bin())
        .current_dir(st.path())
        .args(["next", "--json", "--from", &at(-2)])
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let predicted: Vec<Value> = String::from_utf8_lossy(&out.stdout)
        .lines()
        .filter_map(|l| serde_json::from_str(l).ok())
        .collect();
    assert_eq!(predicted.len(), 4, "{predicted:?}");
    let by_name: HashMap<&str, &Value> = predicted
        .iter()
        .map(|v| (v["broadcast"].as_str().unwrap_or(""), v))
        .collect();
    // The prediction itself: C ahead of B, B cut by E and started again.
    let t_utc = t
        .and_local_timezone(tz)
        .single()
        .map(|x| x.with_timezone(&Utc));
    let off = |name: &str, key: &str| {
        let v = by_name.get(name).copied().unwrap_or(&Value::Null);
        time(v, key)
            .zip(t_utc)
            .map(|(x, t)| (x - t).num_milliseconds())
    };
    assert_eq!(off("C", "start"), Some(6_000));
    assert_eq!(off("B", "start"), Some(10_000));
    assert_eq!(off("E", "start"), Some(12_000));
    assert_eq!(off("B", "end"), Some(19_000));
    assert_eq!(by_name["B"]["outcome"], "played");
    assert_eq!(by_name["B"]["restarts"][0]["by"], "E");
    assert_eq!(by_name["E"]["conflict"]["outcome"], "cuts");
    let text = Command::new(bin())
        .current_dir(st.path())
        .args(["--lang", "vi", "next", "--from", &at(-2)])
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    let text = String::from_utf8_lossy(&text.stdout);
    assert!(
        text.contains("bị \"E\" ngắt lúc") && text.contains("phát lại"),
        "{text}"
    );

    // Now the daemon, in real time.
    let mut child = Command::new(bin())
        .current_dir(st.path())
        .args(["run"])
        .env("LOA_LOG", "warn")
        .spawn()
        .unwrap_or_else(|e| panic!("{e}"));
    std::thread::sleep(Duration::from_secs(5 + 21));
    let _ = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status();
    let status = child.wait().unwrap_or_else(|e| panic!("{e}"));
    assert!(status.success());

    let log = common::read_log(&st.path().join("playlog"));
    let mut first: HashMap<String, DateTime<Utc>> = HashMap::new();
    let mut last: HashMap<String, String> = HashMap::new();
    for f in common::events(&log, "finish") {
        let id = f["id"].as_str().unwrap_or("").to_string();
        let scheduled = log
            .iter()
            .find(|v| v["event"] == "start" && v["id"] == id.as_str())
            .and_then(|v| time(v, "scheduled"));
        if let (Some(ms), Some(s)) = (f["start_error_ms"].as_f64(), scheduled) {
            first
                .entry(id.clone())
                .or_insert(s + TimeDelta::microseconds((ms * 1000.0) as i64));
        }
        last.insert(id, f["outcome"].as_str().unwrap_or("").to_string());
    }
    for p in &predicted {
        let id = p["id"].as_str().unwrap_or("");
        assert_eq!(
            last.get(id).map(String::as_str),
            p["outcome"].as_str(),
            "{id}"
        );
        let (Some(want), Some(got)) = (time(p, "start"), first.get(id)) else {
            panic!(
                "{id}: predicted {:?}, logged {:?}",
                p["start"],
                first.get(id)
            );
        };
        let diff = (*got - want).num_milliseconds().abs();
        assert!(
            diff <= 500,
            "{id}: logged start {got}, predicted {want} ({diff} ms apart)"
        );
    }
}
