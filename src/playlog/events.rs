//! The bodies of play-log events (SPEC §3). Field order here is the order
//! on disk, after the common `v`, `seq`, `at`, `event`, `prev`.

use serde::{Deserialize, Serialize};

use crate::kinds::{AudioEntry, Outcome, Priority, Reason};

/// What identifies and describes an occurrence.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct OccurrenceInfo {
    pub id: String,
    #[serde(flatten)]
    pub desc: Description,
}

/// What describes an occurrence besides its id: in every `start`, and in a
/// `finish` that had no `start`.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct Description {
    pub schedule: String,
    pub broadcast: String,
    pub topic: String,
    pub priority: Priority,
    /// Scheduled local time, RFC 3339.
    pub scheduled: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub approved_by: Option<String>,
}

/// `start`: an occurrence begins to sound.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct Start {
    #[serde(flatten)]
    pub occ: OccurrenceInfo,
    pub audio: Vec<AudioEntry>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub chime: Option<AudioEntry>,
    pub repeat: u32,
    /// Repeats of `repeat` that will not sound, and why (they would have
    /// started in quiet hours); absent when all sound, and in lines written
    /// before loa dropped repeats.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub dropped_repeats: u32,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dropped_reason: Option<Reason>,
    pub device: String,
    /// The output's name (SPEC §2.1 `outputs`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub output: Option<String>,
    /// Attempt number: 2 and up when an emergency cut an earlier attempt.
    #[serde(default = "one", skip_serializing_if = "is_one")]
    pub attempt: u32,
    /// Whether the system clock was synchronised at the start; `null`
    /// when it could not be known (written on every line; absent only in
    /// lines older than the field).
    #[serde(default)]
    pub clock_synced: Option<bool>,
    /// A relay's source: its URL, or `alsa:<pcm>` (SPEC §3).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    /// The relay's source was down by its time: its fallback (in `audio`)
    /// plays instead.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub fallback: bool,
}

fn one() -> u32 {
    1
}

fn is_one(n: &u32) -> bool {
    *n == 1
}

fn is_zero(n: &u32) -> bool {
    *n == 0
}

/// `finish`: the one final outcome of an occurrence (per attempt).
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct Finish {
    pub id: String,
    /// The descriptive fields, when no `start` was written.
    #[serde(default, skip_serializing_if = "Option::is_none", flatten)]
    pub info: Option<Description>,
    /// The output's name (SPEC §2.1 `outputs`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub output: Option<String>,
    pub outcome: Outcome,
    pub reason: Option<Reason>,
    pub played_s: f64,
    pub start_error_ms: Option<f64>,
    /// RMS and peak level (dBFS, 0.1 dB) of what was sent to the output
    /// after gain; absent when nothing sounded, and in lines written
    /// before loa measured them.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rms_db: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub peak_db: Option<f64>,
    /// A relay: seconds of sound received from the source that went on
    /// air (the rest of `played_s` was silence while it was lost), and how
    /// many times it was lost.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub received_s: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dropouts: Option<u32>,
    /// A relay: of `received_s`, the whole seconds that were silence (under
    /// −60 dBFS throughout), a source on air with nothing on it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub silent_s: Option<f64>,
    /// Free text for people (an error message), when there is one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
}

/// `daemon_start` and `daemon_stop`.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct Daemon {
    pub version: String,
    pub pid: u32,
    pub config_hash: String,
    pub reason: String,
    /// Whether the system clock was synchronised; `null` when unknown.
    #[serde(default)]
    pub clock_synced: Option<bool>,
}

/// A file refused at a reload, with the message `check` gives.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct Refused {
    pub file: String,
    /// The error in words (lines written before diagnostics were kept as
    /// data); empty in newer lines.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub error: String,
    /// The located errors, as message codes with their arguments: shown in
    /// the reader's language.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub diagnostics: Vec<crate::i18n::diag::Diagnostic>,
}

/// `reload`: what changed in the active schedule set.
#[derive(Clone, Debug, Default, Serialize, Deserialize, PartialEq)]
pub struct Reload {
    pub taken: Vec<String>,
    pub changed: Vec<String>,
    pub removed: Vec<String>,
    pub refused: Vec<Refused>,
    /// SHA-256 over the active files' names and hashes.
    pub active_hash: String,
    /// config.yaml changed: taken or refused.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub config: Option<ConfigReload>,
}

/// A change to config.yaml, as a `reload` records it.
#[derive(Clone, Debug, Default, Serialize, Deserialize, PartialEq)]
pub struct ConfigReload {
    pub file: String,
    /// SHA-256 of the file's bytes as read.
    pub hash: String,
    /// Taken (in force from this line on), or refused (the last good
    /// config stays).
    pub taken: bool,
    /// Keys changed that only a restart takes; the running daemon keeps
    /// their old values.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub restart_needed: Vec<String>,
    /// Why it was refused, located.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub diagnostics: Vec<crate::i18n::diag::Diagnostic>,
}

/// `recovered`: what start-up repaired.
#[derive(Clone, Debug, Default, Serialize, Deserialize, PartialEq)]
pub struct Recovered {
    /// Torn bytes moved aside whole, by file.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub torn: Vec<String>,
    /// Occurrences that had a `start` and no `finish`, closed as interrupted/crash.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub closed: Vec<String>,
    /// Occurrences of the down time closed as missed/daemon_down.
    #[serde(default)]
    pub missed: u64,
    /// When the outage was longer than loa looks back, the span not examined.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub not_examined_before: Option<String>,
}
