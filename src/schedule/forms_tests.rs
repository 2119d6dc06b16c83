//! The forms operators write on paper (SPEC §2.2), accepted as meant, and
//! what stays refused.

use std::path::Path;

use chrono::{NaiveDate, NaiveTime, Weekday};

use super::*;
use crate::i18n::Msg;

fn parse_ok(file: &str, text: &str) -> Schedule {
    let (s, diags) = parse(file, Path::new(file), text);
    match s {
        Some(s) => s,
        None => panic!("expected a valid schedule, got {diags:#?}"),
    }
}

fn errors(text: &str) -> Vec<Msg> {
    let (s, diags) = parse("x.yaml", Path::new("x.yaml"), text);
    assert!(s.is_none(), "expected errors in {text}");
    diags.into_iter().map(|d| d.msg).collect()
}

/// Every weekday in the order chrono counts them, Monday first.
const WEEK: [Weekday; 7] = [
    Weekday::Mon,
    Weekday::Tue,
    Weekday::Wed,
    Weekday::Thu,
    Weekday::Fri,
    Weekday::Sat,
    Weekday::Sun,
];

fn days_of(d: Days) -> Vec<Weekday> {
    WEEK.into_iter().filter(|w| d.contains(*w)).collect()
}

#[test]
fn day_words_in_both_languages_any_case_and_form() {
    use Weekday::*;
    let nfd = "thu\u{31b}\u{301} hai"; // thứ hai, decomposed
    let cases: [(&str, &[Weekday]); 34] = [
        ("mon", &[Mon]),
        ("Monday", &[Mon]),
        ("T2", &[Mon]),
        ("t3", &[Tue]),
        ("thứ hai", &[Mon]),
        ("Thứ Hai", &[Mon]),
        ("THỨ HAI", &[Mon]),
        (nfd, &[Mon]),
        ("thứ  ba", &[Tue]),
        ("thứ tư", &[Wed]),
        ("Thứ 4", &[Wed]),
        ("thứ năm", &[Thu]),
        ("thứ sáu", &[Fri]),
        ("thứ 6", &[Fri]),
        ("thứ bảy", &[Sat]),
        ("Thứ Bảy", &[Sat]),
        ("thứ bẩy", &[Sat]),
        ("T7", &[Sat]),
        ("thứ 7", &[Sat]),
        ("CN", &[Sun]),
        ("Chủ nhật", &[Sun]),
        ("CHỦ NHẬT", &[Sun]),
        ("chu\u{309} nha\u{323}\u{302}t", &[Sun]),
        ("sun", &[Sun]),
        ("“T7”", &[Sat]),
        ("daily", &[Mon, Tue, Wed, Thu, Fri, Sat, Sun]),
        ("hằng ngày", &[Mon, Tue, Wed, Thu, Fri, Sat, Sun]),
        ("Hàng ngày", &[Mon, Tue, Wed, Thu, Fri, Sat, Sun]),
        ("weekdays", &[Mon, Tue, Wed, Thu, Fri]),
        ("ngày thường", &[Mon, Tue, Wed, Thu, Fri]),
        ("Ngày Thường", &[Mon, Tue, Wed, Thu, Fri]),
        ("weekends", &[Sat, Sun]),
        ("cuối tuần", &[Sat, Sun]),
        ("Cuối Tuần", &[Sat, Sun]),
    ];
    for (s, want) in cases {
        let got = Days::parse_word(s).map(days_of);
        assert_eq!(got.as_deref(), Some(want), "{s:?}");
    }
    for bad in [
        "",
        "thứ",
        "thứ một",
        "thứ 1",
        "thứ 8",
        "T8",
        "T1",
        "chủ",
        "monday,",
        "hai",
        "mon wed",
        "thu hai",
        "ngày",
    ] {
        assert_eq!(Days::parse_word(bad).map(days_of), None, "{bad:?}");
    }
}

#[test]
fn title_defaults_to_the_file_name() {
    let body = "broadcasts:\n  - name: a\n    audio: a.mp3\n    at: 7h\n";
    for (file, title) in [
        ("ban-tin-sang.yaml", "ban-tin-sang"),
        ("Bản tin.yml", "Bản tin"),
    ] {
        assert_eq!(parse_ok(file, body).title, title, "{file}");
    }
    let empty = format!("title: \"\"\n{body}");
    assert_eq!(parse_ok("x.yaml", &empty).title, "x");
    let given = format!("title: Lịch phát\n{body}");
    assert_eq!(parse_ok("x.yaml", &given).title, "Lịch phát");
}

#[test]
fn a_file_written_as_on_paper() {
    let text = "\
from: 01/03/2025
until: 31/12/2025
except: [30/04/2025, 2025-05-01, 2/9/2025]
approved_by: Trần Văn A
approved_on: 20/02/2025
priority: Ưu tiên
broadcasts:
  - name: Sáng
    audio: “a.mp3”
    at: [7h30, 17g15, “18:00”, ‘6:15’, 7 giờ 45]
    days: [thứ hai, Chủ nhật, T7]
  - name: Khẩn
    audio: a.mp3
    on: [30/04/2025 7h30, „2025-05-02 06:00“]
    priority: KHẨN CẤP
  - name: Thường
    audio: a.mp3
    at: 6:00
    priority: thường
    from: 5/3/2025
";
    let s = parse_ok("x.yaml", text);
    let d = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default();
    let t = |h, m| NaiveTime::from_hms_opt(h, m, 0).unwrap_or_default();
    assert_eq!(s.approved_on, Some(d(2025, 2, 20)));
    let [a, b, c] = s.broadcasts.as_slice() else {
        panic!("three broadcasts expected")
    };
    assert_eq!(
        (a.from, a.until),
        (Some(d(2025, 3, 1)), Some(d(2025, 12, 31)))
    );
    assert_eq!(
        a.except.iter().copied().collect::<Vec<_>>(),
        [d(2025, 4, 30), d(2025, 5, 1), d(2025, 9, 2)]
    );
    assert_eq!(a.audio[0].path, "a.mp3");
    assert_eq!(a.priority, Priority::Priority);
    let When::At { times, days } = &a.when else {
        panic!("at expected")
    };
    assert_eq!(times, &[t(6, 15), t(7, 30), t(7, 45), t(17, 15), t(18, 0)]);
    assert_eq!(days_of(*days), [Weekday::Mon, Weekday::Sat, Weekday::Sun]);
    assert_eq!(b.priority, Priority::Emergency);
    let When::On(list) = &b.when else {
        panic!("on expected")
    };
    assert_eq!(
        list,
        &[
            d(2025, 4, 30).and_time(t(7, 30)),
            d(2025, 5, 2).and_time(t(6, 0))
        ]
    );
    assert_eq!(
        (c.priority, c.from),
        (Priority::Normal, Some(d(2025, 3, 5)))
    );
}

#[test]
fn refused_forms_stay_refused() {
    let cases = [
        (
            "at: 7h5",
            Msg::BadTime {
                value: "7h5".into(),
            },
        ),
        (
            "at: “25:00”",
            Msg::BadTime {
                value: "25:00".into(),
            },
        ),
        (
            "at: 7h\n    days: thứ",
            Msg::BadDay {
                value: "thứ".into(),
            },
        ),
        (
            "on: 30/04/25 7h30",
            Msg::BadDateTime {
                value: "30/04/25 7h30".into(),
            },
        ),
        (
            "at: 7h\n    until: 31/04/2025",
            Msg::BadDate {
                value: "31/04/2025".into(),
            },
        ),
        (
            "at: 7h\n    priority: gấp",
            Msg::BadPriority {
                value: "gấp".into(),
            },
        ),
    ];
    for (line, want) in cases {
        let text = format!("broadcasts:\n  - name: a\n    audio: a.mp3\n    {line}\n");
        assert_eq!(errors(&text), [want], "{line}");
    }
}
