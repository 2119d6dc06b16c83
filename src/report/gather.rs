//! The log's lines folded into occurrences for the report: each
//! occurrence's description, attempts, outcome and start errors.

use std::collections::HashMap;

use chrono::{DateTime, FixedOffset};

use super::{OccRow, Period, round};
use crate::kinds::{Event, Outcome, Priority, Reason};
use crate::playlog::Scan;
use crate::playlog::fold::Fold;

/// One occurrence gathered from its lines.
#[derive(Default)]
pub(super) struct Gathered {
    pub(super) id: String,
    pub(super) scheduled: Option<DateTime<FixedOffset>>,
    pub(super) schedule: String,
    pub(super) broadcast: String,
    pub(super) topic: String,
    pub(super) priority: Priority,
    pub(super) output: String,
    pub(super) audio: Vec<(String, String)>,
    pub(super) first_sample: Option<DateTime<FixedOffset>>,
    pub(super) ended: Option<DateTime<FixedOffset>>,
    pub(super) played_s: f64,
    pub(super) outcome: Option<Outcome>,
    pub(super) reason: Option<Reason>,
    pub(super) attempts: u32,
    /// The attempt number of the open `start`, 0 when none is open.
    pub(super) attempt: u32,
    pub(super) errors_ms: Vec<f64>,
    pub(super) last_line: usize,
    /// The share of its program (by length) that is speech, from the last
    /// `start`.
    pub(super) spoken_share: f64,
    pub(super) text: Option<String>,
    /// A relay's source, from its `start`.
    pub(super) source: Option<String>,
    /// Sound received, over its relayed attempts.
    pub(super) received_s: Option<f64>,
    pub(super) unsynced: u32,
    pub(super) unrecorded_clock: u32,
    pub(super) synced: u32,
}

/// Groups the lines of each occurrence scheduled inside `period`.
pub(super) fn gather(scan: &Scan, period: &Period) -> Vec<Gathered> {
    let mut by_id: HashMap<&str, Gathered> = HashMap::new();
    let mut fold: Fold<&str> = Fold::default();
    for (i, line) in scan.lines.iter().enumerate() {
        let Some(r) = &line.record else { continue };
        let Some(id) = r.id.as_deref() else { continue };
        // A line the one-final-outcome rule refuses (a second outcome, a
        // start after it) adds nothing to the figures; the occurrence's row
        // is as far from trusted as that line is.
        let taken = match fold.line(id, &r.event, r.is_final()) {
            Ok(None) => continue,
            Ok(Some(_)) => true,
            Err(_) => false,
        };
        let g = by_id.entry(id).or_insert_with(|| Gathered {
            id: id.to_string(),
            ..Default::default()
        });
        g.last_line = i;
        if taken {
            // The stream read hands its own lines over; here they stay the
            // scan's.
            note(g, &mut r.clone());
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

/// A name or text from the log as the report shows it: a control
/// character (a forged or old line's terminal escape) as U+FFFD.
fn shown(s: String) -> String {
    match crate::chars::visible(&s) {
        std::borrow::Cow::Borrowed(_) => s,
        std::borrow::Cow::Owned(v) => v,
    }
}

/// A notice's text as the report keeps it: its line breaks stay.
fn text_shown(s: String) -> String {
    match crate::chars::visible_text(&s) {
        std::borrow::Cow::Borrowed(_) => s,
        std::borrow::Cow::Owned(v) => v,
    }
}

/// Takes one `start` or `finish` line of the occurrence `g` into it; the
/// text it keeps is moved out of `r`.
pub(super) fn note(g: &mut Gathered, r: &mut crate::playlog::Record) {
    if g.scheduled.is_none() {
        g.scheduled = r
            .scheduled
            .as_deref()
            .and_then(|s| DateTime::parse_from_rfc3339(s).ok());
    }
    if let Some(b) = r.broadcast.take() {
        g.schedule = shown(r.schedule.take().unwrap_or_default());
        g.broadcast = shown(b);
        g.topic = shown(r.topic.take().unwrap_or_default());
        g.priority = r.priority.unwrap_or_default();
    }
    if let Some(o) = r.output.take() {
        g.output = shown(o);
    }
    match r.event {
        Event::Start => {
            // A fallback that played is a recording, not a relay.
            g.source = r.source.take().filter(|_| !r.fallback).map(shown);
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
                    (self::shown(shown), hash)
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
            g.text = r.audio.iter_mut().find_map(|a| {
                a.speech
                    .as_mut()
                    .map(|s| text_shown(std::mem::take(&mut s.text)))
            });
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
pub(super) fn excerpt(text: &str) -> String {
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
pub(super) fn errors_push(g: &mut Gathered, ms: f64, scheduled: DateTime<FixedOffset>) {
    if g.attempt <= 1 {
        g.errors_ms.push(ms);
    }
    if g.first_sample.is_none() {
        let micros = (ms * 1000.0).round() as i64;
        g.first_sample = Some(scheduled + chrono::TimeDelta::microseconds(micros));
    }
}

/// The occurrence's row; its text is moved out of `g`.
pub(super) fn row(g: &mut Gathered, trusted: usize) -> OccRow {
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
pub(super) fn hms(t: chrono::NaiveTime, millis: bool) -> String {
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
