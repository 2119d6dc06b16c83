//! Reports (SPEC §6): the play log turned into the weekly, monthly or
//! any-period review a commune sends upward.
//!
//! Pure: [`build`] takes the log as read back by [`crate::playlog::scan`],
//! the period and the moment of making, and returns a [`Report`] whose every
//! figure comes from the log alone. The formats render that one model.

mod csv;
mod html;
pub use crate::i18n::labels;
mod period;
#[cfg(test)]
mod tests;
mod text;
mod xlsx;

use std::collections::{BTreeMap, HashMap};

use chrono::{DateTime, FixedOffset, NaiveDate};
use serde::Serialize;

use crate::i18n::{Lang, Words};
use crate::kinds::Outcome;
use crate::playlog::Scan;

pub use period::{MAX_YEARS, Period, PeriodError};

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
    pub prepared_by: String,
    pub approved_by: String,
    /// When the report was made, local RFC 3339.
    pub made_at: String,
}

/// The log's integrity as the report states it.
#[derive(Clone, Debug, Serialize)]
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
            .map(|p| format!("{p:.1} %"))
            .unwrap_or_else(|| "–".into())
    }
}

/// Minutes aired on one day, per topic in [`Report::topics`] order.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct DayRow {
    pub date: NaiveDate,
    pub minutes: Vec<f64>,
    pub total: f64,
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
#[derive(Clone, Debug, Serialize, PartialEq)]
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
    pub priority: String,
    /// The output it played on (SPEC §2.1 `outputs`).
    pub output: String,
    pub audio: Vec<String>,
    /// The first 12 hex digits of each audio file's SHA-256.
    pub audio_hash: Vec<String>,
    /// Machine words from the log; `open` when no finish yet.
    pub outcome: String,
    pub reason: Option<String>,
    pub attempts: u32,
    /// False when any of its lines lies after a chain fault.
    pub verified: bool,
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
    pub by_day: Vec<DayRow>,
    pub accuracy: Accuracy,
    pub occurrences: Vec<OccRow>,
}

/// One occurrence gathered from its lines.
#[derive(Default)]
struct Gathered {
    id: String,
    scheduled: Option<DateTime<FixedOffset>>,
    schedule: String,
    broadcast: String,
    topic: String,
    priority: String,
    output: String,
    audio: Vec<(String, String)>,
    first_sample: Option<DateTime<FixedOffset>>,
    ended: Option<DateTime<FixedOffset>>,
    played_s: f64,
    outcome: Option<String>,
    reason: Option<String>,
    attempts: u32,
    /// The attempt number of the open `start`, 0 when none is open.
    attempt: u32,
    errors_ms: Vec<f64>,
    last_line: usize,
}

/// Builds the report for `period` from the log as scanned.
pub fn build(scan: &Scan, period: Period, heading: Heading, lang: Lang) -> Report {
    let trusted = scan.trusted_until();
    let gathered = gather(scan, &period);
    // Sorted by reference: moving the large rows themselves costs more
    // than building them.
    let mut order: Vec<&Gathered> = gathered.iter().collect();
    order.sort_by(|a, b| (a.scheduled, &a.id).cmp(&(b.scheduled, &b.id)));
    let occurrences: Vec<(OccRow, &[f64])> = order
        .into_iter()
        .map(|g| (row(g, trusted), g.errors_ms.as_slice()))
        .collect();

    let mut per: BTreeMap<String, TopicRow> = BTreeMap::new();
    let mut total = TopicRow {
        topic: labels::labels(lang).total.to_string(),
        ..Default::default()
    };
    let mut errors = Vec::new();
    let mut day_minutes: BTreeMap<(NaiveDate, String), f64> = BTreeMap::new();
    for (o, errs) in &occurrences {
        let t = per.entry(o.topic.clone()).or_insert_with(|| TopicRow {
            topic: o.topic.clone(),
            ..Default::default()
        });
        for row in [&mut *t, &mut total] {
            count(row, o);
        }
        errors.extend_from_slice(errs);
        *day_minutes.entry((o.date, o.topic.clone())).or_default() += o.played_s / 60.0;
    }
    let topics: Vec<String> = per.keys().cloned().collect();
    let mut by_topic: Vec<TopicRow> = per.into_values().collect();
    for r in by_topic.iter_mut().chain(std::iter::once(&mut total)) {
        r.completion_pct = (r.due > 0).then(|| round(100.0 * r.played as f64 / r.due as f64, 1));
        r.minutes = round(r.minutes, 2);
    }
    let by_day = period
        .days()
        .map(|date| {
            let minutes: Vec<f64> = topics
                .iter()
                .map(|t| {
                    round(
                        day_minutes.get(&(date, t.clone())).copied().unwrap_or(0.0),
                        2,
                    )
                })
                .collect();
            let total = round(minutes.iter().sum(), 2);
            DayRow {
                date,
                minutes,
                total,
            }
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
        unverified: occurrences.iter().filter(|(o, _)| !o.verified).count(),
    };
    Report {
        lang,
        heading,
        period,
        integrity,
        topics,
        by_topic,
        total,
        by_day,
        accuracy: accuracy(errors),
        occurrences: occurrences.into_iter().map(|(o, _)| o).collect(),
    }
}

/// Groups the lines of each occurrence scheduled inside `period`.
fn gather(scan: &Scan, period: &Period) -> Vec<Gathered> {
    let mut by_id: HashMap<&str, Gathered> = HashMap::new();
    for (i, line) in scan.lines.iter().enumerate() {
        let Some(r) = &line.record else { continue };
        let Some(id) = r.id.as_deref() else { continue };
        if r.event != "start" && r.event != "finish" {
            continue;
        }
        let g = by_id.entry(id).or_insert_with(|| Gathered {
            id: id.to_string(),
            ..Default::default()
        });
        g.last_line = i;
        if g.scheduled.is_none() {
            g.scheduled = r
                .scheduled
                .as_deref()
                .or_else(|| crate::plan::time_text_of_id(id))
                .and_then(|s| DateTime::parse_from_rfc3339(s).ok());
        }
        if let Some(b) = &r.broadcast {
            g.schedule = r.schedule.clone().unwrap_or_default();
            g.broadcast = b.clone();
            g.topic = r.topic.clone().unwrap_or_default();
            g.priority = r.priority.clone().unwrap_or_default();
        }
        if let Some(o) = &r.output {
            g.output = o.clone();
        }
        match r.event.as_str() {
            "start" => {
                g.attempts += 1;
                g.attempt = r.attempt.unwrap_or(1);
                g.audio = r
                    .audio
                    .iter()
                    .map(|a| (a.path.clone(), a.sha256.chars().take(12).collect()))
                    .collect();
                g.outcome = None;
            }
            _ => {
                if let (Some(ms), Some(s)) = (r.start_error_ms, g.scheduled) {
                    errors_push(g, ms, s);
                }
                g.attempt = 0;
                g.played_s += r.played_s.unwrap_or(0.0);
                g.outcome = r.outcome.clone();
                g.reason = r.reason.clone();
                g.ended = DateTime::parse_from_rfc3339(&r.at).ok();
                g.attempts = g.attempts.max(1);
            }
        }
    }
    by_id
        .into_values()
        .filter(|g| {
            g.scheduled
                .is_some_and(|s| period.contains(s.naive_local().date()))
        })
        .collect()
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

fn row(g: &Gathered, trusted: usize) -> OccRow {
    let scheduled = g.scheduled.map(|s| s.naive_local());
    OccRow {
        id: g.id.clone(),
        date: scheduled.map(|s| s.date()).unwrap_or_default(),
        scheduled: scheduled.map(|s| hms(s.time(), false)).unwrap_or_default(),
        started: g.first_sample.map(|t| hms(t.naive_local().time(), true)),
        ended: g.ended.map(|t| hms(t.naive_local().time(), false)),
        played_s: round(g.played_s, 3),
        schedule: g.schedule.clone(),
        broadcast: g.broadcast.clone(),
        topic: g.topic.clone(),
        priority: g.priority.clone(),
        output: g.output.clone(),
        audio: g.audio.iter().map(|(p, _)| p.clone()).collect(),
        audio_hash: g.audio.iter().map(|(_, h)| h.clone()).collect(),
        outcome: g.outcome.clone().unwrap_or_else(|| "open".into()),
        reason: g.reason.clone(),
        attempts: g.attempts,
        verified: g.last_line < trusted,
    }
}

/// `HH:MM:SS`, or `HH:MM:SS.mmm` with `millis`. Written out by hand: this
/// runs three times per occurrence, and chrono's formatter parses its
/// pattern each time.
fn hms(t: chrono::NaiveTime, millis: bool) -> String {
    use chrono::Timelike as _;
    let base = format!("{:02}:{:02}:{:02}", t.hour(), t.minute(), t.second());
    if millis {
        format!("{base}.{:03}", t.nanosecond() / 1_000_000 % 1000)
    } else {
        base
    }
}

fn count(r: &mut TopicRow, o: &OccRow) {
    r.due += 1;
    match Outcome::parse(&o.outcome) {
        Some(Outcome::Played) => r.played += 1,
        Some(Outcome::Interrupted) => r.interrupted += 1,
        Some(Outcome::Failed) => r.failed += 1,
        Some(Outcome::Missed) => r.missed += 1,
        Some(Outcome::Skipped) => r.skipped += 1,
        None => r.open += 1,
    }
    r.minutes += o.played_s / 60.0;
    if !o.verified {
        r.unverified += 1;
    }
}

fn accuracy(mut errs: Vec<f64>) -> Accuracy {
    if errs.is_empty() {
        return Accuracy::default();
    }
    errs.sort_by(f64::total_cmp);
    let pick = |q: f64| {
        // Nearest rank: the smallest value with at least q of them at or below.
        let rank = ((q * errs.len() as f64).ceil() as usize).clamp(1, errs.len());
        round(errs[rank - 1], 3)
    };
    let worst = errs
        .iter()
        .copied()
        .max_by(|a, b| a.abs().total_cmp(&b.abs()))
        .map(|w| round(w, 3));
    Accuracy {
        count: errs.len(),
        median_ms: Some(pick(0.5)),
        p95_ms: Some(pick(0.95)),
        worst_ms: worst,
    }
}

fn round(x: f64, digits: i32) -> f64 {
    let k = 10f64.powi(digits);
    (x * k).round() / k
}

impl Report {
    /// One occurrence's cells for people, in
    /// [`Labels::detail_columns`](labels::Labels::detail_columns) order,
    /// the date written with `date_format`.
    pub fn detail_cells(&self, o: &OccRow, date_format: &str) -> [String; 14] {
        let l = labels::labels(self.lang);
        [
            o.date.format(date_format).to_string(),
            o.scheduled.clone(),
            o.started.clone().unwrap_or_default(),
            o.ended.clone().unwrap_or_default(),
            format!("{:.1}", o.played_s),
            o.broadcast.clone(),
            o.topic.clone(),
            o.output.clone(),
            labels::priority(self.lang, &o.priority),
            o.audio.join("; "),
            o.audio_hash.join("; "),
            labels::outcome(self.lang, &o.outcome),
            o.reason
                .as_deref()
                .map(|x| labels::reason(self.lang, x))
                .unwrap_or_default(),
            if o.verified { l.yes } else { l.no }.to_string(),
        ]
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

    /// Renders the report in `format`.
    pub fn render(&self, format: Format) -> Result<Vec<u8>, String> {
        match format {
            Format::Text => Ok(text::render(self).into_bytes()),
            Format::Csv => csv::render(self),
            Format::Xlsx => xlsx::render(self),
            Format::Html => Ok(html::render(self).into_bytes()),
            Format::Json => serde_json::to_vec_pretty(self)
                .map(|mut v| {
                    v.push(b'\n');
                    v
                })
                .map_err(|e| e.to_string()),
        }
    }
}
