//! `loa next`: what will play, and what will collide (SPEC §4).

use std::fmt::Write as _;
use std::time::Duration;

use chrono::{DateTime, SecondsFormat, Utc};
use chrono_tz::Tz;
use serde::Serialize;

use crate::audio::AudioCache;
use crate::config::Config;
use crate::i18n::{Lang, Words};
use crate::plan::{self, Forecast};

/// One line of `next --json`.
#[derive(Debug, Serialize)]
pub struct Item {
    pub time: String,
    pub id: String,
    pub schedule: String,
    pub broadcast: String,
    pub priority: &'static str,
    pub topic: String,
    pub audio: Vec<String>,
    pub length_s: f64,
    pub conflict: Option<Conflict>,
    #[serde(skip)]
    local: Option<DateTime<Tz>>,
}

/// What an occurrence collides with and what will happen.
#[derive(Debug, Serialize, PartialEq)]
pub struct Conflict {
    /// The other broadcast, or `quiet_hours` / `approval`.
    pub with: String,
    /// `waits`, `missed`, `cuts` or `skipped`.
    pub outcome: &'static str,
    /// For `waits`: seconds after its time that it will start.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub delay_s: Option<f64>,
}

/// The occurrences of `days` days from `from`, with their forecast.
pub fn items(config: &Config, cache: &mut AudioCache, from: DateTime<Utc>, days: u32) -> Vec<Item> {
    let schedules: Vec<_> = crate::station::read_all(config)
        .into_iter()
        .filter_map(|f| f.schedule)
        .collect();
    let to = from + chrono::TimeDelta::days(i64::from(days.max(1)));
    let occs = plan::occurrences(&schedules, config.timezone, from, to);
    let fc = crate::check::forecast(config, &occs, cache);
    occs.iter()
        .zip(fc)
        .map(|(o, f)| {
            let b = o.broadcast();
            let length = crate::station::occurrence_length(config, cache, o);
            Item {
                time: o.time.to_rfc3339_opts(SecondsFormat::Secs, false),
                id: o.id.clone(),
                schedule: o.schedule.file.clone(),
                broadcast: b.name.clone(),
                priority: b.priority.as_str(),
                topic: b.topic.clone(),
                audio: b.audio.iter().map(|a| a.path.clone()).collect(),
                length_s: round3(length.as_secs_f64()),
                conflict: conflict(f),
                local: Some(o.time),
            }
        })
        .collect()
}

fn conflict(f: Forecast) -> Option<Conflict> {
    let c = |with: String, outcome, delay_s| {
        Some(Conflict {
            with,
            outcome,
            delay_s,
        })
    };
    match f {
        Forecast::OnTime => None,
        Forecast::Waits { behind, delay } => c(behind, "waits", Some(round3(delay.as_secs_f64()))),
        Forecast::Missed { behind } => c(behind, "missed", None),
        Forecast::Cuts { cut } => c(cut, "cuts", None),
        Forecast::QuietHours => c("quiet_hours".into(), "skipped", None),
        Forecast::NotApproved => c("approval".into(), "skipped", None),
    }
}

fn round3(x: f64) -> f64 {
    (x * 1000.0).round() / 1000.0
}

/// One JSON object per line.
pub fn json_lines(items: &[Item]) -> String {
    let mut s = String::new();
    for i in items {
        if let Ok(line) = serde_json::to_string(i) {
            s.push_str(&line);
            s.push('\n');
        }
    }
    s
}

/// A table for the terminal, with conflicts under the line they concern.
pub fn table(items: &[Item], lang: Lang) -> String {
    let w = Words::new(lang);
    if items.is_empty() {
        return format!("{}\n", w.nothing_planned());
    }
    let rows: Vec<[String; 5]> = items
        .iter()
        .map(|i| {
            let time = i
                .local
                .map(|t| t.format("%Y-%m-%d %a %H:%M:%S").to_string())
                .unwrap_or_else(|| i.time.clone());
            let prio = crate::schedule::Priority::parse(i.priority)
                .map(|p| w.priority(p))
                .unwrap_or(i.priority);
            let len = crate::units::format_duration(Duration::from_secs_f64(i.length_s));
            [
                time,
                i.broadcast.clone(),
                i.topic.clone(),
                prio.to_string(),
                len,
            ]
        })
        .collect();
    let header = w.next_header().map(str::to_string);
    let mut widths = [0usize; 5];
    for r in std::iter::once(&header).chain(rows.iter()) {
        for (k, cell) in r.iter().enumerate() {
            widths[k] = widths[k].max(cell.chars().count());
        }
    }
    let line = |r: &[String; 5]| {
        let mut s = String::new();
        for (k, cell) in r.iter().enumerate() {
            let pad = widths[k] - cell.chars().count();
            let _ = write!(s, "{cell}{}  ", " ".repeat(pad));
        }
        s.trim_end().to_string()
    };
    let mut out = line(&header) + "\n";
    for (i, r) in items.iter().zip(&rows) {
        out.push_str(&line(r));
        out.push('\n');
        if let Some(c) = &i.conflict {
            let note = match c.outcome {
                "waits" => {
                    let start = i
                        .local
                        .map(|t| {
                            (t + chrono::TimeDelta::milliseconds(
                                (c.delay_s.unwrap_or(0.0) * 1000.0) as i64,
                            ))
                            .format("%H:%M:%S")
                            .to_string()
                        })
                        .unwrap_or_default();
                    w.conflict_waits(&c.with, &start)
                }
                "missed" => w.conflict_missed(&c.with),
                "cuts" => w.conflict_cuts(&c.with),
                _ if c.with == "approval" => w.not_approved().to_string(),
                _ => w.quiet_skip().to_string(),
            };
            let _ = writeln!(out, "    ⚠ {note}");
        }
    }
    out
}
