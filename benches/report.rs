//! Report and verify speed over a year of log (SPEC §7: 50,000 occurrences,
//! any report format and `log verify` under 1 s each).
//!
//! Method: writes a year (2025) of play log through loa's own `PlayLog`:
//! 50,000 occurrences across four topics, most played (start + finish),
//! the rest failed, missed or skipped (finish only); about 96,000 lines in
//! twelve month files. Then runs the release `loa` binary, as an operator
//! would, for `log verify` and `report --from 2025-01-01 --to 2025-12-31`
//! in each format, `RUNS` times each (default 5), and prints the median
//! and worst wall time.
//!
//! Run: `cargo bench --bench report`.

use std::process::Command;
use std::time::{Duration, Instant};

use chrono::{TimeDelta, TimeZone, Utc};
use loa::playlog::{AudioEntry, Description, Finish, OccurrenceInfo, PlayLog, Start};

const OCCURRENCES: usize = 50_000;
const TOPICS: [&str; 4] = [
    "CCHC",
    "Phòng chống thiên tai",
    "Pháp luật",
    "An ninh trật tự",
];

fn build_log(dir: &std::path::Path) -> usize {
    let tz = chrono_tz::Asia::Ho_Chi_Minh;
    let st = loa::playlog::read_state(dir, true).expect("empty log");
    let mut log = PlayLog::new(dir, tz, &st);
    let year = tz
        .with_ymd_and_hms(2025, 1, 1, 0, 0, 0)
        .single()
        .expect("a date")
        .with_timezone(&Utc);
    let step = TimeDelta::seconds(365 * 86_400 / OCCURRENCES as i64);
    let mut lines = 0;
    for k in 0..OCCURRENCES {
        let t = year + step * k as i32;
        let topic = TOPICS[k % TOPICS.len()];
        let scheduled = t
            .with_timezone(&tz)
            .to_rfc3339_opts(chrono::SecondsFormat::Secs, false);
        let name = format!("Bản tin {topic} số {}", k % 17);
        let id = format!("nam-2025.yaml#{name}@{scheduled}");
        let desc = Description {
            schedule: "nam-2025.yaml".into(),
            broadcast: name,
            topic: topic.into(),
            priority: if k % 50 == 0 {
                loa::kinds::Priority::Emergency
            } else {
                loa::kinds::Priority::Normal
            },
            scheduled,
            approved_by: Some("Trần Quang Hướng".into()),
        };
        let (outcome, reason) = match k % 25 {
            0 => ("failed", Some("device_error")),
            1 => ("missed", Some("daemon_down")),
            2 => ("skipped", Some("quiet_hours")),
            _ => ("played", None),
        };
        if outcome == "played" {
            let start = Start {
                occ: OccurrenceInfo {
                    id: id.clone(),
                    desc,
                },
                audio: vec![AudioEntry {
                    path: format!("cchc/ban-tin-{}.mp3", k % 17),
                    sha256: format!("{:064x}", k % 17),
                    length_s: 95.5,
                    gain_db: Some(-2.5),
                    unmeasured: false,
                    speech: None,
                }],
                chime: None,
                repeat: 1,
                dropped_repeats: 0,
                dropped_reason: None,
                device: "default".into(),
                output: None,
                attempt: 1,
                clock_synced: Some(true),
            };
            log.push(t, "start", &start);
            let f = Finish {
                id,
                info: None,
                output: None,
                outcome: loa::kinds::Outcome::parse(outcome).unwrap_or(loa::kinds::Outcome::Failed),
                reason: None,
                played_s: 95.5,
                start_error_ms: Some((k % 9) as f64 * 0.7),
                rms_db: None,
                peak_db: None,
                detail: None,
            };
            log.push(t + TimeDelta::milliseconds(95_500), "finish", &f);
            lines += 2;
        } else {
            let f = Finish {
                id,
                info: Some(desc),
                output: None,
                outcome: loa::kinds::Outcome::parse(outcome).unwrap_or(loa::kinds::Outcome::Failed),
                reason: reason.map(loa::kinds::Reason::parse),
                played_s: 0.0,
                start_error_ms: None,
                rms_db: None,
                peak_db: None,
                detail: None,
            };
            log.push(t, "finish", &f);
            lines += 1;
        }
    }
    log.flush().expect("write the log");
    lines
}

fn time(station: &std::path::Path, args: &[&str], runs: usize) -> (Duration, Duration, u64) {
    let mut v = Vec::new();
    let mut size = 0;
    for _ in 0..runs {
        let t = Instant::now();
        let out = Command::new(env!("CARGO_BIN_EXE_loa"))
            .current_dir(station)
            .args(args)
            .output()
            .expect("run loa");
        v.push(t.elapsed());
        assert!(
            out.status.success(),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        size = out.stdout.len() as u64;
        if let Some(i) = args.iter().position(|a| *a == "-o") {
            size = std::fs::metadata(station.join(args[i + 1]))
                .map(|m| m.len())
                .unwrap_or(0);
        }
    }
    v.sort();
    (v[v.len() / 2], v[v.len() - 1], size)
}

fn main() {
    let runs: usize = std::env::var("RUNS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(5);
    let dir = tempfile::tempdir().expect("tempdir");
    let station = dir.path();
    if let Ok(keep) = std::env::var("BENCH_KEEP") {
        println!("station kept in {keep}");
        let _ = std::fs::remove_dir_all(&keep);
        std::fs::create_dir_all(&keep).expect("mkdir");
        return run(std::path::Path::new(&keep), runs);
    }
    run(station, runs);
}

fn run(station: &std::path::Path, runs: usize) {
    std::fs::create_dir_all(station.join("schedules")).expect("mkdir");
    std::fs::create_dir_all(station.join("audio")).expect("mkdir");
    std::fs::write(
        station.join("config.yaml"),
        "station: \"Đài truyền thanh xã Xuân Đám\"\nreport:\n  recipient: \"Phòng Văn hóa - Xã hội\"\n",
    )
    .expect("config");
    let t = Instant::now();
    let lines = build_log(&station.join("playlog"));
    let log_bytes: u64 = loa::playlog::month_files(&station.join("playlog"))
        .iter()
        .filter_map(|p| std::fs::metadata(p).ok())
        .map(|m| m.len())
        .sum();
    println!(
        "log: {OCCURRENCES} occurrences, {lines} lines, {:.1} MB, written in {:.2} s",
        log_bytes as f64 / 1e6,
        t.elapsed().as_secs_f64()
    );
    println!(
        "{:<22} {:>10} {:>10} {:>12}",
        "command", "median", "worst", "output"
    );
    let year = ["--from", "2025-01-01", "--to", "2025-12-31"];
    let mut cases: Vec<(String, Vec<&str>)> = vec![("log verify".into(), vec!["log", "verify"])];
    for (f, file) in [
        ("text", "year.txt"),
        ("csv", "year.csv"),
        ("xlsx", "year.xlsx"),
        ("html", "year.html"),
        ("json", "year.json"),
    ] {
        let mut a = vec!["report"];
        a.extend(year);
        a.extend(["--format", f, "-o", file]);
        cases.push((format!("report --format {f}"), a));
    }
    let mut worst_all = Duration::ZERO;
    for (name, args) in &cases {
        let (median, worst, size) = time(station, args, runs);
        worst_all = worst_all.max(median);
        println!(
            "{name:<22} {:>8.0}ms {:>8.0}ms {:>10.1}MB",
            median.as_secs_f64() * 1000.0,
            worst.as_secs_f64() * 1000.0,
            size as f64 / 1e6
        );
    }
    println!(
        "slowest median {:.0} ms; target < 1000 ms: {}",
        worst_all.as_secs_f64() * 1000.0,
        if worst_all < Duration::from_secs(1) {
            "met"
        } else {
            "MISSED"
        }
    );
}
