//! The forms of times, dates and durations, accepted and refused.
use super::*;

#[test]
fn times() {
    let ok = [
        ("06:15", (6, 15, 0)),
        ("6:15", (6, 15, 0)),
        ("23:59:59", (23, 59, 59)),
        ("06:15:30", (6, 15, 30)),
        ("00:00", (0, 0, 0)),
        ("7h30", (7, 30, 0)),
        ("07h30", (7, 30, 0)),
        ("7H30", (7, 30, 0)),
        ("7h", (7, 0, 0)),
        ("17g15", (17, 15, 0)),
        ("17G", (17, 0, 0)),
        ("0h00", (0, 0, 0)),
        ("7 giờ 30", (7, 30, 0)),
        ("7 giờ", (7, 0, 0)),
        ("7 GIỜ 30 phút", (7, 30, 0)),
        ("7 gio\u{300}\u{31b} 30", (7, 30, 0)),
        ("7 h 30", (7, 30, 0)),
        ("“17:30”", (17, 30, 0)),
        ("‘7h30’", (7, 30, 0)),
        (" 6:15 ", (6, 15, 0)),
    ];
    for (s, (h, m, sec)) in ok {
        assert_eq!(parse_time(s), NaiveTime::from_hms_opt(h, m, sec), "{s}");
    }
    for bad in [
        "25:00",
        "24:00",
        "24h",
        "06:60",
        "7h60",
        "7h5",
        "7h300",
        "h30",
        "7h30:15",
        "7h30m",
        "0615",
        "615",
        "06:5",
        "06:15:7",
        "",
        "a:b",
        "06:15:00:00",
        "7 giờ chiều",
        "bảy giờ",
        "1h30m",
    ] {
        assert_eq!(parse_time(bad), None, "{bad}");
    }
}

#[test]
fn dates() {
    let ok = [
        ("2025-04-30", (2025, 4, 30)),
        ("2025-4-3", (2025, 4, 3)),
        ("30/04/2025", (2025, 4, 30)),
        ("5/9/2025", (2025, 9, 5)),
        ("05/09/2025", (2025, 9, 5)),
        ("30-04-2025", (2025, 4, 30)),
        ("29/02/2024", (2024, 2, 29)),
        ("“30/04/2025”", (2025, 4, 30)),
    ];
    for (s, (y, m, d)) in ok {
        assert_eq!(parse_date(s), NaiveDate::from_ymd_opt(y, m, d), "{s}");
    }
    for bad in [
        "",
        "30/04/25",
        "2025/04",
        "31/04/2025",
        "29/02/2025",
        "2025-02-30",
        "04/30/2025",
        "30/04-2025",
        "2025-04-30-1",
        "30.04.2025",
        "ngày 30/04/2025",
        "+2025-04-30",
        "2025-004-30",
    ] {
        assert_eq!(parse_date(bad), None, "{bad}");
    }
}

#[test]
fn durations() {
    let cases = [
        ("2s", 2_000),
        ("500ms", 500),
        ("10m", 600_000),
        ("1h30m", 5_400_000),
        ("90", 90_000),
        ("1.5s", 1_500),
        ("0s", 0),
    ];
    for (s, ms) in cases {
        assert_eq!(parse_duration(s), Some(Duration::from_millis(ms)), "{s}");
    }
    for bad in ["", "10x", "m", "-1s", "ten minutes"] {
        assert_eq!(parse_duration(bad), None, "{bad}");
    }
}

#[test]
fn ranges_wrap_midnight() {
    let r = TimeRange::parse("21:30-05:00").unwrap_or_else(|| panic!("parse"));
    let t = |h, m| NaiveTime::from_hms_opt(h, m, 0).unwrap_or_default();
    assert!(r.contains(t(21, 30)));
    assert!(r.contains(t(23, 0)));
    assert!(r.contains(t(4, 59)));
    assert!(!r.contains(t(5, 0)));
    assert!(!r.contains(t(12, 0)));
    let day = TimeRange::parse("12:00-13:00").unwrap_or_else(|| panic!("parse"));
    assert!(day.contains(t(12, 30)) && !day.contains(t(13, 0)) && !day.contains(t(11, 0)));
    assert_eq!(TimeRange::parse("21:30"), None);
}

#[test]
fn datetimes() {
    let at =
        |y, mo, d, h, mi| NaiveDate::from_ymd_opt(y, mo, d).and_then(|d| d.and_hms_opt(h, mi, 0));
    let ok = [
        ("2025-11-09 07:00", at(2025, 11, 9, 7, 0)),
        ("2025-11-09T07:00", at(2025, 11, 9, 7, 0)),
        ("30/04/2025 7h30", at(2025, 4, 30, 7, 30)),
        ("30/04/2025  17g15", at(2025, 4, 30, 17, 15)),
        ("7h30 ngày 30/04/2025", at(2025, 4, 30, 7, 30)),
        ("ngày 5/12/2025 lúc 7 giờ 30", at(2025, 12, 5, 7, 30)),
        ("“2025-11-09 07:00”", at(2025, 11, 9, 7, 0)),
    ];
    for (s, want) in ok {
        assert!(want.is_some(), "{s}");
        assert_eq!(parse_datetime(s), want, "{s}");
    }
    assert_eq!(
        parse_datetime("2025-11-09T07:00:30"),
        NaiveDate::from_ymd_opt(2025, 11, 9).and_then(|d| d.and_hms_opt(7, 0, 30))
    );
    for bad in [
        "2025-02-30 07:00",
        "2025-11-09",
        "7h30",
        "30/04/2025 25h",
        "30/04/25 7h30",
        "30/04/2025 7h30 8h",
        "",
    ] {
        assert_eq!(parse_datetime(bad), None, "{bad}");
    }
}

#[test]
fn ranges_in_every_time_form() {
    let t = |h, m| NaiveTime::from_hms_opt(h, m, 0).unwrap_or_default();
    for s in [
        "21:30-05:00",
        "21h30-5h",
        "21h30 - 5h",
        "21g30–05:00",
        "“21h30-5h”",
    ] {
        assert_eq!(
            TimeRange::parse(s),
            Some(TimeRange {
                start: t(21, 30),
                end: t(5, 0)
            }),
            "{s}"
        );
    }
    for bad in ["21h30", "21h30-", "21h30-25h", "21:30/05:00"] {
        assert_eq!(TimeRange::parse(bad), None, "{bad}");
    }
}
