//! Small parsers for the values operators write: times of day, durations,
//! dates, date-times and time ranges. Strict on purpose: "25:00" or "6h15"
//! is an error with a hint, never a guess.

use std::time::Duration;

use chrono::{NaiveDate, NaiveDateTime, NaiveTime};

/// `HH:MM` or `HH:MM:SS`, 00:00 to 23:59:59. One-digit hours are accepted.
pub fn parse_time(s: &str) -> Option<NaiveTime> {
    let s = s.trim();
    let parts: Vec<&str> = s.split(':').collect();
    if !(2..=3).contains(&parts.len()) {
        return None;
    }
    let num = |p: &str, max_len: usize| -> Option<u32> {
        if p.is_empty() || p.len() > max_len || !p.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        p.parse().ok()
    };
    let h = num(parts[0], 2)?;
    let m = num(parts[1], 2).filter(|_| parts[1].len() == 2)?;
    let sec = match parts.get(2) {
        Some(p) if p.len() == 2 => num(p, 2)?,
        Some(_) => return None,
        None => 0,
    };
    NaiveTime::from_hms_opt(h, m, sec)
}

/// `YYYY-MM-DD`.
pub fn parse_date(s: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d").ok()
}

/// `YYYY-MM-DD HH:MM[:SS]` (a `T` between the two is also accepted).
pub fn parse_datetime(s: &str) -> Option<NaiveDateTime> {
    let s = s.trim();
    let (d, t) = s.split_once([' ', 'T'])?;
    Some(parse_date(d)?.and_time(parse_time(t.trim())?))
}

/// `x` rounded to three decimals (milliseconds of seconds, microseconds
/// of milliseconds), as the log and JSON output write figures.
pub fn round3(x: f64) -> f64 {
    (x * 1000.0).round() / 1000.0
}

/// A volume in 0.0..=1.0.
pub fn parse_volume(s: &str) -> Option<f32> {
    s.trim()
        .parse::<f32>()
        .ok()
        .filter(|v| (0.0..=1.0).contains(v))
}

/// `500ms`, `3s`, `10m`, `1h30m`, `90` (seconds). Zero is allowed.
pub fn parse_duration(s: &str) -> Option<Duration> {
    let s = s.trim();
    if s.is_empty() {
        return None;
    }
    if s.bytes().all(|b| b.is_ascii_digit()) {
        return s.parse().ok().map(Duration::from_secs);
    }
    let mut total = Duration::ZERO;
    let mut rest = s;
    while !rest.is_empty() {
        let digits = rest
            .bytes()
            .take_while(|b| b.is_ascii_digit() || *b == b'.')
            .count();
        if digits == 0 {
            return None;
        }
        let value: f64 = rest[..digits].parse().ok()?;
        rest = &rest[digits..];
        let unit_len = rest.bytes().take_while(|b| b.is_ascii_alphabetic()).count();
        let unit = &rest[..unit_len];
        rest = rest[unit_len..].trim_start();
        let secs = match unit {
            "ms" => value / 1000.0,
            "s" => value,
            "m" | "min" => value * 60.0,
            "h" => value * 3600.0,
            _ => return None,
        };
        total += Duration::try_from_secs_f64(secs).ok()?;
    }
    Some(total)
}

/// A daily range of local time, `21:30-05:00`; it may wrap past midnight.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TimeRange {
    pub start: NaiveTime,
    pub end: NaiveTime,
}

impl TimeRange {
    pub fn parse(s: &str) -> Option<TimeRange> {
        let (a, b) = s.split_once('-')?;
        Some(TimeRange {
            start: parse_time(a)?,
            end: parse_time(b)?,
        })
    }

    /// Whether `t` lies in the range: start inclusive, end exclusive.
    pub fn contains(&self, t: NaiveTime) -> bool {
        if self.start <= self.end {
            self.start <= t && t < self.end
        } else {
            t >= self.start || t < self.end
        }
    }
}

impl std::fmt::Display for TimeRange {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{}-{}",
            self.start.format("%H:%M"),
            self.end.format("%H:%M")
        )
    }
}

/// A duration the way an operator reads it: `45s`, `3m05s`, `1h02m`.
pub fn format_duration(d: Duration) -> String {
    let s = d.as_secs();
    match s {
        0..=59 => format!("{s}s"),
        60..=3599 => format!("{}m{:02}s", s / 60, s % 60),
        _ => format!("{}h{:02}m", s / 3600, (s % 3600) / 60),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times() {
        let ok = [
            ("06:15", (6, 15, 0)),
            ("6:15", (6, 15, 0)),
            ("23:59:59", (23, 59, 59)),
            ("00:00", (0, 0, 0)),
        ];
        for (s, (h, m, sec)) in ok {
            assert_eq!(parse_time(s), NaiveTime::from_hms_opt(h, m, sec), "{s}");
        }
        for bad in [
            "25:00",
            "24:00",
            "06:60",
            "6h15",
            "0615",
            "615",
            "06:5",
            "06:15:7",
            "",
            "a:b",
            "06:15:00:00",
        ] {
            assert_eq!(parse_time(bad), None, "{bad}");
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
        assert!(parse_datetime("2025-11-09 07:00").is_some());
        assert!(parse_datetime("2025-11-09T07:00:30").is_some());
        assert!(parse_datetime("2025-02-30 07:00").is_none());
        assert!(parse_datetime("2025-11-09").is_none());
    }
}
