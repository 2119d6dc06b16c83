//! Schedule files (SPEC §2.2): text in, a validated model or located errors out.
//!
//! Pure: nothing here reads the disk or the clock. The station loader feeds
//! in the file's text; checks that need the audio folder happen there.

use std::collections::{BTreeSet, HashSet};
use std::path::Path;
use std::time::Duration;

use chrono::{NaiveDate, NaiveDateTime, NaiveTime, Weekday};
use croner::Cron;
use croner::parser::{CronParser, Seconds};
use serde::{Deserialize, Deserializer};
use serde_saphyr::Spanned;

use crate::diag::{Diagnostic, Pos};
use crate::i18n::Msg;
use crate::units::{parse_date, parse_datetime, parse_duration, parse_time};
use crate::yaml::{self, Scalar, pos_of};

/// Default silence between repeats.
pub const DEFAULT_GAP: Duration = Duration::from_secs(2);
/// Upper bound on `repeat`: more is certainly a typo and would hog the output.
pub const MAX_REPEAT: u32 = 20;

pub use crate::kinds::Priority;

/// A set of weekdays.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Days(u8);

impl Days {
    pub const ALL: Days = Days(0b111_1111);
    pub const WEEKDAYS: Days = Days(0b001_1111);
    pub const WEEKENDS: Days = Days(0b110_0000);

    pub fn contains(self, d: Weekday) -> bool {
        self.0 & (1 << d.num_days_from_monday()) != 0
    }

    fn add(&mut self, other: Days) {
        self.0 |= other.0;
    }

    /// One word: a day name (English or Vietnamese short form) or a group.
    fn parse_word(s: &str) -> Option<Days> {
        let w = s.trim().to_lowercase();
        let day = |d: Weekday| Some(Days(1 << d.num_days_from_monday()));
        match w.as_str() {
            "daily" | "everyday" | "hằng ngày" | "hàng ngày" => Some(Days::ALL),
            "weekdays" => Some(Days::WEEKDAYS),
            "weekends" => Some(Days::WEEKENDS),
            "mon" | "monday" | "t2" => day(Weekday::Mon),
            "tue" | "tuesday" | "t3" => day(Weekday::Tue),
            "wed" | "wednesday" | "t4" => day(Weekday::Wed),
            "thu" | "thursday" | "t5" => day(Weekday::Thu),
            "fri" | "friday" | "t6" => day(Weekday::Fri),
            "sat" | "saturday" | "t7" => day(Weekday::Sat),
            "sun" | "sunday" | "cn" => day(Weekday::Sun),
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
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct AudioRef {
    pub path: String,
    pub pos: Option<Pos>,
}

/// Which chime plays before a broadcast.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Chime {
    /// The station's chime from config.yaml, if it has one.
    Default,
    Off,
    File(AudioRef),
}

/// One validated broadcast.
#[derive(Clone, Debug)]
pub struct Broadcast {
    pub name: String,
    pub audio: Vec<AudioRef>,
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

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSchedule {
    title: String,
    topic: Option<String>,
    basis: Option<String>,
    approved_by: Option<String>,
    approved_on: Option<Spanned<Scalar>>,
    from: Option<Spanned<Scalar>>,
    until: Option<Spanned<Scalar>>,
    except: Option<Spanned<List>>,
    priority: Option<Spanned<Scalar>>,
    outputs: Option<Spanned<List>>,
    #[serde(default)]
    broadcasts: Vec<Spanned<RawBroadcast>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawBroadcast {
    name: Spanned<Scalar>,
    audio: Option<Spanned<List>>,
    at: Option<Spanned<List>>,
    days: Option<Spanned<List>>,
    cron: Option<Spanned<Scalar>>,
    on: Option<Spanned<List>>,
    repeat: Option<Spanned<Scalar>>,
    gap: Option<Spanned<Scalar>>,
    priority: Option<Spanned<Scalar>>,
    chime: Option<Spanned<Scalar>>,
    volume: Option<Spanned<Scalar>>,
    topic: Option<String>,
    from: Option<Spanned<Scalar>>,
    until: Option<Spanned<Scalar>>,
    except: Option<Spanned<List>>,
    outputs: Option<Spanned<List>>,
}

/// One scalar or a list of them, each with its own position where known.
#[derive(Debug, Default)]
struct List(Vec<Spanned<Scalar>>);

impl<'de> Deserialize<'de> for List {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> serde::de::Visitor<'de> for V {
            type Value = List;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a value or a list of values")
            }
            fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<List, A::Error> {
                let mut v = Vec::new();
                while let Some(item) = seq.next_element::<Spanned<Scalar>>()? {
                    v.push(item);
                }
                Ok(List(v))
            }
            fn visit_str<E>(self, s: &str) -> Result<List, E> {
                Ok(List(vec![unlocated(s.to_string())]))
            }
            fn visit_i64<E>(self, s: i64) -> Result<List, E> {
                Ok(List(vec![unlocated(s.to_string())]))
            }
            fn visit_u64<E>(self, s: u64) -> Result<List, E> {
                Ok(List(vec![unlocated(s.to_string())]))
            }
            fn visit_f64<E>(self, s: f64) -> Result<List, E> {
                Ok(List(vec![unlocated(s.to_string())]))
            }
            fn visit_bool<E>(self, s: bool) -> Result<List, E> {
                Ok(List(vec![unlocated(s.to_string())]))
            }
        }
        d.deserialize_any(V)
    }
}

fn unlocated(s: String) -> Spanned<Scalar> {
    Spanned::new(
        Scalar(s),
        serde_saphyr::Location::UNKNOWN,
        serde_saphyr::Location::UNKNOWN,
    )
}

/// Collects errors against one file's text.
struct Ctx<'a> {
    file: &'a Path,
    text: &'a str,
    diags: Vec<Diagnostic>,
}

impl Ctx<'_> {
    fn err(&mut self, pos: Option<Pos>, msg: Msg) {
        self.diags
            .push(Diagnostic::at(self.file, self.text, pos, msg));
    }

    fn warn(&mut self, pos: Option<Pos>, msg: Msg) {
        self.diags
            .push(Diagnostic::at(self.file, self.text, pos, msg).warning());
    }

    /// The position of a list item, falling back to the list's own.
    fn item_pos(item: &Spanned<Scalar>, list: &Spanned<List>) -> Option<Pos> {
        pos_of(item).or_else(|| pos_of(list))
    }

    fn date(&mut self, s: &Option<Spanned<Scalar>>) -> Option<NaiveDate> {
        let s = s.as_ref()?;
        let d = parse_date(&s.value.0);
        if d.is_none() {
            self.err(
                pos_of(s),
                Msg::BadDate {
                    value: s.value.0.clone(),
                },
            );
        }
        d
    }

    fn dates(&mut self, s: &Option<Spanned<List>>) -> Option<BTreeSet<NaiveDate>> {
        let list = s.as_ref()?;
        let mut out = BTreeSet::new();
        for item in &list.value.0 {
            match parse_date(&item.value.0) {
                Some(d) => {
                    out.insert(d);
                }
                None => self.err(
                    Self::item_pos(item, list),
                    Msg::BadDate {
                        value: item.value.0.clone(),
                    },
                ),
            }
        }
        Some(out)
    }

    fn priority(&mut self, s: &Option<Spanned<Scalar>>) -> Option<Priority> {
        let s = s.as_ref()?;
        let p = Priority::parse(&s.value.0);
        if p.is_none() {
            self.err(
                pos_of(s),
                Msg::BadPriority {
                    value: s.value.0.clone(),
                },
            );
        }
        p
    }

    /// Checks an audio path's shape: relative, no `..`, not empty.
    fn audio_ref(&mut self, item: &Spanned<Scalar>, fallback: Option<Pos>) -> Option<AudioRef> {
        let pos = pos_of(item).or(fallback);
        let raw = item.value.0.trim().replace('\\', "/");
        if raw.is_empty() {
            self.err(pos, Msg::EmptyAudioList);
            return None;
        }
        if raw.starts_with('/') || Path::new(&raw).is_absolute() || raw.chars().nth(1) == Some(':')
        {
            self.err(pos, Msg::AudioAbsolute { path: raw });
            return None;
        }
        if raw.split('/').any(|c| c == "..") {
            self.err(pos, Msg::AudioEscapes { path: raw });
            return None;
        }
        let path = raw
            .split('/')
            .filter(|c| !c.is_empty() && *c != ".")
            .collect::<Vec<_>>()
            .join("/");
        Some(AudioRef { path, pos })
    }
}

/// Validates the text of one schedule file named `file_name` (shown to the
/// operator as `shown`). Returns the schedule when it has no errors, and
/// every diagnostic (errors and warnings) found.
pub fn parse(file_name: &str, shown: &Path, text: &str) -> (Option<Schedule>, Vec<Diagnostic>) {
    let raw: RawSchedule = match yaml::parse(shown, text) {
        Ok(r) => r,
        Err(d) => return (None, vec![d]),
    };
    let mut cx = Ctx {
        file: shown,
        text,
        diags: Vec::new(),
    };
    let file_from = cx.date(&raw.from);
    let file_until = cx.date(&raw.until);
    let file_except = cx.dates(&raw.except).unwrap_or_default();
    let file_priority = cx.priority(&raw.priority).unwrap_or_default();
    let approved_on = cx.date(&raw.approved_on);
    let approved_by = raw.approved_by.filter(|s| !s.trim().is_empty());
    if approved_on.is_some() && approved_by.is_none() {
        cx.warn(
            raw.approved_on.as_ref().and_then(pos_of),
            Msg::ApprovedOnWithoutBy,
        );
    }
    if let (Some(f), Some(u)) = (file_from, file_until)
        && f > u
    {
        {
            cx.err(
                raw.until.as_ref().and_then(pos_of),
                Msg::WindowEmpty {
                    from: f.to_string(),
                    until: u.to_string(),
                },
            );
        }
    }
    let topic = raw
        .topic
        .filter(|t| !t.trim().is_empty())
        .unwrap_or_else(|| {
            file_name
                .trim_end_matches(".yaml")
                .trim_end_matches(".yml")
                .to_string()
        });
    if raw.broadcasts.is_empty() {
        cx.err(Pos::from_saphyr_opt(text, "broadcasts"), Msg::NoBroadcasts);
    }

    let defaults = Defaults {
        from: file_from,
        until: file_until,
        except: file_except,
        priority: file_priority,
        topic: topic.clone(),
        outputs: raw.outputs.as_ref().map(output_refs),
    };
    let mut names = HashSet::new();
    let mut broadcasts = Vec::new();
    for rb in &raw.broadcasts {
        let name = rb.value.name.value.0.trim().to_string();
        if name.is_empty() {
            cx.err(pos_of(&rb.value.name), Msg::EmptyName);
        } else if !names.insert(name.clone()) {
            cx.err(
                pos_of(&rb.value.name),
                Msg::DuplicateBroadcast { name: name.clone() },
            );
        }
        if let Some(b) = broadcast(&mut cx, name, rb, &defaults) {
            broadcasts.push(b);
        }
    }

    cx.diags.sort_by_key(|d| d.pos.map(|p| (p.line, p.col)));
    let has_errors = cx.diags.iter().any(Diagnostic::is_error);
    let schedule = (!has_errors).then(|| Schedule {
        file: file_name.to_string(),
        title: raw.title,
        topic,
        basis: raw.basis.filter(|s| !s.trim().is_empty()),
        approved_by,
        approved_on,
        broadcasts,
        hash: crate::hash::sha256_hex(text.as_bytes()),
    });
    (schedule, cx.diags)
}

struct Defaults {
    from: Option<NaiveDate>,
    until: Option<NaiveDate>,
    except: BTreeSet<NaiveDate>,
    priority: Priority,
    topic: String,
    outputs: Option<Vec<OutputRef>>,
}

/// The output names of an `outputs:` list (checked against the station's
/// outputs where the config is known: [`crate::station`]).
fn output_refs(list: &Spanned<List>) -> Vec<OutputRef> {
    list.value
        .0
        .iter()
        .map(|i| OutputRef {
            name: i.value.0.trim().to_string(),
            pos: pos_of(i).or_else(|| pos_of(list)),
        })
        .collect()
}

fn broadcast(
    cx: &mut Ctx,
    name: String,
    rb: &Spanned<RawBroadcast>,
    d: &Defaults,
) -> Option<Broadcast> {
    let r = &rb.value;
    let pos = pos_of(rb).or_else(|| pos_of(&r.name));
    let errors_before = cx.diags.iter().filter(|x| x.is_error()).count();

    let audio: Vec<AudioRef> = match &r.audio {
        None => {
            cx.err(pos_of(&r.name), Msg::EmptyAudioList);
            Vec::new()
        }
        Some(list) => {
            if list.value.0.is_empty() {
                cx.err(pos_of(list), Msg::EmptyAudioList);
            }
            list.value
                .0
                .iter()
                .filter_map(|i| cx.audio_ref(i, pos_of(list)))
                .collect()
        }
    };

    let ways = [r.at.is_some(), r.cron.is_some(), r.on.is_some()]
        .iter()
        .filter(|x| **x)
        .count();
    if ways == 0 {
        cx.err(pos_of(&r.name), Msg::WhenNone);
    } else if ways > 1 {
        let second = [
            r.cron.as_ref().and_then(pos_of),
            r.on.as_ref().and_then(pos_of),
        ]
        .into_iter()
        .flatten()
        .next();
        cx.err(second.or_else(|| pos_of(&r.name)), Msg::WhenMany);
    }
    if r.days.is_some() && r.at.is_none() {
        cx.err(r.days.as_ref().and_then(pos_of), Msg::DaysWithoutAt);
    }
    let when = if let Some(at) = &r.at {
        let mut times = Vec::new();
        for item in &at.value.0 {
            match parse_time(&item.value.0) {
                Some(t) => times.push(t),
                None => cx.err(
                    Ctx::item_pos(item, at),
                    Msg::BadTime {
                        value: item.value.0.clone(),
                    },
                ),
            }
        }
        if at.value.0.is_empty() {
            cx.err(
                pos_of(at),
                Msg::BadTime {
                    value: String::new(),
                },
            );
        }
        times.sort();
        times.dedup();
        let mut days = Days(0);
        match &r.days {
            None => days = Days::ALL,
            Some(list) => {
                for item in &list.value.0 {
                    match Days::parse_word(&item.value.0) {
                        Some(x) => days.add(x),
                        None => cx.err(
                            Ctx::item_pos(item, list),
                            Msg::BadDay {
                                value: item.value.0.clone(),
                            },
                        ),
                    }
                }
            }
        }
        Some(When::At { times, days })
    } else if let Some(c) = &r.cron {
        parse_cron(&c.value.0)
            .map_err(|detail| {
                cx.err(
                    pos_of(c),
                    Msg::BadCron {
                        value: c.value.0.clone(),
                        detail,
                    },
                )
            })
            .ok()
            .map(|c| When::Cron(Box::new(c)))
    } else if let Some(on) = &r.on {
        let mut list = Vec::new();
        for item in &on.value.0 {
            match parse_datetime(&item.value.0) {
                Some(t) => list.push(t),
                None => cx.err(
                    Ctx::item_pos(item, on),
                    Msg::BadDateTime {
                        value: item.value.0.clone(),
                    },
                ),
            }
        }
        list.sort();
        list.dedup();
        Some(When::On(list))
    } else {
        None
    };

    let repeat = match &r.repeat {
        None => 1,
        Some(s) => match s.value.0.trim().parse::<u32>() {
            Ok(n) if (1..=MAX_REPEAT).contains(&n) => n,
            _ => {
                cx.err(pos_of(s), Msg::BadRepeat);
                1
            }
        },
    };
    let gap = match &r.gap {
        None => DEFAULT_GAP,
        Some(s) => parse_duration(&s.value.0).unwrap_or_else(|| {
            cx.err(
                pos_of(s),
                Msg::BadDuration {
                    value: s.value.0.clone(),
                },
            );
            DEFAULT_GAP
        }),
    };
    let volume = match &r.volume {
        None => 1.0,
        Some(s) => crate::units::parse_volume(&s.value.0).unwrap_or_else(|| {
            cx.err(
                pos_of(s),
                Msg::BadVolume {
                    value: s.value.0.clone(),
                },
            );
            1.0
        }),
    };
    let chime = match &r.chime {
        None => Chime::Default,
        Some(s) => match s.value.0.trim() {
            "true" | "yes" => Chime::Default,
            "false" | "no" | "off" => Chime::Off,
            _ => cx.audio_ref(s, None).map(Chime::File).unwrap_or(Chime::Off),
        },
    };
    let priority = cx.priority(&r.priority).unwrap_or(d.priority);
    let from = if r.from.is_some() {
        cx.date(&r.from)
    } else {
        d.from
    };
    let until = if r.until.is_some() {
        cx.date(&r.until)
    } else {
        d.until
    };
    if let (Some(f), Some(u)) = (from, until)
        && f > u
        && (r.from.is_some() || r.until.is_some())
    {
        {
            let at = r.until.as_ref().or(r.from.as_ref()).and_then(pos_of);
            cx.err(
                at,
                Msg::WindowEmpty {
                    from: f.to_string(),
                    until: u.to_string(),
                },
            );
        }
    }
    let except = cx.dates(&r.except).unwrap_or_else(|| d.except.clone());
    let topic = r
        .topic
        .clone()
        .filter(|t| !t.trim().is_empty())
        .unwrap_or_else(|| d.topic.clone());

    let errors_after = cx.diags.iter().filter(|x| x.is_error()).count();
    if errors_after > errors_before {
        return None;
    }
    Some(Broadcast {
        name,
        audio,
        when: when?,
        from,
        until,
        except,
        repeat,
        gap,
        priority,
        chime,
        volume,
        topic,
        outputs: r
            .outputs
            .as_ref()
            .map(output_refs)
            .or_else(|| d.outputs.clone()),
        pos,
    })
}

/// Parses a cron expression with an optional seconds field.
pub fn parse_cron(s: &str) -> Result<Cron, String> {
    let fields = s.split_whitespace().count();
    if !(5..=6).contains(&fields) {
        return Err(format!("{fields} fields"));
    }
    CronParser::builder()
        .seconds(Seconds::Optional)
        .build()
        .parse(s)
        .map_err(|e| e.to_string())
}

impl Pos {
    /// Where a top-level key is written, found by text search; used only for
    /// messages about a key that is missing or empty.
    fn from_saphyr_opt(text: &str, key: &str) -> Option<Pos> {
        text.lines()
            .position(|l| l.starts_with(&format!("{key}:")))
            .map(|i| Pos::new(i as u64 + 1, 1))
    }
}

#[cfg(test)]
#[path = "schedule_tests.rs"]
mod tests;
