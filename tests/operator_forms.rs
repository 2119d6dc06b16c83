//! A station written the way its operator writes on paper (SPEC §2.2): no
//! title, "7h30", "17g15", "thứ hai", "Chủ nhật", "T7", 30/04/2025, Vietnamese
//! priorities, curly quotes. `check` passes and `next` plays exactly what
//! was meant; what stays refused says which forms are accepted.

mod common;

/// Sunday before the week the fixture plays in.
const NOW: &str = "2025-04-27T12:00:00+07:00";

/// The fixture station in a temporary folder, with its one recording.
fn operator_station() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("tempdir: {e}"));
    common::copy_dir(
        &common::repo().join("tests/fixtures/operator-station"),
        dir.path(),
    );
    let tone = common::wav(10.0, |t| 0.3 * (t * 880.0).sin());
    std::fs::create_dir_all(dir.path().join("audio")).unwrap_or_else(|e| panic!("{e}"));
    std::fs::write(dir.path().join("audio/ban-tin.wav"), tone).unwrap_or_else(|e| panic!("{e}"));
    dir
}

use common::loa_in as run;

#[test]
fn a_station_written_as_on_paper_passes_check() {
    let st = operator_station();
    let (code, stdout, stderr) = run(st.path(), &["--now", NOW, "check"]);
    assert_eq!(code, Some(0), "{stderr}");
    assert!(!stderr.contains("lỗi:"), "{stderr}");
    assert_eq!(
        stdout.lines().next(),
        Some("Hợp lệ: 2 tệp lịch, 6 bản tin, 1 tệp âm thanh."),
        "{stdout}"
    );
    // "21h30-5h" is read as quiet hours: the Sunday 21 giờ 45 falls in them.
    assert!(
        stderr.contains("Tối chủ nhật") && stderr.contains("giờ yên lặng"),
        "{stderr}"
    );
}

#[test]
fn next_plays_exactly_what_the_operator_meant() {
    let st = operator_station();
    // The command line reads a date as the files do.
    let (code, stdout, stderr) = run(
        st.path(),
        &[
            "--now",
            NOW,
            "next",
            "--json",
            "--from",
            "28/04/2025",
            "--days",
            "7",
        ],
    );
    assert_eq!(code, Some(0), "{stderr}");
    let got: Vec<(String, String, String, String)> = stdout
        .lines()
        .map(|l| {
            let v: serde_json::Value =
                serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}"));
            let s = |k: &str| v[k].as_str().unwrap_or_default().to_string();
            let conflict = v["conflict"]["with"].as_str().unwrap_or("").to_string();
            (s("time"), s("broadcast"), s("priority"), conflict)
        })
        .collect();
    let want = [
        (
            "2025-05-01T05:00:00+07:00",
            "Thể dục buổi sáng",
            "normal",
            "",
        ),
        ("2025-05-01T06:00:00+07:00", "Cảnh báo bão", "emergency", ""),
        ("2025-05-01T22:00:00+07:00", "Cảnh báo bão", "emergency", ""),
        (
            "2025-05-02T05:00:00+07:00",
            "Thể dục buổi sáng",
            "normal",
            "",
        ),
        ("2025-05-02T17:15:00+07:00", "Bản tin chiều", "priority", ""),
        ("2025-05-02T18:00:00+07:00", "Bản tin chiều", "priority", ""),
        ("2025-05-03T06:15:00+07:00", "Nhắc lịch tiêm", "normal", ""),
        ("2025-05-03T07:30:00+07:00", "Bản tin sáng", "normal", ""),
        ("2025-05-04T06:15:00+07:00", "Nhắc lịch tiêm", "normal", ""),
        (
            "2025-05-04T21:45:00+07:00",
            "Tối chủ nhật",
            "normal",
            "quiet_hours",
        ),
    ]
    .map(|(a, b, c, d)| (a.to_string(), b.to_string(), c.to_string(), d.to_string()));
    assert_eq!(got, want, "{stdout}");
    // The schedule without a title is named by its file.
    assert!(
        stdout.contains("\"schedule\":\"tuyen-truyen-thang-5.yaml\""),
        "{stdout}"
    );
}

/// What stays refused, in a schedule and on the command line, in `lang`.
fn refused(lang: &str) -> String {
    let st = operator_station();
    common::write(
        &st.path().join("schedules/sai.yaml"),
        "\
broadcasts:
  - name: Giờ thiếu số
    audio: ban-tin.wav
    at: [7h5, “25:00”]
    days: [thứ, T8]
    priority: gấp
  - name: Ngày sai
    audio: ban-tin.wav
    on: 30/04/25 7h30
    until: 31/04/2025
",
    );
    let (code, _, check) = run(st.path(), &["--lang", lang, "--now", NOW, "check"]);
    assert_eq!(code, Some(1), "{check}");
    let (code, _, next) = run(
        st.path(),
        &["--lang", lang, "--now", NOW, "next", "--from", "31/04/2025"],
    );
    assert_eq!(code, Some(2), "{next}");
    let (code, _, report) = run(
        st.path(),
        &[
            "--lang",
            lang,
            "report",
            "--from",
            "1/5/25",
            "--to",
            "31/05/2025",
        ],
    );
    assert_eq!(code, Some(2), "{report}");
    format!(
        "$ loa check\n{check}\n$ loa next --from 31/04/2025\n{next}\n$ loa report --from 1/5/25 --to 31/05/2025\n{report}"
    )
}

#[test]
fn refused_forms_name_the_accepted_ones_in_vietnamese() {
    insta::assert_snapshot!("refused_forms_vi", refused("vi"));
}

#[test]
fn refused_forms_name_the_accepted_ones_in_english() {
    insta::assert_snapshot!("refused_forms_en", refused("en"));
}
