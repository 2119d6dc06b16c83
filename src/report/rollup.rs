//! The district's roll-up (SPEC §6, issue 13): one report over several
//! stations' folders, each log verified on its own.
//!
//! Stations are read one after another with the same per-station maker as
//! a single report ([`super::make`], or the whole-log [`super::build`] for a
//! broken log), and only each one's summary is kept: its counts per topic,
//! minutes per day and kind, accuracy and integrity. The sum is added from
//! those summaries, so memory is one station's report at a time plus a few
//! kilobytes per station. Only the CSV lists every occurrence (a second
//! read of each station, in turn, with a Station column); the other formats
//! show the summary and say where the detail is.

use std::collections::BTreeMap;
use std::path::PathBuf;

use chrono::NaiveDate;
use serde::Serialize;

use super::{
    Accuracy, DayRow, Format, Heading, Integrity, Kinds, Made, Period, Report, TopicRow, labels,
    round,
};
use crate::i18n::Lang;
use crate::i18n::rollup::rollup_labels;

pub use crate::i18n::rollup::StationProblem;

/// One station folder, as the command line found it.
#[derive(Clone, Debug)]
pub struct Station {
    /// The name on its row: its config's `station`, else the folder's name.
    pub name: String,
    /// The folder as given on the command line.
    pub folder: String,
    /// Its play-log folder, or why it gives no figures.
    pub log: Result<PathBuf, StationProblem>,
}

/// One station's row in a roll-up.
#[derive(Clone, Debug, Serialize)]
pub struct StationRow {
    pub station: String,
    pub folder: String,
    /// Its own log's integrity; `None` when it could not be read.
    pub integrity: Option<Integrity>,
    /// Why it gives no figures; `None` when it was read.
    pub unreadable: Option<StationProblem>,
    pub total: TopicRow,
    pub by_topic: Vec<TopicRow>,
    pub by_kind: Kinds,
    pub accuracy: Accuracy,
}

impl StationRow {
    /// Read, but its chain is broken.
    pub fn broken(&self) -> bool {
        self.integrity.as_ref().is_some_and(|i| !i.intact)
    }
}

/// Where a station's detail rows come from on the CSV's second read.
pub(super) enum Source {
    Stream(Box<Made>),
    Whole(PathBuf),
    /// Unreadable, or its rows are not wanted (not a CSV).
    NoRows,
}

/// A roll-up ready to be written in any format.
pub struct Rollup {
    /// The sum, with [`Report::stations`]; it has no detail rows.
    pub report: Report,
    pub(super) stations: Vec<Station>,
    pub(super) sources: Vec<Source>,
}

/// Reads each station in turn and adds up their summaries. `format` says
/// whether the detail rows will be wanted (CSV) and so what to keep.
pub fn make(
    stations: Vec<Station>,
    period: Period,
    heading: Heading,
    lang: Lang,
    format: Format,
) -> Rollup {
    let mut rows = Vec::with_capacity(stations.len());
    let mut sources = Vec::with_capacity(stations.len());
    let mut sum = Sum::new(lang);
    // Two stations of one name are told apart by their folders.
    let named = |name: &str| stations.iter().filter(|s| s.name == name).count();
    for st in &stations {
        let (report, source, unreadable) = match &st.log {
            Err(p) => (None, Source::NoRows, Some(p.clone())),
            Ok(dir) => match one(dir, &period, &heading, lang, format) {
                Ok((r, s)) => (r, s, None),
                Err((file, detail)) => (
                    None,
                    Source::NoRows,
                    Some(StationProblem::LogUnreadable {
                        folder: st.folder.clone(),
                        file,
                        detail,
                    }),
                ),
            },
        };
        let name = match named(&st.name) {
            1 => st.name.clone(),
            _ => format!("{} ({})", st.name, st.folder),
        };
        if let Some(r) = &report {
            sum.add(&name, r);
        }
        rows.push(StationRow {
            station: name,
            folder: st.folder.clone(),
            unreadable,
            total: report.as_ref().map(|r| r.total.clone()).unwrap_or_default(),
            by_topic: report
                .as_ref()
                .map(|r| r.by_topic.clone())
                .unwrap_or_default(),
            by_kind: report
                .as_ref()
                .map(|r| r.by_kind.clone())
                .unwrap_or_default(),
            accuracy: report
                .as_ref()
                .map(|r| r.accuracy.clone())
                .unwrap_or_default(),
            integrity: report.map(|r| r.integrity),
        });
        sources.push(source);
    }
    let mut report = sum.report(period, heading);
    report.stations = rows;
    Rollup {
        report,
        stations,
        sources,
    }
}

/// One station's report without its rows, and where its rows are; or the
/// month file that cannot be read at all, and why.
fn one(
    dir: &std::path::Path,
    period: &Period,
    heading: &Heading,
    lang: Lang,
    format: Format,
) -> Result<(Option<Report>, Source), (String, String)> {
    // Csv: `make` measures the text table's widths only for text.
    if let Some(made) = super::make(dir, period.clone(), heading.clone(), lang, Format::Csv) {
        let summary = summary_of(&made.report);
        let source = if format == Format::Csv {
            Source::Stream(Box::new(made))
        } else {
            Source::NoRows
        };
        return Ok((Some(summary), source));
    }
    // A broken log is read whole, as a single report reads it, for its
    // faults and the rows they leave unverified; then let go.
    let scan = crate::playlog::scan(dir);
    if let Some((file, detail)) = scan.faults.iter().find_map(|f| match &f.problem {
        crate::kinds::Problem::Io { detail } => Some((f.at.file.clone(), detail.clone())),
        _ => None,
    }) {
        return Err((file, detail));
    }
    let mut r = super::build(&scan, period.clone(), heading.clone(), lang);
    r.occurrences = Vec::new();
    Ok((Some(r), Source::Whole(dir.to_path_buf())))
}

/// The parts of a report a roll-up keeps.
fn summary_of(r: &Report) -> Report {
    Report {
        lang: r.lang,
        heading: Heading::default(),
        period: r.period.clone(),
        integrity: r.integrity.clone(),
        topics: r.topics.clone(),
        by_topic: r.by_topic.clone(),
        total: r.total.clone(),
        by_kind: r.by_kind.clone(),
        by_day: r.by_day.clone(),
        accuracy: r.accuracy.clone(),
        occurrences: Vec::new(),
        rows: r.rows,
        stations: Vec::new(),
    }
}

/// The roll-up's sum, added one station's summary at a time.
struct Sum {
    lang: Lang,
    per: BTreeMap<String, TopicRow>,
    total: TopicRow,
    kinds: Kinds,
    day: BTreeMap<(NaiveDate, String), f64>,
    day_relayed: BTreeMap<NaiveDate, f64>,
    accuracy: Vec<Accuracy>,
    integrity: Integrity,
    rows: usize,
}

impl Sum {
    fn new(lang: Lang) -> Sum {
        Sum {
            lang,
            per: BTreeMap::new(),
            total: TopicRow {
                topic: labels::labels(lang).total.to_string(),
                ..Default::default()
            },
            kinds: Kinds::default(),
            day: BTreeMap::new(),
            day_relayed: BTreeMap::new(),
            accuracy: Vec::new(),
            integrity: Integrity {
                intact: true,
                lines: 0,
                faults: 0,
                first_fault: None,
                first_problem: None,
                head: rollup_labels(lang).head_each.to_string(),
                ..Default::default()
            },
            rows: 0,
        }
    }

    fn add(&mut self, name: &str, r: &Report) {
        for t in &r.by_topic {
            let into = self.per.entry(t.topic.clone()).or_insert_with(|| TopicRow {
                topic: t.topic.clone(),
                ..Default::default()
            });
            add_row(into, t);
        }
        add_row(&mut self.total, &r.total);
        self.kinds.recorded += r.by_kind.recorded;
        self.kinds.spoken += r.by_kind.spoken;
        self.kinds.relayed += r.by_kind.relayed;
        self.kinds.relayed_received += r.by_kind.relayed_received;
        for d in &r.by_day {
            *self.day_relayed.entry(d.date).or_default() += d.relayed;
            for (t, m) in r.topics.iter().zip(&d.minutes) {
                *self.day.entry((d.date, t.clone())).or_default() += m;
            }
        }
        if r.accuracy.count > 0 {
            self.accuracy.push(r.accuracy.clone());
        }
        self.rows += r.rows;
        let i = &r.integrity;
        let all = &mut self.integrity;
        all.lines += i.lines;
        all.faults += i.faults;
        all.unverified += i.unverified;
        all.unsynced_starts += i.unsynced_starts;
        all.unrecorded_clock_starts += i.unrecorded_clock_starts;
        all.synced_starts += i.synced_starts;
        if !i.intact && all.intact {
            all.intact = false;
            all.first_fault = Some(format!(
                "{name}: {}",
                i.first_fault.as_deref().unwrap_or("?")
            ));
            all.first_problem = i.first_problem.clone();
        }
    }

    fn report(self, period: Period, heading: Heading) -> Report {
        let mut by_topic: Vec<TopicRow> = self.per.into_values().collect();
        let mut total = self.total;
        for r in by_topic.iter_mut().chain(std::iter::once(&mut total)) {
            // Each station's minutes as printed, added: the column adds up.
            r.minutes = round(r.minutes, 2);
            r.completion_pct =
                (r.due > 0).then(|| round(100.0 * r.played as f64 / r.due as f64, 1));
        }
        let topics: Vec<String> = by_topic.iter().map(|t| t.topic.clone()).collect();
        let by_day = period
            .days()
            .map(|date| {
                let minutes: Vec<f64> = topics
                    .iter()
                    .map(|t| round(self.day.get(&(date, t.clone())).copied().unwrap_or(0.0), 2))
                    .collect();
                // Folded from +0.0: an empty f64 sum is -0.0, printed "-0.00".
                let total = round(minutes.iter().fold(0.0, |a, m| a + m), 2);
                let relayed = self.day_relayed.get(&date).copied().unwrap_or(0.0);
                // Limits are each station's own: its own report holds each
                // day against them, a sum of stations cannot.
                DayRow {
                    date,
                    minutes,
                    total,
                    relayed: round(relayed, 2),
                    sessions: None,
                    limits_broken: None,
                }
            })
            .collect();
        let k = self.kinds;
        Report {
            lang: self.lang,
            heading,
            period,
            integrity: self.integrity,
            topics,
            by_topic,
            total,
            by_kind: Kinds {
                recorded: round(k.recorded, 2),
                spoken: round(k.spoken, 2),
                relayed: round(k.relayed, 2),
                relayed_received: round(k.relayed_received, 2),
            },
            by_day,
            accuracy: combined(&self.accuracy),
            occurrences: Vec::new(),
            // Every station's rows, for the integrity line's "n of m"; a
            // roll-up lists none of them (see `detail_note`).
            rows: self.rows,
            stations: Vec::new(),
        }
    }
}

fn add_row(into: &mut TopicRow, r: &TopicRow) {
    into.due += r.due;
    into.played += r.played;
    into.interrupted += r.interrupted;
    into.failed += r.failed;
    into.missed += r.missed;
    into.skipped += r.skipped;
    into.open += r.open;
    into.minutes += r.minutes;
    into.unverified += r.unverified;
}

/// The start accuracy over all stations: the count and the worst are
/// exact; the median and 95th percentile cannot be made from each
/// station's own, so they are given only when one station sounded
/// anything (each station's are on its row).
fn combined(each: &[Accuracy]) -> Accuracy {
    if let [one] = each {
        return one.clone();
    }
    let worst = each
        .iter()
        .filter_map(|a| a.worst_ms)
        .fold(None, |w, x| match w {
            Some(w) if f64::abs(w) > x.abs() || (w.abs() == x.abs() && w >= x) => Some(w),
            _ => Some(x),
        });
    Accuracy {
        count: each.iter().map(|a| a.count).sum(),
        median_ms: None,
        p95_ms: None,
        worst_ms: worst,
    }
}
