//! How a `start` line describes each recording it plays (SPEC §3
//! `audio`, `chime`): made by the program, written by the play log.

use serde::{Deserialize, Serialize};

/// One recording in a `start` line.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct AudioEntry {
    pub path: String,
    pub sha256: String,
    pub length_s: f64,
    /// The loudness gain applied (dB), when loudness normalisation is on.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gain_db: Option<f64>,
    /// Played before it could be measured: at unity gain, and `length_s`
    /// is the file header's estimate.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub unmeasured: bool,
    /// For speech: the text exactly as written, the engine and the voice
    /// (`sha256` is then the rendered sound's).
    #[serde(default, flatten, skip_serializing_if = "Option::is_none")]
    pub speech: Option<SpeechEntry>,
}

/// What a spoken audio entry adds (SPEC §3 `text`).
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct SpeechEntry {
    /// Exactly what the schedule or the `.txt` file says, before the
    /// normaliser wrote numbers and abbreviations out.
    pub text: String,
    pub engine: String,
    pub voice: String,
}
