//! The status file (`state/status.json`) the daemon keeps current, and
//! `loa status`, which reads it. The daemon replaces the file whole (write
//! to a temporary file, then rename), so a reader never sees half of one.

use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::i18n::Lang;
use crate::kinds::{Outcome as KindOutcome, Priority, Reason};

/// The file name inside the state folder.
pub const FILE: &str = "status.json";

/// The daemon rewrites the file at least this often while it runs.
pub const HEARTBEAT_S: i64 = 30;

/// Older than this, the status is stale: the daemon is hung or gone.
pub const STALE_S: i64 = 3 * HEARTBEAT_S;

/// What the daemon is doing, as it last wrote it.
#[derive(Clone, Debug, Default, Serialize, Deserialize, PartialEq)]
pub struct Status {
    pub version: String,
    pub pid: u32,
    pub station: String,
    pub started_at: String,
    pub updated_at: String,
    /// The station's outputs and their devices.
    pub outputs: Vec<OutputState>,
    /// What sounds now, one entry per output that is on air.
    pub on_air: Vec<Playing>,
    pub next: Vec<Upcoming>,
    pub last: Vec<Outcome>,
    pub refused: Vec<RefusedFile>,
    pub warnings: Vec<Warning>,
}

#[derive(Clone, Debug, Default, Serialize, Deserialize, PartialEq)]
pub struct OutputState {
    pub name: String,
    pub device: String,
}

#[derive(Clone, Debug, Default, Serialize, Deserialize, PartialEq)]
pub struct Playing {
    pub output: String,
    pub id: String,
    pub broadcast: String,
    pub topic: String,
    pub priority: Priority,
    pub scheduled: String,
    /// When it ends if nothing cuts it.
    pub until: String,
    /// What a relay takes (its URL or `alsa:<pcm>`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
}

#[derive(Clone, Debug, Default, Serialize, Deserialize, PartialEq)]
pub struct Upcoming {
    pub output: String,
    pub time: String,
    pub broadcast: String,
    pub topic: String,
    pub priority: Priority,
    /// Why it will not sound, when it will not (quiet_hours, not_approved).
    pub skip: Option<Reason>,
}

#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct Outcome {
    pub output: String,
    pub scheduled: String,
    pub broadcast: String,
    pub outcome: KindOutcome,
    pub reason: Option<Reason>,
}

#[derive(Clone, Debug, Default, Serialize, Deserialize, PartialEq)]
pub struct RefusedFile {
    pub file: String,
    /// The located errors, rendered in the reader's language when shown.
    pub diagnostics: Vec<crate::i18n::diag::Diagnostic>,
}

/// Something the operator must know, kept as a code and its arguments and
/// put into words only when it is shown, in the reader's language.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "code", rename_all = "snake_case")]
pub enum Warning {
    /// The wall clock is earlier than the newest play-log line.
    ClockWrong { clock: String, newest: String },
    /// The kernel says the clock is not synchronised (no NTP yet, no
    /// battery clock): times in the play log may be off.
    ClockNotSynced,
    /// An output fails every broadcast.
    OutputFailing {
        output: String,
        device: String,
        error: String,
    },
    /// Play-log lines wait in memory for the disk.
    PlaylogNotWritable { lines: usize, error: String },
    /// A chime is set but cannot be played: broadcasts go without it.
    ChimeUnusable {
        path: String,
        problem: crate::i18n::Msg,
    },
    /// config.yaml changed keys the running daemon keeps as they were.
    RestartNeeded { keys: Vec<String> },
}

impl Warning {
    /// The warning in words.
    pub fn message(&self, lang: Lang) -> String {
        let w = crate::i18n::Words::new(lang);
        match self {
            Warning::ClockWrong { clock, newest } => w.clock_wrong(clock, newest),
            Warning::ClockNotSynced => w.clock_not_synced().to_string(),
            Warning::OutputFailing {
                output,
                device,
                error,
            } => w.output_failing(&format!("{output} ({device})"), error),
            Warning::PlaylogNotWritable { lines, error } => w.playlog_not_writable(*lines, error),
            Warning::ChimeUnusable { problem, .. } => w.chime_unusable(&problem.text(lang)),
            Warning::RestartNeeded { keys } => w.restart_needed(&keys.join(", ")),
        }
    }

    /// The machine-readable code (also the JSON `code`).
    pub fn code(&self) -> &'static str {
        match self {
            Warning::ClockWrong { .. } => "clock_wrong",
            Warning::ClockNotSynced => "clock_not_synced",
            Warning::OutputFailing { .. } => "output_failing",
            Warning::PlaylogNotWritable { .. } => "playlog_not_writable",
            Warning::ChimeUnusable { .. } => "chime_unusable",
            Warning::RestartNeeded { .. } => "restart_needed",
        }
    }
}

/// Writes `status` to `dir/status.json` whole: a temporary file renamed
/// over the old one.
pub fn write(dir: &Path, status: &Status) -> std::io::Result<()> {
    std::fs::create_dir_all(dir)?;
    let mut bytes = serde_json::to_vec_pretty(status).map_err(std::io::Error::other)?;
    bytes.push(b'\n');
    crate::whole::write(&dir.join(FILE), &bytes)
}

/// Reads the status file in `dir`.
pub fn read(dir: &Path) -> std::io::Result<Status> {
    let bytes = std::fs::read(dir.join(FILE))?;
    serde_json::from_slice(&bytes).map_err(std::io::Error::other)
}

/// Whether the process `pid` is alive and is loa.
pub fn alive(pid: u32) -> bool {
    let comm = PathBuf::from(format!("/proc/{pid}/comm"));
    std::fs::read_to_string(comm).is_ok_and(|c| c.trim_end() == "loa")
}

/// Up, hung or down, judged from the file and the process table.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Liveness {
    Up,
    /// The process lives but has not written for `STALE_S`.
    Stale,
    Down,
}

pub fn liveness(s: &Status, now: DateTime<Utc>) -> Liveness {
    let age = DateTime::parse_from_rfc3339(&s.updated_at)
        .map(|t| (now - t.with_timezone(&Utc)).num_seconds())
        .unwrap_or(i64::MAX);
    match (alive(s.pid), age <= STALE_S) {
        (true, true) => Liveness::Up,
        (true, false) => Liveness::Stale,
        (false, _) => Liveness::Down,
    }
}
