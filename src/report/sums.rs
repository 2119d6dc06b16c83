//! The sums before the detail, added one occurrence at a time in any
//! order, and the local limits each day keeps or breaks.

use std::collections::BTreeMap;

use chrono::{DateTime, NaiveDate, Utc};

use super::accuracy::Errors;
use super::{
    DayRow, Heading, Integrity, Kinds, LimitBroken, OccRow, Period, Report, TopicRow, labels, round,
};
use crate::i18n::Lang;
use crate::kinds::Outcome;
use crate::limits::{Limits, Span};

/// What the sections before the detail need, added up one occurrence at a
/// time in any order: counts and whole milliseconds per topic and per day,
/// and the start errors in a bounded [`Errors`].
pub(super) struct Sums {
    lang: Lang,
    per: BTreeMap<String, (TopicRow, i64)>,
    total: (TopicRow, i64),
    day_ms: BTreeMap<(NaiveDate, String), i64>,
    errors: Errors,
    rows: usize,
    unverified: usize,
    spoken_ms: i64,
    /// Relayed milliseconds by topic, by day, and of them those received.
    relayed_per: BTreeMap<String, i64>,
    relayed_day: BTreeMap<NaiveDate, i64>,
    received_ms: i64,
    unsynced: usize,
    unrecorded_clock: usize,
    synced: usize,
    /// With `limits`: what sounded, per day and output, for the day's
    /// sessions and limits. Kept only then: a station under limits airs a
    /// few sessions a day, while without them the spans of five busy years
    /// would take megabytes (issue 14 holds reports under 64 MiB).
    limits: Limits,
    spans: BTreeMap<(NaiveDate, String), Vec<Span>>,
}

impl Sums {
    pub(super) fn new(lang: Lang, limits: Limits) -> Sums {
        Sums {
            lang,
            per: BTreeMap::new(),
            total: (
                TopicRow {
                    topic: labels::labels(lang).total.to_string(),
                    ..Default::default()
                },
                0,
            ),
            day_ms: BTreeMap::new(),
            errors: Errors::default(),
            rows: 0,
            unverified: 0,
            spoken_ms: 0,
            relayed_per: BTreeMap::new(),
            relayed_day: BTreeMap::new(),
            received_ms: 0,
            unsynced: 0,
            unrecorded_clock: 0,
            synced: 0,
            limits,
            spans: BTreeMap::new(),
        }
    }

    pub(super) fn add(&mut self, o: &OccRow, errors_ms: &[f64]) {
        // played_s is rounded to the millisecond: whole milliseconds add up
        // exactly, in whatever order the occurrences come.
        let ms = (o.played_s * 1000.0).round() as i64;
        if !self.per.contains_key(&o.topic) {
            let row = TopicRow {
                topic: o.topic.clone(),
                ..Default::default()
            };
            self.per.insert(o.topic.clone(), (row, 0));
        }
        if let Some((t, t_ms)) = self.per.get_mut(&o.topic) {
            count(t, o);
            *t_ms += ms;
        }
        count(&mut self.total.0, o);
        self.total.1 += ms;
        self.spoken_ms += (o.spoken_s * 1000.0).round() as i64;
        if o.source.is_some() {
            *self.relayed_per.entry(o.topic.clone()).or_default() += ms;
            *self.relayed_day.entry(o.date).or_default() += ms;
            self.received_ms += (o.received_s.unwrap_or(0.0) * 1000.0).round() as i64;
        }
        if let Some(d) = self.day_ms.get_mut(&(o.date, o.topic.clone())) {
            *d += ms;
        } else {
            self.day_ms.insert((o.date, o.topic.clone()), ms);
        }
        for e in errors_ms {
            self.errors.add(*e);
        }
        self.rows += 1;
        if !o.verified {
            self.unverified += 1;
        }
        self.unsynced += o.unsynced_starts as usize;
        self.unrecorded_clock += o.unrecorded_clock_starts as usize;
        self.synced += o.synced_starts as usize;
        // A span from the first sample for as long as it played: the
        // day's minutes for the limits are the ones the table shows (a
        // retry's pause is not counted as sounding).
        if let Some(from) = o.sounded_at.filter(|_| ms > 0 && self.limits.any()) {
            let from = from.with_timezone(&Utc);
            let span = (from, from + chrono::TimeDelta::milliseconds(ms));
            // On the row's day (its scheduled day), as the table counts it.
            let key = (o.date, o.output.clone());
            if let Some(v) = self.spans.get_mut(&key) {
                v.push(span);
            } else {
                self.spans.insert(key, vec![span]);
            }
        }
    }

    /// The report without its detail rows ([`Report::rows`] says how many).
    pub(super) fn report(
        self,
        period: Period,
        heading: Heading,
        mut integrity: Integrity,
    ) -> Report {
        let topics: Vec<String> = self.per.keys().cloned().collect();
        let minutes = |ms: i64| round(ms as f64 / 60_000.0, 2);
        let minutes_of = minutes;
        let mut by_topic: Vec<TopicRow> = Vec::with_capacity(self.per.len());
        let (mut total, total_ms) = self.total;
        for (mut r, ms) in self.per.into_values() {
            r.minutes = minutes(ms);
            r.relayed_minutes = minutes(self.relayed_per.get(&r.topic).copied().unwrap_or(0));
            by_topic.push(r);
        }
        let relayed_ms: i64 = self.relayed_per.values().sum();
        total.minutes = minutes(total_ms);
        total.relayed_minutes = minutes(relayed_ms);
        for r in by_topic.iter_mut().chain(std::iter::once(&mut total)) {
            r.completion_pct =
                (r.due > 0).then(|| round(100.0 * r.played as f64 / r.due as f64, 1));
        }
        let made = DateTime::parse_from_rfc3339(&heading.made_at)
            .ok()
            .map(|t| t.date_naive());
        let mut uses = limits_by_day(self.spans, self.limits, made);
        let by_day = period
            .days()
            .map(|date| {
                let minutes: Vec<f64> = topics
                    .iter()
                    .map(|t| minutes(self.day_ms.get(&(date, t.clone())).copied().unwrap_or(0)))
                    .collect();
                let total = round(minutes.iter().sum(), 2);
                let (sessions, limits_broken) = uses(date);
                DayRow {
                    date,
                    minutes,
                    total,
                    relayed: minutes_of(self.relayed_day.get(&date).copied().unwrap_or(0)),
                    sessions,
                    limits_broken,
                }
            })
            .collect();
        integrity.unverified = self.unverified;
        integrity.unsynced_starts = self.unsynced;
        integrity.unrecorded_clock_starts = self.unrecorded_clock;
        integrity.synced_starts = self.synced;
        Report {
            lang: self.lang,
            heading,
            period,
            integrity,
            topics,
            by_topic,
            by_kind: Kinds {
                recorded: minutes(total_ms - self.spoken_ms - relayed_ms),
                spoken: minutes(self.spoken_ms),
                relayed: minutes(relayed_ms),
                relayed_received: minutes(self.received_ms),
            },
            total,
            by_day,
            accuracy: self.errors.accuracy(),
            occurrences: Vec::new(),
            rows: self.rows,
            stations: Vec::new(),
        }
    }
}

/// A day's sessions and the limits it breaks; `None`s without limits.
pub(super) type DayVerdict = (Option<u32>, Option<Vec<LimitBroken>>);

/// Each day's sessions and the limits it breaks, by [`crate::limits`]' own
/// rule, per output. A day not over yet when the report is made is not
/// short of minutes (as `check` holds it).
pub(super) fn limits_by_day(
    spans: BTreeMap<(NaiveDate, String), Vec<Span>>,
    limits: Limits,
    made: Option<NaiveDate>,
) -> impl FnMut(NaiveDate) -> DayVerdict {
    let mut outputs: Vec<String> = spans.keys().map(|(_, o)| o.clone()).collect();
    outputs.sort();
    outputs.dedup();
    if outputs.is_empty() {
        outputs.push(String::new());
    }
    let mut spans = spans;
    move |date| {
        if !limits.any() {
            return (None, None);
        }
        let mut sessions = 0;
        let mut broken = Vec::new();
        for output in &outputs {
            let day = spans.remove(&(date, output.clone())).unwrap_or_default();
            let used = crate::limits::day_use(day);
            sessions = sessions.max(used.sessions);
            for b in limits.broken(&used) {
                let under = matches!(b, crate::limits::Broken::MinutesUnder { .. });
                if under && made.is_some_and(|m| date >= m) {
                    continue;
                }
                let (actual, allowed) = b.values();
                broken.push(LimitBroken {
                    limit: b.key(),
                    allowed,
                    actual,
                    output: output.clone(),
                });
            }
        }
        (Some(sessions), Some(broken))
    }
}

pub(super) fn count(r: &mut TopicRow, o: &OccRow) {
    r.due += 1;
    match o.outcome {
        Some(Outcome::Played) => r.played += 1,
        Some(Outcome::Interrupted) => r.interrupted += 1,
        Some(Outcome::Failed) => r.failed += 1,
        Some(Outcome::Missed) => r.missed += 1,
        Some(Outcome::Skipped) => r.skipped += 1,
        None => r.open += 1,
    }
    if !o.verified {
        r.unverified += 1;
    }
}
