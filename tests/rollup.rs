//! The district's roll-up (`loa report --station DIR ...`, issue 13): two
//! stations' hand-built, hash-chained logs of known counts, one of them
//! edited, through the real binary in every format.

mod common;

use std::path::Path;

use assert_cmd::Command;
use chrono::{DateTime, TimeDelta, TimeZone, Utc};
use chrono_tz::Tz;
use loa::playlog::{
    AudioEntry, Description, Finish, LogState, OccurrenceInfo, PlayLog, Start, read_state,
};

const TZ: Tz = chrono_tz::Asia::Ho_Chi_Minh;
const NOW: &str = "2025-03-12T08:00:00+07:00";
const XD: &str = "Đài truyền thanh xã Xuân Đám";
const YT: &str = "Đài truyền thanh xã Yên Thường";

fn loa() -> Command {
    Command::cargo_bin("loa").unwrap_or_else(|e| panic!("{e}"))
}

fn local(d: u32, h: u32, m: u32) -> DateTime<Utc> {
    TZ.with_ymd_and_hms(2025, 3, d, h, m, 0)
        .single()
        .map(|t| t.with_timezone(&Utc))
        .unwrap_or_default()
}

/// Writes a station's log through loa's own writer: real hash-chained lines.
struct Writer {
    log: PlayLog,
}

impl Writer {
    fn new(dir: &Path) -> Writer {
        let st: LogState = read_state(dir, true).unwrap_or_else(|e| panic!("{e}"));
        Writer {
            log: PlayLog::new(dir, TZ, &st),
        }
    }

    fn desc(topic: &str, t: DateTime<Utc>) -> (String, Description) {
        let scheduled = t
            .with_timezone(&TZ)
            .to_rfc3339_opts(chrono::SecondsFormat::Secs, false);
        let name = format!("Bản tin {topic}");
        (
            format!("tuan.yaml#{name}@{scheduled}"),
            Description {
                schedule: "tuan.yaml".into(),
                broadcast: name,
                topic: topic.into(),
                priority: loa::kinds::Priority::Normal,
                scheduled,
                approved_by: None,
            },
        )
    }

    /// Played whole, `err_ms` late: a start, then a finish.
    fn played(&mut self, topic: &str, t: DateTime<Utc>, played: f64, err_ms: f64) {
        let (id, desc) = Self::desc(topic, t);
        let start = Start {
            occ: OccurrenceInfo {
                id: id.clone(),
                desc,
            },
            audio: vec![AudioEntry {
                path: "tin.mp3".into(),
                sha256: "cd".repeat(32),
                length_s: played,
                gain_db: None,
                unmeasured: false,
                speech: None,
            }],
            chime: None,
            repeat: 1,
            dropped_repeats: 0,
            dropped_reason: None,
            device: "default".into(),
            output: Some("trung-tam".into()),
            attempt: 1,
            clock_synced: None,
            source: None,
            fallback: false,
        };
        let at = t + TimeDelta::milliseconds(err_ms as i64);
        self.log
            .append(at, loa::kinds::Event::Start, &start)
            .unwrap_or_else(|e| panic!("{e}"));
        let finish = Finish {
            id,
            info: None,
            output: None,
            outcome: loa::kinds::Outcome::Played,
            reason: None,
            played_s: played,
            start_error_ms: Some(err_ms),
            rms_db: None,
            peak_db: None,
            detail: None,
            received_s: None,
            dropouts: None,
            silent_s: None,
        };
        let end = at + TimeDelta::milliseconds((played * 1000.0) as i64);
        self.log
            .append(end, loa::kinds::Event::Finish, &finish)
            .unwrap_or_else(|e| panic!("{e}"));
    }

    /// Never sounded: a finish only.
    fn closed(&mut self, topic: &str, t: DateTime<Utc>, outcome: &str, why: &str) {
        let (id, desc) = Self::desc(topic, t);
        let finish = Finish {
            id,
            info: Some(desc),
            output: Some("trung-tam".into()),
            outcome: loa::kinds::Outcome::parse(outcome).unwrap_or(loa::kinds::Outcome::Failed),
            reason: Some(loa::kinds::Reason::parse(why)),
            played_s: 0.0,
            start_error_ms: None,
            rms_db: None,
            peak_db: None,
            detail: None,
            received_s: None,
            dropouts: None,
            silent_s: None,
        };
        self.log
            .append(t, loa::kinds::Event::Finish, &finish)
            .unwrap_or_else(|e| panic!("{e}"));
    }
}

/// A district folder holding two stations, `xa-a` and `xa-b`, with ISO
/// week 2025-W10 (3–9 March) of known counts each, and one occurrence
/// outside the week in `xa-a`:
///
/// - xa-a: CCHC played 60 s (3 Mar) and 120 s (4 Mar), failed (5 Mar);
///   Pháp luật played 45 s (6 Mar); outside: CCHC 10 Mar. 9 lines.
/// - xa-b: CCHC played 60 s (3 Mar), missed (5 Mar), played 90 s (6 Mar);
///   An ninh played 30 s (4 Mar). 7 lines; line 5 (the miss) is edited
///   afterwards, so its chain breaks there.
fn district() -> tempfile::TempDir {
    let d = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let a = d.path().join("xa-a");
    common::write(
        &a.join("config.yaml"),
        &format!("station: \"{XD}\"\nreport:\n  recipient: \"UBND xã\"\n"),
    );
    let mut w = Writer::new(&a.join("playlog"));
    w.played("CCHC", local(3, 6, 0), 60.0, 2.0);
    w.played("CCHC", local(4, 6, 0), 120.0, 4.0);
    w.closed("CCHC", local(5, 6, 0), "failed", "device_error");
    w.played("Pháp luật", local(6, 7, 0), 45.0, 6.0);
    w.played("CCHC", local(10, 6, 0), 60.0, 1.0);

    let b = d.path().join("xa-b");
    common::write(&b.join("config.yaml"), &format!("station: \"{YT}\"\n"));
    let mut w = Writer::new(&b.join("playlog"));
    w.played("CCHC", local(3, 6, 0), 60.0, 3.0);
    w.played("An ninh", local(4, 7, 0), 30.0, 5.0);
    w.closed("CCHC", local(5, 6, 0), "missed", "daemon_down");
    w.played("CCHC", local(6, 6, 0), 90.0, 7.0);
    d
}

/// Edits line 5 of xa-b's log (its miss): the reason changes, so the
/// counts stay and only the chain tells.
fn edit_b(d: &Path) {
    let f = d.join("xa-b/playlog/2025-03.jsonl");
    let text = std::fs::read_to_string(&f).unwrap_or_default();
    let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
    assert!(lines[4].contains("\"daemon_down\""), "{}", lines[4]);
    lines[4] = lines[4].replace("\"daemon_down\"", "\"quiet_hours\"");
    std::fs::write(&f, lines.join("\n") + "\n").unwrap_or_else(|e| panic!("{e}"));
}

fn rollup(d: &Path, args: &[&str]) -> std::process::Output {
    loa()
        .current_dir(d)
        .env_remove("LOA_CONFIG")
        .args(["--now", NOW, "report", "--week", "2025-W10"])
        .args(["--station", "xa-a", "--station", "xa-b"])
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("{e}"))
}

fn json(out: &std::process::Output) -> serde_json::Value {
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "{e}: {}\n{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )
    })
}

fn topic<'v>(rows: &'v serde_json::Value, name: &str) -> &'v serde_json::Value {
    rows.as_array()
        .and_then(|a| a.iter().find(|t| t["topic"] == name))
        .unwrap_or_else(|| panic!("no {name} in {rows}"))
}

#[test]
fn the_json_rollup_has_each_station_its_flags_and_the_exact_sum() {
    let d = district();
    edit_b(d.path());
    let out = rollup(d.path(), &["--format", "json"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    // A broken log is reported and said on stderr, and fails the roll-up
    // as it fails `log verify`.
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains(YT) && stderr.contains("2025-03.jsonl:5"),
        "{stderr}"
    );
    let v = json(&out);
    let st = v["stations"].as_array().cloned().unwrap_or_default();
    assert_eq!(st.len(), 2);

    let a = &st[0];
    assert_eq!(a["station"], XD);
    assert_eq!(a["folder"], "xa-a");
    assert_eq!(a["integrity"]["intact"], true);
    assert_eq!(a["integrity"]["lines"], 9);
    assert_eq!(a["integrity"]["head"].as_str().map(str::len), Some(64));
    assert_eq!(a["unreadable"], serde_json::Value::Null);
    let counts = ["due", "played", "failed"].map(|k| a["total"][k].as_u64());
    assert_eq!(counts, [4, 3, 1].map(Some));
    assert_eq!(a["total"]["minutes"], 3.75);
    assert_eq!(topic(&a["by_topic"], "CCHC")["due"], 3);
    assert_eq!(topic(&a["by_topic"], "Pháp luật")["minutes"], 0.75);

    let b = &st[1];
    assert_eq!(b["station"], YT);
    assert_eq!(b["integrity"]["intact"], false);
    assert_eq!(b["integrity"]["first_fault"], "2025-03.jsonl:5");
    // The miss and the 6 March broadcast rest on lines from the edit on.
    assert_eq!(b["integrity"]["unverified"], 2);
    assert_eq!(b["total"]["due"], 4);
    assert_eq!(b["total"]["played"], 3);
    assert_eq!(b["total"]["missed"], 1);
    assert_eq!(b["total"]["minutes"], 3.0);
    assert_eq!(b["total"]["unverified"], 2);
    assert_ne!(a["integrity"]["head"], b["integrity"]["head"]);

    // The sum: per topic across the stations, and in total.
    assert_eq!(v["unreadable"], 0);
    assert_eq!(v["integrity"]["intact"], false);
    assert_eq!(
        v["integrity"]["first_fault"],
        format!("{YT}: 2025-03.jsonl:5")
    );
    assert_eq!(v["integrity"]["lines"], 16);
    assert_eq!(v["integrity"]["unverified"], 2);
    assert_eq!(
        v["topics"],
        serde_json::json!(["An ninh", "CCHC", "Pháp luật"])
    );
    let cchc = topic(&v["by_topic"], "CCHC");
    let counts = ["due", "played", "failed", "missed", "unverified"].map(|k| cchc[k].as_u64());
    assert_eq!(counts, [6, 4, 1, 1, 2].map(Some));
    assert_eq!(cchc["minutes"], 5.5);
    assert_eq!(topic(&v["by_topic"], "An ninh")["minutes"], 0.5);
    let t = &v["total"];
    assert_eq!(
        [t["due"].as_u64(), t["played"].as_u64()],
        [Some(8), Some(6)]
    );
    assert_eq!(t["minutes"], 6.75);
    assert_eq!(t["completion_pct"], 75.0);
    // Minutes per day add the stations' days: 3 March is 1 + 1 CCHC.
    assert_eq!(
        v["by_day"][0]["minutes"],
        serde_json::json!([0.0, 2.0, 0.0])
    );
    assert_eq!(v["by_day"][3]["total"], 2.25);
    // First attempts of both: 2, 4, 6 and 3, 5, 7 ms.
    assert_eq!(v["accuracy"]["count"], 6);
    assert_eq!(v["accuracy"]["worst_ms"], 7.0);
    assert_eq!(a["accuracy"]["median_ms"], 4.0);
    // No heading of its own here: a neutral one.
    assert_eq!(v["heading"]["station"], "Tổng hợp 2 đài");
    assert_eq!(v["heading"]["recipient"], "");
}

#[test]
fn every_format_renders_the_rollup_with_both_stations_and_the_flag() {
    use calamine::{Data, Reader, Xlsx};
    let d = district();
    edit_b(d.path());

    let out = rollup(d.path(), &[]);
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    let row = |name: &str| {
        text.lines()
            .find(|l| l.starts_with(name))
            .unwrap_or_else(|| panic!("no row for {name} in {text}"))
            .to_string()
    };
    // Each station's row (the broken one flagged ⚠), then the sum.
    let cells = |l: String| {
        l.split("  ")
            .map(str::trim)
            .filter(|c| !c.is_empty())
            .map(str::to_string)
            .collect::<Vec<_>>()
    };
    assert_eq!(
        cells(row(XD)),
        [XD, "4", "3", "0", "1", "0", "0", "75.0 %", "3.75"]
    );
    assert_eq!(
        cells(row(&format!("{YT} ⚠"))),
        [
            &format!("{YT} ⚠"),
            "4",
            "3",
            "0",
            "0",
            "1",
            "0",
            "75.0 %",
            "3.00"
        ]
    );
    assert!(text.contains("!!! CHUỖI BĂM BỊ ĐỨT !!!"), "{text}");
    assert!(
        text.contains(&format!(
            "{YT}: CHUỖI BĂM BỊ ĐỨT. Dòng hỏng đầu tiên: 2025-03.jsonl:5"
        )),
        "{text}"
    );
    let summary = text.split("\nTheo lĩnh vực").next().unwrap_or_default();
    insta::assert_snapshot!("rollup_text_head_vi", summary);
    let out = rollup(d.path(), &["--lang", "en"]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("By station (2)") && text.contains("HASH CHAIN BROKEN"),
        "{text}"
    );

    // CSV: one row per occurrence of the week, a Station column first.
    let out = rollup(d.path(), &["--format", "csv", "-o", "w10.csv"]);
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let bytes = std::fs::read(d.path().join("w10.csv")).unwrap_or_default();
    assert!(bytes.starts_with(b"\xEF\xBB\xBF"), "no BOM");
    let mut r = csv::Reader::from_reader(&bytes[3..]);
    let header = r.headers().cloned().unwrap_or_default();
    assert_eq!((header.get(0), header.get(1)), (Some("Đài"), Some("Ngày")));
    let rows: Vec<csv::StringRecord> = r.records().flatten().collect();
    let of = |name: &str| rows.iter().filter(|r| r.get(0) == Some(name)).count();
    assert_eq!((of(XD), of(YT), rows.len()), (4, 4, 8));
    // xa-b's rows from the edit on are not vouched for.
    let unverified: Vec<_> = rows
        .iter()
        .filter(|r| r.get(14) == Some("KHÔNG"))
        .map(|r| (r.get(0), r.get(1)))
        .collect();
    assert_eq!(
        unverified,
        [
            (Some(YT), Some("2025-03-05")),
            (Some(YT), Some("2025-03-06"))
        ]
    );

    // xlsx: the summary sheet has a row per station.
    let out = rollup(d.path(), &["--format", "xlsx", "-o", "w10.xlsx"]);
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let mut wb: Xlsx<_> = calamine::open_workbook(d.path().join("w10.xlsx"))
        .unwrap_or_else(|e: calamine::XlsxError| panic!("{e}"));
    let sum = wb
        .worksheet_range("Tổng hợp")
        .unwrap_or_else(|e| panic!("{e}"));
    let cell = |r: usize, c: usize| sum.get((r, c)).cloned().unwrap_or(Data::Empty);
    let find = |s: &str| (0..sum.height()).find(|r| cell(*r, 0) == Data::String(s.into()));
    let a = find(XD).unwrap_or_else(|| panic!("no row for {XD}"));
    assert_eq!(
        (cell(a, 1), cell(a, 2), cell(a, 8)),
        (Data::Float(4.0), Data::Float(3.0), Data::Float(3.75))
    );
    let b = find(&format!("{YT} ⚠")).unwrap_or_else(|| panic!("no flagged row for {YT}"));
    assert_eq!(cell(b, 5), Data::Float(1.0));

    // html: the stations table, the broken one shaded, the alert first.
    let out = rollup(d.path(), &["--format", "html"]);
    assert_eq!(out.status.code(), Some(1));
    let html = String::from_utf8_lossy(&out.stdout);
    assert!(html.starts_with("<!DOCTYPE html>") && html.trim_end().ends_with("</html>"));
    let stations = html.find("<table class=\"stations\">").unwrap_or(0);
    assert!(
        html.find("<div class=\"alert\">").unwrap_or(usize::MAX) < stations,
        "{html}"
    );
    assert!(
        html.contains(&format!("<tr class=\"unverified\"><td>{YT} ⚠</td>")),
        "{html}"
    );
    assert!(html.contains(&format!("<tr><td>{XD}</td>")), "{html}");
    assert_eq!(html.matches("<table class=\"detail\">").count(), 0);
    // The total holds the broken station's figures: it is marked, and
    // the note under the table says whose.
    assert!(
        html.contains("<tr class=\"total unverified\"><td>Tổng cộng ⚠</td>"),
        "{html}"
    );
    assert!(
        html.contains(&format!(
            "<p class=\"alert\">⚠ Dòng tổng có số liệu của 1 đài có chuỗi băm bị đứt ({YT})"
        )),
        "{html}"
    );
    let total = find("Tổng cộng ⚠").unwrap_or_else(|| panic!("the xlsx total is not marked"));
    assert_eq!(cell(total, 1), Data::Float(8.0));
}

/// Two stations of one name are told apart by their folders, and a play
/// log that cannot be read at all is named as such, not as a broken
/// chain at line 0.
#[test]
fn same_named_stations_show_their_folders_and_an_unreadable_log_is_named() {
    let d = district();
    // xa-c: a copy of xa-a's config (the same name), its month file a
    // folder in the file's place, as a bad copy leaves it.
    let c = d.path().join("xa-c");
    common::write(&c.join("config.yaml"), &format!("station: \"{XD}\"\n"));
    std::fs::create_dir_all(c.join("playlog/2025-03.jsonl")).unwrap_or_else(|e| panic!("{e}"));
    for lang in ["en", "vi"] {
        let out = rollup(d.path(), &["--lang", lang, "--station", "xa-c"]);
        let text = String::from_utf8_lossy(&out.stdout);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{stderr}");
        assert!(text.contains(&format!("{XD} (xa-a)")), "{text}");
        assert!(text.contains(&format!("{XD} (xa-c) ✖")), "{text}");
        assert!(
            !text.contains("jsonl:0") && !stderr.contains("jsonl:0"),
            "{text}\n{stderr}"
        );
        let named = match lang {
            "en" => "xa-c: the play-log file 2025-03.jsonl cannot be read",
            _ => "xa-c: không đọc được tệp nhật ký phát 2025-03.jsonl",
        };
        assert!(stderr.contains(named), "{stderr}");
    }
}

#[test]
fn an_unreadable_station_is_a_flagged_row_and_the_others_still_count() {
    let d = district();
    // xa-c: a folder with no config.yaml; xa-d: a refused config.yaml.
    std::fs::create_dir_all(d.path().join("xa-c/playlog")).unwrap_or_else(|e| panic!("{e}"));
    common::write(
        &d.path().join("xa-d/config.yaml"),
        "station: \"Xã D\"\nvolme: 1\n",
    );
    // xa-e: a good config.yaml, but no play log.
    common::write(&d.path().join("xa-e/config.yaml"), "station: \"Xã E\"\n");
    let out = rollup(
        d.path(),
        &[
            "--station",
            "xa-c",
            "--station",
            "xa-d",
            "--station",
            "xa-e",
            "--format",
            "json",
        ],
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("xa-c: không có tệp config.yaml"),
        "{stderr}"
    );
    assert!(stderr.contains("xa-d/config.yaml:2:1"), "{stderr}");
    assert!(stderr.contains("xa-e: không có nhật ký phát"), "{stderr}");
    assert!(stderr.contains("thiếu 3/5 đài"), "{stderr}");
    let v = json(&out);
    assert_eq!(v["unreadable"], 3);
    let st = v["stations"].as_array().cloned().unwrap_or_default();
    assert_eq!(st.len(), 5);
    assert_eq!(st[2]["station"], "xa-c");
    assert_eq!(st[2]["unreadable"]["kind"], "no_config");
    assert_eq!(st[2]["integrity"], serde_json::Value::Null);
    assert_eq!(st[3]["unreadable"]["kind"], "bad_config");
    // Named by its config.yaml when that loads.
    assert_eq!(st[4]["station"], "Xã E");
    assert_eq!(st[4]["unreadable"]["kind"], "no_playlog");
    // The two readable stations are still summed, and trusted.
    assert_eq!(v["total"]["due"], 8);
    assert_eq!(v["integrity"]["intact"], true);
    let text = rollup(d.path(), &["--station", "xa-c", "--lang", "en"]);
    let text = String::from_utf8_lossy(&text.stdout);
    assert!(
        text.contains("!!! 1 station(s) UNREADABLE (xa-c)"),
        "{text}"
    );
    let row = text
        .lines()
        .find(|l| l.starts_with("xa-c ✖"))
        .unwrap_or_default();
    assert_eq!(
        row.split_whitespace().collect::<Vec<_>>(),
        ["xa-c", "✖", "UNREADABLE"]
    );

    // Never written over a station's log, even one whose config.yaml is missing.
    let out = rollup(
        d.path(),
        &["--station", "xa-c", "-o", "xa-c/playlog/2025-03.jsonl"],
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(!d.path().join("xa-c/playlog/2025-03.jsonl").exists());
    let out = rollup(d.path(), &["-o", "xa-b/playlog/2025-03.jsonl"]);
    assert_eq!(out.status.code(), Some(2));
    let log =
        std::fs::read_to_string(d.path().join("xa-b/playlog/2025-03.jsonl")).unwrap_or_default();
    assert_eq!(log.lines().count(), 7);

    // A folder that is not there: a slip on the command line, nothing made.
    let out = rollup(d.path(), &["--station", "xa-z", "--format", "json"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("--station xa-z: không có thư mục này"),
        "{stderr}"
    );
    let out = rollup(d.path(), &["--station", "./xa-a", "--lang", "en"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("would count twice"));
}

#[test]
fn the_heading_comes_from_the_config_here_and_one_station_is_as_before() {
    let d = district();
    common::write(
        &d.path().join("config.yaml"),
        "station: \"Phòng Văn hóa - Thông tin huyện\"\nreport:\n  recipient: \"UBND huyện\"\n  prepared_by: \"Lê Văn Nam\"\n",
    );
    let out = rollup(d.path(), &["--format", "json"]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v = json(&out);
    assert_eq!(v["heading"]["station"], "Phòng Văn hóa - Thông tin huyện");
    assert_eq!(v["heading"]["recipient"], "UBND huyện");
    assert_eq!(v["heading"]["prepared_by"], "Lê Văn Nam");
    assert_eq!(v["integrity"]["intact"], true);

    // Without --station: exactly the station's own report, as before.
    let a = d.path().join("xa-a");
    let own = loa()
        .current_dir(&a)
        .args([
            "--now", NOW, "report", "--week", "2025-W10", "--format", "json",
        ])
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    let v = json(&own);
    assert!(v.get("stations").is_none());
    assert_eq!(v["occurrences"].as_array().map(Vec::len), Some(4));
    assert_eq!(v["total"]["minutes"], 3.75);
}

/// Issue 25 item 1: stations copied from installed boxes name the packaged
/// `/var/lib/loa/playlog` (here another folder with a log of its own, as the
/// district machine's would be): each is still read from its own folder.
#[test]
fn a_copied_station_is_read_from_its_own_folder_whatever_its_config_names() {
    let d = district();
    let elsewhere = d.path().join("district-own/playlog");
    let mut w = Writer::new(&elsewhere);
    w.played("CCHC", local(3, 6, 0), 600.0, 1.0);
    for (st, name) in [("xa-a", XD), ("xa-b", YT)] {
        common::write(
            &d.path().join(st).join("config.yaml"),
            &format!("station: \"{name}\"\nplaylog: {}\n", elsewhere.display()),
        );
    }
    let out = rollup(d.path(), &["--format", "json"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    let v = json(&out);
    let st = v["stations"].as_array().cloned().unwrap_or_default();
    let lines: Vec<_> = st
        .iter()
        .map(|s| s["integrity"]["lines"].as_u64())
        .collect();
    assert_eq!(lines, [Some(9), Some(7)], "{v}");
    assert_ne!(st[0]["integrity"]["head"], st[1]["integrity"]["head"]);
    assert_eq!(st[0]["total"]["minutes"], 3.75);
}

/// Two station folders whose logs are one (a `playlog/` linked to another
/// station's) would count one log as two stations: refused, both named.
#[test]
fn two_folders_resolving_to_one_log_are_refused() {
    let d = district();
    let c = d.path().join("xa-c");
    common::write(&c.join("config.yaml"), "station: \"Xã C\"\n");
    std::os::unix::fs::symlink(d.path().join("xa-a/playlog"), c.join("playlog"))
        .unwrap_or_else(|e| panic!("{e}"));
    let out = rollup(d.path(), &["--station", "xa-c", "--format", "json"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(out.stdout.is_empty());
    assert!(
        stderr.contains("--station xa-c") && stderr.contains("--station xa-a"),
        "{stderr}"
    );
}
