//! `loa next`: what will play, and what will collide (SPEC §4). The
//! prediction comes from [`crate::preview`]: the daemon's own on-air rules
//! played on paper.

use std::fmt::Write as _;
use std::io::Write as _;
use std::process::ExitCode;
use std::time::Duration;

use chrono::{DateTime, SecondsFormat, Utc};
use chrono_tz::Tz;
use serde::Serialize;

use crate::config::Config;
use crate::i18n::{Lang, Usage, Words};
use crate::kinds::{Outcome, Priority, Reason};
use crate::preview::Happens;
use crate::sound::audio::AudioCache;
use crate::units::round3;

/// One line of `next --json`.
#[derive(Debug, Serialize)]
pub struct Item {
    pub time: String,
    pub id: String,
    pub schedule: String,
    pub broadcast: String,
    pub priority: Priority,
    pub topic: String,
    pub output: String,
    pub audio: Vec<String>,
    /// What a relay takes (its URL or `alsa:<pcm>`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub relay: Option<String>,
    pub length_s: f64,
    /// The length holds speech not rendered yet: estimated from its words.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub length_estimated: bool,
    pub conflict: Option<Conflict>,
    /// When its first attempt starts; None when it will not sound.
    pub start: Option<String>,
    /// When its last attempt ends.
    pub end: Option<String>,
    /// The final outcome it will have.
    pub outcome: Outcome,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<Reason>,
    /// Repeats that will not sound, and why (they would start in quiet
    /// hours); `end` is already without them.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub dropped_repeats: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub dropped_reason: Option<Reason>,
    /// Each time an emergency cuts it, and when it starts again.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub restarts: Vec<RestartItem>,
    /// What happens to it besides sounding at its time, typed: `conflict`
    /// is its JSON form, and every sentence about it is said from this.
    #[serde(skip)]
    pub(crate) happens: Option<Happens>,
    #[serde(skip)]
    pub(crate) local: Option<DateTime<Tz>>,
    #[serde(skip)]
    repeat: u32,
}

/// A cut of an occurrence by an emergency.
#[derive(Debug, Serialize, PartialEq)]
pub struct RestartItem {
    pub cut_at: String,
    pub by: String,
    pub again_at: Option<String>,
}

/// What an occurrence collides with and what will happen.
#[derive(Debug, Serialize, PartialEq)]
pub struct Conflict {
    /// The other broadcast, or `quiet_hours` / `approval`.
    pub with: String,
    /// `waits`, `missed`, `cuts`, `interrupted` or `skipped`.
    pub outcome: &'static str,
    /// For `waits`: seconds after its time that it will start.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub delay_s: Option<f64>,
}

/// The occurrences of `days` days from `from`, with what will happen.
pub fn items(config: &Config, cache: &mut AudioCache, from: DateTime<Utc>, days: u32) -> Vec<Item> {
    let schedules: Vec<_> = crate::station::read_all(config)
        .into_iter()
        .filter_map(|f| f.schedule)
        .collect();
    let to = from + chrono::TimeDelta::days(i64::from(days.max(1)));
    let tz = config.timezone;
    let fmt = |t: DateTime<Utc>| {
        t.with_timezone(&tz)
            .to_rfc3339_opts(SecondsFormat::Millis, false)
    };
    crate::preview::span(config, cache, &schedules, from, to)
        .into_iter()
        .map(|x| {
            let b = x.occ.broadcast();
            let happens = x.happens();
            Item {
                time: x.occ.time.to_rfc3339_opts(SecondsFormat::Secs, false),
                id: x.occ.id.clone(),
                schedule: x.occ.schedule.file.clone(),
                broadcast: b.name.clone(),
                priority: b.priority,
                topic: b.topic.clone(),
                output: x.occ.output.as_deref().unwrap_or_default().to_string(),
                audio: b.audio.iter().map(|a| a.path.clone()).collect(),
                relay: b.relay.as_ref().map(|r| r.source.as_record()),
                length_s: round3(x.length.as_secs_f64()),
                length_estimated: x.estimated,
                conflict: conflict(happens.as_ref()),
                start: x.p.start.map(fmt),
                end: x.p.end.map(fmt),
                outcome: x.p.outcome,
                reason: x.p.reason.clone(),
                dropped_repeats: x.p.dropped.as_ref().map(|d| d.repeats),
                dropped_reason: x.p.dropped.as_ref().map(|d| d.reason.clone()),
                restarts: x
                    .p
                    .restarts
                    .iter()
                    .map(|r| RestartItem {
                        cut_at: fmt(r.cut_at),
                        by: r.by.name.clone(),
                        again_at: r.again_at.map(fmt),
                    })
                    .collect(),
                happens,
                local: Some(x.occ.time),
                repeat: b.repeat,
            }
        })
        .collect()
}

fn conflict(happens: Option<&Happens>) -> Option<Conflict> {
    let c = |with: &str, outcome, delay_s| {
        Some(Conflict {
            with: with.to_string(),
            outcome,
            delay_s,
        })
    };
    match happens? {
        Happens::QuietHours => c("quiet_hours", "skipped", None),
        Happens::NotApproved => c("approval", "skipped", None),
        Happens::Missed { behind } => c(
            behind.as_ref().map_or("", |w| w.name.as_str()),
            "missed",
            None,
        ),
        Happens::Cuts(cut) => c(&cut.name, "cuts", None),
        Happens::Cut(r) => c(&r.by.name, "interrupted", None),
        Happens::Waits { behind, delay } => {
            c(&behind.name, "waits", Some(round3(delay.as_secs_f64())))
        }
    }
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

/// `HH:MM:SS` local, of an RFC 3339 time.
fn clock_of(t: &str) -> String {
    DateTime::parse_from_rfc3339(t)
        .map(|t| t.format("%H:%M:%S").to_string())
        .unwrap_or_else(|_| t.to_string())
}

/// A table for the terminal, with what will happen under the line it
/// concerns.
pub fn table(items: &[Item], lang: Lang, several: bool) -> String {
    let w = Words::new(lang);
    if items.is_empty() {
        return format!("{}\n", w.nothing_planned());
    }
    let rows: Vec<Vec<String>> = items
        .iter()
        .map(|i| {
            let time = i
                .local
                .map(|t| {
                    format!(
                        "{} {} {}",
                        t.format("%Y-%m-%d"),
                        w.weekday(chrono::Datelike::weekday(&t)),
                        t.format("%H:%M:%S")
                    )
                })
                .unwrap_or_else(|| i.time.clone());
            let mut len = crate::units::format_duration(Duration::from_secs_f64(i.length_s));
            if i.length_estimated {
                // Speech not rendered yet: about this long.
                len.insert(0, '~');
            }
            let mut row = vec![
                time,
                i.broadcast.clone(),
                i.topic.clone(),
                w.priority(i.priority).to_string(),
                len,
            ];
            if several {
                row.push(i.output.clone());
            }
            row
        })
        .collect();
    let mut header: Vec<String> = w.next_header().iter().map(|s| s.to_string()).collect();
    if several {
        header.push(w.output_word().to_string());
    }
    let mut widths = vec![0usize; header.len()];
    for r in std::iter::once(&header).chain(rows.iter()) {
        for (k, cell) in r.iter().enumerate() {
            widths[k] = widths[k].max(cell.chars().count());
        }
    }
    let line = |r: &[String]| {
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
        for note in notes(i, &w, true) {
            let _ = writeln!(out, "    ⚠ {note}");
        }
    }
    out
}

/// What the table says under an occurrence.
/// `operator`: the words for the station's operator (`next`); otherwise
/// for the public page (`publish`), which tells citizens no command.
pub(crate) fn notes(i: &Item, w: &Words, operator: bool) -> Vec<String> {
    let mut out = Vec::new();
    if let Some(h) = &i.happens {
        let start = i.start.as_deref().map(clock_of).unwrap_or_default();
        out.extend(said(h, w, &start));
    }
    if let (Some(dropped), Some(Reason::QuietHours)) = (i.dropped_repeats, &i.dropped_reason) {
        let end = i.end.as_deref().map(clock_of).unwrap_or_default();
        out.push(w.quiet_repeats(dropped, i.repeat, &end));
    }
    for r in &i.restarts {
        let again = r.again_at.as_deref().map(clock_of);
        out.push(cut_said(w, &r.by, &clock_of(&r.cut_at), again.as_deref()));
    }
    if i.outcome == Outcome::Failed {
        let reason = i
            .reason
            .as_ref()
            .map(|r| crate::report::labels::reason(w.lang, r))
            .unwrap_or_default();
        out.push(match operator {
            true => w.will_fail(&reason),
            false => w.will_not_air(&reason),
        });
    }
    out
}

/// The sentence for what happens to an occurrence (its cuts by an
/// emergency apart, which are told each with its times). `start`: when it
/// starts, `HH:MM:SS`.
pub(crate) fn said(h: &Happens, w: &Words, start: &str) -> Option<String> {
    Some(match h {
        Happens::Waits { behind, .. } => w.conflict_waits(&behind.name, start),
        Happens::Missed { behind } => {
            w.conflict_missed(behind.as_ref().map_or("", |b| b.name.as_str()))
        }
        Happens::Cuts(cut) => w.conflict_cuts(&cut.name),
        Happens::NotApproved => w.not_approved().to_string(),
        Happens::QuietHours => w.quiet_skip().to_string(),
        Happens::Cut(_) => return None,
    })
}

/// The sentence for one cut of an occurrence by the emergency `by`, at
/// `cut_at`, and when it starts again (times `HH:MM:SS`).
pub(crate) fn cut_said(w: &Words, by: &str, cut_at: &str, again: Option<&str>) -> String {
    match again {
        Some(again) => w.cut_and_restarted(by, cut_at, again),
        None => w.cut_for_good(by, cut_at),
    }
}

/// The longest preview: a year, leap day included. The preview plays every
/// occurrence through the on-air rules; a hundred thousand days took seconds
/// and hundreds of megabytes, and a hundred million overflowed the calendar.
pub const MAX_DAYS: u32 = 366;

/// Prints what will play from `from` (default now) for `days` days
/// (1 to [`MAX_DAYS`]; anything else is a usage error).
pub fn command(
    config: &Config,
    lang: Lang,
    now: DateTime<Utc>,
    days: &str,
    from: Option<&str>,
    json: bool,
) -> ExitCode {
    let Some(days) = days
        .trim()
        .parse::<u32>()
        .ok()
        .filter(|d| (1..=MAX_DAYS).contains(d))
    else {
        let u = Usage::Days {
            value: days.to_string(),
            max: MAX_DAYS,
        };
        eprintln!("{}", u.render(lang));
        return ExitCode::from(2);
    };
    let start = match from {
        None => now,
        Some(s) => match super::parse_when(s, config.timezone, now) {
            Some(t) => t,
            None => {
                let u = crate::i18n::Usage::BadWhen {
                    flag: "--from",
                    value: s.into(),
                };
                eprintln!("{}", u.render(lang));
                return ExitCode::from(2);
            }
        },
    };
    let mut cache = AudioCache::persistent(config.state_dir.join("audio.json"));
    let items = items(config, &mut cache, start, days);
    cache.save();
    let out = std::io::stdout();
    let mut out = out.lock();
    let text = if json {
        json_lines(&items)
    } else {
        table(&items, lang, config.outputs().len() > 1)
    };
    // A closed pipe (`loa next | head`) is not an error worth a message.
    let _ = out.write_all(text.as_bytes());
    ExitCode::SUCCESS
}
