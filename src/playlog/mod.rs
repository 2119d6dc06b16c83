//! The play log (SPEC §3): `playlog/YYYY-MM.jsonl`, one JSON object per line,
//! appended and fdatasync'd before loa acts on it, each line chained to the
//! one before by SHA-256.
//!
//! When the disk refuses a write (full, read-only), the line is kept in
//! memory in order, with its chain link already fixed, and written as soon
//! as the disk allows; nothing is dropped and nothing is rewritten.

mod events;
pub mod fold;
mod problem;
mod read;
mod stream;
mod verify;
mod verify_checks;

use std::collections::VecDeque;
use std::fs::{File, OpenOptions};
use std::io::Write as _;
use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use serde::Serialize;

use crate::kinds::Event;

pub use crate::kinds::{AudioEntry, SpeechEntry};
pub use events::*;
pub use problem::Fields;
pub use read::{Closed, LogState, month_files, move_torn, read_state};
pub use stream::{Checker, Chunk, Keyed, Step, Verdict, each_file, verify};
pub use verify::{Fault, Line, Place, Problem, Record, Scan, scan};

/// The chain link before the very first line.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// The `at` format: RFC 3339 local time with milliseconds and offset.
pub fn format_at(t: DateTime<Utc>, tz: Tz) -> String {
    t.with_timezone(&tz)
        .format("%Y-%m-%dT%H:%M:%S%.3f%:z")
        .to_string()
}

/// Appends chained lines to the month files.
pub struct PlayLog {
    dir: PathBuf,
    tz: Tz,
    seq: u64,
    prev: String,
    /// Lines not yet on disk, oldest first: (month file name, line).
    pending: VecDeque<(String, String)>,
    open: Option<(String, File)>,
    /// The newest line's time: no line is written earlier than this.
    last: Option<DateTime<Utc>>,
    /// The last write error, while lines are pending.
    pub trouble: Option<String>,
}

impl PlayLog {
    /// Opens the log in `dir` continuing from `state` (see [`read_state`]).
    pub fn new(dir: &Path, tz: Tz, state: &LogState) -> PlayLog {
        PlayLog {
            dir: dir.to_path_buf(),
            tz,
            seq: state.seq,
            prev: state.head.clone(),
            pending: VecDeque::new(),
            open: None,
            last: state.last_at.map(|t| t.with_timezone(&Utc)),
            trouble: None,
        }
    }

    /// The time of the newest line, if any.
    pub fn last_at(&self) -> Option<DateTime<Utc>> {
        self.last
    }

    /// The hash of the newest line (the head).
    pub fn head(&self) -> &str {
        &self.prev
    }

    pub fn seq(&self) -> u64 {
        self.seq
    }

    /// How many lines wait for the disk.
    pub fn pending(&self) -> usize {
        self.pending.len()
    }

    /// Appends one event at `at`. Returns `Ok` once the line is on disk;
    /// on a disk error the line is kept and the error returned.
    pub fn append<E: Serialize>(
        &mut self,
        at: DateTime<Utc>,
        event: Event,
        body: &E,
    ) -> std::io::Result<()> {
        self.push(at, event, body);
        self.flush()
    }

    /// Chains one event onto the queue without writing it; [`flush`]
    /// writes everything queued with one sync. For bursts of records, such
    /// as the occurrences closed after an outage.
    ///
    /// [`flush`]: PlayLog::flush
    ///
    /// A line is never dated before the newest one: with the wall clock set
    /// back (a dead RTC battery, a bad time server) it takes the newest
    /// line's time, so the month files stay in order.
    pub fn push<E: Serialize>(&mut self, at: DateTime<Utc>, event: Event, body: &E) {
        let at = self.last.map_or(at, |last| at.max(last));
        self.last = Some(at);
        let line = self.encode(at, &event, body);
        let month = at.with_timezone(&self.tz).format("%Y-%m").to_string();
        self.pending.push_back((month, line));
    }

    fn encode<E: Serialize>(&mut self, at: DateTime<Utc>, event: &Event, body: &E) -> String {
        self.seq += 1;
        // The header's fields come first in a fixed order, then the body's.
        let mut line = head_string(
            self.seq,
            &format_at(at, self.tz),
            event.as_str(),
            &self.prev,
        );
        let body = serde_json::to_string(body).unwrap_or_else(|_| "{}".into());
        // One brace off each end: a body that ends with an object of its
        // own keeps that object's closing brace.
        let inner = body
            .strip_prefix('{')
            .and_then(|b| b.strip_suffix('}'))
            .unwrap_or("");
        if !inner.is_empty() {
            line.push(',');
            line.push_str(inner);
        }
        line.push('}');
        self.prev = crate::hash::sha256_hex(line.as_bytes());
        line
    }

    /// Writes pending lines, oldest first: the lines of one month file in
    /// one write, then synced. A line leaves the queue only once synced.
    pub fn flush(&mut self) -> std::io::Result<()> {
        while let Some((month, _)) = self.pending.front() {
            let month = month.clone();
            let n = self.pending.iter().take_while(|(m, _)| *m == month).count();
            let mut buf = Vec::new();
            for (_, line) in self.pending.iter().take(n) {
                buf.extend_from_slice(line.as_bytes());
                buf.push(b'\n');
            }
            if let Err(e) = self.write_bytes(&month, &buf) {
                self.open = None;
                self.trouble = Some(e.to_string());
                return Err(e);
            }
            self.pending.drain(..n);
        }
        self.trouble = None;
        Ok(())
    }

    /// Appends `buf` to a month file and syncs it. On failure the file is
    /// cut back to where it was, so a half-written line never stays in the
    /// middle of the log to be written again after it.
    fn write_bytes(&mut self, month: &str, buf: &[u8]) -> std::io::Result<()> {
        if self.open.as_ref().is_none_or(|(m, _)| m != month) {
            std::fs::create_dir_all(&self.dir)?;
            let path = self.dir.join(format!("{month}.jsonl"));
            let f = OpenOptions::new().create(true).append(true).open(&path)?;
            self.open = Some((month.to_string(), f));
        }
        let Some((_, f)) = self.open.as_mut() else {
            return Err(std::io::Error::other("play log file not open"));
        };
        let before = f.metadata()?.len();
        let written = f.write_all(buf).and_then(|()| f.sync_data());
        if written.is_err() {
            let _ = f.set_len(before);
            let _ = f.sync_data();
        }
        written
    }
}

/// `{"v":1,"seq":N,"at":"…","event":"…","prev":"…"` without the closing brace.
fn head_string(seq: u64, at: &str, event: &str, prev: &str) -> String {
    format!(
        "{{\"v\":1,\"seq\":{seq},\"at\":{},\"event\":{},\"prev\":\"{prev}\"",
        serde_json::Value::from(at),
        serde_json::Value::from(event)
    )
}

#[cfg(test)]
mod tests;

#[cfg(test)]
mod verify_tests;
