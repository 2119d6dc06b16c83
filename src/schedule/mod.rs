//! Schedule files (SPEC §2.2): text in, a validated model or located errors out.
//!
//! Pure: nothing here reads the disk or the clock. The station loader feeds
//! in the file's text; checks that need the audio folder happen there.

mod parse;
mod parse_broadcast;
mod when;

use std::collections::BTreeSet;
use std::time::Duration;

use chrono::{NaiveDate, NaiveDateTime, NaiveTime, Weekday};
use croner::Cron;

use crate::i18n::diag::Pos;

pub use parse::{parse, parse_with_refs};
pub use when::parse_cron;

/// Default silence between repeats.
pub const DEFAULT_GAP: Duration = Duration::from_secs(2);
/// Upper bound on `repeat`: more is certainly a typo and would hog the output.
pub const MAX_REPEAT: u32 = 20;

pub use crate::kinds::Priority;

/// A set of weekdays.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Days(pub(super) u8);

impl Days {
    pub const ALL: Days = Days(0b111_1111);
    pub const WEEKDAYS: Days = Days(0b001_1111);
    pub const WEEKENDS: Days = Days(0b110_0000);

    pub fn contains(self, d: Weekday) -> bool {
        self.0 & (1 << d.num_days_from_monday()) != 0
    }

    pub(super) fn add(&mut self, other: Days) {
        self.0 |= other.0;
    }

    /// One word: a day name or a group, in English or Vietnamese, in any
    /// case and Unicode form: `mon`, `Monday`, `T2`, `thứ hai`, `Thứ 2`,
    /// `CN`, `Chủ nhật`; `daily`, `weekdays`, `weekends`, `hằng ngày`,
    /// `ngày thường`, `cuối tuần`.
    pub(super) fn parse_word(s: &str) -> Option<Days> {
        let w = crate::forms::fold(s);
        let day = |d: Weekday| Some(Days(1 << d.num_days_from_monday()));
        match w.as_str() {
            "daily" | "everyday" | "every day" | "hằng ngày" | "hàng ngày" => Some(Days::ALL),
            "weekdays" | "ngày thường" => Some(Days::WEEKDAYS),
            "weekends" | "cuối tuần" => Some(Days::WEEKENDS),
            "mon" | "monday" | "t2" | "thứ hai" | "thứ 2" => day(Weekday::Mon),
            "tue" | "tuesday" | "t3" | "thứ ba" | "thứ 3" => day(Weekday::Tue),
            "wed" | "wednesday" | "t4" | "thứ tư" | "thứ 4" => day(Weekday::Wed),
            "thu" | "thursday" | "t5" | "thứ năm" | "thứ 5" => day(Weekday::Thu),
            "fri" | "friday" | "t6" | "thứ sáu" | "thứ 6" => day(Weekday::Fri),
            "sat" | "saturday" | "t7" | "thứ bảy" | "thứ bẩy" | "thứ 7" => {
                day(Weekday::Sat)
            }
            "sun" | "sunday" | "cn" | "chủ nhật" => day(Weekday::Sun),
            _ => None,
        }
    }
}

/// When a broadcast sounds.
#[derive(Clone, Debug)]
pub enum When {
    /// Fixed local times on some weekdays.
    At { times: Vec<NaiveTime>, days: Days },
    /// A cron expression evaluated in the station's time zone.
    Cron(Box<Cron>),
    /// One-off local date-times.
    On(Vec<NaiveDateTime>),
}

/// A reference to a recording, relative to the audio folder, `/`-separated.
/// It has been checked not to be absolute and not to contain `..`.
/// A `.txt` file is a notice to be spoken; a `say:` text has no file
/// (its `path` is [`SAY`]).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct AudioRef {
    pub path: String,
    pub pos: Option<Pos>,
    /// The text of a `say:`, exactly as written (trimmed).
    pub say: Option<String>,
}

/// The `path` of a `say:` item, in the play log and messages.
pub const SAY: &str = "say";

impl AudioRef {
    /// Whether it is spoken by the tts engine: a `say:` text or a `.txt`
    /// notice.
    pub fn is_speech(&self) -> bool {
        self.say.is_some() || is_text_file(&self.path)
    }
}

/// Whether an audio path names a text notice (`.txt`, any case).
pub fn is_text_file(path: &str) -> bool {
    std::path::Path::new(path)
        .extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("txt"))
}

/// Which chime plays before a broadcast.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Chime {
    /// The station's chime from config.yaml, if it has one.
    Default,
    Off,
    File(AudioRef),
}

/// The shortest and longest `for` of a relay.
pub const MIN_RELAY: Duration = Duration::from_secs(1);
pub const MAX_RELAY: Duration = Duration::from_secs(12 * 3600);

/// A relay (tiếp âm): a live source put on air for `length`.
#[derive(Clone, Debug, PartialEq)]
pub struct Relay {
    pub source: crate::address::Source,
    /// `for`: how long it is on air, from its scheduled time. One that
    /// starts late, or again after an emergency, ends at the same moment.
    pub length: Duration,
    /// Played instead when the source cannot be reached at all by the
    /// broadcast's time.
    pub fallback: Option<AudioRef>,
    /// Where `relay:` is written.
    pub pos: Option<Pos>,
}

/// One validated broadcast.
#[derive(Clone, Debug)]
pub struct Broadcast {
    pub name: String,
    /// The recordings (or speech) it plays; empty for a relay.
    pub audio: Vec<AudioRef>,
    /// What it relays, instead of `audio`.
    pub relay: Option<Relay>,
    pub when: When,
    pub from: Option<NaiveDate>,
    pub until: Option<NaiveDate>,
    pub except: BTreeSet<NaiveDate>,
    pub repeat: u32,
    pub gap: Duration,
    pub priority: Priority,
    pub chime: Chime,
    pub volume: f32,
    pub topic: String,
    /// The outputs it plays on, as written; None: every output.
    pub outputs: Option<Vec<OutputRef>>,
    /// Where the broadcast starts in its file, for messages about it.
    pub pos: Option<Pos>,
}

/// An output named in a schedule, with where it was written, so that a name
/// the station does not have is an error located at it.
#[derive(Clone, Debug, PartialEq)]
pub struct OutputRef {
    pub name: String,
    pub pos: Option<Pos>,
}

impl Broadcast {
    /// Every recording or text it may play: its audio, or its relay's
    /// fallback.
    pub fn all_audio(&self) -> impl Iterator<Item = &AudioRef> {
        self.audio
            .iter()
            .chain(self.relay.as_ref().and_then(|r| r.fallback.as_ref()))
    }

    /// Whether it plays on the output called `name`.
    pub fn plays_on(&self, name: &str) -> bool {
        self.outputs
            .as_ref()
            .is_none_or(|list| list.iter().any(|o| o.name == name))
    }
}

impl Broadcast {
    /// Whether the broadcast's date window admits `date`.
    pub fn runs_on(&self, date: NaiveDate) -> bool {
        self.from.is_none_or(|f| date >= f)
            && self.until.is_none_or(|u| date <= u)
            && !self.except.contains(&date)
    }
}

/// One validated schedule file.
#[derive(Clone, Debug)]
pub struct Schedule {
    /// The file name in the schedules folder: the first part of every id.
    pub file: String,
    pub title: String,
    pub topic: String,
    pub basis: Option<String>,
    pub approved_by: Option<String>,
    pub approved_on: Option<NaiveDate>,
    pub broadcasts: Vec<Broadcast>,
    /// SHA-256 of the file's bytes.
    pub hash: String,
}

impl Schedule {
    pub fn is_approved(&self) -> bool {
        self.approved_by
            .as_deref()
            .is_some_and(|s| !s.trim().is_empty())
    }

    /// The last date any broadcast can sound, if every one is bounded.
    pub fn last_date(&self) -> Option<NaiveDate> {
        self.broadcasts
            .iter()
            .map(|b| match &b.when {
                When::On(list) => list.iter().map(|d| d.date()).max().or(b.until),
                _ => b.until,
            })
            .collect::<Option<Vec<_>>>()?
            .into_iter()
            .max()
    }
}

#[cfg(test)]
mod tests;

#[cfg(test)]
mod forms_tests;
