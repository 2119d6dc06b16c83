//! Reading a schedule file's YAML into the validated model, with every
//! problem located.

use std::collections::{BTreeSet, HashSet};
use std::path::Path;

use chrono::NaiveDate;
use serde::{Deserialize, Deserializer};
use serde_saphyr::Spanned;

use super::parse_broadcast::{Defaults, broadcast, output_refs};
use super::{AudioRef, Priority, Schedule};
use crate::i18n::Msg;
use crate::i18n::diag::{Diagnostic, Pos};
use crate::units::parse_date;
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
    pub(super) file: &'a Path,
    pub(super) text: &'a str,
    pub(super) diags: Vec<Diagnostic>,
    /// Every well-formed audio reference met, even in a broadcast that is
    /// refused: `check` looks for their files all the same.
    pub(super) refs: Vec<AudioRef>,
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
    pub(super) fn spanned_text(
        &mut self,
        key: &str,
        s: &Option<Spanned<String>>,
    ) -> Option<String> {
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

    pub(super) fn date(&mut self, s: &Option<Spanned<Scalar>>) -> Option<NaiveDate> {
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

    pub(super) fn dates(&mut self, s: &Option<Spanned<List>>) -> Option<BTreeSet<NaiveDate>> {
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

    pub(super) fn priority(&mut self, s: &Option<Spanned<Scalar>>) -> Option<Priority> {
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
    pub(super) fn say(&mut self, s: &Spanned<String>) -> Option<AudioRef> {
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
    pub(super) fn audio_ref(
        &mut self,
        item: &Spanned<Scalar>,
        fallback: Option<Pos>,
    ) -> Option<AudioRef> {
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

impl Pos {
    /// Where a top-level key is written, found by text search; used only for
    /// messages about a key that is missing or empty.
    fn from_saphyr_opt(text: &str, key: &str) -> Option<Pos> {
        text.lines()
            .position(|l| l.starts_with(&format!("{key}:")))
            .map(|i| Pos::new(i as u64 + 1, 1))
    }
}
