//! Reports (SPEC §6): the play log turned into the weekly, monthly or
//! any-period review a commune sends upward.
//!
//! Pure: [`build`] takes the log as read back by [`crate::playlog::scan`],
//! the period and the moment of making, and returns a [`Report`] whose every
//! figure comes from the log alone. The formats render that one model.

mod csv;
mod html;
pub use crate::i18n::labels;
pub mod rollup;
mod rollup_view;
mod spill;
mod stream;
pub use stream::{Made, make};
#[cfg(test)]
mod tests;
mod text;
mod xlsx;

use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap};
use std::io::Write;

use chrono::{DateTime, FixedOffset, NaiveDate, Utc};
use serde::Serialize;

use crate::i18n::{Lang, Words};
use crate::kinds::{Event, Outcome, Priority, Reason};
use crate::limits::{Limits, Span};
use crate::playlog::Scan;

pub use crate::limits::LimitBroken;
pub(crate) use crate::numbers::{fixed, round, shown};
pub use crate::period::{MAX_YEARS, Period, PeriodError};

/// The output formats of `loa report`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Text,
    Csv,
    Xlsx,
    Html,
    Json,
}

/// Who and what a report is for; from `config.yaml`.
#[derive(Clone, Debug, Default, Serialize)]
pub struct Heading {
    pub station: String,
    pub recipient: String,
    /// The place on the date line ("Xuân Đám, ngày 30 tháng 11 năm 2026");
    /// empty: the date alone.
    pub place: String,
    pub prepared_by: String,
    pub approved_by: String,
    /// When the report was made, local RFC 3339 (JSON keeps it so; the
    /// formats for people write it as people do).
    pub made_at: String,
    /// The station's `limits`, each day of the report held against them.
    #[serde(skip_serializing_if = "no_limits")]
    pub limits: Limits,
}

fn no_limits(l: &Limits) -> bool {
    !l.any()
}

/// The log's integrity as the report states it.
#[derive(Clone, Debug, Default, Serialize)]
pub struct Integrity {
    pub intact: bool,
    pub lines: usize,
    pub faults: usize,
    /// The first bad line, `file:line`, and what is wrong with it.
    pub first_fault: Option<String>,
    pub first_problem: Option<String>,
    pub head: String,
    /// Occurrences in this report that rest on lines after the first fault.
    pub unverified: usize,
    /// `start` lines of this report's occurrences written while the system
    /// clock was not synchronised (`"clock_synced": false`): their times
    /// may be off.
    pub unsynced_starts: usize,
    /// `start` lines that do not say whether the clock was synchronised
    /// (`null`: it could not be known; absent: logs older than the field):
    /// counted apart, never as synchronised or unsynchronised.
    pub unrecorded_clock_starts: usize,
    /// `start` lines written on a synchronised clock.
    #[serde(skip)]
    pub synced_starts: usize,
}

/// Counts per topic (and in total).
#[derive(Clone, Debug, Default, Serialize, PartialEq)]
pub struct TopicRow {
    pub topic: String,
    pub due: usize,
    pub played: usize,
    pub interrupted: usize,
    pub failed: usize,
    pub missed: usize,
    pub skipped: usize,
    /// Still sounding (or the daemon stopped) when the log was read.
    pub open: usize,
    /// played ÷ due, in percent; `None` when nothing was due.
    pub completion_pct: Option<f64>,
    pub minutes: f64,
    /// Of `minutes`, those relayed (on air from a stream or the line input,
    /// gaps while the source was lost included).
    #[serde(skip_serializing_if = "is_zero")]
    pub relayed_minutes: f64,
    /// Occurrences counted here that rest on lines after a chain fault.
    pub unverified: usize,
}

impl TopicRow {
    /// The counts under the 2nd to 7th of `Labels::topic_columns`, in
    /// that order.
    pub fn counts(&self) -> [usize; 6] {
        [
            self.due,
            self.played,
            self.interrupted,
            self.failed,
            self.missed,
            self.skipped,
        ]
    }

    /// The completion as printed: "97.5 %", or "–" when nothing was due.
    pub fn completion_text(&self) -> String {
        self.completion_pct
            .map(|p| format!("{} %", fixed(p, 1)))
            .unwrap_or_else(|| "–".into())
    }
}

/// Minutes aired on one day, per topic in [`Report::topics`] order.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct DayRow {
    pub date: NaiveDate,
    pub minutes: Vec<f64>,
    pub total: f64,
    /// Of `total`, the minutes relayed.
    #[serde(skip_serializing_if = "is_zero")]
    pub relayed: f64,
    /// With `limits` set: sessions (runs of broadcasts, [`crate::limits`])
    /// on the output that had the most that day.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sessions: Option<u32>,
    /// With `limits` set: each limit the day breaks (empty: it meets them
    /// all); `None` without limits.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub limits_broken: Option<Vec<LimitBroken>>,
}

/// Start error over every attempt that sounded, in milliseconds.
#[derive(Clone, Debug, Default, Serialize, PartialEq)]
pub struct Accuracy {
    pub count: usize,
    pub median_ms: Option<f64>,
    pub p95_ms: Option<f64>,
    /// The largest error by size, with its sign.
    pub worst_ms: Option<f64>,
}

/// One occurrence with its final outcome.
#[derive(Clone, Debug, Default, Serialize, PartialEq)]
pub struct OccRow {
    pub id: String,
    pub date: NaiveDate,
    /// Scheduled local time, HH:MM:SS.
    pub scheduled: String,
    /// First sample of the first attempt, local HH:MM:SS.mmm.
    pub started: Option<String>,
    /// When the final outcome was written, local HH:MM:SS.
    pub ended: Option<String>,
    pub played_s: f64,
    pub schedule: String,
    pub broadcast: String,
    pub topic: String,
    pub priority: Priority,
    /// The output it played on (SPEC §2.1 `outputs`).
    pub output: String,
    pub audio: Vec<String>,
    /// The first 12 hex digits of each audio file's SHA-256.
    pub audio_hash: Vec<String>,
    /// Its final outcome; `None` (written `open`) when no finish yet.
    #[serde(serialize_with = "open_when_none")]
    pub outcome: Option<Outcome>,
    pub reason: Option<Reason>,
    pub attempts: u32,
    /// False when any of its lines lies after a chain fault.
    pub verified: bool,
    /// Of `played_s`, the seconds that were speech (text-to-speech).
    #[serde(skip_serializing_if = "is_zero")]
    pub spoken_s: f64,
    /// The text of its first spoken item, exactly as written.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
    /// What it relayed (a URL or `alsa:<pcm>`); `played_s` is then
    /// relayed time.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    /// Of a relay's `played_s`, the seconds of sound received from the
    /// source (the rest was silence while it was lost).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub received_s: Option<f64>,
    /// Its `start` lines written on an unsynchronised clock.
    #[serde(skip_serializing_if = "is_zero_count")]
    pub unsynced_starts: u32,
    /// Its `start` lines that do not say whether the clock was synchronised.
    #[serde(skip)]
    pub unrecorded_clock_starts: u32,
    /// Its `start` lines written on a synchronised clock.
    #[serde(skip)]
    pub synced_starts: u32,
    /// When its first sample sounded, for the day's sessions.
    #[serde(skip)]
    pub sounded_at: Option<DateTime<FixedOffset>>,
}

fn is_zero(x: &f64) -> bool {
    *x == 0.0
}

fn is_zero_count(x: &u32) -> bool {
    *x == 0
}

/// Minutes aired by kind of program (SPEC §6).
#[derive(Clone, Debug, Default, Serialize, PartialEq)]
pub struct Kinds {
    pub recorded: f64,
    pub spoken: f64,
    pub relayed: f64,
    /// Of `relayed`, the minutes of sound received from the sources; the
    /// rest went out as silence while a source was lost.
    pub relayed_received: f64,
}

impl Kinds {
    /// Anything but recordings aired: worth a line of its own.
    pub fn mixed(&self) -> bool {
        self.spoken > 0.0 || self.relayed > 0.0
    }
}

/// A report, ready for any format.
#[derive(Clone, Debug, Serialize)]
pub struct Report {
    #[serde(skip)]
    pub lang: Lang,
    pub heading: Heading,
    pub period: Period,
    pub integrity: Integrity,
    /// Topics in alphabetical order; the columns of [`DayRow::minutes`].
    pub topics: Vec<String>,
    pub by_topic: Vec<TopicRow>,
    pub total: TopicRow,
    /// The total's minutes split by kind.
    pub by_kind: Kinds,
    pub by_day: Vec<DayRow>,
    pub accuracy: Accuracy,
    pub occurrences: Vec<OccRow>,
    /// How many detail rows: `occurrences.len()`, or the rows to come when
    /// the report is written as a stream (`occurrences` then stays empty);
    /// in a roll-up, its stations' rows, which it does not list.
    #[serde(skip)]
    pub rows: usize,
    /// A roll-up's stations (`loa report --station DIR ...`), each with its
    /// own integrity and totals; empty for one station's report.
    #[serde(skip)]
    pub stations: Vec<rollup::StationRow>,
}

/// One occurrence gathered from its lines.
#[derive(Default)]
struct Gathered {
    id: String,
    scheduled: Option<DateTime<FixedOffset>>,
    schedule: String,
    broadcast: String,
    topic: String,
    priority: Priority,
    output: String,
    audio: Vec<(String, String)>,
    first_sample: Option<DateTime<FixedOffset>>,
    ended: Option<DateTime<FixedOffset>>,
    played_s: f64,
    outcome: Option<Outcome>,
    reason: Option<Reason>,
    attempts: u32,
    /// The attempt number of the open `start`, 0 when none is open.
    attempt: u32,
    errors_ms: Vec<f64>,
    last_line: usize,
    /// The share of its program (by length) that is speech, from the last
    /// `start`.
    spoken_share: f64,
    text: Option<String>,
    /// A relay's source, from its `start`.
    source: Option<String>,
    /// Sound received, over its relayed attempts.
    received_s: Option<f64>,
    unsynced: u32,
    unrecorded_clock: u32,
    synced: u32,
}

/// Builds the report for `period` from the log as scanned.
pub fn build(scan: &Scan, period: Period, heading: Heading, lang: Lang) -> Report {
    let trusted = scan.trusted_until();
    let mut gathered = gather(scan, &period);
    // Sorted by reference: moving the large rows themselves costs more
    // than building them.
    let mut order: Vec<&mut Gathered> = gathered.iter_mut().collect();
    order.sort_by(|a, b| (a.scheduled, &a.id).cmp(&(b.scheduled, &b.id)));
    let mut sums = Sums::new(lang, heading.limits);
    let occurrences: Vec<OccRow> = order
        .into_iter()
        .map(|g| {
            let o = row(g, trusted);
            sums.add(&o, &g.errors_ms);
            o
        })
        .collect();
    let integrity = Integrity {
        intact: scan.is_intact(),
        lines: scan.lines.len(),
        faults: scan.faults.len(),
        first_fault: scan.first_fault().map(|f| f.location()),
        first_problem: scan
            .first_fault()
            .map(|f| Words::new(lang).problem(&f.problem)),
        head: scan.head.clone(),
        ..Integrity::default()
    };
    let mut r = sums.report(period, heading, integrity);
    r.occurrences = occurrences;
    r
}

/// What the sections before the detail need, added up one occurrence at a
/// time in any order: counts and whole milliseconds per topic and per day,
/// and the start errors in a bounded [`Errors`].
struct Sums {
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
    fn new(lang: Lang, limits: Limits) -> Sums {
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

    fn add(&mut self, o: &OccRow, errors_ms: &[f64]) {
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
    fn report(self, period: Period, heading: Heading, mut integrity: Integrity) -> Report {
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
type DayVerdict = (Option<u32>, Option<Vec<LimitBroken>>);

/// Each day's sessions and the limits it breaks, by [`crate::limits`]' own
/// rule, per output. A day not over yet when the report is made is not
/// short of minutes (as `check` holds it).
fn limits_by_day(
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

/// Start errors as counts of distinct values, each rounded to `digits`
/// decimals of a millisecond: to 0.001 ms, the precision the report prints,
/// while at most [`Errors::MAX`] distinct values have been seen, so the
/// median and p95 are exact (nearest rank, as if every value were kept);
/// past that, one decimal fewer at a time (0.01 ms, 0.1 ms, ...), so the
/// structure stays under a few MiB whatever the number of occurrences. The
/// count and the worst error are always exact.
#[derive(Debug)]
struct Errors {
    digits: i32,
    /// Keyed by [`order_key`] of the rounded value.
    counts: BTreeMap<u64, u64>,
    n: usize,
    worst: Option<f64>,
}

impl Default for Errors {
    fn default() -> Self {
        Errors {
            digits: 3,
            counts: BTreeMap::new(),
            n: 0,
            worst: None,
        }
    }
}

/// A key whose order is `f64::total_cmp`'s.
fn order_key(v: f64) -> u64 {
    let b = v.to_bits();
    if b >> 63 == 1 { !b } else { b | 1 << 63 }
}

fn from_order_key(k: u64) -> f64 {
    if k >> 63 == 1 {
        f64::from_bits(k & !(1 << 63))
    } else {
        f64::from_bits(!k)
    }
}

impl Errors {
    const MAX: usize = 1 << 16;

    fn add(&mut self, x: f64) {
        self.n += 1;
        // The largest by size; between equal sizes, the positive one.
        let worse = self
            .worst
            .is_none_or(|w| x.abs().total_cmp(&w.abs()).then(x.total_cmp(&w)).is_gt());
        if worse {
            self.worst = Some(x);
        }
        *self
            .counts
            .entry(order_key(round(x, self.digits)))
            .or_default() += 1;
        while self.counts.len() > Self::MAX && self.digits > -6 {
            self.digits -= 1;
            let mut coarser = BTreeMap::new();
            for (k, c) in std::mem::take(&mut self.counts) {
                *coarser
                    .entry(order_key(round(from_order_key(k), self.digits)))
                    .or_default() += c;
            }
            self.counts = coarser;
        }
    }

    fn accuracy(&self) -> Accuracy {
        if self.n == 0 {
            return Accuracy::default();
        }
        let pick = |q: f64| {
            // Nearest rank: the smallest value with at least q of them at or below.
            let rank = ((q * self.n as f64).ceil() as usize).clamp(1, self.n) as u64;
            let mut seen = 0;
            let mut at = 0.0;
            for (k, c) in &self.counts {
                seen += c;
                at = from_order_key(*k);
                if seen >= rank {
                    break;
                }
            }
            round(at, 3)
        };
        Accuracy {
            count: self.n,
            median_ms: Some(pick(0.5)),
            p95_ms: Some(pick(0.95)),
            worst_ms: self.worst.map(|w| round(w, 3)),
        }
    }
}

/// Groups the lines of each occurrence scheduled inside `period`.
fn gather(scan: &Scan, period: &Period) -> Vec<Gathered> {
    let mut by_id: HashMap<&str, Gathered> = HashMap::new();
    for (i, line) in scan.lines.iter().enumerate() {
        let Some(r) = &line.record else { continue };
        let Some(id) = r.id.as_deref() else { continue };
        if !r.event.of_occurrence() {
            continue;
        }
        let g = by_id.entry(id).or_insert_with(|| Gathered {
            id: id.to_string(),
            ..Default::default()
        });
        g.last_line = i;
        // The stream read hands its own lines over; here they stay the
        // scan's.
        note(g, &mut r.clone());
    }
    by_id
        .into_values()
        .filter(|g| {
            g.scheduled
                .is_some_and(|s| period.contains(s.naive_local().date()))
        })
        .collect()
}

/// Takes one `start` or `finish` line of the occurrence `g` into it; the
/// text it keeps is moved out of `r`.
fn note(g: &mut Gathered, r: &mut crate::playlog::Record) {
    if g.scheduled.is_none() {
        g.scheduled = r
            .scheduled
            .as_deref()
            .or_else(|| crate::plan::time_text_of_id(&g.id))
            .and_then(|s| DateTime::parse_from_rfc3339(s).ok());
    }
    if let Some(b) = r.broadcast.take() {
        g.schedule = r.schedule.take().unwrap_or_default();
        g.broadcast = b;
        g.topic = r.topic.take().unwrap_or_default();
        g.priority = r.priority.unwrap_or_default();
    }
    if let Some(o) = r.output.take() {
        g.output = o;
    }
    match r.event {
        Event::Start => {
            // A fallback that played is a recording, not a relay.
            g.source = r.source.take().filter(|_| !r.fallback);
            g.attempts += 1;
            g.attempt = r.attempt.unwrap_or(1);
            g.audio = r
                .audio
                .iter_mut()
                .map(|a| {
                    let shown = match &a.speech {
                        Some(s) => format!("{}: «{}»", a.path, excerpt(&s.text)),
                        None => std::mem::take(&mut a.path),
                    };
                    let mut hash = std::mem::take(&mut a.sha256);
                    if let Some((end, _)) = hash.char_indices().nth(12) {
                        hash.truncate(end);
                    }
                    (shown, hash)
                })
                .collect();
            let whole: f64 = r.audio.iter().map(|a| a.length_s).sum();
            let spoken: f64 = r
                .audio
                .iter()
                .filter(|a| a.speech.is_some())
                .map(|a| a.length_s)
                .sum();
            g.spoken_share = if whole > 0.0 { spoken / whole } else { 0.0 };
            g.text = r
                .audio
                .iter_mut()
                .find_map(|a| a.speech.as_mut().map(|s| std::mem::take(&mut s.text)));
            g.outcome = None;
            match r.clock_synced {
                Some(false) => g.unsynced += 1,
                Some(true) => g.synced += 1,
                None => g.unrecorded_clock += 1,
            }
        }
        _ => {
            if let (Some(ms), Some(s)) = (r.start_error_ms, g.scheduled) {
                errors_push(g, ms, s);
            }
            g.attempt = 0;
            g.played_s += r.played_s.unwrap_or(0.0);
            if let Some(x) = r.received_s {
                *g.received_s.get_or_insert(0.0) += x;
            }
            g.outcome = r.outcome.take();
            g.reason = r.reason.take();
            g.ended = DateTime::parse_from_rfc3339(&r.at).ok();
            g.attempts = g.attempts.max(1);
        }
    }
}

/// The start of a spoken text for a detail row: on one line, at most 60
/// characters, cut between words.
fn excerpt(text: &str) -> String {
    let one: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
    match one.char_indices().nth(60) {
        Some((i, _)) => {
            let head = &one[..i];
            let cut = head.rfind(' ').filter(|&k| k > i / 2).unwrap_or(i);
            format!("{}…", head[..cut].trim_end())
        }
        None => one,
    }
}

/// Notes the start error of the attempt just finished. Only a first
/// attempt counts towards accuracy: a retry after an emergency starts late
/// because of the emergency, not the clock.
fn errors_push(g: &mut Gathered, ms: f64, scheduled: DateTime<FixedOffset>) {
    if g.attempt <= 1 {
        g.errors_ms.push(ms);
    }
    if g.first_sample.is_none() {
        let micros = (ms * 1000.0).round() as i64;
        g.first_sample = Some(scheduled + chrono::TimeDelta::microseconds(micros));
    }
}

/// The occurrence's row; its text is moved out of `g`.
fn row(g: &mut Gathered, trusted: usize) -> OccRow {
    let scheduled = g.scheduled.map(|s| s.naive_local());
    let (audio, audio_hash) = std::mem::take(&mut g.audio).into_iter().unzip();
    OccRow {
        id: std::mem::take(&mut g.id),
        date: scheduled.map(|s| s.date()).unwrap_or_default(),
        scheduled: scheduled.map(|s| hms(s.time(), false)).unwrap_or_default(),
        started: g.first_sample.map(|t| hms(t.naive_local().time(), true)),
        ended: g.ended.map(|t| hms(t.naive_local().time(), false)),
        played_s: round(g.played_s, 3),
        schedule: std::mem::take(&mut g.schedule),
        broadcast: std::mem::take(&mut g.broadcast),
        topic: std::mem::take(&mut g.topic),
        priority: g.priority,
        output: std::mem::take(&mut g.output),
        audio,
        audio_hash,
        outcome: g.outcome.take(),
        reason: g.reason.take(),
        attempts: g.attempts,
        verified: g.last_line < trusted,
        spoken_s: round(g.played_s * g.spoken_share, 3),
        text: g.text.take(),
        source: g.source.take(),
        received_s: g.received_s.map(|x| round(x, 3)),
        unsynced_starts: g.unsynced,
        unrecorded_clock_starts: g.unrecorded_clock,
        synced_starts: g.synced,
        sounded_at: g.first_sample,
    }
}

/// `HH:MM:SS`, or `HH:MM:SS.mmm` with `millis`. Written out by hand: this
/// runs three times per occurrence, and chrono's formatter parses its
/// pattern each time.
fn hms(t: chrono::NaiveTime, millis: bool) -> String {
    use chrono::Timelike as _;
    // Digits pushed one by one: format! cost a tenth of a report's reading.
    let mut s = String::with_capacity(12);
    let digits = |s: &mut String, n: u32, width: u32| {
        for k in (0..width).rev() {
            let d = n / 10u32.pow(k) % 10;
            s.push(char::from(b'0' + d as u8));
        }
    };
    digits(&mut s, t.hour(), 2);
    s.push(':');
    digits(&mut s, t.minute(), 2);
    s.push(':');
    digits(&mut s, t.second(), 2);
    if millis {
        s.push('.');
        digits(&mut s, t.nanosecond() / 1_000_000 % 1000, 3);
    }
    s
}

fn count(r: &mut TopicRow, o: &OccRow) {
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

#[cfg(test)]
fn accuracy(errs: Vec<f64>) -> Accuracy {
    let mut e = Errors::default();
    for x in errs {
        e.add(x);
    }
    e.accuracy()
}

/// One occurrence's cells for people; see [`Report::detail_cells`].
/// A date in `format`; the two forms the reports use written by hand
/// (chrono parses its pattern at every call: a tenth of a text report).
fn date_cell(d: NaiveDate, format: &str) -> String {
    use chrono::Datelike as _;
    let (y, m, day) = (d.year(), d.month(), d.day());
    if !(1000..=9999).contains(&y) {
        return d.format(format).to_string();
    }
    let two = |n: u32| [b'0' + (n / 10) as u8, b'0' + (n % 10) as u8];
    let y = y as u32;
    let year = [
        b'0' + (y / 1000) as u8,
        b'0' + (y / 100 % 10) as u8,
        b'0' + (y / 10 % 10) as u8,
        b'0' + (y % 10) as u8,
    ];
    let mut s = Vec::with_capacity(10);
    match format {
        "%d/%m/%Y" => {
            s.extend(two(day));
            s.push(b'/');
            s.extend(two(m));
            s.push(b'/');
            s.extend(year);
        }
        "%Y-%m-%d" => {
            s.extend(year);
            s.push(b'-');
            s.extend(two(m));
            s.push(b'-');
            s.extend(two(day));
        }
        _ => return d.format(format).to_string(),
    }
    String::from_utf8(s).unwrap_or_else(|_| d.format(format).to_string())
}

fn cells<'o>(lang: Lang, o: &'o OccRow, date_format: &str) -> [Cow<'o, str>; 14] {
    let l = labels::labels(lang);
    let joined = |v: &'o [String]| match v {
        [one] => Cow::Borrowed(one.as_str()),
        _ => Cow::Owned(v.join("; ")),
    };
    [
        Cow::Owned(date_cell(o.date, date_format)),
        Cow::Borrowed(o.scheduled.as_str()),
        Cow::Borrowed(o.started.as_deref().unwrap_or_default()),
        Cow::Borrowed(o.ended.as_deref().unwrap_or_default()),
        Cow::Owned(fixed(o.played_s, 1)),
        Cow::Borrowed(o.broadcast.as_str()),
        Cow::Borrowed(o.topic.as_str()),
        Cow::Borrowed(o.output.as_str()),
        Cow::Borrowed(labels::priority(lang, o.priority)),
        joined(&o.audio),
        joined(&o.audio_hash),
        Cow::Borrowed(labels::outcome(lang, o.outcome)),
        o.reason
            .as_ref()
            .map(|x| labels::reason(lang, x))
            .unwrap_or_default(),
        Cow::Borrowed(if o.verified { l.yes } else { l.no }),
    ]
}

/// An occurrence with no final outcome yet is written `open`.
fn open_when_none<S: serde::Serializer>(o: &Option<Outcome>, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(o.map_or("open", Outcome::as_str))
}

impl OccRow {
    /// Whether the clock was synchronised when it started: `Some(false)`
    /// when any attempt started on an unsynchronised clock, `None` when no
    /// `start` line says.
    pub fn clock_synced(&self) -> Option<bool> {
        if self.unsynced_starts > 0 {
            Some(false)
        } else {
            (self.synced_starts > 0).then_some(true)
        }
    }
}

impl Report {
    /// One occurrence's cells for people, in
    /// [`Labels::detail_columns`](labels::Labels::detail_columns) order,
    /// the date written with `date_format`.
    pub fn detail_cells<'o>(&self, o: &'o OccRow, date_format: &str) -> [Cow<'o, str>; 14] {
        cells(self.lang, o, date_format)
    }

    /// The signature block: who signs, the note under it, and the name
    /// from `config.yaml` (the checker's line is left to fill by hand).
    pub fn signatures(&self) -> [(&'static str, &'static str, &str); 3] {
        let l = labels::labels(self.lang);
        [
            (l.signers[0], l.sign_note, self.heading.prepared_by.as_str()),
            (l.signers[1], l.sign_note, ""),
            (l.signers[2], l.seal_note, self.heading.approved_by.as_str()),
        ]
    }

    /// Renders the report in `format`, its rows from `occurrences`.
    pub fn render(&self, format: Format) -> Result<Vec<u8>, String> {
        let mut widths = [0; 14];
        if format == Format::Text {
            for o in &self.occurrences {
                self.widen(&mut widths, o);
            }
        }
        let mut buf = Vec::new();
        let mut w = self.writer(format, &mut buf, &widths)?;
        for o in &self.occurrences {
            w.row(self, o)?;
        }
        if let Some(mut book) = w.end(self)? {
            buf = book.save_to_buffer().map_err(|e| e.to_string())?;
        }
        Ok(buf)
    }

    /// Widens `widths` to one row's cells in the text table.
    pub fn widen(&self, widths: &mut [usize; 14], o: &OccRow) {
        for (w, c) in widths.iter_mut().zip(self.detail_cells(o, text::DATE)) {
            *w = (*w).max(c.chars().count());
        }
    }

    /// Writes everything before the detail rows to `out` and returns the
    /// writer for the rows. `widths` are the text table's, from
    /// [`Report::widen`] over every row to come.
    pub fn writer<'w>(
        &self,
        format: Format,
        out: &'w mut dyn Write,
        widths: &[usize; 14],
    ) -> Result<Writer<'w>, String> {
        let io = |e: std::io::Error| e.to_string();
        Ok(match format {
            Format::Text => {
                let widths = text::widths(self, widths);
                out.write_all(text::head(self, &widths).as_bytes())
                    .map_err(io)?;
                Writer::Text { out, widths }
            }
            Format::Csv => Writer::Csv(Box::new(csv::head(self, out)?)),
            Format::Html => {
                out.write_all(html::head(self).as_bytes()).map_err(io)?;
                Writer::Html(out)
            }
            Format::Json => {
                json_head(self, out)?;
                Writer::Json {
                    out,
                    first: true,
                    buf: Vec::new(),
                }
            }
            Format::Xlsx => Writer::Xlsx(Box::new(xlsx::head(self)?)),
        })
    }
}

/// A report being written: what comes before the detail rows is out, the
/// rows go one at a time, in order, then [`Writer::end`].
pub enum Writer<'w> {
    Text {
        out: &'w mut dyn Write,
        widths: Vec<usize>,
    },
    Csv(Box<::csv::Writer<&'w mut dyn Write>>),
    Html(&'w mut dyn Write),
    Json {
        out: &'w mut dyn Write,
        first: bool,
        /// One row's JSON, its room reused.
        buf: Vec<u8>,
    },
    Xlsx(Box<xlsx::Book>),
}

impl Writer<'_> {
    /// Writes one detail row.
    pub fn row(&mut self, r: &Report, o: &OccRow) -> Result<(), String> {
        let io = |e: std::io::Error| e.to_string();
        match self {
            Writer::Text { out, widths } => out
                .write_all(text::row(r, widths, o).as_bytes())
                .map_err(io),
            Writer::Csv(w) => csv::row(r, w, o),
            Writer::Html(out) => out.write_all(html::row(r, o).as_bytes()).map_err(io),
            Writer::Json { out, first, buf } => {
                buf.clear();
                buf.extend_from_slice(if *first { b"[\n" } else { b",\n" });
                *first = false;
                let at = buf.len();
                serde_json::to_writer_pretty(&mut *buf, o).map_err(|e| e.to_string())?;
                // An element of the array at the second level: its lines
                // indented by four more spaces (strings hold no newline).
                let (head, one) = buf.split_at(at);
                out.write_all(head).map_err(io)?;
                for (k, line) in one.split(|b| *b == b'\n').enumerate() {
                    out.write_all(if k > 0 { b"\n    " } else { b"    " })
                        .map_err(io)?;
                    out.write_all(line).map_err(io)?;
                }
                Ok(())
            }
            Writer::Xlsx(b) => b.row(r, o).map_err(|e| e.to_string()),
        }
    }

    /// Writes what follows the rows. An xlsx workbook is returned to be
    /// saved where it goes.
    pub fn end(self, r: &Report) -> Result<Option<rust_xlsxwriter::Workbook>, String> {
        let io = |e: std::io::Error| e.to_string();
        match self {
            Writer::Text { out, .. } => out.write_all(text::tail(r).as_bytes()).map_err(io)?,
            Writer::Csv(w) => {
                w.into_inner().map_err(|e| e.to_string())?;
            }
            Writer::Html(out) => out.write_all(html::tail(r).as_bytes()).map_err(io)?,
            Writer::Json { out, first, .. } => {
                let end: &[u8] = if first { b"[]\n}\n" } else { b"\n  ]\n}\n" };
                out.write_all(end).map_err(io)?;
            }
            Writer::Xlsx(b) => return b.end(r).map(Some).map_err(|e| e.to_string()),
        }
        Ok(None)
    }
}

/// The JSON report up to its `occurrences` array: the shape of
/// `serde_json::to_vec_pretty(report)`, the array written by [`Writer`].
fn json_head(r: &Report, out: &mut dyn Write) -> Result<(), String> {
    #[derive(Serialize)]
    struct Head<'a> {
        heading: &'a Heading,
        period: &'a Period,
        integrity: &'a Integrity,
        topics: &'a [String],
        by_topic: &'a [TopicRow],
        total: &'a TopicRow,
        by_kind: &'a Kinds,
        by_day: &'a [DayRow],
        accuracy: &'a Accuracy,
        occurrences: [u8; 0],
    }
    let head = serde_json::to_vec_pretty(&Head {
        heading: &r.heading,
        period: &r.period,
        integrity: &r.integrity,
        topics: &r.topics,
        by_topic: &r.by_topic,
        total: &r.total,
        by_kind: &r.by_kind,
        by_day: &r.by_day,
        accuracy: &r.accuracy,
        occurrences: [],
    })
    .map_err(|e| e.to_string())?;
    let head = head.strip_suffix(b"[]\n}").unwrap_or(&head);
    out.write_all(head).map_err(|e| e.to_string())
}
