//! Reports from a hand-built log with known counts: the figures, every
//! format through the real binary, and a broken log.

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

fn loa() -> Command {
    Command::cargo_bin("loa").unwrap_or_else(|e| panic!("{e}"))
}

fn local(d: u32, h: u32, m: u32) -> DateTime<Utc> {
    TZ.with_ymd_and_hms(2025, 3, d, h, m, 0)
        .single()
        .map(|t| t.with_timezone(&Utc))
        .unwrap_or_default()
}

fn desc(topic: &str, prio: &str, t: DateTime<Utc>) -> (String, Description) {
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
            priority: loa::kinds::Priority::parse(prio).unwrap_or_default(),
            scheduled,
            approved_by: None,
        },
    )
}

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

    /// An attempt that sounded `err_ms` after `t`: start, then finish.
    #[allow(clippy::too_many_arguments)]
    fn sounded(
        &mut self,
        topic: &str,
        prio: &str,
        t: DateTime<Utc>,
        attempt: u32,
        out: (&str, Option<&str>),
        played: f64,
        err_ms: f64,
    ) {
        let (id, d) = desc(topic, prio, t);
        let start = Start {
            occ: OccurrenceInfo {
                id: id.clone(),
                desc: d,
            },
            audio: vec![AudioEntry {
                path: "cchc/tin.mp3".into(),
                sha256: "ab".repeat(32),
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
            attempt,
            clock_synced: None,
            source: None,
            fallback: false,
        };
        let at = t + TimeDelta::milliseconds(err_ms as i64);
        self.log
            .append(at, loa::kinds::Event::Start, &start)
            .unwrap_or_else(|e| panic!("{e}"));
        let f = Finish {
            id,
            info: None,
            output: None,
            outcome: loa::kinds::Outcome::parse(out.0).unwrap_or(loa::kinds::Outcome::Failed),
            reason: out.1.map(loa::kinds::Reason::parse),
            played_s: played,
            start_error_ms: Some(err_ms),
            rms_db: None,
            peak_db: None,
            detail: None,
            received_s: None,
            dropouts: None,
            silent_s: None,
        };
        self.log
            .append(
                at + TimeDelta::milliseconds((played * 1000.0) as i64),
                loa::kinds::Event::Finish,
                &f,
            )
            .unwrap_or_else(|e| panic!("{e}"));
    }

    /// An occurrence that never sounded.
    fn closed(&mut self, topic: &str, t: DateTime<Utc>, out: &str, why: &str) {
        let (id, d) = desc(topic, "normal", t);
        let f = Finish {
            id,
            info: Some(d),
            output: Some("thon-dong".into()),
            outcome: loa::kinds::Outcome::parse(out).unwrap_or(loa::kinds::Outcome::Failed),
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
            .append(t, loa::kinds::Event::Finish, &f)
            .unwrap_or_else(|e| panic!("{e}"));
    }
}

/// ISO week 2025-W10 (3–9 March) with known counts, and one occurrence on
/// each side of it that a week's report must leave out.
fn known_week(station: &Path) {
    let mut w = Writer::new(&station.join("playlog"));
    let pctt = "Phòng chống thiên tai";
    w.sounded(
        "CCHC",
        "normal",
        local(2, 6, 0),
        1,
        ("played", None),
        60.0,
        1.0,
    );
    w.sounded(
        "CCHC",
        "normal",
        local(3, 6, 0),
        1,
        ("played", None),
        60.0,
        2.0,
    );
    w.sounded(
        "CCHC",
        "normal",
        local(3, 17, 30),
        1,
        ("played", None),
        120.0,
        4.0,
    );
    // Cut by an emergency after 30 s, then played whole: one occurrence.
    w.sounded(
        "CCHC",
        "normal",
        local(4, 6, 0),
        1,
        ("interrupted", Some("emergency")),
        30.0,
        1.0,
    );
    w.sounded(
        "CCHC",
        "normal",
        local(4, 6, 0),
        2,
        ("played", None),
        60.0,
        31_000.0,
    );
    w.closed("CCHC", local(4, 17, 30), "failed", "device_error");
    w.closed("CCHC", local(5, 6, 0), "missed", "daemon_down");
    w.sounded(
        pctt,
        "emergency",
        local(5, 10, 0),
        1,
        ("played", None),
        45.0,
        10.0,
    );
    w.closed(pctt, local(6, 22, 0), "skipped", "quiet_hours");
    w.sounded(
        "CCHC",
        "normal",
        local(10, 6, 0),
        1,
        ("played", None),
        60.0,
        99.0,
    );
}

fn station() -> tempfile::TempDir {
    let st = common::station(
        "station: \"Đài truyền thanh xã Xuân Đám\"\nreport:\n  recipient: \"Phòng Văn hóa - Xã hội\"\n  prepared_by: \"Nguyễn Thị Lan\"\n  approved_by: \"Trần Quang Hướng\"\n",
    );
    known_week(st.path());
    st
}

fn report(st: &Path, args: &[&str]) -> std::process::Output {
    loa()
        .current_dir(st)
        .args(["--now", NOW, "report"])
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("{e}"))
}

#[test]
fn the_json_report_has_the_known_figures() {
    let st = station();
    let out = report(st.path(), &["--week", "2025-W10", "--format", "json"]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value =
        serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(v["period"]["from"], "2025-03-03");
    assert_eq!(v["period"]["to"], "2025-03-09");
    assert_eq!(v["integrity"]["intact"], true);
    assert_eq!(v["heading"]["station"], "Đài truyền thanh xã Xuân Đám");
    assert_eq!(v["heading"]["recipient"], "Phòng Văn hóa - Xã hội");
    let cchc = &v["by_topic"][0];
    assert_eq!(cchc["topic"], "CCHC");
    // 3 Mar ×2, 4 Mar 06:00 (cut, then played on its second attempt),
    // 4 Mar 17:30, 5 Mar 06:00.
    assert_eq!(cchc["due"], 5);
    assert_eq!(cchc["played"], 3);
    assert_eq!(cchc["interrupted"], 0);
    assert_eq!(cchc["failed"], 1);
    assert_eq!(cchc["missed"], 1);
    assert_eq!(cchc["completion_pct"], 60.0);
    assert_eq!(cchc["minutes"], 4.5);
    let pctt = &v["by_topic"][1];
    assert_eq!(pctt["topic"], "Phòng chống thiên tai");
    assert_eq!(
        (
            pctt["due"].as_u64(),
            pctt["played"].as_u64(),
            pctt["skipped"].as_u64()
        ),
        (Some(2), Some(1), Some(1))
    );
    assert_eq!(pctt["minutes"], 0.75);
    assert_eq!(v["total"]["due"], 7);
    assert_eq!(v["total"]["played"], 4);
    assert_eq!(v["total"]["completion_pct"], 57.1);
    assert_eq!(v["total"]["minutes"], 5.25);
    // First attempts only (a retry's delay is the emergency's, not the
    // clock's): 2, 4, 1, 10 ms → nearest-rank median 2, p95 10, worst 10.
    assert_eq!(v["accuracy"]["count"], 4);
    assert_eq!(v["accuracy"]["median_ms"], 2.0);
    assert_eq!(v["accuracy"]["p95_ms"], 10.0);
    assert_eq!(v["accuracy"]["worst_ms"], 10.0);
    let days = v["by_day"].as_array().cloned().unwrap_or_default();
    assert_eq!(days.len(), 7);
    assert_eq!(days[0]["minutes"], serde_json::json!([3.0, 0.0]));
    assert_eq!(days[1]["minutes"], serde_json::json!([1.5, 0.0]));
    assert_eq!(days[2]["minutes"], serde_json::json!([0.0, 0.75]));
    assert_eq!(days[6]["total"], 0.0);
    let occ = v["occurrences"].as_array().cloned().unwrap_or_default();
    assert_eq!(occ.len(), 7);
    assert_eq!(occ[0]["scheduled"], "06:00:00");
    assert_eq!(occ[0]["started"], "06:00:00.002");
    assert_eq!(occ[0]["audio_hash"][0], "abababababab");
    assert_eq!(occ[2]["outcome"], "played");
    assert_eq!(occ[2]["attempts"], 2);
    assert_eq!(occ[2]["played_s"], 90.0);
    assert_eq!(occ[3]["outcome"], "failed");
    assert_eq!(occ[3]["reason"], "device_error");
}

#[test]
fn the_text_report_is_a_table_with_header_and_signatures() {
    let st = station();
    let out = report(st.path(), &["--week", "2025-W10"]);
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8_lossy(&out.stdout);
    if std::env::var_os("LOA_SHOW").is_some() {
        println!("{text}");
    }
    assert!(
        text.contains("\n                    BÁO CÁO KẾT QUẢ PHÁT THANH\n"),
        "{text}"
    );
    assert!(text.contains("Kỳ báo cáo"));
    assert!(text.contains("2025-W10 (từ 03/03/2025 đến 09/03/2025)"));
    assert!(text.contains("Nguyên vẹn: chuỗi băm đúng từ dòng đầu đến dòng cuối (17 dòng)"));
    let cchc = text
        .lines()
        .find(|l| l.starts_with("CCHC "))
        .unwrap_or_default();
    let cells: Vec<&str> = cchc.split_whitespace().collect();
    assert_eq!(
        cells,
        ["CCHC", "5", "3", "0", "1", "1", "0", "60.0", "%", "4.50"]
    );
    // The signature block in three columns, each name under its title.
    let signs: Vec<&str> = text.lines().rev().take(6).collect();
    assert!(signs[5].trim_end().ends_with("THỦ TRƯỞNG ĐƠN VỊ"), "{text}");
    assert!(signs[4].trim_end().ends_with("(Ký, đóng dấu)"), "{text}");
    assert!(signs[0].trim_end().ends_with("Trần Quang Hướng"), "{text}");
    // English on request.
    let out = report(st.path(), &["--week", "2025-W10", "--lang", "en"]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.lines().any(|l| l.trim() == "BROADCAST REPORT"),
        "{text}"
    );
    assert!(text.contains("loa was not running"));
}

#[test]
fn without_a_period_the_report_covers_the_last_full_iso_week() {
    let st = station();
    // --now is Wednesday 12 March: the last full week is W10.
    let out = report(st.path(), &["--format", "json"]);
    let v: serde_json::Value =
        serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(v["period"]["name"], "2025-W10");
    let out = report(st.path(), &["--month", "2025-03", "--format", "json"]);
    let v: serde_json::Value =
        serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(v["total"]["due"], 9);
    let out = report(st.path(), &["--week", "2025-10"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("2025-W10"));
}

#[test]
fn the_csv_starts_with_a_bom_and_has_one_row_per_occurrence() {
    let st = station();
    let file = st.path().join("w10.csv");
    let out = report(
        st.path(),
        &["--week", "2025-W10", "--format", "csv", "-o", "w10.csv"],
    );
    assert_eq!(out.status.code(), Some(0));
    assert!(out.stdout.is_empty());
    let bytes = std::fs::read(&file).unwrap_or_default();
    assert!(bytes.starts_with(b"\xEF\xBB\xBF"), "no BOM");
    let mut r = csv::Reader::from_reader(&bytes[3..]);
    let header = r.headers().cloned().unwrap_or_default();
    assert_eq!(header.get(0), Some("Ngày"));
    assert_eq!(header.get(7), Some("Đầu ra"));
    assert_eq!(header.get(11), Some("Kết quả"));
    let rows: Vec<csv::StringRecord> = r.records().flatten().collect();
    assert_eq!(rows.len(), 7);
    assert_eq!(rows[4].get(11), Some("Bỏ lỡ"));
    // Each row names the output it was for.
    assert_eq!(rows[4].get(7), Some("thon-dong"));
    assert_eq!(rows[5].get(7), Some("trung-tam"));
    assert_eq!(rows[4].get(12), Some("loa không chạy"));
    assert_eq!(rows[5].get(6), Some("Phòng chống thiên tai"));
    assert_eq!(rows[5].get(8), Some("khẩn cấp"));
}

#[test]
fn the_xlsx_opens_with_a_summary_and_a_detail_sheet() {
    use calamine::{Data, Reader, Xlsx};
    let st = station();
    let out = report(
        st.path(),
        &["--week", "2025-W10", "--format", "xlsx", "-o", "w10.xlsx"],
    );
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let mut wb: Xlsx<_> = calamine::open_workbook(st.path().join("w10.xlsx"))
        .unwrap_or_else(|e: calamine::XlsxError| panic!("{e}"));
    assert_eq!(wb.sheet_names(), ["Tổng hợp", "Chi tiết"]);
    let sum = wb
        .worksheet_range("Tổng hợp")
        .unwrap_or_else(|e| panic!("{e}"));
    let cell = |r: usize, c: usize| sum.get((r, c)).cloned().unwrap_or(Data::Empty);
    // The letterhead (issuing body left, national name right), then the title.
    assert_eq!(
        cell(0, 0),
        Data::String("ĐÀI TRUYỀN THANH XÃ XUÂN ĐÁM".into())
    );
    assert_eq!(
        cell(0, 4),
        Data::String("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM".into())
    );
    assert_eq!(
        cell(4, 0),
        Data::String("BÁO CÁO KẾT QUẢ PHÁT THANH".into())
    );
    let row = (0..sum.height())
        .find(|r| cell(*r, 0) == Data::String("CCHC".into()))
        .unwrap_or_else(|| panic!("no CCHC row"));
    assert_eq!(cell(row, 1), Data::Float(5.0));
    assert_eq!(cell(row, 2), Data::Float(3.0));
    assert_eq!(cell(row, 7), Data::Float(60.0));
    assert_eq!(cell(row, 8), Data::Float(4.5));
    let signed = (0..sum.height())
        .any(|r| (0..9).any(|c| cell(r, c) == Data::String("Trần Quang Hướng".into())));
    assert!(signed, "no signature block");
    let detail = wb
        .worksheet_range("Chi tiết")
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(detail.height(), 8);
    assert_eq!(
        detail.get((4, 12)).cloned(),
        Some(Data::String("lỗi thiết bị âm thanh".into()))
    );
}

/// Dates and times in the detail sheet are real ones (issue 25, item 15):
/// read back by calamine, a second reader, as date-time cells holding the
/// same day and second the CSV report writes as text, in the Vietnamese
/// display formats; the duration is a number.
#[test]
fn the_xlsx_detail_dates_and_times_are_date_cells_a_second_reader_sorts() {
    use calamine::{Data, Reader, Xlsx};
    let st = station();
    for (format, file) in [("xlsx", "w10.xlsx"), ("csv", "w10.csv")] {
        let out = report(
            st.path(),
            &["--week", "2025-W10", "--format", format, "-o", file],
        );
        assert_eq!(
            out.status.code(),
            Some(0),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    let csv = std::fs::read_to_string(st.path().join("w10.csv")).unwrap_or_default();
    let mut rows = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(csv.as_bytes());
    let text: Vec<Vec<String>> = rows
        .records()
        .filter_map(Result::ok)
        .map(|r| r.iter().map(str::to_string).collect())
        .filter(|r: &Vec<String>| {
            r.first()
                .is_some_and(|d| d.len() == 10 && d.as_bytes()[4] == b'-')
        })
        .collect();
    assert_eq!(text.len(), 7, "{csv}");
    let mut wb: Xlsx<_> = calamine::open_workbook(st.path().join("w10.xlsx"))
        .unwrap_or_else(|e: calamine::XlsxError| panic!("{e}"));
    let detail = wb
        .worksheet_range("Chi tiết")
        .unwrap_or_else(|e| panic!("{e}"));
    // Days since 1899-12-30 and fractions of a day, from the CSV's text.
    let day = |d: &str| {
        let d =
            chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d").unwrap_or_else(|e| panic!("{d}: {e}"));
        let epoch = chrono::NaiveDate::from_ymd_opt(1899, 12, 30).unwrap_or_default();
        (d - epoch).num_days() as f64
    };
    let secs = |t: &str| {
        let t = chrono::NaiveTime::parse_from_str(t, "%H:%M:%S%.f")
            .unwrap_or_else(|e| panic!("{t}: {e}"));
        (t - chrono::NaiveTime::MIN).num_milliseconds() as f64 / 1000.0
    };
    let mut times = 0;
    for (i, row) in text.iter().enumerate() {
        let cell = |c: usize| detail.get((i + 1, c)).cloned().unwrap_or(Data::Empty);
        let Data::DateTime(d) = cell(0) else {
            panic!("row {i}: the date is {:?}", cell(0));
        };
        assert!(d.is_datetime());
        assert_eq!(d.as_f64(), day(&row[0]), "row {i}");
        for (c, shown) in row.iter().enumerate().take(4).skip(1) {
            match (cell(c), shown.as_str()) {
                (Data::Empty | Data::String(_), "") => {}
                (Data::DateTime(t), shown) => {
                    assert!(
                        (t.as_f64() * 86_400.0 - secs(shown)).abs() < 0.0005,
                        "row {i} col {c}: {t:?} {shown}"
                    );
                    times += 1;
                }
                (other, shown) => panic!("row {i} col {c}: {other:?} for {shown:?}"),
            }
        }
        assert!(matches!(cell(4), Data::Float(_)), "{:?}", cell(4));
    }
    assert!(times >= 7 * 2, "{times} times");
    // Shown the Vietnamese way, whatever the reader's locale.
    let file = std::fs::File::open(st.path().join("w10.xlsx")).unwrap_or_else(|e| panic!("{e}"));
    let mut zip = zip::ZipArchive::new(file).unwrap_or_else(|e| panic!("{e}"));
    let mut styles = String::new();
    std::io::Read::read_to_string(
        &mut zip
            .by_name("xl/styles.xml")
            .unwrap_or_else(|e| panic!("{e}")),
        &mut styles,
    )
    .unwrap_or_else(|e| panic!("{e}"));
    for f in ["dd/mm/yyyy", "hh:mm:ss", "hh:mm:ss.000"] {
        assert!(
            styles.contains(&format!("formatCode=\"{f}\"")),
            "{f}: {styles}"
        );
    }
}

/// The detail sheet's rows are written in the bordered cell format
/// through the column format (issue 14, `Book` in src/report/xlsx.rs):
/// every data cell still carries that one style, the header its own, and
/// no column keeps a style.
#[test]
fn every_detail_cell_of_the_xlsx_has_the_cell_style_and_no_column_a_style() {
    let st = station();
    let out = report(
        st.path(),
        &["--week", "2025-W10", "--format", "xlsx", "-o", "w10.xlsx"],
    );
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let file = std::fs::File::open(st.path().join("w10.xlsx")).unwrap_or_else(|e| panic!("{e}"));
    let mut zip = zip::ZipArchive::new(file).unwrap_or_else(|e| panic!("{e}"));
    let mut xml = String::new();
    std::io::Read::read_to_string(
        &mut zip
            .by_name("xl/worksheets/sheet2.xml")
            .unwrap_or_else(|e| panic!("{e}")),
        &mut xml,
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let cols = xml
        .split("<cols>")
        .nth(1)
        .and_then(|c| c.split("</cols>").next())
        .unwrap_or_else(|| panic!("no <cols> in {xml}"));
    assert!(!cols.contains("style="), "a column keeps a style: {cols}");
    // Each cell's column, row number and style.
    let cells: Vec<(&str, u32, Option<&str>)> = xml
        .split("<c r=\"")
        .skip(1)
        .map(|c| {
            let head = &c[..c.find('>').unwrap_or(c.len())];
            let letters = head.find(|ch: char| !ch.is_ascii_uppercase()).unwrap_or(0);
            let row = head[letters..]
                .split('"')
                .next()
                .and_then(|n| n.parse().ok())
                .unwrap_or_else(|| panic!("no row in {head}"));
            let style = head.split(" s=\"").nth(1).and_then(|s| s.split('"').next());
            (&head[..letters], row, style)
        })
        .collect();
    let header = cells.iter().find(|c| c.1 == 1).and_then(|c| c.2);
    let data: Vec<_> = cells.iter().filter(|c| c.1 > 1).collect();
    assert_eq!(data.len(), 7 * 14, "seven rows of 14 cells");
    // Every row of a column has the column's style: the bordered cell,
    // or, for the date and the three times, that cell with its format.
    let style_of = |col: &str| data.iter().find(|c| c.0 == col).and_then(|c| c.2);
    for c in &data {
        assert_eq!(c.2, style_of(c.0), "{}{}: another style", c.0, c.1);
    }
    let cell = style_of("E");
    assert!(cell.is_some() && cell != header, "{cell:?} {header:?}");
    for col in ["F", "G", "H", "I", "J", "K", "L", "M", "N"] {
        assert_eq!(style_of(col), cell, "{col}");
    }
    for col in ["A", "B", "C", "D"] {
        assert!(style_of(col).is_some() && style_of(col) != cell, "{col}");
    }
}

#[test]
fn the_html_is_self_contained_with_an_svg_chart() {
    let st = station();
    let out = report(
        st.path(),
        &["--week", "2025-W10", "--format", "html", "-o", "w10.html"],
    );
    assert_eq!(out.status.code(), Some(0));
    let html = std::fs::read_to_string(st.path().join("w10.html")).unwrap_or_default();
    assert!(html.starts_with("<!DOCTYPE html>"));
    assert!(html.contains("<svg class=\"chart\""));
    // One bar segment per day and topic with minutes: 3, 4 and 5 March.
    assert_eq!(html.matches("<rect ").count(), 3, "{html}");
    assert!(html.contains("@page { size: A4"));
    for external in ["http://", "https://", "src=", "<link", "@import", "url("] {
        assert!(!html.contains(external), "external reference: {external}");
    }
    assert!(html.contains("THỦ TRƯỞNG ĐƠN VỊ"));
}

#[test]
fn a_broken_log_still_reports_and_says_where_and_what_it_affects() {
    let st = station();
    let f = st.path().join("playlog/2025-03.jsonl");
    let text = std::fs::read_to_string(&f).unwrap_or_default();
    let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
    // Line 11 is the failed 17:30 on 4 March: make it look played.
    assert!(
        lines[10].contains("\"outcome\":\"failed\""),
        "{}",
        lines[10]
    );
    lines[10] = lines[10].replace("\"outcome\":\"failed\"", "\"outcome\":\"played\"");
    std::fs::write(&f, lines.join("\n") + "\n").unwrap_or_default();

    let out = report(st.path(), &["--week", "2025-W10", "--format", "json"]);
    assert_eq!(out.status.code(), Some(0));
    let v: serde_json::Value =
        serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(v["integrity"]["intact"], false);
    assert_eq!(v["integrity"]["first_fault"], "2025-03.jsonl:11");
    // From the edited line on: 4 Mar 17:30, 5 Mar ×2, 6 Mar.
    assert_eq!(v["integrity"]["unverified"], 4);
    assert_eq!(v["by_topic"][0]["unverified"], 2);
    assert!(String::from_utf8_lossy(&out.stderr).contains("2025-03.jsonl:11"));

    let out = report(st.path(), &["--week", "2025-W10", "--format", "html"]);
    let html = String::from_utf8_lossy(&out.stdout);
    let alert = html.find("<div class=\"alert\">").unwrap_or(usize::MAX);
    let table = html.find("<table>").unwrap_or(0);
    assert!(alert < table, "the warning must come before the figures");
    assert!(html.contains("CHUỖI BĂM BỊ ĐỨT"));
    assert!(html.contains("2025-03.jsonl:11"));
    assert_eq!(html.matches("<tr class=\"unverified\">").count(), 4 + 2);
}

/// Renders the HTML report in headless Chromium and checks the screenshot
/// shows a page: not missing, not blank.
#[test]
fn the_html_report_renders_in_chromium() {
    let st = station();
    let out = report(
        st.path(),
        &["--week", "2025-W10", "--format", "html", "-o", "w10.html"],
    );
    assert_eq!(out.status.code(), Some(0));
    let shot = st.path().join("shot.png");
    let profile = st.path().join("chromium-profile");
    common::browser::chromium(
        (794, 1123),
        &[
            format!("--user-data-dir={}", profile.display()),
            format!("--screenshot={}", shot.display()),
            format!("file://{}", st.path().join("w10.html").display()),
        ],
        st.path(),
    );
    let shot = common::browser::Shot::read(&shot);
    assert_eq!((shot.width, shot.height), (794, 1123));
    let (dark, coloured, total) = (shot.dark(), shot.coloured(), shot.total());
    assert!(
        dark * 200 > total,
        "too little text: {dark} dark pixels of {total}"
    );
    assert!(coloured > 200, "no chart bars: {coloured} coloured pixels");
}

/// A week of the shipped sample station, run in-process on the fake clock,
/// reported in every format straight from its log. Set `LOA_REPORT_OUT` to
/// a folder to keep the files for a look.
#[tokio::test(start_paused = true)]
async fn a_week_of_the_sample_station_reports_in_every_format() {
    use std::sync::Arc;
    let st = common::sample_station(|c| c.replace("device: default", "device: \"null\""));
    let config = loa::config::Config::load(&st.path().join("config.yaml"))
        .unwrap_or_else(|e| panic!("{e:?}"));
    let start = local(3, 0, 0);
    let clock = Arc::new(loa::clock::FakeClock::new(start));
    let d = loa::daemon::Daemon::start(config.clone(), loa::i18n::Lang::Vi, clock, &|_| {
        Box::new(loa::player::NullOutput::new())
    })
    .unwrap_or_else(|e| panic!("{e}"));
    d.run(async {
        tokio::time::sleep(std::time::Duration::from_secs(7 * 24 * 3600)).await;
        loa::daemon::Shutdown::Signal
    })
    .await;
    let schedules: Vec<_> = loa::station::read_all(&config)
        .into_iter()
        .filter_map(|f| f.schedule)
        .collect();
    let planned = loa::plan::occurrences(&schedules, config.timezone, start, local(10, 0, 0));
    let keep = std::env::var_os("LOA_REPORT_OUT").map(std::path::PathBuf::from);
    for (format, ext) in [
        ("text", "txt"),
        ("csv", "csv"),
        ("xlsx", "xlsx"),
        ("html", "html"),
        ("json", "json"),
    ] {
        let name = format!("w10.{ext}");
        let out = report(
            st.path(),
            &["--week", "2025-W10", "--format", format, "-o", &name],
        );
        assert_eq!(
            out.status.code(),
            Some(0),
            "{format}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let bytes = std::fs::read(st.path().join(&name)).unwrap_or_default();
        assert!(bytes.len() > 1000, "{format}: {} bytes", bytes.len());
        if let Some(dir) = &keep {
            std::fs::create_dir_all(dir).unwrap_or_default();
            std::fs::write(dir.join(&name), &bytes).unwrap_or_default();
        }
    }
    let json = std::fs::read(st.path().join("w10.json")).unwrap_or_default();
    let v: serde_json::Value = serde_json::from_slice(&json).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(v["integrity"]["intact"], true);
    assert_eq!(v["total"]["due"].as_u64(), Some(planned.len() as u64));
    assert_eq!(v["total"]["played"].as_u64(), Some(planned.len() as u64));
    assert_eq!(v["accuracy"]["count"].as_u64(), Some(planned.len() as u64));
}

fn verify(st: &Path) -> (Option<i32>, String, String) {
    let out = loa()
        .current_dir(st)
        .args(["--lang", "en", "log", "verify"])
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn log_verify_prints_the_head_or_names_the_first_bad_line() {
    let st = station();
    let f = st.path().join("playlog/2025-03.jsonl");
    let good = std::fs::read_to_string(&f).unwrap_or_default();
    let (code, stdout, _) = verify(st.path());
    assert_eq!(code, Some(0), "{stdout}");
    let last = good.lines().last().unwrap_or_default();
    assert!(stdout.contains(&format!(
        "Head hash: {}",
        loa::hash::sha256_hex(last.as_bytes())
    )));
    assert!(stdout.contains("17 line(s)"), "{stdout}");

    let lines: Vec<&str> = good.lines().collect();
    let tampered: [(&str, String, &str); 4] = [
        (
            "edit a field",
            good.replacen("\"played_s\":120.0", "\"played_s\":180.0", 1),
            "playlog/2025-03.jsonl:6: this line was edited",
        ),
        (
            "delete a line",
            [&lines[..6], &lines[7..]].concat().join("\n") + "\n",
            "playlog/2025-03.jsonl:7: 1 line(s) just before this one were removed",
        ),
        (
            "swap two lines",
            {
                let mut l = lines.clone();
                l.swap(8, 9);
                l.join("\n") + "\n"
            },
            "playlog/2025-03.jsonl:9: this line was moved",
        ),
        (
            "truncate mid-line",
            good[..good.len() - 30].to_string(),
            "playlog/2025-03.jsonl:17: the last line was cut short",
        ),
    ];
    for (what, text, expect) in tampered {
        assert_ne!(text, good, "{what}: nothing changed");
        std::fs::write(&f, &text).unwrap_or_else(|e| panic!("{e}"));
        let (code, _, stderr) = verify(st.path());
        assert_eq!(code, Some(1), "{what}: {stderr}");
        assert!(stderr.starts_with(expect), "{what}: {stderr}");
        assert!(
            stderr.contains("the first bad line is playlog/2025-03.jsonl:"),
            "{what}: {stderr}"
        );
    }
}

/// The report made as a stream (two reads of the log, rows written as
/// they come) is byte for byte the one made from the whole log in memory,
/// in every text format and both languages: rows closed out of order (a
/// missed occurrence closed later, also in the next month's file), a
/// retry, an occurrence still open at the end, two at the same time.
#[test]
fn a_streamed_report_is_the_whole_log_report_byte_for_byte() {
    use loa::report::{Format, Heading, Period};
    let st = station();
    let dir = st.path().join("playlog");
    let mut w = Writer::new(&dir);
    w.sounded(
        "Phòng chống thiên tai",
        "normal",
        local(11, 6, 0),
        1,
        ("played", None),
        50.0,
        -3.25,
    );
    w.sounded(
        "An ninh",
        "normal",
        local(11, 6, 0),
        1,
        ("played", None),
        20.0,
        0.75,
    );
    // Closed days after its time: its line comes after later rows'.
    w.closed("CCHC", local(8, 5, 0), "missed", "daemon_down");
    w.closed("CCHC", local(1, 5, 0), "missed", "daemon_down");
    // Across a month file: 31 March in March's file, then in April's the
    // 1 April broadcast and one of 30 March closed only then.
    w.sounded(
        "CCHC",
        "normal",
        local(31, 6, 0),
        1,
        ("played", None),
        30.0,
        1.5,
    );
    let april = TZ
        .with_ymd_and_hms(2025, 4, 1, 6, 0, 0)
        .single()
        .map(|t| t.with_timezone(&Utc))
        .unwrap_or_default();
    w.sounded("CCHC", "normal", april, 1, ("played", None), 30.0, 2.5);
    w.closed("An ninh", local(30, 6, 0), "missed", "daemon_down");
    let (id, d) = desc("CCHC", "normal", local(12, 6, 0));
    let start = Start {
        occ: OccurrenceInfo { id, desc: d },
        audio: vec![],
        chime: None,
        repeat: 1,
        dropped_repeats: 0,
        dropped_reason: None,
        device: "default".into(),
        output: None,
        attempt: 1,
        clock_synced: None,
        source: None,
        fallback: false,
    };
    w.log
        .append(local(12, 6, 0), loa::kinds::Event::Start, &start)
        .unwrap_or_else(|e| panic!("{e}"));
    let today = local(12, 8, 0).with_timezone(&TZ).date_naive();
    assert_eq!(loa::playlog::month_files(&dir).len(), 2);
    for (from, to) in [("2025-03-01", "2025-04-30"), ("2025-03-03", "2025-03-09")] {
        let period = Period::from_args(None, None, Some(from), Some(to), today)
            .unwrap_or_else(|e| panic!("{e}"));
        for lang in [loa::i18n::Lang::Vi, loa::i18n::Lang::En] {
            let heading = Heading {
                station: "Xuân Đám".into(),
                made_at: NOW.into(),
                ..Default::default()
            };
            let scan = loa::playlog::scan(&dir);
            let whole = loa::report::build(&scan, period.clone(), heading.clone(), lang);
            for f in [Format::Text, Format::Csv, Format::Html, Format::Json] {
                let made = loa::report::make(&dir, period.clone(), heading.clone(), lang, f)
                    .unwrap_or_else(|| panic!("an intact log streams"));
                assert_eq!(made.report.rows, whole.occurrences.len());
                let mut streamed = Vec::new();
                let book = made
                    .write(f, &mut streamed)
                    .unwrap_or_else(|e| panic!("{e}"));
                assert!(book.is_none());
                let expected = whole.render(f).unwrap_or_else(|e| panic!("{e}"));
                assert!(
                    streamed == expected,
                    "{f:?} {lang:?} {from}..{to}: streamed\n{}\nwhole\n{}",
                    String::from_utf8_lossy(&streamed),
                    String::from_utf8_lossy(&expected)
                );
            }
        }
    }
}

/// `occurrences` played ones (start + finish), four topics, from
/// 2025-01-01 on, one an hour (the same month files, however many), into
/// `dir`, written as it goes.
fn many(dir: &Path, occurrences: usize) {
    let mut w = Writer::new(dir);
    let t0 = TZ
        .with_ymd_and_hms(2025, 1, 1, 0, 0, 0)
        .single()
        .map(|t| t.with_timezone(&Utc))
        .unwrap_or_default();
    for k in 0..occurrences {
        let topic = ["CCHC", "Pháp luật", "An ninh", "Thiên tai"][k % 4];
        let (id, d) = desc(topic, "normal", t0 + TimeDelta::hours(k as i64));
        let t = t0 + TimeDelta::hours(k as i64);
        let start = Start {
            occ: OccurrenceInfo {
                id: id.clone(),
                desc: d,
            },
            audio: vec![],
            chime: None,
            repeat: 1,
            dropped_repeats: 0,
            dropped_reason: None,
            device: "default".into(),
            output: None,
            attempt: 1,
            clock_synced: None,
            source: None,
            fallback: false,
        };
        w.log.push(t, loa::kinds::Event::Start, &start);
        let f = Finish {
            id,
            info: None,
            output: None,
            outcome: loa::kinds::Outcome::Played,
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
        w.log
            .push(t + TimeDelta::seconds(96), loa::kinds::Event::Finish, &f);
        if k % 1000 == 0 {
            w.log.flush().unwrap_or_else(|e| panic!("{e}"));
        }
    }
    w.log.flush().unwrap_or_else(|e| panic!("{e}"));
}

/// Peak RSS in KiB of `loa ARGS` in `dir`, measured by GNU time around it
/// (a child's own ru_maxrss would start from this test process's peak).
fn peak_kib(dir: &Path, args: &[&str]) -> u64 {
    let out = std::process::Command::new("/usr/bin/time")
        .arg("-f")
        .arg("%M")
        .arg(env!("CARGO_BIN_EXE_loa"))
        .args(args)
        .current_dir(dir)
        .output()
        .unwrap_or_else(|e| panic!("/usr/bin/time (scripts/setup.sh installs it): {e}"));
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let err = String::from_utf8_lossy(&out.stderr);
    err.lines()
        .last()
        .and_then(|l| l.trim().parse().ok())
        .unwrap_or_else(|| panic!("no peak RSS in {err}"))
}

/// Issue 14: a report's and `log verify`'s memory does not grow with the
/// log. Three times the log (8,000 then 24,000 occurrences: 12 then 34
/// month files, 32,000 more lines) may add little; reading the whole log
/// into memory took about 4 KiB a line. The smaller log already fills the
/// read-ahead window (a few chunks of 1,024 lines), so what is compared is
/// growth, not the window filling (with 3,000 occurrences it did not, and
/// the margin was within a run's noise).
#[test]
fn report_and_verify_memory_does_not_grow_with_the_log() {
    let mut peaks = Vec::new();
    for n in [8_000, 24_000] {
        let st = common::station("station: \"Xuân Đám\"\n");
        many(&st.path().join("playlog"), n);
        let mut p = vec![peak_kib(st.path(), &["log", "verify"])];
        for f in ["text", "csv", "xlsx", "html", "json"] {
            let file = format!("r.{f}");
            p.push(peak_kib(
                st.path(),
                &[
                    "report",
                    "--from",
                    "2025-01-01",
                    "--to",
                    "2026-12-31",
                    "--format",
                    f,
                    "-o",
                    &file,
                ],
            ));
        }
        peaks.push(p);
    }
    let names = ["verify", "text", "csv", "xlsx", "html", "json"];
    for (k, name) in names.iter().enumerate() {
        let (small, big) = (peaks[0][k], peaks[1][k]);
        // 16,000 more occurrences: the checker's fingerprints take ~0.5 MiB.
        assert!(
            big < small + 6 * 1024,
            "{name}: {small} KiB with 8,000 occurrences, {big} KiB with 24,000"
        );
    }
}

/// A streamed report's rows are those of the one read that checked the
/// log (put aside in a temporary file, not read from the log again): a
/// line written since, or a line the read checked edited since, does not
/// change them, and the rows can be written more than once.
#[test]
fn a_streamed_report_reads_the_log_its_first_read_checked() {
    use loa::report::{Format, Heading, Period};
    let st = station();
    let dir = st.path().join("playlog");
    many(&dir, 3_000);
    let files = loa::playlog::month_files(&dir);
    assert!(files.len() >= 2, "{files:?}");
    let today = local(12, 8, 0).with_timezone(&TZ).date_naive();
    let period = Period::from_args(None, None, Some("2025-01-01"), Some("2025-12-31"), today)
        .unwrap_or_else(|e| panic!("{e}"));
    let heading = Heading {
        station: "Xuân Đám".into(),
        made_at: NOW.into(),
        ..Default::default()
    };
    let lang = loa::i18n::Lang::En;
    let made = loa::report::make(&dir, period, heading, lang, Format::Csv)
        .unwrap_or_else(|| panic!("an intact log streams"));
    let write = || {
        let mut out = Vec::new();
        made.write(Format::Csv, &mut out).map(|_| out)
    };
    let first = write().unwrap_or_else(|e| panic!("{e}"));
    assert!(made.report.rows >= 3_000, "{} rows", made.report.rows);
    // A line written since, even one no reader could take: not read.
    let last = files.last().unwrap_or_else(|| panic!("no month file"));
    let mut tail = std::fs::read(last).unwrap_or_else(|e| panic!("{e}"));
    tail.extend_from_slice(b"not a play log line\n");
    std::fs::write(last, &tail).unwrap_or_else(|e| panic!("{e}"));
    let again = write().unwrap_or_else(|e| panic!("{e}"));
    assert!(again == first, "the line written since changed the report");
    // One letter changed in a line of a file's second chunk, the line
    // still readable and as long: the rows stay those the read checked.
    let read = |f: &Path| std::fs::read_to_string(f).unwrap_or_else(|e| panic!("{e}"));
    let file = files
        .iter()
        .find(|f| read(f).lines().count() > 1_100)
        .unwrap_or_else(|| panic!("no month file of two chunks"));
    let text = read(file);
    let at: usize = text.split_inclusive('\n').take(1_100).map(str::len).sum();
    let k = at
        + text[at..]
            .find("\"topic\":\"CCHC\"")
            .unwrap_or_else(|| panic!("no CCHC line after line 1,100"));
    let edited = format!("{}\"topic\":\"CCHD\"{}", &text[..k], &text[k + 14..]);
    assert_eq!(edited.len(), text.len());
    std::fs::write(file, edited).unwrap_or_else(|e| panic!("{e}"));
    let after = write().unwrap_or_else(|e| panic!("{e}"));
    assert!(
        after == first,
        "the log was read again after it was checked"
    );
    assert!(
        !String::from_utf8_lossy(&first).contains("CCHD"),
        "the edited topic is in the rows"
    );
}

/// Spoken items (text-to-speech) are counted apart from recordings (SPEC
/// §6), by their share of each program's length, and a spoken item's
/// detail row shows the start of its text.
#[test]
fn spoken_minutes_are_counted_apart_and_the_row_shows_the_text() {
    let st = common::station("station: x\nlanguage: en\n");
    let dir = st.path().join("playlog");
    let mut w = Writer::new(&dir);
    // A recording alone: 120 s.
    w.sounded(
        "CCHC",
        "normal",
        local(3, 6, 0),
        1,
        ("played", None),
        120.0,
        2.0,
    );
    // A program of a 30 s recording and 60 s of speech, played whole.
    let (id, d) = desc("Tiêm phòng", "normal", local(3, 17, 0));
    let text = "UBND xã thông báo lịch tiêm phòng dại lúc 7h30 ngày 5/12/2026 tại nhà văn hóa thôn Đông, mời bà con đưa chó mèo đến đúng giờ.";
    let entry = |path: &str, length_s: f64, speech: bool| AudioEntry {
        path: path.into(),
        sha256: "cd".repeat(32),
        length_s,
        gain_db: None,
        unmeasured: false,
        speech: speech.then(|| loa::playlog::SpeechEntry {
            text: text.into(),
            engine: "espeak-ng".into(),
            voice: "vi".into(),
        }),
    };
    let start = Start {
        occ: OccurrenceInfo {
            id: id.clone(),
            desc: d,
        },
        audio: vec![
            entry("nhac-hieu.mp3", 30.0, false),
            entry("say", 60.0, true),
        ],
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
    w.log
        .append(local(3, 17, 0), loa::kinds::Event::Start, &start)
        .unwrap_or_else(|e| panic!("{e}"));
    let f = Finish {
        id,
        info: None,
        output: None,
        outcome: loa::kinds::Outcome::Played,
        reason: None,
        played_s: 90.0,
        start_error_ms: Some(1.0),
        rms_db: Some(-18.0),
        peak_db: Some(-3.0),
        detail: None,
        received_s: None,
        dropouts: None,
        silent_s: None,
    };
    w.log
        .append(local(3, 17, 2), loa::kinds::Event::Finish, &f)
        .unwrap_or_else(|e| panic!("{e}"));
    let out = report(st.path(), &["--week", "2025-W10", "--format", "json"]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap_or_default();
    // 120 + 30 s recorded, 60 s spoken.
    assert_eq!(v["by_kind"]["recorded"], 2.5, "{}", v["by_kind"]);
    assert_eq!(v["by_kind"]["spoken"], 1.0, "{}", v["by_kind"]);
    assert_eq!(v["by_kind"]["relayed"], 0.0, "{}", v["by_kind"]);
    let spoken = v["occurrences"]
        .as_array()
        .and_then(|o| o.iter().find(|o| o["topic"] == "Tiêm phòng"))
        .cloned()
        .unwrap_or_default();
    assert_eq!(spoken["spoken_s"], 60.0, "{spoken}");
    assert_eq!(spoken["text"], text, "{spoken}");
    let out = report(st.path(), &["--week", "2025-W10"]);
    let shown = String::from_utf8_lossy(&out.stdout);
    assert!(
        shown.contains("Minutes aired by kind: recorded 2.50 · spoken (TTS) 1.00 · relayed 0.00"),
        "{shown}"
    );
    assert!(
        shown.contains("say: «UBND xã thông báo lịch tiêm phòng dại lúc 7h30 ngày…»"),
        "{shown}"
    );
}

#[test]
fn relayed_minutes_are_counted_apart_per_topic_and_day_with_what_was_received() {
    let st = common::station("station: x\nlanguage: en\n");
    let dir = st.path().join("playlog");
    let mut w = Writer::new(&dir);
    // A recording: 60 s on 3 March.
    w.sounded(
        "CCHC",
        "normal",
        local(3, 6, 0),
        1,
        ("played", None),
        60.0,
        2.0,
    );
    // Relays of VOV: 30 min on 3 March (28.5 received, lost twice), 15 min
    // on 4 March; and one whose source was down by its time, so its 90 s
    // fallback recording played instead.
    let relay =
        |w: &mut Writer, day: u32, played: f64, received: f64, dropouts: u32, fallback: bool| {
            let (id, d) = desc("Thời sự", "normal", local(day, 18, 0));
            let start = Start {
                occ: OccurrenceInfo {
                    id: id.clone(),
                    desc: d,
                },
                audio: Vec::new(),
                chime: None,
                repeat: 1,
                dropped_repeats: 0,
                dropped_reason: None,
                device: "default".into(),
                output: None,
                attempt: 1,
                clock_synced: Some(true),
                source: Some("http://stream.example.vn/vov1".into()),
                fallback,
            };
            w.log
                .append(local(day, 18, 0), loa::kinds::Event::Start, &start)
                .unwrap_or_else(|e| panic!("{e}"));
            let f = Finish {
                id,
                info: None,
                output: None,
                outcome: loa::kinds::Outcome::Played,
                reason: None,
                played_s: played,
                start_error_ms: Some(1.0),
                rms_db: Some(-18.0),
                peak_db: Some(-3.0),
                detail: None,
                received_s: Some(received),
                dropouts: Some(dropouts),
                silent_s: Some(0.0),
            };
            w.log
                .append(local(day, 18, 40), loa::kinds::Event::Finish, &f)
                .unwrap_or_else(|e| panic!("{e}"));
        };
    relay(&mut w, 3, 1800.0, 1710.0, 2, false);
    relay(&mut w, 4, 900.0, 900.0, 0, false);
    relay(&mut w, 5, 90.0, 0.0, 0, true);
    let out = report(st.path(), &["--week", "2025-W10", "--format", "json"]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap_or_default();
    let k = &v["by_kind"];
    // 60 s + the 90 s fallback recorded; 45 min relayed, 43.5 received.
    assert_eq!(k["recorded"], 2.5, "{k}");
    assert_eq!(k["relayed"], 45.0, "{k}");
    assert_eq!(k["relayed_received"], 43.5, "{k}");
    let topic = |name: &str| {
        v["by_topic"]
            .as_array()
            .and_then(|t| t.iter().find(|t| t["topic"] == name))
            .cloned()
            .unwrap_or_default()
    };
    assert_eq!(topic("Thời sự")["relayed_minutes"], 45.0);
    assert_eq!(topic("Thời sự")["minutes"], 46.5);
    assert!(
        topic("CCHC").get("relayed_minutes").is_none(),
        "{}",
        topic("CCHC")
    );
    assert_eq!(v["total"]["relayed_minutes"], 45.0);
    let day = |d: &str| {
        v["by_day"]
            .as_array()
            .and_then(|t| t.iter().find(|t| t["date"] == d))
            .cloned()
            .unwrap_or_default()
    };
    assert_eq!(day("2025-03-03")["relayed"], 30.0);
    assert_eq!(day("2025-03-04")["relayed"], 15.0);
    assert!(
        day("2025-03-05").get("relayed").is_none(),
        "{}",
        day("2025-03-05")
    );
    let row = v["occurrences"]
        .as_array()
        .and_then(|o| {
            o.iter()
                .find(|o| o["date"] == "2025-03-03" && o["topic"] == "Thời sự")
        })
        .cloned()
        .unwrap_or_default();
    assert_eq!(row["source"], "http://stream.example.vn/vov1", "{row}");
    assert_eq!(row["received_s"], 1710.0, "{row}");
    let text =
        String::from_utf8_lossy(&report(st.path(), &["--week", "2025-W10"]).stdout).into_owned();
    assert!(text.contains("relayed 45.00 (with signal 43.50)"), "{text}");
    assert!(text.contains("Relayed min"), "{text}");
    for f in ["html", "xlsx", "csv"] {
        let out = report(st.path(), &["--week", "2025-W10", "--format", f]);
        assert_eq!(out.status.code(), Some(0), "{f}");
    }
    let html = String::from_utf8_lossy(
        &report(st.path(), &["--week", "2025-W10", "--format", "html"]).stdout,
    )
    .into_owned();
    assert!(html.contains("<th>Relayed min</th>"), "{html}");
    assert!(html.contains("(with signal 43.50)"), "{html}");
}

#[test]
fn a_name_or_topic_that_looks_like_a_formula_stays_text_in_csv_and_xlsx() {
    use calamine::{Data, Reader, Xlsx};
    let st = common::station("station: x\nlanguage: en\n");
    let mut w = Writer::new(&st.path().join("playlog"));
    const EVIL: &str = "=HYPERLINK(\"http://x.example\",\"bấm\")";
    for (k, topic) in [EVIL, "+84 912", "-1+1", "@SUM(A1)", "Tin thường"]
        .iter()
        .enumerate()
    {
        w.sounded(
            topic,
            "normal",
            local(3, 6, k as u32),
            1,
            ("played", None),
            30.0,
            1.0,
        );
    }
    let out = report(st.path(), &["--week", "2025-W10", "--format", "csv"]);
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    let mut rd = csv::Reader::from_reader(text.trim_start_matches('\u{feff}').as_bytes());
    let topics: Vec<String> = rd
        .records()
        .filter_map(Result::ok)
        .filter_map(|r| r.get(6).map(str::to_string))
        .collect();
    // Each starts with an apostrophe, which spreadsheets show as text.
    for t in [EVIL, "+84 912", "-1+1", "@SUM(A1)"] {
        assert!(topics.contains(&format!("'{t}")), "{t}: {topics:?}");
    }
    assert!(topics.contains(&"Tin thường".to_string()), "{topics:?}");
    assert!(
        !topics.iter().any(|t| t.starts_with(['=', '+', '-', '@'])),
        "{topics:?}"
    );
    // Numbers stay numbers: a start error of -1.0 is not quoted.
    assert!(!text.contains("'-1.0"), "{text}");
    let out = report(
        st.path(),
        &["--week", "2025-W10", "--format", "xlsx", "-o", "f.xlsx"],
    );
    assert_eq!(out.status.code(), Some(0));
    let mut wb: Xlsx<_> = calamine::open_workbook(st.path().join("f.xlsx"))
        .unwrap_or_else(|e: calamine::XlsxError| panic!("{e}"));
    for sheet in ["Summary", "Detail"] {
        let formulas = wb
            .worksheet_formula(sheet)
            .unwrap_or_else(|e| panic!("{sheet}: {e}"));
        assert!(
            formulas.used_cells().all(|(_, _, f)| f.is_empty()),
            "{sheet} holds a formula"
        );
        let range = wb.worksheet_range(sheet).unwrap_or_else(|e| panic!("{e}"));
        assert!(
            range
                .used_cells()
                .any(|(_, _, c)| *c == Data::String(EVIL.into())),
            "{sheet}: the name is not there as text"
        );
    }
}
