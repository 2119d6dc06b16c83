//! Local rules on how much a station may broadcast (SPEC §2.1 `limits`):
//! minutes and sessions a day, at most or at least. Hà Nội, for one, allows
//! rural communes at most 2 sessions and 45 minutes a day, relay included.
//!
//! A day's use is counted per output (each is heard by its own listeners),
//! from when its broadcasts sound to when they end. A **session** (buổi
//! phát) is a run of broadcasts with less than [`SESSION_GAP`] of silence
//! between one's end and the next one's start: the morning programme and
//! the evening programme are two sessions however many items each holds.

use std::collections::BTreeMap;

use chrono::{DateTime, NaiveDate, Utc};
use chrono_tz::Tz;
use serde::{Deserialize, Serialize};

/// Silence that separates two sessions.
pub const SESSION_GAP: chrono::TimeDelta = chrono::TimeDelta::minutes(30);

/// The station's limits; all optional.
#[derive(Clone, Copy, Debug, Default, Deserialize, Serialize, PartialEq, Eq)]
#[serde(deny_unknown_fields, default)]
pub struct Limits {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max_minutes_per_day: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max_sessions_per_day: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub min_minutes_per_day: Option<u32>,
}

impl Limits {
    pub fn any(&self) -> bool {
        *self != Limits::default()
    }

    /// What a day's use breaks, if anything.
    pub fn broken(&self, day: &DayUse) -> Vec<Broken> {
        let minutes = day.minutes();
        let mut out = Vec::new();
        if let Some(max) = self.max_minutes_per_day
            && minutes > f64::from(max)
        {
            out.push(Broken::MinutesOver { minutes, max });
        }
        if let Some(max) = self.max_sessions_per_day
            && day.sessions > max
        {
            out.push(Broken::SessionsOver {
                sessions: day.sessions,
                max,
            });
        }
        if let Some(min) = self.min_minutes_per_day
            && minutes < f64::from(min)
        {
            out.push(Broken::MinutesUnder { minutes, min });
        }
        out
    }
}

/// One limit a day breaks.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Broken {
    MinutesOver { minutes: f64, max: u32 },
    SessionsOver { sessions: u32, max: u32 },
    MinutesUnder { minutes: f64, min: u32 },
}

impl Broken {
    /// The `limits` key it breaks, as written in config.yaml.
    pub fn key(&self) -> &'static str {
        match self {
            Broken::MinutesOver { .. } => "max_minutes_per_day",
            Broken::SessionsOver { .. } => "max_sessions_per_day",
            Broken::MinutesUnder { .. } => "min_minutes_per_day",
        }
    }

    /// The day's value (minutes or sessions) and the limit it breaks.
    pub fn values(&self) -> (f64, u32) {
        match *self {
            Broken::MinutesOver { minutes, max } => (minutes, max),
            Broken::SessionsOver { sessions, max } => (f64::from(sessions), max),
            Broken::MinutesUnder { minutes, min } => (minutes, min),
        }
    }
}

/// One output's broadcasting on one local day.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct DayUse {
    /// Seconds sounded.
    pub seconds: f64,
    pub sessions: u32,
}

impl DayUse {
    /// Minutes sounded, to 0.1.
    pub fn minutes(&self) -> f64 {
        (self.seconds / 6.0).round() / 10.0
    }
}

/// When something sounded: from its first sample to its end.
pub type Span = (DateTime<Utc>, DateTime<Utc>);

/// Sums sounding spans `(output, start, end)` into per-output, per-local-day
/// use. A span is counted on the day it starts.
pub fn days<'a>(
    tz: Tz,
    spans: impl IntoIterator<Item = (&'a str, DateTime<Utc>, DateTime<Utc>)>,
) -> BTreeMap<(String, NaiveDate), DayUse> {
    let mut by: BTreeMap<(String, NaiveDate), Vec<Span>> = BTreeMap::new();
    for (output, start, end) in spans {
        let day = start.with_timezone(&tz).date_naive();
        by.entry((output.to_string(), day))
            .or_default()
            .push((start, end.max(start)));
    }
    by.into_iter()
        .map(|(k, spans)| (k, day_use(spans)))
        .collect()
}

/// One output's use of one day from the spans that sounded on it, in any
/// order: the rule `check` and reports share.
pub fn day_use(mut spans: Vec<Span>) -> DayUse {
    spans.sort();
    let mut use_ = DayUse::default();
    let mut last_end: Option<DateTime<Utc>> = None;
    for (s, e) in spans {
        // Overlaps (an emergency over a cut broadcast) count once.
        let from = last_end.map_or(s, |l| s.max(l));
        use_.seconds += (e - from).num_milliseconds().max(0) as f64 / 1000.0;
        if last_end.is_none_or(|l| s - l >= SESSION_GAP) {
            use_.sessions += 1;
        }
        last_end = Some(last_end.map_or(e, |l| l.max(e)));
    }
    use_
}

/// One limit one output broke on one day.
#[derive(Clone, Debug, serde::Serialize, PartialEq)]
pub struct LimitBroken {
    /// The `limits` key: `max_minutes_per_day`, `max_sessions_per_day` or
    /// `min_minutes_per_day`.
    pub limit: &'static str,
    /// The limit as set.
    pub allowed: u32,
    /// The day's minutes (to 0.1, as `check` counts them) or sessions.
    pub actual: f64,
    pub output: String,
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn at(h: u32, m: u32) -> DateTime<Utc> {
        chrono_tz::Asia::Ho_Chi_Minh
            .with_ymd_and_hms(2026, 12, 1, h, m, 0)
            .single()
            .map(|t| t.with_timezone(&Utc))
            .unwrap_or_default()
    }

    #[test]
    fn sessions_are_runs_of_broadcasts_and_overlaps_count_once() {
        let tz = chrono_tz::Asia::Ho_Chi_Minh;
        let spans = [
            // Morning: three items 5 min apart, one of them cut by an
            // emergency that overlaps it.
            ("a", at(6, 0), at(6, 10)),
            ("a", at(6, 15), at(6, 25)),
            ("a", at(6, 20), at(6, 30)),
            // 29 minutes later: still the morning session.
            ("a", at(6, 59), at(7, 4)),
            // Evening.
            ("a", at(17, 0), at(17, 20)),
            // Another output, its own count.
            ("b", at(6, 0), at(6, 1)),
        ];
        let d = days(tz, spans);
        let day = NaiveDate::from_ymd_opt(2026, 12, 1).unwrap_or_default();
        let a = &d[&("a".to_string(), day)];
        assert_eq!(a.sessions, 2);
        // 10 + 15 (06:15–06:30) + 5 + 20.
        assert_eq!(a.minutes(), 50.0);
        let limits = Limits {
            max_minutes_per_day: Some(45),
            max_sessions_per_day: Some(2),
            min_minutes_per_day: Some(5),
        };
        assert_eq!(
            limits.broken(a),
            [Broken::MinutesOver {
                minutes: 50.0,
                max: 45
            }]
        );
        let b = &d[&("b".to_string(), day)];
        assert_eq!((b.sessions, b.minutes()), (1, 1.0));
        assert_eq!(
            limits.broken(b),
            [Broken::MinutesUnder {
                minutes: 1.0,
                min: 5
            }]
        );
        let three = days(
            tz,
            [
                ("a", at(6, 0), at(6, 1)),
                ("a", at(11, 0), at(11, 1)),
                ("a", at(17, 0), at(17, 1)),
            ],
        );
        assert_eq!(
            limits.broken(&three[&("a".to_string(), day)]),
            [
                Broken::SessionsOver {
                    sessions: 3,
                    max: 2
                },
                Broken::MinutesUnder {
                    minutes: 3.0,
                    min: 5
                }
            ]
        );
    }
}
