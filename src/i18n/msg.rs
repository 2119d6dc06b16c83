//! The messages about files: every diagnostic `check`, the daemon and
//! `status` show, with the data it needs, and its text in both languages.

use std::fmt;

use super::{Clash, Lang};

/// Which of the `limits` a day breaks.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LimitKind {
    MinutesOver,
    SessionsOver,
    MinutesUnder,
}

/// One message, with the data it needs. `text` and `hint` render it.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(tag = "code", rename_all = "snake_case")]
pub enum Msg {
    LabelError,
    LabelWarning,
    LabelHint,

    // Reading files.
    ReadFailed {
        detail: String,
    },
    /// Not Unicode text: saved in a legacy encoding, named.
    NotUnicode {
        encoding: crate::chars::Encoding,
    },
    EmptyFile,
    YamlTab,
    YamlUnknownKey {
        key: String,
        expected: String,
    },
    YamlMissingKey {
        key: String,
    },
    /// The same key twice in one mapping.
    YamlDuplicateKey {
        key: String,
    },
    YamlTooComplex {
        detail: String,
    },
    YamlSyntax {
        detail: String,
    },

    // config.yaml
    BadTimezone {
        value: String,
    },
    BadDuration {
        value: String,
    },
    LateLimitTooLong {
        value: String,
    },
    BadQuietHours {
        value: String,
    },
    BadVolume {
        value: String,
    },
    BadLoudness {
        value: String,
    },
    BadLanguage {
        value: String,
    },
    BadDevice,
    NullDevice,
    UnknownDevice {
        value: String,
    },
    OutputAndOutputs,
    NoOutputs,
    EmptyOutputsList,
    OutputNeedsName,
    BadOutputName {
        value: String,
    },
    DuplicateOutput {
        name: String,
    },
    UnknownOutput {
        name: String,
        known: String,
    },

    // Schedule files
    BadTime {
        value: String,
    },
    BadDate {
        value: String,
    },
    BadDateTime {
        value: String,
    },
    BadDay {
        value: String,
    },
    BadCron {
        value: String,
        detail: String,
    },
    BadPriority {
        value: String,
    },
    BadRepeat,
    WhenNone,
    WhenMany,
    DaysWithoutAt,
    DuplicateBroadcast {
        name: String,
    },
    EmptyName,
    ControlChar {
        key: String,
        char: String,
    },
    EmptyAudioList,
    NoBroadcasts,
    WindowEmpty {
        from: String,
        until: String,
    },
    WindowEnded {
        until: String,
    },
    /// `limits`: at least more minutes than at most.
    LimitsContradict {
        min: u32,
        max: u32,
    },
    /// A day in the coming week breaks `limits` (a warning). `output` is
    /// empty for a station with one output.
    LimitBroken {
        date: String,
        output: String,
        broken: LimitKind,
        /// The day's minutes (or sessions) and the limit.
        value: f64,
        limit: u32,
    },
    ExceptOutside {
        dates: String,
        window: String,
    },
    ApprovedOnWithoutBy,
    NotApproved,
    OnInPast {
        value: String,
    },

    // Audio
    AudioAbsolute {
        path: String,
    },
    AudioEscapes {
        path: String,
    },
    AudioMissing {
        path: String,
        /// The closest names in the folder, if any look close.
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        near: Vec<String>,
    },
    AudioUnsupported {
        path: String,
    },
    AudioUndecodable {
        path: String,
        detail: String,
    },
    /// A text to speak (a `.txt` notice or a `say:`) longer than loa
    /// speaks.
    SpeechTooLong {
        path: String,
        chars: usize,
        max: usize,
    },
    /// A `.txt` notice holds a control character at `line`:`col`.
    NoticeControlChar {
        path: String,
        line: usize,
        col: usize,
        char: String,
    },
    AudioEmpty {
        path: String,
    },
    /// A file the daemon's user may not read (its full path).
    AudioPermission {
        path: String,
        user: String,
    },
    /// A recording that is silence, or nearly (a warning).
    AudioSilent {
        path: String,
        /// Its loudness and true peak as measured, if the meter found any.
        lufs: Option<f64>,
        peak_db: Option<f64>,
    },
    AudioForeign {
        path: String,
        format: String,
    },
    AudioUnused {
        path: String,
    },

    // Speech (tts)
    TtsBadEngine {
        value: String,
    },
    TtsBadRate {
        value: String,
    },
    TtsCommandNeeded,
    TtsCommandNoOut,
    /// `command:` given, but the engine is not `command`: it is not used.
    TtsCommandIgnored,
    TtsEngineMissing {
        program: String,
    },
    TtsFailed {
        detail: String,
    },
    /// `check` could not try the speech at all: neither the station's
    /// speech folder nor a temporary one could be written.
    TtsNotTried {
        folder: String,
        detail: String,
    },
    /// A file the tts command names (a voice model) is not there.
    TtsModelMissing {
        path: String,
    },
    /// A `voice:` espeak-ng does not have (it would fall back to another).
    TtsUnknownVoice {
        voice: String,
    },
    /// Words in a text the normaliser could not read (spelled out).
    TtsUnread {
        words: String,
    },
    SayEmpty,
    SayAndAudio,
    /// `relay` together with `audio` or `say` (`other`).
    RelayAndOther {
        other: String,
    },
    /// `for` or `fallback` (`key`) without `relay`.
    RelayOnly {
        key: String,
    },
    RelaySource {
        value: String,
        why: crate::address::SourceError,
    },
    RelayNoFor,
    /// A `for` outside 1 s – 12 h.
    RelayLength {
        value: String,
    },
    RelayRepeat,

    // Plan checks (next 7 days)
    QuietHours {
        broadcast: String,
        time: String,
    },
    /// Its repeats run into quiet hours: the last `dropped` will not sound.
    QuietRepeats {
        broadcast: String,
        time: String,
        quiet: String,
        repeat: u32,
        dropped: u32,
    },
    Conflict {
        time: String,
        broadcast: String,
        other: String,
        /// The other broadcast's schedule file.
        #[serde(default)]
        other_file: String,
        clash: Clash,
    },

    // Station
    NoScheduleFiles {
        dir: String,
    },
}

/// English text, for logs and `Display`.
impl fmt::Display for Msg {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text(Lang::En))
    }
}
