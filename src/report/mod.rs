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
mod spill;
mod stream;
pub use stream::{Made, make};
#[cfg(test)]
mod tests;
mod text;
mod xlsx;

use std::collections::{BTreeMap, HashMap};
use std::io::Write;

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
    /// Of `played_s`, the seconds that were speech (text-to-speech).
    #[serde(skip_serializing_if = "is_zero")]
    pub spoken_s: f64,
    /// The text of its first spoken item, exactly as written.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
}

fn is_zero(x: &f64) -> bool {
    *x == 0.0
}

/// Minutes aired by kind of program (SPEC §6).
#[derive(Clone, Debug, Default, Serialize, PartialEq)]
pub struct Kinds {
    pub recorded: f64,
    pub spoken: f64,
    pub relayed: f64,
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
    /// the report is written as a stream (`occurrences` then stays empty).
    #[serde(skip)]
    pub rows: usize,
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
    /// The share of its program (by length) that is speech, from the last
    /// `start`.
    spoken_share: f64,
    text: Option<String>,
}

/// Builds the report for `period` from the log as scanned.
pub fn build(scan: &Scan, period: Period, heading: Heading, lang: Lang) -> Report {
    let trusted = scan.trusted_until();
    let gathered = gather(scan, &period);
    // Sorted by reference: moving the large rows themselves costs more
    // than building them.
    let mut order: Vec<&Gathered> = gathered.iter().collect();
    order.sort_by(|a, b| (a.scheduled, &a.id).cmp(&(b.scheduled, &b.id)));
    let mut sums = Sums::new(lang);
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
        unverified: 0,
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
}

impl Sums {
    fn new(lang: Lang) -> Sums {
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
    }

    /// The report without its detail rows ([`Report::rows`] says how many).
    fn report(self, period: Period, heading: Heading, mut integrity: Integrity) -> Report {
        let topics: Vec<String> = self.per.keys().cloned().collect();
        let minutes = |ms: i64| round(ms as f64 / 60_000.0, 2);
        let mut by_topic: Vec<TopicRow> = Vec::with_capacity(self.per.len());
        let (mut total, total_ms) = self.total;
        for (mut r, ms) in self.per.into_values() {
            r.minutes = minutes(ms);
            by_topic.push(r);
        }
        total.minutes = minutes(total_ms);
        for r in by_topic.iter_mut().chain(std::iter::once(&mut total)) {
            r.completion_pct =
                (r.due > 0).then(|| round(100.0 * r.played as f64 / r.due as f64, 1));
        }
        let by_day = period
            .days()
            .map(|date| {
                let minutes: Vec<f64> = topics
                    .iter()
                    .map(|t| minutes(self.day_ms.get(&(date, t.clone())).copied().unwrap_or(0)))
                    .collect();
                let total = round(minutes.iter().sum(), 2);
                DayRow {
                    date,
                    minutes,
                    total,
                }
            })
            .collect();
        integrity.unverified = self.unverified;
        Report {
            lang: self.lang,
            heading,
            period,
            integrity,
            topics,
            by_topic,
            by_kind: Kinds {
                recorded: minutes(total_ms - self.spoken_ms),
                spoken: minutes(self.spoken_ms),
                relayed: 0.0,
            },
            total,
            by_day,
            accuracy: self.errors.accuracy(),
            occurrences: Vec::new(),
            rows: self.rows,
        }
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
        if r.event != "start" && r.event != "finish" {
            continue;
        }
        let g = by_id.entry(id).or_insert_with(|| Gathered {
            id: id.to_string(),
            ..Default::default()
        });
        g.last_line = i;
        note(g, r, id);
    }
    by_id
        .into_values()
        .filter(|g| {
            g.scheduled
                .is_some_and(|s| period.contains(s.naive_local().date()))
        })
        .collect()
}

/// Takes one `start` or `finish` line of the occurrence `g` into it.
fn note(g: &mut Gathered, r: &crate::playlog::Record, id: &str) {
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
                .map(|a| {
                    let shown = match &a.speech {
                        Some(s) => format!("{}: «{}»", a.path, excerpt(&s.text)),
                        None => a.path.clone(),
                    };
                    (shown, a.sha256.chars().take(12).collect())
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
                .iter()
                .find_map(|a| a.speech.as_ref().map(|s| s.text.clone()));
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
        spoken_s: round(g.played_s * g.spoken_share, 3),
        text: g.text.clone(),
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
    match Outcome::parse(&o.outcome) {
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

fn round(x: f64, digits: i32) -> f64 {
    let k = 10f64.powi(digits);
    (x * k).round() / k
}

/// One occurrence's cells for people; see [`Report::detail_cells`].
fn cells(lang: Lang, o: &OccRow, date_format: &str) -> [String; 14] {
    let l = labels::labels(lang);

    [
        o.date.format(date_format).to_string(),
        o.scheduled.clone(),
        o.started.clone().unwrap_or_default(),
        o.ended.clone().unwrap_or_default(),
        format!("{:.1}", o.played_s),
        o.broadcast.clone(),
        o.topic.clone(),
        o.output.clone(),
        labels::priority(lang, &o.priority),
        o.audio.join("; "),
        o.audio_hash.join("; "),
        labels::outcome(lang, &o.outcome),
        o.reason
            .as_deref()
            .map(|x| labels::reason(lang, x))
            .unwrap_or_default(),
        if o.verified { l.yes } else { l.no }.to_string(),
    ]
}

impl Report {
    /// One occurrence's cells for people, in
    /// [`Labels::detail_columns`](labels::Labels::detail_columns) order,
    /// the date written with `date_format`.
    pub fn detail_cells(&self, o: &OccRow, date_format: &str) -> [String; 14] {
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
        for (w, c) in widths.iter_mut().zip(self.detail_cells(o, "%Y-%m-%d")) {
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
                Writer::Json { out, first: true }
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
            Writer::Json { out, first } => {
                let one = serde_json::to_string_pretty(o).map_err(|e| e.to_string())?;
                let mut s = String::with_capacity(one.len() + 64);
                s.push_str(if *first { "[\n" } else { ",\n" });
                *first = false;
                // An element of the array at the second level: its lines
                // indented by four more spaces (strings hold no newline).
                for (k, line) in one.split('\n').enumerate() {
                    if k > 0 {
                        s.push('\n');
                    }
                    s.push_str("    ");
                    s.push_str(line);
                }
                out.write_all(s.as_bytes()).map_err(io)
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
            Writer::Json { out, first } => {
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
