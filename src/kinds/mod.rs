//! The small closed sets every stage shares: a broadcast's priority, an
//! occurrence's outcome and the reason for it. They depend on nothing else
//! in loa, so schedule, the on-air engine, the play log, reports and the
//! message catalogue can all use them without importing one another.
//!
//! On disk (play log, JSON output) each is its lowercase word, exactly as
//! before they were enums.

mod entry;
mod problem;

pub use entry::{AudioEntry, SpeechEntry};
pub use problem::{Place, Problem};

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// The three levels of Thông tư 39/2020/TT-BTTTT, lowest first.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Priority {
    #[default]
    Normal,
    Priority,
    Emergency,
}

impl Priority {
    /// Reads the word an operator writes, in English or Vietnamese, in any
    /// case and Unicode form (and without tone marks, as typed on a
    /// keyboard with no Vietnamese input).
    pub fn parse(s: &str) -> Option<Priority> {
        // The log's own words first: a report reads one per occurrence, and
        // folding allocates.
        match s {
            "normal" => return Some(Priority::Normal),
            "priority" => return Some(Priority::Priority),
            "emergency" => return Some(Priority::Emergency),
            _ => {}
        }
        match crate::forms::fold(s).as_str() {
            "normal" | "thông thường" | "thường" | "bình thường" | "thong thuong" | "thuong" => {
                Some(Priority::Normal)
            }
            "priority" | "ưu tiên" | "uu tien" => Some(Priority::Priority),
            "emergency" | "khẩn cấp" | "khẩn" | "khan cap" => Some(Priority::Emergency),
            _ => None,
        }
    }

    /// The word used in the play log and JSON output.
    pub fn as_str(self) -> &'static str {
        match self {
            Priority::Normal => "normal",
            Priority::Priority => "priority",
            Priority::Emergency => "emergency",
        }
    }
}

/// The final outcome of an occurrence (or of one attempt at it).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Outcome {
    Played,
    Interrupted,
    Failed,
    Missed,
    Skipped,
}

impl Outcome {
    pub const ALL: [Outcome; 5] = [
        Outcome::Played,
        Outcome::Interrupted,
        Outcome::Failed,
        Outcome::Missed,
        Outcome::Skipped,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Played => "played",
            Outcome::Interrupted => "interrupted",
            Outcome::Failed => "failed",
            Outcome::Missed => "missed",
            Outcome::Skipped => "skipped",
        }
    }

    pub fn parse(s: &str) -> Option<Outcome> {
        Outcome::ALL.into_iter().find(|o| o.as_str() == s)
    }
}

/// Why an occurrence ended as it did (SPEC §3 `reason`). A word this
/// version does not know (written by a newer loa) is kept as it was read.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Reason {
    DeviceError,
    FileMissing,
    DecodeError,
    Busy,
    DaemonDown,
    ClockJump,
    Emergency,
    Shutdown,
    Crash,
    QuietHours,
    NotApproved,
    /// Its schedule file (or the broadcast in it) was removed while it waited.
    Removed,
    Silent,
    SourceDown,
    /// The file is there but the daemon's user may not read it.
    Permission,
    Other(String),
}

impl Reason {
    pub const KNOWN: [Reason; 15] = [
        Reason::DeviceError,
        Reason::FileMissing,
        Reason::DecodeError,
        Reason::Busy,
        Reason::DaemonDown,
        Reason::ClockJump,
        Reason::Emergency,
        Reason::Shutdown,
        Reason::Crash,
        Reason::QuietHours,
        Reason::NotApproved,
        Reason::Removed,
        Reason::Silent,
        Reason::SourceDown,
        Reason::Permission,
    ];

    pub fn as_str(&self) -> &str {
        match self {
            Reason::DeviceError => "device_error",
            Reason::FileMissing => "file_missing",
            Reason::DecodeError => "decode_error",
            Reason::Busy => "busy",
            Reason::DaemonDown => "daemon_down",
            Reason::ClockJump => "clock_jump",
            Reason::Emergency => "emergency",
            Reason::Shutdown => "shutdown",
            Reason::Crash => "crash",
            Reason::QuietHours => "quiet_hours",
            Reason::NotApproved => "not_approved",
            Reason::Removed => "removed",
            Reason::Silent => "silent",
            Reason::SourceDown => "source_down",
            Reason::Permission => "permission",
            Reason::Other(s) => s,
        }
    }

    pub fn parse(s: &str) -> Reason {
        Reason::KNOWN
            .into_iter()
            .find(|r| r.as_str() == s)
            .unwrap_or_else(|| Reason::Other(s.to_string()))
    }
}

/// What a play-log line records (SPEC §3 `event`): the one word the daemon
/// writes and every reader matches on. A word this version does not know
/// (written by a newer loa) is kept as it was read.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Event {
    /// An occurrence begins to sound.
    Start,
    /// The one final outcome of an occurrence (or of one attempt).
    Finish,
    DaemonStart,
    DaemonStop,
    Reload,
    Recovered,
    Other(String),
}

impl Event {
    const KNOWN: [Event; 6] = [
        Event::Start,
        Event::Finish,
        Event::DaemonStart,
        Event::DaemonStop,
        Event::Reload,
        Event::Recovered,
    ];

    pub fn as_str(&self) -> &str {
        match self {
            Event::Start => "start",
            Event::Finish => "finish",
            Event::DaemonStart => "daemon_start",
            Event::DaemonStop => "daemon_stop",
            Event::Reload => "reload",
            Event::Recovered => "recovered",
            Event::Other(s) => s,
        }
    }

    pub fn parse(s: &str) -> Event {
        Event::KNOWN
            .into_iter()
            .find(|e| e.as_str() == s)
            .unwrap_or_else(|| Event::Other(s.to_string()))
    }

    /// A `start` or a `finish`: a line about one occurrence.
    pub fn of_occurrence(&self) -> bool {
        matches!(self, Event::Start | Event::Finish)
    }
}

impl Default for Event {
    /// Only for a record being filled in; every line read has its word.
    fn default() -> Event {
        Event::Other(String::new())
    }
}

impl std::fmt::Display for Reason {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl std::fmt::Display for Event {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl std::fmt::Display for Outcome {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl std::fmt::Display for Priority {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

macro_rules! word_serde {
    ($t:ty, $parse:expr, $what:literal) => {
        impl Serialize for $t {
            fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.as_str())
            }
        }

        impl<'de> Deserialize<'de> for $t {
            fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                // A visitor, so a word read from a log line is matched
                // where it lies, not copied into a String first.
                struct V;
                impl serde::de::Visitor<'_> for V {
                    type Value = $t;
                    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                        f.write_str(concat!("a ", $what, " word"))
                    }
                    fn visit_str<E: serde::de::Error>(self, s: &str) -> Result<$t, E> {
                        let parse: fn(&str) -> Option<$t> = $parse;
                        parse(s).ok_or_else(|| {
                            E::custom(format!(concat!("unknown ", $what, " \"{}\""), s))
                        })
                    }
                }
                d.deserialize_str(V)
            }
        }
    };
}

word_serde!(Priority, Priority::parse, "priority");
word_serde!(Outcome, Outcome::parse, "outcome");
word_serde!(Reason, |s| Some(Reason::parse(s)), "reason");
word_serde!(Event, |s| Some(Event::parse(s)), "event");

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_words_on_disk_are_the_same_as_before() {
        for (o, w) in [
            (Outcome::Played, "\"played\""),
            (Outcome::Skipped, "\"skipped\""),
        ] {
            assert_eq!(serde_json::to_string(&o).ok().as_deref(), Some(w));
            assert_eq!(serde_json::from_str::<Outcome>(w).ok(), Some(o));
        }
        for r in Reason::KNOWN {
            let w = serde_json::to_string(&r).unwrap_or_default();
            assert_eq!(serde_json::from_str::<Reason>(&w).ok(), Some(r));
        }
        assert_eq!(
            serde_json::to_string(&Reason::ClockJump).ok().as_deref(),
            Some("\"clock_jump\"")
        );
        // A reason from a newer version survives a read and a write.
        let r: Reason = serde_json::from_str("\"solar_flare\"").unwrap_or(Reason::Busy);
        assert_eq!(r, Reason::Other("solar_flare".into()));
        assert_eq!(
            serde_json::to_string(&r).ok().as_deref(),
            Some("\"solar_flare\"")
        );
        assert!(serde_json::from_str::<Outcome>("\"exploded\"").is_err());
    }

    #[test]
    fn priorities_in_english_or_vietnamese() {
        use super::Priority as P;
        let cases = [
            ("normal", P::Normal),
            ("Normal", P::Normal),
            ("thường", P::Normal),
            ("Thông thường", P::Normal),
            ("THÔNG THƯỜNG", P::Normal),
            ("bình thường", P::Normal),
            ("thuong", P::Normal),
            ("thu\u{31b}o\u{31b}\u{300}ng", P::Normal),
            ("priority", P::Priority),
            ("PRIORITY", P::Priority),
            ("ưu tiên", P::Priority),
            ("Ưu Tiên", P::Priority),
            ("u\u{31b}u tie\u{302}n", P::Priority),
            ("uu tien", P::Priority),
            ("emergency", P::Emergency),
            ("khẩn cấp", P::Emergency),
            ("Khẩn cấp", P::Emergency),
            ("KHẨN CẤP", P::Emergency),
            ("khẩn", P::Emergency),
            ("kha\u{302}\u{309}n ca\u{302}\u{301}p", P::Emergency),
            ("“khẩn cấp”", P::Emergency),
            ("  ưu   tiên ", P::Priority),
        ];
        for (s, want) in cases {
            assert_eq!(P::parse(s), Some(want), "{s:?}");
        }
        for bad in ["", "urgent", "gấp", "khẩn cấp!", "ưu", "tiên", "high", "1"] {
            assert_eq!(P::parse(bad), None, "{bad:?}");
        }
    }
}
