//! Issue 13, the "official form" of `loa report`: the letterhead and date
//! line of an administrative document, times as people write them, no
//! "-0.00", the clock's synchronisation in the integrity block, each day
//! against the station's `limits`, and an HTML detail table that prints on
//! A4 without breaking dates and hashes. Through the real binary.

mod common;

use std::path::Path;

use assert_cmd::Command;
use chrono::{DateTime, TimeDelta, TimeZone, Utc};
use chrono_tz::Tz;
use loa::playlog::{
    AudioEntry, Description, Finish, LogState, OccurrenceInfo, PlayLog, Start, read_state,
};

const TZ: Tz = chrono_tz::Asia::Ho_Chi_Minh;
/// A day under 10 in a month under 3: both written with a leading zero.
const NOW: &str = "2025-02-05T07:52:09+07:00";

fn local(d: u32, h: u32, m: u32) -> DateTime<Utc> {
    TZ.with_ymd_and_hms(2025, 2, d, h, m, 0)
        .single()
        .map(|t| t.with_timezone(&Utc))
        .unwrap_or_default()
}

/// One broadcast as the daemon logs it.
struct Aired<'a> {
    topic: &'a str,
    at: DateTime<Utc>,
    played_s: f64,
    err_ms: f64,
    clock_synced: Option<bool>,
    audio: Vec<(&'a str, String)>,
}

impl<'a> Aired<'a> {
    fn new(topic: &'a str, at: DateTime<Utc>, played_s: f64) -> Aired<'a> {
        Aired {
            topic,
            at,
            played_s,
            err_ms: 1.0,
            clock_synced: Some(true),
            audio: vec![("cchc/tin.mp3", "ab".repeat(32))],
        }
    }
}

fn air(dir: &Path, items: &[Aired]) {
    let st: LogState = read_state(dir, true).unwrap_or_else(|e| panic!("{e}"));
    let mut log = PlayLog::new(dir, TZ, &st);
    for a in items {
        let scheduled =
            a.at.with_timezone(&TZ)
                .to_rfc3339_opts(chrono::SecondsFormat::Secs, false);
        let name = format!("Bản tin {}", a.topic);
        let id = format!("tuan.yaml#{name}@{scheduled}");
        let start = Start {
            occ: OccurrenceInfo {
                id: id.clone(),
                desc: Description {
                    schedule: "tuan.yaml".into(),
                    broadcast: name,
                    topic: a.topic.into(),
                    priority: loa::kinds::Priority::default(),
                    scheduled,
                    approved_by: None,
                },
            },
            audio: a
                .audio
                .iter()
                .map(|(path, sha)| AudioEntry {
                    path: (*path).into(),
                    sha256: sha.clone(),
                    length_s: a.played_s / a.audio.len() as f64,
                    gain_db: None,
                    unmeasured: false,
                    speech: None,
                })
                .collect(),
            chime: None,
            repeat: 1,
            dropped_repeats: 0,
            dropped_reason: None,
            device: "default".into(),
            output: Some("trung-tam".into()),
            attempt: 1,
            clock_synced: a.clock_synced,
            source: None,
            fallback: false,
        };
        let at = a.at + TimeDelta::microseconds((a.err_ms * 1000.0) as i64);
        log.append(at, loa::kinds::Event::Start, &start)
            .unwrap_or_else(|e| panic!("{e}"));
        let f = Finish {
            id,
            info: None,
            output: None,
            outcome: loa::kinds::Outcome::Played,
            reason: None,
            played_s: a.played_s,
            start_error_ms: Some(a.err_ms),
            rms_db: None,
            peak_db: None,
            detail: None,
            received_s: None,
            dropouts: None,
            silent_s: None,
        };
        let end = at + TimeDelta::milliseconds((a.played_s * 1000.0) as i64);
        log.append(end, loa::kinds::Event::Finish, &f)
            .unwrap_or_else(|e| panic!("{e}"));
    }
}

const CONFIG: &str = "station: \"Đài truyền thanh xã Xuân Đám\"\nreport:\n  recipient: \"Phòng Văn hóa - Xã hội\"\n  place: \"Xuân Đám\"\n  prepared_by: \"Nguyễn Thị Lan\"\n  approved_by: \"Trần Quang Hướng\"\n";

/// A station with `config` and a first week of February 2025 on air.
fn station(config: &str, items: &[Aired]) -> tempfile::TempDir {
    let st = common::station(config);
    air(&st.path().join("playlog"), items);
    st
}

fn report(st: &Path, args: &[&str]) -> String {
    let out = Command::cargo_bin("loa")
        .unwrap_or_else(|e| panic!("{e}"))
        .current_dir(st)
        .args([
            "--now",
            NOW,
            "report",
            "--from",
            "2025-02-01",
            "--to",
            "2025-02-04",
        ])
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        out.status.code(),
        Some(0),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap_or_else(|e| panic!("{e}"))
}

/// Every cell of the xlsx report's summary sheet that holds text.
fn xlsx_summary(st: &Path) -> Vec<String> {
    use calamine::{Data, Reader, Xlsx};
    report(st, &["--format", "xlsx", "-o", "r.xlsx"]);
    let mut wb: Xlsx<_> = calamine::open_workbook(st.join("r.xlsx"))
        .unwrap_or_else(|e: calamine::XlsxError| panic!("{e}"));
    let sheet = wb.sheet_names()[0].clone();
    let sum = wb.worksheet_range(&sheet).unwrap_or_else(|e| panic!("{e}"));
    sum.cells()
        .filter_map(|(_, _, c)| match c {
            Data::String(s) => Some(s.clone()),
            _ => None,
        })
        .collect()
}

fn json(st: &Path) -> serde_json::Value {
    serde_json::from_str(&report(st, &["--format", "json"])).unwrap_or_else(|e| panic!("{e}"))
}

/// The text report's letterhead, title and header block (up to the first
/// table), and its signature block.
fn head_and_signatures(text: &str) -> String {
    let head_end = text
        .find("\nTheo lĩnh vực\n")
        .or_else(|| text.find("\nBy topic\n"))
        .unwrap_or_else(|| panic!("no first table in\n{text}"));
    let signs = text
        .rfind("NGƯỜI LẬP BIỂU")
        .or_else(|| text.rfind("PREPARED BY"))
        .unwrap_or_else(|| panic!("no signatures in\n{text}"));
    let tail = text[..signs].rfind('\n').unwrap_or(signs);
    format!("{}\n[…]\n{}", &text[..head_end], &text[tail..])
}

#[test]
fn the_text_report_has_the_letterhead_date_line_and_signatures_of_an_official_report() {
    let st = station(
        CONFIG,
        &[
            Aired::new("CCHC", local(3, 6, 0), 60.0),
            Aired::new("CCHC", local(4, 17, 30), 90.0),
        ],
    );
    let vi = report(st.path(), &[]);
    insta::assert_snapshot!("text_head_vi", head_and_signatures(&vi));
    let en = report(st.path(), &["--lang", "en"]);
    insta::assert_snapshot!("text_head_en", head_and_signatures(&en));
    // Made at: as people write it, not RFC 3339.
    assert!(vi.contains("07:52 ngày 05/02/2025"), "{vi}");
    assert!(!vi.contains(NOW) && !en.contains(NOW), "{vi}\n{en}");
    // Without a place, the date line is the date alone, in every format
    // but CSV (rows only) and JSON (data: heading.made_at).
    let bare = station(&CONFIG.replace("  place: \"Xuân Đám\"\n", ""), &[]);
    let text = report(bare.path(), &[]);
    let line = text
        .lines()
        .find(|l| l.contains("Số: ……/BC-ĐTT"))
        .unwrap_or_else(|| panic!("no number line in\n{text}"));
    assert!(
        line.trim_end().ends_with("    Ngày 05 tháng 02 năm 2025"),
        "{line}"
    );
    let html = report(bare.path(), &["--format", "html"]);
    assert!(
        html.contains("<span class=\"date\">Ngày 05 tháng 02 năm 2025</span>"),
        "{html}"
    );
    let html = report(st.path(), &["--format", "html", "--lang", "en"]);
    assert!(
        html.contains("<span class=\"date\">Xuân Đám, 5 February 2025</span>"),
        "{html}"
    );
    let xlsx = xlsx_summary(st.path());
    assert!(
        xlsx.iter()
            .any(|c| c == "Xuân Đám, ngày 05 tháng 02 năm 2025"),
        "{xlsx:?}"
    );
    assert!(xlsx.iter().any(|c| c == "Số: ……/BC-ĐTT"), "{xlsx:?}");
    assert!(
        xlsx.iter().any(|c| c == "07:52 ngày 05/02/2025"),
        "{xlsx:?}"
    );
}

#[test]
fn no_number_is_written_as_negative_zero() {
    // A first sample 0.001 ms early, and another 0.04 ms early: errors
    // that round to zero at the one or two decimals shown.
    let mut early = Aired::new("CCHC", local(3, 6, 0), 60.0);
    early.err_ms = -0.001;
    let mut earlier = Aired::new("CCHC", local(3, 7, 0), 60.0);
    earlier.err_ms = -0.04;
    let st = station(CONFIG, &[early, earlier]);
    let v = json(st.path());
    // The figures keep their sign as data.
    assert_eq!(v["accuracy"]["worst_ms"], -0.04);
    assert_eq!(v["accuracy"]["median_ms"], -0.04);
    for lang in ["vi", "en"] {
        for format in ["text", "html"] {
            let out = report(st.path(), &["--format", format, "--lang", lang]);
            assert!(!out.contains("-0.0"), "{format} {lang}: -0.0 in\n{out}");
            assert!(!out.contains("−0.0"), "{format} {lang}: −0.0 in\n{out}");
        }
    }
    let text = report(st.path(), &[]);
    assert!(text.contains("Trung vị: 0.0 ms"), "{text}");
}

#[test]
fn broadcasts_on_an_unsynchronised_clock_are_counted_in_the_integrity_block() {
    let mut items: Vec<Aired> = (0..4)
        .map(|k| Aired::new("CCHC", local(1 + k, 6, 0), 30.0))
        .collect();
    items[0].clock_synced = Some(false);
    items[2].clock_synced = Some(false);
    items[3].clock_synced = None;
    let st = station(CONFIG, &items);
    let v = json(st.path());
    assert_eq!(v["integrity"]["unsynced_starts"], 2);
    assert_eq!(v["integrity"]["unrecorded_clock_starts"], 1);
    let occ = v["occurrences"].as_array().cloned().unwrap_or_default();
    let flagged: Vec<u64> = occ
        .iter()
        .map(|o| o["unsynced_starts"].as_u64().unwrap_or(0))
        .collect();
    assert_eq!(flagged, [1, 0, 1, 0]);
    let text = report(st.path(), &[]);
    let line = text
        .lines()
        .find(|l| l.starts_with("Đồng hồ hệ thống"))
        .unwrap_or_else(|| panic!("no clock line in\n{text}"));
    assert!(
        line.ends_with("2 lượt phát khi đồng hồ CHƯA ĐỒNG BỘ (giờ ghi trong nhật ký của các lượt này có thể sai); 1 lượt phát không rõ trạng thái đồng bộ (không ghi nhận được, hoặc nhật ký cũ)"),
        "{line}"
    );
    let en = report(st.path(), &["--lang", "en"]);
    assert!(
        en.contains("2 broadcasts aired on an UNSYNCHRONISED clock"),
        "{en}"
    );
    let html = report(st.path(), &["--format", "html"]);
    assert!(
        html.contains("2 lượt phát khi đồng hồ CHƯA ĐỒNG BỘ"),
        "{html}"
    );
    let xlsx = xlsx_summary(st.path());
    assert!(
        xlsx.iter()
            .any(|c| c.starts_with("2 lượt phát khi đồng hồ CHƯA ĐỒNG BỘ")),
        "{xlsx:?}"
    );
    // CSV: the rows say it, one column each.
    let csv = report(st.path(), &["--format", "csv"]);
    let last: Vec<&str> = csv
        .lines()
        .map(|l| l.rsplit(',').next().unwrap_or(""))
        .collect();
    assert_eq!(last, ["Đồng hồ đã đồng bộ", "KHÔNG", "có", "KHÔNG", ""]);

    // All synchronised: said so, and no count of unrecorded ones.
    let st = station(CONFIG, &[Aired::new("CCHC", local(3, 6, 0), 30.0)]);
    let v = json(st.path());
    assert_eq!(v["integrity"]["unsynced_starts"], 0);
    assert_eq!(v["integrity"]["unrecorded_clock_starts"], 0);
    let text = report(st.path(), &[]);
    assert!(
        text.lines()
            .any(|l| l.starts_with("Đồng hồ hệ thống")
                && l.ends_with("  đã đồng bộ ở mọi lượt phát")),
        "{text}"
    );
}

#[test]
fn each_day_is_held_against_the_limits() {
    let items = [
        // 3 Feb: 3 + 1.5 minutes in one session: over 4 minutes.
        Aired::new("CCHC", local(3, 6, 0), 180.0),
        Aired::new("Pháp luật", local(3, 6, 10), 90.0),
        // 4 Feb: 2 minutes in two sessions: meets both.
        Aired::new("CCHC", local(4, 6, 0), 60.0),
        Aired::new("CCHC", local(4, 17, 0), 60.0),
    ];
    let config = format!("{CONFIG}limits:\n  max_minutes_per_day: 4\n  max_sessions_per_day: 2\n");
    let st = station(&config, &items);
    let v = json(st.path());
    assert_eq!(
        v["heading"]["limits"],
        serde_json::json!({"max_minutes_per_day": 4, "max_sessions_per_day": 2})
    );
    let days = v["by_day"].as_array().cloned().unwrap_or_default();
    let got: Vec<serde_json::Value> = days
        .iter()
        .map(|d| serde_json::json!([d["date"], d["total"], d["sessions"], d["limits_broken"]]))
        .collect();
    assert_eq!(
        got,
        [
            serde_json::json!(["2025-02-01", 0.0, 0, []]),
            serde_json::json!(["2025-02-02", 0.0, 0, []]),
            serde_json::json!([
                "2025-02-03",
                4.5,
                1,
                [{"limit": "max_minutes_per_day", "allowed": 4, "actual": 4.5, "output": "trung-tam"}]
            ]),
            serde_json::json!(["2025-02-04", 2.0, 2, []]),
        ]
    );
    let text = report(st.path(), &[]);
    let line = |day: &str| {
        text.lines()
            .find(|l| l.contains(day))
            .unwrap_or_else(|| panic!("no {day} in\n{text}"))
            .to_string()
    };
    assert!(
        line("T2 03/02/2025").ends_with("1  ✘ vượt 4 phút (4.5) [trung-tam]"),
        "{}",
        line("T2 03/02/2025")
    );
    assert!(
        line("T3 04/02/2025").ends_with("2  đạt"),
        "{}",
        line("T3 04/02/2025")
    );
    let html = report(st.path(), &["--format", "html"]);
    assert_eq!(html.matches("<tr class=\"broken\">").count(), 1, "{html}");
    assert!(html.contains("✘ vượt 4 phút (4.5) [trung-tam]"), "{html}");

    let xlsx = xlsx_summary(st.path());
    let marks: Vec<&String> = xlsx.iter().filter(|c| c.starts_with("✘")).collect();
    assert_eq!(marks, ["✘ vượt 4 phút (4.5) [trung-tam]"], "{xlsx:?}");
    // A day short of the minimum is marked too, except the day the report
    // is made (not over yet).
    let short = format!("{CONFIG}limits:\n  min_minutes_per_day: 3\n");
    let st = station(&short, &items);
    let out = Command::cargo_bin("loa")
        .unwrap_or_else(|e| panic!("{e}"))
        .current_dir(st.path())
        .args([
            "--now",
            "2025-02-04T20:00:00+07:00",
            "report",
            "--format",
            "json",
        ])
        .args(["--from", "2025-02-03", "--to", "2025-02-04"])
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    let v: serde_json::Value =
        serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(v["by_day"][0]["limits_broken"], serde_json::json!([]));
    assert_eq!(v["by_day"][1]["limits_broken"], serde_json::json!([]));
    let v = json(st.path());
    assert_eq!(
        v["by_day"][3]["limits_broken"][0]["limit"],
        "min_minutes_per_day"
    );

    // Without limits: the days as before, no sessions, no verdict.
    let st = station(CONFIG, &items);
    let v = json(st.path());
    assert!(v["by_day"][3].get("sessions").is_none(), "{v}");
    assert!(v["by_day"][3].get("limits_broken").is_none(), "{v}");
    assert!(v["heading"].get("limits").is_none(), "{v}");
    assert!(!report(st.path(), &[]).contains("đạt"));
}

/// Chromium lays the page out at A4's printable width and reports, for the
/// detail table's date, time and hash cells, any that wrap or overflow, and
/// whether the table fits the page; then prints the page to PDF.
#[test]
fn the_html_detail_table_keeps_dates_and_hashes_whole_and_prints_on_a4() {
    let mut items = Vec::new();
    for k in 0..6 {
        let mut a = Aired::new(
            "Phòng chống thiên tai",
            local(1 + k / 2, 6 + 10 * (k % 2), 0),
            300.0,
        );
        a.audio = vec![
            (
                "thien-tai/canh-bao-bao-so-3-va-mua-lon-dien-rong-tai-cac-thon-ven-song.mp3",
                "0123456789abcdef".repeat(4),
            ),
            (
                "cchc/tin-bo-sung-cua-uy-ban-nhan-dan-xa.mp3",
                "fe".repeat(32),
            ),
        ];
        items.push(a);
    }
    let st = station(CONFIG, &items);
    let html = report(st.path(), &["--format", "html"]);
    assert!(
        html.contains("table.detail td.nw, td.nw { white-space: nowrap;"),
        "no nowrap rule"
    );
    assert!(html.contains("<td class=\"nw\">01/02/2025</td>"), "{html}");
    assert!(
        html.contains("<td class=\"hash nw\">0123456789ab<br>fefefefefefe</td>"),
        "{html}"
    );
    // The page with a script that measures it, at the printable width of
    // A4 (210 mm less the @page margins of 12 mm a side: 186 mm).
    let probe = "<script>
const cells = [...document.querySelectorAll('table.detail td.nw')];
const wrapped = cells.filter(td => {
  const r = document.createRange(); r.selectNodeContents(td);
  const lines = new Set([...r.getClientRects()].map(x => Math.round(x.top)));
  return lines.size !== td.querySelectorAll('br').length + 1 || td.scrollWidth > td.clientWidth + 1;
}).map(td => td.textContent);
const t = document.querySelector('table.detail').getBoundingClientRect().width;
const body = document.body.getBoundingClientRect().width;
document.title = 'PROBE ' + JSON.stringify({cells: cells.length, wrapped, fits: t <= body + 0.5});
</script></body>";
    let probed = html.replace("</body>", probe);
    std::fs::write(st.path().join("probe.html"), probed).unwrap_or_else(|e| panic!("{e}"));
    std::fs::write(st.path().join("r.html"), &html).unwrap_or_else(|e| panic!("{e}"));
    let a4_px = (186.0_f64 / 25.4 * 96.0).round() as u32;
    let dom = common::browser::chromium(
        (a4_px, 1123),
        &[
            format!(
                "--user-data-dir={}",
                st.path().join("chromium-probe").display()
            ),
            "--dump-dom".into(),
            format!("file://{}", st.path().join("probe.html").display()),
        ],
        st.path(),
    );
    let probe = dom
        .split("<title>PROBE ")
        .nth(1)
        .and_then(|x| x.split("</title>").next())
        .unwrap_or_else(|| panic!("the probe did not run:\n{dom}"))
        .replace("&quot;", "\"");
    let probe: serde_json::Value =
        serde_json::from_str(&probe).unwrap_or_else(|e| panic!("{e}: {probe}"));
    // Date, scheduled, started, ended and hash of each of the 6 rows.
    assert_eq!(probe["cells"], 6 * 5, "{probe}");
    assert_eq!(probe["wrapped"], serde_json::json!([]), "{probe}");
    assert_eq!(probe["fits"], true, "{probe}");
    // And chromium prints it to PDF, on A4.
    let pdf = st.path().join("r.pdf");
    common::browser::chromium(
        (794, 1123),
        &[
            format!(
                "--user-data-dir={}",
                st.path().join("chromium-print").display()
            ),
            "--no-pdf-header-footer".into(),
            format!("--print-to-pdf={}", pdf.display()),
            format!("file://{}", st.path().join("r.html").display()),
        ],
        st.path(),
    );
    let bytes = std::fs::read(&pdf).unwrap_or_else(|e| panic!("no PDF: {e}"));
    assert!(bytes.starts_with(b"%PDF-"), "not a PDF");
    let text = String::from_utf8_lossy(&bytes);
    // Pages of A4: 595 × 842 points (chromium writes 594.96 × 841.92).
    let pages = text.matches("/Type /Page").count() - text.matches("/Type /Pages").count();
    let a4 = text.matches("/MediaBox [0 0 594.9").count();
    assert!(pages >= 1 && a4 == pages, "{pages} pages, {a4} of them A4");
}

/// A log whose starts could not tell whether the clock was synchronised
/// (the daemon under a sandbox that forbids asking the kernel, before loa
/// asked systemd-timesyncd instead) is never reported as synchronised.
#[test]
fn starts_that_do_not_say_are_unknown_never_synchronised() {
    let mut items: Vec<Aired> = (0..3)
        .map(|k| Aired::new("CCHC", local(1 + k, 6, 0), 30.0))
        .collect();
    for a in &mut items {
        a.clock_synced = None;
    }
    let st = station(CONFIG, &items);
    for (args, want, never) in [
        (&[][..], "không rõ ở cả 3 lượt phát", "đã đồng bộ"),
        (
            &["--lang", "en"][..],
            "unknown for all 3 broadcasts",
            "synchronised for",
        ),
    ] {
        let text = report(st.path(), args);
        let line = text
            .lines()
            .find(|l| l.contains(want))
            .unwrap_or_else(|| panic!("no {want:?} in\n{text}"));
        assert!(!line.contains(never), "{line}");
    }
    items[0].clock_synced = Some(true);
    let st = station(CONFIG, &items);
    let text = report(st.path(), &[]);
    assert!(
        text.contains("đã đồng bộ ở 1 lượt phát; 2 lượt phát không rõ"),
        "{text}"
    );
}
