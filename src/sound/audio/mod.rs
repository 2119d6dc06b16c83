//! The recordings: where a reference points on disk, whether it may be
//! played, what it hashes to and how long it sounds.
//!
//! Hashing and decoding a file costs real time on a small box, so results are
//! kept in an [`AudioCache`] keyed by path, size and modification time.

use std::path::{Path, PathBuf};
use std::time::Duration;

use crate::i18n::Msg;

mod cache;
mod decode;
mod files;
mod sniff;
#[cfg(test)]
mod tests;

pub use cache::{AudioCache, Known, Measured, measure_apart};
pub use decode::{contain, decoder, install_panic_hook, probe};
pub use files::{inventory, on_disk, resolve, supported};
pub use sniff::{Foreign, sniff};

/// File endings loa plays (SPEC §2.4).
pub const EXTENSIONS: &[&str] = &["mp3", "wav", "ogg", "oga", "flac", "m4a", "aac", "mp4"];

/// What is known about one recording.
#[derive(Clone, Debug, PartialEq)]
pub struct AudioInfo {
    pub sha256: String,
    pub length: Duration,
    /// EBU R128 measurement; None for a silent file, or one not measured yet.
    pub loudness: Option<Loudness>,
    /// Not decoded through yet: the length is the file header's estimate
    /// (zero when it has none) and the loudness is unknown.
    pub unmeasured: bool,
}

/// Below this loudness or true peak a recording counts as nearly silent for
/// `check`: 10 dB above the −60 dBFS under which a broadcast is logged
/// `failed`/`silent`, so a recording that only loudness normalisation
/// would lift into hearing (raising its noise as much) is pointed out too.
pub const NEARLY_SILENT_DB: f64 = -50.0;

impl AudioInfo {
    /// Measured, and silence or nearly: no loudness the meter could gate
    /// (digital silence, or all of it under −70 LUFS), or under
    /// [`NEARLY_SILENT_DB`].
    pub fn nearly_silent(&self) -> bool {
        !self.unmeasured
            && self
                .loudness
                .is_none_or(|l| l.lufs < NEARLY_SILENT_DB || l.true_peak_db < NEARLY_SILENT_DB)
    }
}

/// EBU R128 integrated loudness and true peak of a recording.
#[derive(Clone, Copy, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Loudness {
    pub lufs: f64,
    pub true_peak_db: f64,
}

impl Loudness {
    /// The gain in dB that brings the recording to `target` LUFS without
    /// its true peak going above −1 dBTP.
    pub fn gain_db(&self, target: f64) -> f64 {
        (target - self.lufs).min(-1.0 - self.true_peak_db)
    }
}

/// Linear amplitude of a gain in dB.
pub fn db_to_linear(db: f64) -> f32 {
    10f64.powf(db / 20.0) as f32
}

/// Why a recording cannot be used.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum AudioError {
    #[error("file not found")]
    Missing,
    /// The file is there, but `user` (the daemon's, or whoever loa acts
    /// as) may not read it: its mode or group keep loa out.
    #[error("{user} may not read {}", path.display())]
    Permission { user: String, path: PathBuf },
    #[error("path leaves the audio folder")]
    Escapes,
    #[error("unsupported format")]
    Unsupported,
    #[error("cannot decode: {0}")]
    Undecodable(String),
    /// 0 bytes: a copy that did not finish, or a recorder that saved nothing.
    #[error("empty file")]
    Empty,
    /// A format loa does not play, recognised by its first bytes, whatever
    /// the file's name says (an Opus file named .ogg, say).
    #[error("{0} is not played")]
    Foreign(Foreign),
    /// Speech whose sound is not rendered yet (it is, in the background,
    /// before its time).
    #[error("speech not rendered yet")]
    NotRendered,
    /// The tts engine could not render the speech.
    #[error("speech: {0}")]
    Speech(String),
    /// A `.txt` notice holds a control character (a terminal escape, a
    /// bidirectional mark) at this line and column.
    #[error("control character {char} at line {line}, column {col}")]
    ControlChar {
        line: usize,
        col: usize,
        char: String,
    },
    /// A text to speak longer than loa speaks.
    #[error("{chars} characters, more than the {max} loa speaks")]
    TooLong { chars: usize, max: usize },
}

/// A file that could not be opened: missing, or there but not readable by
/// the user this process runs (or acts) as.
pub fn io_error(e: &std::io::Error, path: &Path) -> AudioError {
    match e.kind() {
        std::io::ErrorKind::PermissionDenied => AudioError::Permission {
            // SAFETY: geteuid has no preconditions.
            user: crate::owner::user_name(unsafe { libc::geteuid() })
                .unwrap_or_else(|| "loa".into()),
            path: path.to_path_buf(),
        },
        _ => AudioError::Missing,
    }
}

impl AudioError {
    /// The message for the operator about `path`.
    pub fn msg(&self, path: &str) -> Msg {
        let path = path.to_string();
        match self {
            AudioError::Missing => Msg::AudioMissing {
                path,
                near: Vec::new(),
            },
            AudioError::Escapes => Msg::AudioEscapes { path },
            AudioError::Permission { user, path: full } => Msg::AudioPermission {
                path: full.display().to_string(),
                user: user.clone(),
            },
            AudioError::Unsupported => Msg::AudioUnsupported { path },
            AudioError::Undecodable(detail) => Msg::AudioUndecodable {
                path,
                detail: detail.clone(),
            },
            AudioError::Empty => Msg::AudioEmpty { path },
            AudioError::Foreign(kind) => Msg::AudioForeign {
                path,
                format: kind.to_string(),
            },
            AudioError::NotRendered | AudioError::Speech(_) => Msg::TtsFailed {
                detail: format!("{path}: {self}"),
            },
            AudioError::TooLong { chars, max } => Msg::SpeechTooLong {
                path,
                chars: *chars,
                max: *max,
            },
            AudioError::ControlChar { line, col, char } => Msg::NoticeControlChar {
                path,
                line: *line,
                col: *col,
                char: char.clone(),
            },
        }
    }

    /// The machine-readable reason recorded in the play log.
    pub fn reason(&self) -> crate::kinds::Reason {
        use crate::kinds::Reason;
        match self {
            AudioError::Missing | AudioError::Escapes => Reason::FileMissing,
            AudioError::Permission { .. } => Reason::Permission,
            AudioError::Unsupported
            | AudioError::Undecodable(_)
            | AudioError::Empty
            | AudioError::Foreign(_)
            | AudioError::NotRendered
            | AudioError::Speech(_)
            | AudioError::ControlChar { .. }
            | AudioError::TooLong { .. } => Reason::DecodeError,
        }
    }
}
