//! What aired, read from the play log for `loa publish`: only the month
//! files of the window, line by line, each line as its own small struct.
//! Publishing is not verifying: a line that does not parse is skipped and
//! counted, and the page says how to verify (`loa log verify`).

use std::collections::HashMap;
use std::io::BufRead as _;
use std::path::Path;

use chrono::{DateTime, FixedOffset, Utc};
use chrono_tz::Tz;
use serde::Deserialize;

use crate::kinds::{Event, Outcome, Reason};
use crate::playlog::AudioEntry;
use crate::playlog::fold::{Fold, Stage};

/// The fields of a log line publish reads; the rest is ignored.
#[derive(Deserialize)]
struct Line {
    at: String,
    event: Event,
    #[serde(default)]
    id: Option<String>,
    #[serde(default)]
    broadcast: Option<String>,
    #[serde(default)]
    topic: Option<String>,
    #[serde(default)]
    schedule: Option<String>,
    #[serde(default)]
    audio: Vec<AudioEntry>,
    #[serde(default)]
    output: Option<String>,
    #[serde(default)]
    attempt: Option<u32>,
    #[serde(default)]
    outcome: Option<Outcome>,
    #[serde(default)]
    reason: Option<Reason>,
    #[serde(default)]
    played_s: Option<f64>,
}

/// One attempt that sounded: its `start` and the outcome its `finish` gave.
#[derive(Clone, Debug)]
pub struct Attempt {
    pub id: String,
    pub attempt: u32,
    /// When it started, as the log wrote it (local, with offset).
    pub at: DateTime<FixedOffset>,
    pub broadcast: String,
    pub topic: String,
    pub schedule: String,
    pub output: Option<String>,
    /// `Played` or `Interrupted`; `None` while no finish was read.
    pub outcome: Option<Outcome>,
    pub played_s: f64,
    pub audio: Vec<AudioEntry>,
}

/// What the window's month files hold.
#[derive(Debug, Default)]
pub struct Aired {
    /// Played and interrupted attempts that started in the window, oldest first.
    pub attempts: Vec<Attempt>,
    /// Lines read.
    pub lines: u64,
    /// Lines that did not parse (skipped).
    pub skipped: u64,
    /// SHA-256 of the newest line read: the chain head `log verify` checks.
    pub head: Option<String>,
}

/// Reads the attempts that started in `[from, to]` from the month files
/// of `dir` that can hold them.
pub fn read(dir: &Path, tz: Tz, from: DateTime<Utc>, to: DateTime<Utc>) -> std::io::Result<Aired> {
    let first = from.with_timezone(&tz).format("%Y-%m.jsonl").to_string();
    let mut out = Aired::default();
    let mut open: HashMap<String, usize> = HashMap::new();
    let mut fold: Fold<String> = Fold::default();
    let mut all: Vec<Attempt> = Vec::new();
    for path in crate::playlog::month_files(dir) {
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        if name < first {
            continue;
        }
        let mut r = std::io::BufReader::new(std::fs::File::open(&path)?);
        let mut buf = Vec::new();
        loop {
            buf.clear();
            if r.read_until(b'\n', &mut buf)? == 0 {
                break;
            }
            let raw = buf.strip_suffix(b"\n").unwrap_or(&buf);
            if raw.is_empty() {
                continue;
            }
            out.lines += 1;
            let Ok(line) = serde_json::from_slice::<Line>(raw) else {
                out.skipped += 1;
                continue;
            };
            out.head = Some(crate::hash::sha256_hex(raw));
            take(line, &mut all, &mut open, &mut fold);
        }
    }
    out.attempts = all
        .into_iter()
        .filter(|a| {
            matches!(a.outcome, Some(Outcome::Played | Outcome::Interrupted))
                && a.at >= from
                && a.at <= to
        })
        .collect();
    Ok(out)
}

fn take(
    line: Line,
    all: &mut Vec<Attempt>,
    open: &mut HashMap<String, usize>,
    fold: &mut Fold<String>,
) {
    let Some(id) = line.id else { return };
    let is_final = crate::playlog::fold::is_final(line.outcome, line.reason.as_ref());
    // A line the one-final-outcome rule refuses (a second start, an outcome
    // after the final one) says nothing about what aired.
    let Ok(Some(step)) = fold.line(id.clone(), &line.event, is_final) else {
        return;
    };
    match step.now {
        Stage::Open => {
            let Ok(at) = DateTime::parse_from_rfc3339(&line.at) else {
                return;
            };
            open.insert(id.clone(), all.len());
            all.push(Attempt {
                id,
                attempt: line.attempt.unwrap_or(1),
                at,
                broadcast: line.broadcast.unwrap_or_default(),
                topic: line.topic.unwrap_or_default(),
                schedule: line.schedule.unwrap_or_default(),
                output: line.output,
                outcome: None,
                played_s: 0.0,
                audio: line.audio,
            });
        }
        Stage::Cut | Stage::Done => {
            // The finish closes the newest start of its occurrence; one
            // without a start never sounded.
            if let Some(a) = open.remove(&id).and_then(|k| all.get_mut(k)) {
                a.outcome = line.outcome;
                a.played_s = line.played_s.unwrap_or(0.0);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(event: &str, id: &str, at: &str, rest: &str) -> String {
        format!(
            r#"{{"at":"{at}","event":"{event}","id":"{id}","broadcast":"b","topic":"t","schedule":"s.yaml"{rest}}}"#
        )
    }

    #[test]
    fn attempts_follow_the_one_final_outcome_rule() -> std::io::Result<()> {
        let dir = tempfile::tempdir()?;
        let lines = [
            line("start", "a", "2026-12-07T06:00:00+07:00", ""),
            // A second start while the first is open: refused by the rule.
            line("start", "a", "2026-12-07T06:00:01+07:00", ""),
            line(
                "finish",
                "a",
                "2026-12-07T06:01:00+07:00",
                r#","outcome":"interrupted","reason":"emergency","played_s":60.0"#,
            ),
            // Cut by an emergency: it starts again, and that attempt counts too.
            line("start", "a", "2026-12-07T06:05:00+07:00", r#","attempt":2"#),
            line(
                "finish",
                "a",
                "2026-12-07T06:06:00+07:00",
                r#","outcome":"played","played_s":60.0"#,
            ),
            // Nothing follows the final outcome.
            line("start", "a", "2026-12-07T06:10:00+07:00", ""),
            line(
                "finish",
                "a",
                "2026-12-07T06:11:00+07:00",
                r#","outcome":"played","played_s":60.0"#,
            ),
        ];
        std::fs::write(dir.path().join("2026-12.jsonl"), lines.join("\n") + "\n")?;
        let from = DateTime::parse_from_rfc3339("2026-12-07T00:00:00+07:00")
            .map_err(std::io::Error::other)?
            .with_timezone(&Utc);
        let to = from + chrono::TimeDelta::days(1);
        let aired = read(dir.path(), chrono_tz::Asia::Ho_Chi_Minh, from, to)?;
        let got: Vec<(u32, Option<Outcome>, f64)> = aired
            .attempts
            .iter()
            .map(|a| (a.attempt, a.outcome, a.played_s))
            .collect();
        assert_eq!(
            got,
            [
                (1, Some(Outcome::Interrupted), 60.0),
                (2, Some(Outcome::Played), 60.0)
            ]
        );
        Ok(())
    }
}
