use super::accuracy::accuracy;
use super::cells::date_cell;
use super::*;
use chrono::NaiveDate;

#[test]
fn percentiles_use_the_nearest_rank_and_worst_keeps_its_sign() {
    let a = accuracy(vec![3.0, -12.5, 1.0, 2.0, 4.0]);
    assert_eq!(a.count, 5);
    assert_eq!(a.median_ms, Some(2.0));
    assert_eq!(a.p95_ms, Some(4.0));
    assert_eq!(a.worst_ms, Some(-12.5));
    assert_eq!(accuracy(vec![]), Accuracy::default());
    let many: Vec<f64> = (1..=100).map(f64::from).collect();
    let a = accuracy(many);
    assert_eq!(
        (a.median_ms, a.p95_ms, a.worst_ms),
        (Some(50.0), Some(95.0), Some(100.0))
    );
}

#[test]
fn the_date_line_pads_days_under_10_and_months_1_and_2_only() {
    use crate::i18n::labels::date_line;
    let d = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default();
    let table = [
        (
            d(2026, 11, 30),
            "Xuân Đám",
            "Xuân Đám, ngày 30 tháng 11 năm 2026",
        ),
        (
            d(2026, 3, 5),
            "Xuân Đám",
            "Xuân Đám, ngày 05 tháng 3 năm 2026",
        ),
        (
            d(2026, 1, 9),
            "Xuân Đám",
            "Xuân Đám, ngày 09 tháng 01 năm 2026",
        ),
        (d(2026, 2, 28), " ", "Ngày 28 tháng 02 năm 2026"),
        (d(2026, 12, 10), "", "Ngày 10 tháng 12 năm 2026"),
    ];
    for (date, place, want) in table {
        assert_eq!(date_line(Lang::Vi, place, date), want);
    }
    assert_eq!(
        date_line(Lang::En, "Xuân Đám", d(2026, 3, 5)),
        "Xuân Đám, 5 March 2026"
    );
    assert_eq!(date_line(Lang::En, "", d(2026, 3, 5)), "5 March 2026");
}

#[test]
fn numbers_shown_are_never_negative_zero() {
    assert_eq!(fixed(-0.001, 2), "0.00");
    assert_eq!(fixed(-0.04, 1), "0.0");
    assert_eq!(fixed(-0.05, 1), "-0.1");
    assert_eq!(fixed(-0.0, 2), "0.00");
    assert_eq!(fixed(12.345, 2), "12.35");
    assert!(shown(-0.001, 2).is_sign_positive());
}

#[test]
fn dates_in_cells_are_written_as_chrono_would() {
    for (y, m, d) in [(2025, 3, 4), (2026, 12, 31), (999, 1, 2), (10_000, 5, 6)] {
        let date = NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default();
        for f in ["%d/%m/%Y", "%Y-%m-%d", "%d.%m.%Y"] {
            assert_eq!(date_cell(date, f), date.format(f).to_string(), "{date} {f}");
        }
    }
}

/// The hand-written numbers are what `{:.*}` writes of the shown value,
/// over a spread of sizes, signs and halves.
#[test]
fn numbers_are_written_as_the_formatter_would() {
    let mut x = -2_000_000.0_f64;
    let mut seen = 0;
    while x < 2_000_000.0 {
        for v in [x, x + 0.05, x + 0.005, x + 0.0005, x / 7.0, -x / 13.0] {
            for digits in [0, 1, 2, 3] {
                let want = format!("{:.*}", digits, shown(v, digits));
                assert_eq!(fixed(v, digits), want, "{v} to {digits}");
                seen += 1;
            }
        }
        x += 997.123_456_7;
    }
    for v in [1e16, -1e16, 123_456_789_012.345_6, f64::MAX, 0.0] {
        assert_eq!(fixed(v, 2), format!("{:.2}", shown(v, 2)), "{v}");
    }
    assert!(seen > 10_000);
}
