//! Report and verify speed and memory over one and five years of log
//! (SPEC §7, issue 14: 50,000 occurrences a year; `log verify` within 1.5x
//! of reading and hashing the same bytes, each report within 2.5x, xlsx 4x;
//! under 64 MiB peak RSS over five years).
//!
//! Method: writes a year (2025) of play log through loa's own `PlayLog`:
//! 50,000 occurrences across four topics, most played (start + finish),
//! the rest failed, missed or skipped (finish only); about 94,000 lines in
//! twelve month files; then five years (2025-2029, 250,000 occurrences) in
//! a second station. For each, in the same run: the floor (`sh -c 'cat
//! FILES | sha256sum'` over the same month files), the release `loa log
//! verify`, and `loa report --from <first day> --to <last day> --format F
//! -o FILE` in each format, a fresh process each run, `RUNS` times each
//! (default 5). Prints the median wall time, its ratio to the floor's
//! median, and the largest peak RSS of the runs (`ru_maxrss` of each
//! child, from `wait4`).
//!
//! Run: `cargo bench --bench report` (`YEARS=1` for the one-year log only,
//! `LIMITS=1` for a station with `limits` set,
//! `LOA=/path/to/loa` to measure another build, `KEEP=folder` to keep the
//! stations in `folder/1y` and `folder/5y`).

use std::path::Path;
use std::process::{Command, Stdio};
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

fn build_log(dir: &std::path::Path, years: usize) -> usize {
    let tz = chrono_tz::Asia::Ho_Chi_Minh;
    let st = loa::playlog::read_state(dir, true).expect("empty log");
    let mut log = PlayLog::new(dir, tz, &st);
    let year = tz
        .with_ymd_and_hms(2025, 1, 1, 0, 0, 0)
        .single()
        .expect("a date")
        .with_timezone(&Utc);
    let step = TimeDelta::seconds(365 * 86_400 / OCCURRENCES as i64);
    let name_of = |k: usize| {
        let topic = TOPICS[k % TOPICS.len()];
        (topic, format!("Bản tin {topic} số {}", k % 17))
    };
    let mut lines = 0;
    for k in 0..OCCURRENCES * years {
        // Written as it goes: the children's peak RSS from wait4 starts at
        // this process's own peak (exec keeps the old high-water mark).
        if k % 2_000 == 0 {
            log.flush().expect("write the log");
        }
        let t = year + step * k as i32;
        let (topic, name) = name_of(k);
        let scheduled = t
            .with_timezone(&tz)
            .to_rfc3339_opts(chrono::SecondsFormat::Secs, false);
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
                source: None,
                fallback: false,
            };
            log.push(t, loa::kinds::Event::Start, &start);
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
                received_s: None,
                dropouts: None,
                silent_s: None,
            };
            log.push(
                t + TimeDelta::milliseconds(95_500),
                loa::kinds::Event::Finish,
                &f,
            );
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
                received_s: None,
                dropouts: None,
                silent_s: None,
            };
            log.push(t, loa::kinds::Event::Finish, &f);
            lines += 1;
        }
    }
    log.flush().expect("write the log");
    lines
}

/// One child's wall time and peak RSS (KiB), from `wait4` (which reaps it).
#[allow(clippy::zombie_processes)]
fn run_once(dir: &Path, program: &str, args: &[&str]) -> (Duration, u64) {
    let t = Instant::now();
    let child = Command::new(program)
        .current_dir(dir)
        .args(args)
        .stdout(Stdio::null())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("run");
    let pid = child.id() as libc::pid_t;
    let mut status = 0;
    // SAFETY: a zeroed rusage is a valid value for wait4 to fill.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: pid is our own child, not waited for elsewhere.
    let got = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
    let took = t.elapsed();
    assert_eq!(got, pid, "wait4");
    assert!(
        libc::WIFEXITED(status) && libc::WEXITSTATUS(status) == 0,
        "{program} {args:?} failed: {status}"
    );
    (took, usage.ru_maxrss as u64)
}

/// Median wall time and largest peak RSS (KiB) of `runs` runs.
fn measure(dir: &Path, program: &str, args: &[&str], runs: usize) -> (Duration, u64) {
    let mut v = Vec::new();
    let mut rss = 0;
    for _ in 0..runs {
        let (t, r) = run_once(dir, program, args);
        v.push(t);
        rss = rss.max(r);
    }
    v.sort();
    (v[v.len() / 2], rss)
}

fn main() {
    let runs: usize = std::env::var("RUNS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(5);
    let years: Vec<usize> = match std::env::var("YEARS").ok().as_deref() {
        Some("1") => vec![1],
        Some("5") => vec![5],
        _ => vec![1, 5],
    };
    for y in years {
        // KEEP=folder keeps the station (and its log) there to look into.
        match std::env::var("KEEP") {
            Ok(keep) => {
                let dir = Path::new(&keep).join(format!("{y}y"));
                if dir.exists() {
                    std::fs::remove_dir_all(&dir).expect("clear KEEP");
                }
                run(&dir, y, runs);
            }
            Err(_) => {
                let dir = tempfile::tempdir().expect("tempdir");
                run(dir.path(), y, runs);
            }
        }
    }
}

fn run(station: &Path, years: usize, runs: usize) {
    std::fs::create_dir_all(station.join("schedules")).expect("mkdir");
    std::fs::create_dir_all(station.join("audio")).expect("mkdir");
    // LIMITS=1: with `limits` set, each day is held against them (issue
    // 13), which keeps every span that sounded until the days are written.
    let limits = if std::env::var_os("LIMITS").is_some() {
        "limits:\n  max_minutes_per_day: 45\n  max_sessions_per_day: 2\n"
    } else {
        ""
    };
    std::fs::write(
        station.join("config.yaml"),
        format!("station: \"Đài truyền thanh xã Xuân Đám\"\nreport:\n  recipient: \"Phòng Văn hóa - Xã hội\"\n  place: \"Xuân Đám\"\n{limits}"),
    )
    .expect("config");
    let t = Instant::now();
    let lines = build_log(&station.join("playlog"), years);
    let files = loa::playlog::month_files(&station.join("playlog"));
    let log_bytes: u64 = files
        .iter()
        .filter_map(|p| std::fs::metadata(p).ok())
        .map(|m| m.len())
        .sum();
    println!(
        "\n{years} year(s) of log: {} occurrences, {lines} lines, {:.1} MB in {} files, written in {:.1} s; {runs} runs each",
        OCCURRENCES * years,
        log_bytes as f64 / 1e6,
        files.len(),
        t.elapsed().as_secs_f64()
    );
    let list: Vec<String> = files
        .iter()
        .filter_map(|p| {
            p.file_name()
                .map(|n| format!("playlog/{}", n.to_string_lossy()))
        })
        .collect();
    // LOA=path measures another build of loa (e.g. the one before a change).
    let loa = std::env::var("LOA").unwrap_or_else(|_| env!("CARGO_BIN_EXE_loa").to_string());
    let floor_cmd = format!("cat {} | sha256sum >/dev/null", list.join(" "));
    let last = format!("{}-12-31", 2024 + years);
    let mut cases: Vec<(String, Vec<&str>)> = vec![("log verify".into(), vec!["log", "verify"])];
    for (f, file) in [
        ("text", "out.txt"),
        ("csv", "out.csv"),
        ("xlsx", "out.xlsx"),
        ("html", "out.html"),
        ("json", "out.json"),
    ] {
        let mut a = vec!["report", "--from", "2025-01-01", "--to", last.as_str()];
        a.extend(["--format", f, "-o", file]);
        cases.push((format!("report --format {f}"), a));
    }
    println!(
        "{:<22} {:>9} {:>7} {:>9} {:>9}",
        "command", "median", "ratio", "peak RSS", "output"
    );
    let (floor, floor_rss) = measure(station, "sh", &["-c", &floor_cmd], runs);
    println!(
        "{:<22} {:>7.0}ms {:>6.2}x {:>6.1}MiB",
        "cat | sha256sum",
        floor.as_secs_f64() * 1000.0,
        1.0,
        floor_rss as f64 / 1024.0
    );
    for (name, args) in &cases {
        let (median, rss) = measure(station, &loa, args, runs);
        let size = args
            .iter()
            .position(|a| *a == "-o")
            .and_then(|i| std::fs::metadata(station.join(args[i + 1])).ok())
            .map(|m| format!("{:.1}MB", m.len() as f64 / 1e6))
            .unwrap_or_default();
        let ratio = median.as_secs_f64() / floor.as_secs_f64();
        let (limit, mib) = (
            match name.as_str() {
                "log verify" => 1.5,
                "report --format xlsx" => 4.0,
                _ => 2.5,
            },
            rss as f64 / 1024.0,
        );
        let met = if ratio <= limit && (years < 5 || mib < 64.0) {
            ""
        } else {
            "  MISSED"
        };
        println!(
            "{name:<22} {:>7.0}ms {ratio:>6.2}x {mib:>6.1}MiB {size:>9}{met}",
            median.as_secs_f64() * 1000.0,
        );
    }
}
