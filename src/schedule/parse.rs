//! Reading a schedule file's YAML into the validated model, with every
//! problem located.

use std::collections::{BTreeSet, HashSet};
use std::path::Path;

use chrono::NaiveDate;
use serde::{Deserialize, Deserializer};
use serde_saphyr::Spanned;

use super::{
    AudioRef, Broadcast, Chime, DEFAULT_GAP, MAX_RELAY, MAX_REPEAT, MIN_RELAY, OutputRef, Priority,
    Relay, Schedule, when,
};
use crate::i18n::Msg;
use crate::i18n::diag::{Diagnostic, Pos};
use crate::units::{parse_date, parse_duration};
use crate::yaml::{self, Scalar, pos_of};

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSchedule {
    title: Option<Spanned<String>>,
    topic: Option<Spanned<String>>,
    basis: Option<Spanned<String>>,
    approved_by: Option<Spanned<String>>,
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
pub(super) struct RawBroadcast {
    pub(super) name: Spanned<Scalar>,
    pub(super) audio: Option<Spanned<List>>,
    pub(super) say: Option<Spanned<String>>,
    pub(super) relay: Option<Spanned<String>>,
    #[serde(rename = "for")]
    pub(super) for_: Option<Spanned<Scalar>>,
    pub(super) fallback: Option<Spanned<Scalar>>,
    pub(super) at: Option<Spanned<List>>,
    pub(super) days: Option<Spanned<List>>,
    pub(super) cron: Option<Spanned<Scalar>>,
    pub(super) on: Option<Spanned<List>>,
    pub(super) repeat: Option<Spanned<Scalar>>,
    pub(super) gap: Option<Spanned<Scalar>>,
    pub(super) priority: Option<Spanned<Scalar>>,
    pub(super) chime: Option<Spanned<Scalar>>,
    pub(super) volume: Option<Spanned<Scalar>>,
    pub(super) topic: Option<Spanned<String>>,
    pub(super) from: Option<Spanned<Scalar>>,
    pub(super) until: Option<Spanned<Scalar>>,
    pub(super) except: Option<Spanned<List>>,
    pub(super) outputs: Option<Spanned<List>>,
}

/// One scalar or a list of them, each with its own position where known.
#[derive(Debug, Default)]
pub(super) struct List(pub(super) Vec<Spanned<Scalar>>);

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
                Ok(List(vec![unlocated(crate::forms::unquote(s).to_string())]))
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
pub(super) struct Ctx<'a> {
    file: &'a Path,
    text: &'a str,
    diags: Vec<Diagnostic>,
    /// Every well-formed audio reference met, even in a broadcast that is
    /// refused: `check` looks for their files all the same.
    refs: Vec<AudioRef>,
}

impl Ctx<'_> {
    pub(super) fn err(&mut self, pos: Option<Pos>, msg: Msg) {
        self.diags
            .push(Diagnostic::at(self.file, self.text, pos, msg));
    }

    fn warn(&mut self, pos: Option<Pos>, msg: Msg) {
        self.diags
            .push(Diagnostic::at(self.file, self.text, pos, msg).warning());
    }

    /// Refuses a control character in the text of `key` (see
    /// [`crate::chars::control_char`]); true when the text is clean.
    pub(super) fn text(&mut self, key: &str, text: &str, pos: Option<Pos>) -> bool {
        let Some(c) = crate::chars::control_char(text) else {
            return true;
        };
        self.err(
            pos,
            Msg::ControlChar {
                key: key.to_string(),
                char: crate::i18n::char_code(c),
            },
        );
        false
    }

    /// Checks an optional spanned text; its value when present.
    fn spanned_text(&mut self, key: &str, s: &Option<Spanned<String>>) -> Option<String> {
        let s = s.as_ref()?;
        // The line break a YAML block scalar (`|`, `>`) ends with is layout,
        // and curly quotes around the whole are quotes.
        let text = crate::forms::unquote(s.value.trim());
        self.text(key, text, pos_of(s));
        Some(text.to_string())
    }

    /// The position of a list item, falling back to the list's own.
    pub(super) fn item_pos(item: &Spanned<Scalar>, list: &Spanned<List>) -> Option<Pos> {
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

    /// A `say:` text: spoken, so line breaks and tabs are allowed in it,
    /// but no other control character.
    fn say(&mut self, s: &Spanned<String>) -> Option<AudioRef> {
        let pos = pos_of(s);
        let text = crate::forms::unquote(s.value.trim()).to_string();
        let flat: String = text
            .chars()
            .map(|c| {
                if matches!(c, '\n' | '\r' | '\t') {
                    ' '
                } else {
                    c
                }
            })
            .collect();
        if !self.text("say", &flat, pos) {
            return None;
        }
        if text.is_empty() {
            self.err(pos, Msg::SayEmpty);
            return None;
        }
        Some(AudioRef {
            path: super::SAY.to_string(),
            pos,
            say: Some(text),
        })
    }

    /// Checks an audio path's shape: relative, no `..`, not empty.
    fn audio_ref(&mut self, item: &Spanned<Scalar>, fallback: Option<Pos>) -> Option<AudioRef> {
        let pos = pos_of(item).or(fallback);
        if !self.text("audio", &item.value.0, pos) {
            return None;
        }
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
        let r = AudioRef {
            path,
            pos,
            say: None,
        };
        self.refs.push(r.clone());
        Some(r)
    }
}

/// Validates the text of one schedule file named `file_name` (shown to the
/// operator as `shown`). Returns the schedule when it has no errors, and
/// every diagnostic (errors and warnings) found.
pub fn parse(file_name: &str, shown: &Path, text: &str) -> (Option<Schedule>, Vec<Diagnostic>) {
    let (schedule, diags, _) = parse_with_refs(file_name, shown, text);
    (schedule, diags)
}

/// [`parse`], and every well-formed audio reference of the file, whether or
/// not the file as a whole is valid.
pub fn parse_with_refs(
    file_name: &str,
    shown: &Path,
    text: &str,
) -> (Option<Schedule>, Vec<Diagnostic>, Vec<AudioRef>) {
    let raw: RawSchedule = match yaml::parse(shown, text) {
        Ok(r) => r,
        Err(d) => return (None, vec![d], Vec::new()),
    };
    let mut cx = Ctx {
        file: shown,
        text,
        diags: Vec::new(),
        refs: Vec::new(),
    };
    let file_from = cx.date(&raw.from);
    let file_until = cx.date(&raw.until);
    let file_except = cx.dates(&raw.except).unwrap_or_default();
    let file_priority = cx.priority(&raw.priority).unwrap_or_default();
    let approved_on = cx.date(&raw.approved_on);
    let stem = file_name.trim_end_matches(".yaml").trim_end_matches(".yml");
    // Optional: an operator who copies a file and renames it has named it.
    let title = cx
        .spanned_text("title", &raw.title)
        .filter(|t| !t.is_empty())
        .unwrap_or_else(|| stem.to_string());
    let basis = cx.spanned_text("basis", &raw.basis);
    let approved_by = cx
        .spanned_text("approved_by", &raw.approved_by)
        .filter(|s| !s.trim().is_empty());
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
    let topic = cx
        .spanned_text("topic", &raw.topic)
        .filter(|t| !t.trim().is_empty())
        .unwrap_or_else(|| stem.to_string());
    if raw.broadcasts.is_empty() {
        cx.err(Pos::from_saphyr_opt(text, "broadcasts"), Msg::NoBroadcasts);
    }

    let defaults = Defaults {
        from: file_from,
        until: file_until,
        except: file_except,
        priority: file_priority,
        topic: topic.clone(),
        outputs: raw.outputs.as_ref().map(|l| output_refs(&mut cx, l)),
    };
    let mut names = HashSet::new();
    let mut broadcasts = Vec::new();
    for rb in &raw.broadcasts {
        let name = rb.value.name.value.0.trim().to_string();
        // A forged name is named once, not also as a duplicate.
        let clean = cx.text("name", &name, pos_of(&rb.value.name));
        if clean && name.is_empty() {
            cx.err(pos_of(&rb.value.name), Msg::EmptyName);
        } else if clean && !names.insert(name.clone()) {
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
        title,
        topic,
        basis: basis.filter(|s| !s.trim().is_empty()),
        approved_by,
        approved_on,
        broadcasts,
        hash: crate::hash::sha256_hex(text.as_bytes()),
    });
    (schedule, cx.diags, cx.refs)
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
fn output_refs(cx: &mut Ctx, list: &Spanned<List>) -> Vec<OutputRef> {
    if list.value.0.is_empty() {
        // An empty list would make a broadcast that plays nowhere.
        cx.err(pos_of(list), Msg::EmptyOutputsList);
    }
    list.value
        .0
        .iter()
        .map(|i| OutputRef {
            name: i.value.0.trim().to_string(),
            pos: pos_of(i).or_else(|| pos_of(list)),
        })
        .filter(|o| cx.text("outputs", &o.name, o.pos))
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

    let relay = relay(cx, r);
    let audio: Vec<AudioRef> = match (&r.audio, &r.say) {
        _ if r.relay.is_some() => Vec::new(),
        (Some(_), Some(say)) => {
            cx.err(pos_of(say), Msg::SayAndAudio);
            Vec::new()
        }
        (None, Some(say)) => cx.say(say).into_iter().collect(),
        (None, None) => {
            cx.err(pos_of(&r.name), Msg::EmptyAudioList);
            Vec::new()
        }
        (Some(list), None) => {
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

    let when = when::when(cx, r);

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
    let topic = cx
        .spanned_text("topic", &r.topic)
        .filter(|t| !t.trim().is_empty())
        .unwrap_or_else(|| d.topic.clone());

    if relay.is_some()
        && let Some(rep) = &r.repeat
        && repeat > 1
    {
        cx.err(pos_of(rep), Msg::RelayRepeat);
    }
    let errors_after = cx.diags.iter().filter(|x| x.is_error()).count();
    if errors_after > errors_before {
        return None;
    }
    Some(Broadcast {
        name,
        audio,
        relay,
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
            .map(|l| output_refs(cx, l))
            .or_else(|| d.outputs.clone()),
        pos,
    })
}

/// The relay of a broadcast (`relay`, `for`, `fallback`), checked: exactly
/// one kind of programme, a source loa can take, a length, and a fallback
/// only with a relay.
fn relay(cx: &mut Ctx, r: &RawBroadcast) -> Option<Relay> {
    let Some(src) = &r.relay else {
        if let Some(f) = &r.for_ {
            cx.err(pos_of(f), Msg::RelayOnly { key: "for".into() });
        }
        if let Some(f) = &r.fallback {
            cx.err(
                pos_of(f),
                Msg::RelayOnly {
                    key: "fallback".into(),
                },
            );
        }
        return None;
    };
    let pos = pos_of(src);
    if let Some(a) = &r.audio {
        cx.err(
            pos_of(a).or(pos),
            Msg::RelayAndOther {
                other: "audio".into(),
            },
        );
    }
    if let Some(a) = &r.say {
        cx.err(
            pos_of(a).or(pos),
            Msg::RelayAndOther {
                other: "say".into(),
            },
        );
    }
    let value = crate::forms::unquote(src.value.trim()).to_string();
    if !cx.text("relay", &value, pos) {
        return None;
    }
    let source = match crate::address::Source::parse(&value) {
        Ok(s) => Some(s),
        Err(why) => {
            cx.err(pos, Msg::RelaySource { value, why });
            None
        }
    };
    let length = match &r.for_ {
        None => {
            cx.err(pos, Msg::RelayNoFor);
            None
        }
        Some(f) => match parse_duration(&f.value.0) {
            Some(d) if d >= MIN_RELAY && d <= MAX_RELAY => Some(d),
            Some(_) => {
                cx.err(
                    pos_of(f),
                    Msg::RelayLength {
                        value: f.value.0.trim().to_string(),
                    },
                );
                None
            }
            None => {
                cx.err(
                    pos_of(f),
                    Msg::BadDuration {
                        value: f.value.0.clone(),
                    },
                );
                None
            }
        },
    };
    // A notice read aloud (`.txt`) is as good a fallback as a recording.
    let fallback = r.fallback.as_ref().and_then(|f| cx.audio_ref(f, pos));
    Some(Relay {
        source: source?,
        length: length?,
        fallback,
        pos,
    })
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
