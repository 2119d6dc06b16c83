//! The report as one model every format renders: heading, integrity,
//! sums by topic, day and kind, start accuracy and the detail rows.

use chrono::{DateTime, FixedOffset, NaiveDate};
use serde::Serialize;

use super::{Period, fixed, rollup};
use crate::i18n::Lang;
use crate::kinds::{Outcome, Priority, Reason};
use crate::limits::{LimitBroken, Limits};

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
