//! Small parsers for the values operators write: times of day, durations,
//! dates, date-times and time ranges. They take the forms people write on
//! paper (SPEC §2.2: "7h30", "17g15", "30/04/2025") and nothing that needs
//! a guess: "25:00", "7h5" or "30/04/25" is an error with a hint.

use std::time::Duration;

use chrono::{NaiveDate, NaiveDateTime, NaiveTime};

use crate::forms::fold;

/// A time of day, 00:00 to 23:59:59, as `HH:MM`, `H:MM`, `HH:MM:SS`, `7h30`,
/// `7h`, `17g15` or `7 giờ 30` (case and spaces do not matter). Minutes and
/// seconds have two digits: "7h5" could be read as 7:05 or 7:50.
pub fn parse_time(s: &str) -> Option<NaiveTime> {
    let s = fold(s);
    let s = s.strip_suffix("phút").unwrap_or(&s).replace("giờ", "h");
    let s: String = s.chars().filter(|c| *c != ' ').collect();
    let num = |p: &str, len: std::ops::RangeInclusive<usize>| -> Option<u32> {
        if !len.contains(&p.len()) || !p.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        p.parse().ok()
    };
    if let Some((h, m)) = s.split_once(['h', 'g']) {
        let m = if m.is_empty() { 0 } else { num(m, 2..=2)? };
        return NaiveTime::from_hms_opt(num(h, 1..=2)?, m, 0);
    }
    let parts: Vec<&str> = s.split(':').collect();
    if !(2..=3).contains(&parts.len()) {
        return None;
    }
    let sec = match parts.get(2) {
        Some(p) => num(p, 2..=2)?,
        None => 0,
    };
    NaiveTime::from_hms_opt(num(parts[0], 1..=2)?, num(parts[1], 2..=2)?, sec)
}

/// A date, `2025-04-30` or `30/04/2025` (day first, as written in Vietnam;
/// `-` or `/` between, one-digit day and month allowed: `5/9/2025`). The
/// year has four digits, so which end it is at says the order.
pub fn parse_date(s: &str) -> Option<NaiveDate> {
    let s = fold(s);
    let sep = if s.contains('/') { '/' } else { '-' };
    let parts: Vec<&str> = s.split(sep).collect();
    let num = |p: &str, len: std::ops::RangeInclusive<usize>| -> Option<u32> {
        if !len.contains(&p.len()) || !p.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        p.parse().ok()
    };
    let (y, m, d) = match parts.as_slice() {
        [y, m, d] if y.len() == 4 => (num(y, 4..=4)?, num(m, 1..=2)?, num(d, 1..=2)?),
        [d, m, y] => (num(y, 4..=4)?, num(m, 1..=2)?, num(d, 1..=2)?),
        _ => return None,
    };
    NaiveDate::from_ymd_opt(i32::try_from(y).ok()?, m, d)
}

/// A local date and time: a date of [`parse_date`] and a time of
/// [`parse_time`] in either order, with a space (or ISO's `T`) between and
/// "ngày"/"lúc" allowed: `2025-11-09 07:00`, `30/04/2025 7h30`,
/// `7h30 ngày 30/04/2025`.
pub fn parse_datetime(s: &str) -> Option<NaiveDateTime> {
    let s = fold(s);
    if let Some((d, t)) = s.split_once('t')
        && let (Some(d), Some(t)) = (parse_date(d), parse_time(t))
    {
        return Some(d.and_time(t));
    }
    let words: Vec<&str> = s
        .split(' ')
        .filter(|w| !matches!(*w, "ngày" | "lúc" | "vào"))
        .collect();
    // A date never reads as a time nor a time as a date, so at most one
    // split of the words fits.
    (1..words.len()).find_map(|i| {
        let (a, b) = (words[..i].join(" "), words[i..].join(" "));
        parse_date(&a)
            .zip(parse_time(&b))
            .or_else(|| parse_date(&b).zip(parse_time(&a)))
            .map(|(d, t)| d.and_time(t))
    })
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
    /// `21:30-05:00`, `21h30-5h` or `21h30 – 5h`.
    pub fn parse(s: &str) -> Option<TimeRange> {
        let (a, b) = crate::forms::unquote(s).split_once(['-', '–', '—'])?;
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
#[path = "units_tests.rs"]
mod tests;
