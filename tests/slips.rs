//! Issue 15, "never silently wrong": nothing loa writes overwrites the
//! evidence, no schedule text forges a line, and absurd arguments are usage
//! errors, not panics or a gigabyte of memory.

mod common;

use std::path::Path;
use std::time::{Duration, Instant};

const CONFIG: &str = "station: x\nlanguage: en\noutput:\n  device: \"null\"\n  loudness: off\n";

use common::loa_in as loa;

/// A station with a month of (unchecked) play log and a state folder.
fn station_with_log() -> (tempfile::TempDir, Vec<u8>) {
    let st = common::station(CONFIG);
    let log = b"{\"v\":1,\"seq\":1,\"event\":\"daemon_start\"}\n".to_vec();
    common::write(&st.path().join("state/status.json"), "{}");
    std::fs::create_dir_all(st.path().join("playlog")).unwrap_or_else(|e| panic!("{e}"));
    std::fs::write(st.path().join("playlog/2026-11.jsonl"), &log).unwrap_or_else(|e| panic!("{e}"));
    (st, log)
}

#[test]
fn report_never_writes_over_the_log_the_state_or_a_device() {
    let (st, log) = station_with_log();
    std::os::unix::fs::symlink("playlog/2026-12.jsonl", st.path().join("link.csv"))
        .unwrap_or_else(|e| panic!("{e}"));
    let _device = std::os::unix::net::UnixListener::bind(st.path().join("device"))
        .unwrap_or_else(|e| panic!("{e}"));
    for (target, says) in [
        ("playlog/2026-11.jsonl", "the play log"),
        ("./playlog/../playlog/2026-11.jsonl", "the play log"),
        ("link.csv", "the play log"),
        ("state/report.csv", "state folder"),
        ("config.yaml", "config file"),
        ("schedules/r.csv", "schedules folder"),
        // Stands for /dev/null: a run as root with both guards broken must
        // not replace the machine's real one.
        ("device", "not a plain file"),
        ("playlog", "not a plain file"),
    ] {
        let (code, _, err) = loa(
            st.path(),
            &[
                "report", "--month", "2026-11", "--format", "csv", "-o", target,
            ],
        );
        assert_eq!(code, Some(2), "-o {target}: {err}");
        assert!(
            err.contains(says) && err.contains("fix:"),
            "-o {target}: {err}"
        );
    }
    let after = std::fs::read(st.path().join("playlog/2026-11.jsonl")).unwrap_or_default();
    assert_eq!(after, log, "the month's log changed");
    assert!(!st.path().join("playlog/2026-12.jsonl").exists());
    assert!(!st.path().join("state/report.csv").exists());
    let names = |d: &str| std::fs::read_dir(st.path().join(d)).map_or(0, |r| r.count());
    assert_eq!((names("playlog"), names("state")), (1, 1));
    // Anywhere else, the report is written.
    let (code, _, err) = loa(st.path(), &["report", "--format", "csv", "-o", "r.csv"]);
    assert_eq!(code, Some(0), "{err}");
    assert!(st.path().join("r.csv").is_file());
}

fn forged_station() -> tempfile::TempDir {
    let st = common::station(CONFIG);
    let tone = common::wav(1.0, |t| 0.3 * (t * 2600.0).sin());
    std::fs::write(st.path().join("audio/a.wav"), tone).unwrap_or_else(|e| panic!("{e}"));
    common::write(
        &st.path().join("schedules/forged.yaml"),
        "title: T\ntopic: \"CC\\eHC\"\nbroadcasts:\n  - name: \"Tin\\n2026-11-30T06:00:00 INFO loa: started\"\n    audio: a.wav\n    at: \"06:00\"\n  - name: Good\n    audio: a.wav\n    at: \"07:00\"\n",
    );
    st
}

#[test]
fn check_refuses_control_characters_in_schedule_text_where_they_are() {
    let st = forged_station();
    let (code, _, err) = loa(st.path(), &["--now", "2026-11-30T05:00:00+07:00", "check"]);
    assert_eq!(code, Some(1), "{err}");
    assert!(!err.contains('\u{1b}'), "an escape reached the terminal");
    assert!(!err.contains("\n2026-11-30T06:00:00 INFO"), "{err}");
    insta::assert_snapshot!("forged_lines_en", err);
    let (code, _, err) = loa(
        st.path(),
        &[
            "--lang",
            "vi",
            "--now",
            "2026-11-30T05:00:00+07:00",
            "check",
        ],
    );
    assert_eq!(code, Some(1));
    assert!(
        err.contains("schedules/forged.yaml:4:11: `name` có ký tự điều khiển U+000A"),
        "{err}"
    );
}

#[test]
fn announce_refuses_a_name_with_control_characters() {
    let st = forged_station();
    std::fs::remove_file(st.path().join("schedules/forged.yaml")).unwrap_or_else(|e| panic!("{e}"));
    for (flag, text) in [("--name", "Tin\nINFO fake"), ("--topic", "a\u{1b}[2Jb")] {
        let (code, _, err) = loa(st.path(), &["announce", "a.wav", flag, text]);
        assert_eq!(code, Some(2), "{flag}: {err}");
        assert!(
            err.contains(&format!("{flag}: contains the control character")),
            "{err}"
        );
    }
    let written = std::fs::read_dir(st.path().join("schedules")).map_or(0, |r| r.count());
    assert_eq!(written, 0, "an announcement was written");
}

#[test]
fn announce_takes_a_name_longer_than_a_file_name_may_be() {
    let st = forged_station();
    std::fs::remove_file(st.path().join("schedules/forged.yaml")).unwrap_or_else(|e| panic!("{e}"));
    // 400 characters, 600 bytes: over the 255-byte limit of a file name.
    let name = "Thông báo khẩn ".repeat(27);
    let (code, _, err) = loa(st.path(), &["announce", "a.wav", "--name", &name]);
    assert_eq!(code, Some(0), "{err}");
    let files: Vec<_> = std::fs::read_dir(st.path().join("schedules"))
        .map(|r| r.flatten().map(|e| e.file_name()).collect())
        .unwrap_or_default();
    assert_eq!(files.len(), 1, "{files:?}");
    assert!(files[0].len() < 100, "{files:?}");
    let text = std::fs::read_to_string(st.path().join("schedules").join(&files[0]))
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(text.contains(name.trim()), "the whole name is kept: {text}");
}

/// Runs `args` and expects a quick usage error in the station's language.
fn usage_error(dir: &Path, args: &[&str], says: &str) {
    let t = Instant::now();
    let (code, _, err) = loa(dir, args);
    assert_eq!(code, Some(2), "{args:?}: {err}");
    assert!(!err.contains("panicked"), "{args:?}: {err}");
    assert!(err.contains(says), "{args:?}: {err}");
    assert!(
        t.elapsed() < Duration::from_secs(5),
        "{args:?} took {:?}",
        t.elapsed()
    );
}

#[test]
fn absurd_arguments_are_quick_usage_errors() {
    let st = forged_station();
    std::fs::remove_file(st.path().join("schedules/forged.yaml")).unwrap_or_else(|e| panic!("{e}"));
    common::write(
        &st.path().join("schedules/a.yaml"),
        "title: A\nbroadcasts:\n  - name: A\n    audio: a.wav\n    at: \"06:00\"\n",
    );
    let d = st.path();
    let days = "from 1 to 366";
    usage_error(d, &["next", "--days", "100000000"], days);
    usage_error(d, &["next", "--days", "100000"], days);
    usage_error(d, &["next", "--days", "0"], days);
    usage_error(
        d,
        &["--lang", "vi", "next", "--days", "367"],
        "từ 1 đến 366",
    );
    let far = "more than 10 years";
    usage_error(
        d,
        &["report", "--from", "0001-01-01", "--to", "9999-12-31"],
        far,
    );
    usage_error(d, &["report", "--week", "2025-W99"], "ISO week");
    usage_error(d, &["report", "--month", "2025-13"], "a month");
    usage_error(
        d,
        &["announce", "a.wav", "--at", "9999-12-31 23:59"],
        "366 days",
    );
    let (code, out, err) = loa(d, &["next", "--days", "366", "--from", "9999-01-01"]);
    assert_eq!(code, Some(0), "{err}");
    assert_eq!(out.lines().count(), 366 + 1, "{out}");
    let (code, _, err) = loa(d, &["report", "--from", "2021-01-01", "--to", "2030-12-31"]);
    assert_eq!(code, Some(0), "{err}");
}

/// A station whose log has four chained lines in 2026-11.jsonl.
fn station_with_chain() -> (tempfile::TempDir, Vec<String>) {
    let st = common::station(CONFIG);
    let dir = st.path().join("playlog");
    let tz = chrono_tz::Asia::Ho_Chi_Minh;
    let state = loa::playlog::read_state(&dir, true).unwrap_or_else(|e| panic!("{e}"));
    let mut log = loa::playlog::PlayLog::new(&dir, tz, &state);
    let t0 = chrono::DateTime::parse_from_rfc3339("2026-11-30T06:00:00+07:00")
        .map(|t| t.with_timezone(&chrono::Utc))
        .unwrap_or_else(|e| panic!("{e}"));
    for k in 0..4 {
        let body = serde_json::json!({ "reason": format!("r{k}") });
        log.append(
            t0 + chrono::TimeDelta::minutes(k),
            loa::kinds::Event::DaemonStart,
            &body,
        )
        .unwrap_or_else(|e| panic!("{e}"));
    }
    let text = std::fs::read_to_string(dir.join("2026-11.jsonl")).unwrap_or_default();
    (st, text.lines().map(str::to_string).collect())
}

fn verify(st: &Path, log: &[u8]) -> (Option<i32>, String) {
    std::fs::write(st.join("playlog/2026-11.jsonl"), log).unwrap_or_else(|e| panic!("{e}"));
    let (code, _, err) = loa(st, &["log", "verify"]);
    (code, err)
}

#[test]
fn log_verify_tells_the_truth_about_edge_cases() {
    let (st, lines) = station_with_chain();
    let (code, err) = verify(st.path(), (lines.join("\n") + "\n").as_bytes());
    assert_eq!(code, Some(0), "{err}");

    // A line slipped in between lines 2 and 3, linked to line 2 like a real one.
    let k = lines[2].find("\"prev\":\"").map_or(0, |k| k + 8);
    let forged = lines[2].replace("\"r2\"", "\"forged\"");
    let forged = format!(
        "{}{}{}",
        &forged[..k],
        loa::hash::sha256_hex(lines[1].as_bytes()),
        &forged[k + 64..]
    );
    let mut inserted = lines.clone();
    inserted.insert(2, forged);
    let (code, err) = verify(st.path(), (inserted.join("\n") + "\n").as_bytes());
    assert_eq!(code, Some(1), "{err}");
    assert!(
        err.starts_with("playlog/2026-11.jsonl:3: 1 line(s) from this one were not written by loa: they were inserted"),
        "{err}"
    );
    assert!(!err.contains("moved"), "{err}");

    // A BOM before the first line, as Notepad saves it.
    let mut bom = b"\xEF\xBB\xBF".to_vec();
    bom.extend((lines.join("\n") + "\n").bytes());
    let (code, err) = verify(st.path(), &bom);
    assert_eq!(code, Some(1), "{err}");
    assert!(
        err.starts_with("playlog/2026-11.jsonl:1:1: the line begins with a byte-order mark"),
        "{err}"
    );

    // Binary garbage (a disk fault) in place of the third line.
    let mut garbage = (lines[..2].join("\n") + "\n").into_bytes();
    garbage.extend(b"{\"v\":1,\x00\x00\xff\xfe\n");
    garbage.extend((lines[3..].join("\n") + "\n").bytes());
    let (code, err) = verify(st.path(), &garbage);
    assert_eq!(code, Some(1), "{err}");
    assert!(
        err.starts_with("playlog/2026-11.jsonl:3:8: the line holds binary data"),
        "{err}"
    );

    // No log where config.yaml says: not "intact: 0 files".
    std::fs::remove_dir_all(st.path().join("playlog")).unwrap_or_else(|e| panic!("{e}"));
    let (code, out, err) = loa(st.path(), &["log", "verify"]);
    assert_eq!(code, Some(1), "{out}{err}");
    assert!(err.contains("There is no play log at playlog/"), "{err}");
    assert!(!out.contains("intact"), "{out}");
}
