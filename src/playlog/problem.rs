//! What can be wrong with a line of the play log, where, and how one line
//! is told apart from a BOM, binary garbage or broken JSON.

use std::borrow::Cow;

use serde::Deserialize;

use super::Record;
use crate::kinds::{Event, Outcome, Place, Priority, Problem, Reason};

/// One fault, at the line it names.
#[derive(Clone, Debug, PartialEq)]
pub struct Fault {
    pub at: Place,
    /// The index of that line in [`Scan::lines`], when it has one.
    pub index: Option<usize>,
    pub problem: Problem,
}

impl Fault {
    /// `file:line`, or `file:line:column` when the problem is at a column
    /// (counted in the file's line, in characters).
    pub fn location(&self) -> String {
        match self.problem.col() {
            Some(col) => format!("{}:{col}", self.at),
            None => self.at.to_string(),
        }
    }
}

/// One complete line as a record, or what is wrong with it.
pub(super) fn parse_line(line: &[u8]) -> Result<Record, Problem> {
    let text = text_of(line)?;
    match serde_json::from_str::<Record>(text) {
        Ok(r) if r.v == 1 => Ok(r),
        Ok(r) => Err(Problem::Unreadable {
            detail: format!("v = {}", r.v),
            col: None,
        }),
        Err(e) => {
            // The parser sees one line: its "line 1" is the file's line, and
            // its column counts bytes; the message gives characters.
            let full = e.to_string();
            let at = format!(" at line {} column {}", e.line(), e.column());
            let detail = full.strip_suffix(&at).unwrap_or(&full).to_string();
            let col = (e.column() > 0).then(|| {
                let end = text.len().min(e.column() - 1);
                text.get(..end).map_or(end, |p| p.chars().count()) + 1
            });
            Err(Problem::Unreadable { detail, col })
        }
    }
}

/// The line as text: no BOM, valid UTF-8, no control character.
fn text_of(line: &[u8]) -> Result<&str, Problem> {
    const BOM: &[u8] = b"\xEF\xBB\xBF";
    if line.starts_with(BOM) {
        return Err(Problem::Bom);
    }
    // The first byte that is not text: a control character in the valid
    // part, or where the valid part ends.
    let (text, valid) = match std::str::from_utf8(line) {
        Ok(t) => (t, true),
        Err(e) => (
            std::str::from_utf8(&line[..e.valid_up_to()]).unwrap_or_default(),
            false,
        ),
    };
    // Control characters are U+0000-U+001F, U+007F and U+0080-U+009F
    // (0xC2 0x80-0x9F): a byte scan rules them out for almost every line,
    // and only a line with a 0xC2 byte or one of them is decoded to find it.
    let suspect = |b: u8| b < 0x20 || b == 0x7F || b == 0xC2;
    let may_have = text
        .as_bytes()
        .chunks(64)
        .any(|c| c.iter().fold(false, |a, &b| a | suspect(b)));
    if may_have && let Some(k) = text.chars().position(char::is_control) {
        return Err(Problem::Binary { col: k + 1 });
    }
    if !valid {
        return Err(Problem::Binary {
            col: text.chars().count() + 1,
        });
    }
    Ok(text)
}

/// The fields of a line a stream read needs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Fields {
    /// What [`super::Checker`] looks at: `seq`, `prev`, `event`, `id`,
    /// `outcome` and `reason`.
    Check,
    /// Those and what a report takes from a line.
    Report,
}

/// A JSON string, borrowed from the line when it has no escape. Takes
/// what `String` takes (serde's `Cow<str>` inside an `Option` would always
/// copy).
struct Text<'a>(Cow<'a, str>);

impl<'de: 'a, 'a> Deserialize<'de> for Text<'a> {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V<'a>(std::marker::PhantomData<&'a ()>);
        impl<'de: 'a, 'a> serde::de::Visitor<'de> for V<'a> {
            type Value = Text<'a>;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a string")
            }
            fn visit_borrowed_str<E>(self, v: &'de str) -> Result<Text<'a>, E> {
                Ok(Text(Cow::Borrowed(v)))
            }
            fn visit_str<E>(self, v: &str) -> Result<Text<'a>, E> {
                Ok(Text(Cow::Owned(v.to_owned())))
            }
            fn visit_string<E>(self, v: String) -> Result<Text<'a>, E> {
                Ok(Text(Cow::Owned(v)))
            }
        }
        d.deserialize_string(V(std::marker::PhantomData))
    }
}

impl Text<'_> {
    fn into_owned(self) -> String {
        self.0.into_owned()
    }
}

/// A line as [`Record`], borrowing its text: every field and type the
/// same, so it accepts exactly the lines [`Record`] does.
#[derive(Deserialize)]
struct Borrowed<'a> {
    v: u32,
    seq: u64,
    #[serde(borrow)]
    at: Text<'a>,
    event: Event,
    #[serde(borrow)]
    prev: Text<'a>,
    #[serde(default, borrow)]
    id: Option<Text<'a>>,
    #[serde(default, borrow)]
    schedule: Option<Text<'a>>,
    #[serde(default, borrow)]
    broadcast: Option<Text<'a>>,
    #[serde(default, borrow)]
    topic: Option<Text<'a>>,
    #[serde(default)]
    priority: Option<Priority>,
    #[serde(default, borrow)]
    scheduled: Option<Text<'a>>,
    #[serde(default, borrow)]
    audio: Vec<BorrowedAudio<'a>>,
    #[serde(default)]
    attempt: Option<u32>,
    #[serde(default)]
    outcome: Option<Outcome>,
    #[serde(default)]
    reason: Option<Reason>,
    #[serde(default)]
    played_s: Option<f64>,
    #[serde(default)]
    start_error_ms: Option<f64>,
    #[serde(default, borrow)]
    #[allow(dead_code)]
    detail: Option<Text<'a>>,
    #[serde(default, borrow)]
    #[allow(dead_code)]
    station: Option<Text<'a>>,
    #[serde(default, borrow)]
    output: Option<Text<'a>>,
    #[serde(default, borrow)]
    source: Option<Text<'a>>,
    #[serde(default)]
    received_s: Option<f64>,
    #[serde(default)]
    fallback: bool,
    #[serde(default)]
    clock_synced: Option<bool>,
}

/// [`super::AudioEntry`], borrowing its text.
#[derive(Deserialize)]
struct BorrowedAudio<'a> {
    #[serde(borrow)]
    path: Text<'a>,
    #[serde(borrow)]
    sha256: Text<'a>,
    length_s: f64,
    #[serde(default)]
    gain_db: Option<f64>,
    #[serde(default)]
    unmeasured: bool,
    /// A spoken entry's `text`, `engine` and `voice` (flattened into the
    /// entry on disk; named here so the rare spoken line pays, not every
    /// line, as `flatten` would make them).
    #[serde(default)]
    text: Option<String>,
    #[serde(default)]
    engine: Option<String>,
    #[serde(default)]
    voice: Option<String>,
}

/// A line for a stream read: accepted or refused exactly as by
/// [`parse_line`] (`None` then: [`parse_line`] names the problem), but
/// only `fields` are kept, the others left at their defaults: a stream read
/// allocates only what it uses.
pub(super) fn parse_fields(line: &[u8], fields: Fields) -> Option<Record> {
    let text = text_of(line).ok()?;
    let b = serde_json::from_str::<Borrowed>(text).ok()?;
    if b.v != 1 {
        return None;
    }
    let own = |c: Option<Text<'_>>| c.map(Text::into_owned);
    let mut r = Record {
        v: b.v,
        seq: b.seq,
        event: b.event,
        prev: b.prev.into_owned(),
        id: own(b.id),
        outcome: b.outcome,
        reason: b.reason,
        ..Record::default()
    };
    if fields == Fields::Report {
        r.at = b.at.into_owned();
        r.schedule = own(b.schedule);
        r.broadcast = own(b.broadcast);
        r.topic = own(b.topic);
        r.priority = b.priority;
        r.scheduled = own(b.scheduled);
        r.audio = b
            .audio
            .into_iter()
            .map(|a| super::AudioEntry {
                path: a.path.into_owned(),
                sha256: a.sha256.into_owned(),
                length_s: a.length_s,
                gain_db: a.gain_db,
                unmeasured: a.unmeasured,
                speech: a.text.map(|text| super::SpeechEntry {
                    text,
                    engine: a.engine.unwrap_or_default(),
                    voice: a.voice.unwrap_or_default(),
                }),
            })
            .collect();
        r.attempt = b.attempt;
        r.played_s = b.played_s;
        r.start_error_ms = b.start_error_ms;
        r.output = own(b.output);
        r.source = own(b.source);
        r.received_s = b.received_s;
        r.fallback = b.fallback;
        r.clock_synced = b.clock_synced;
    }
    Some(r)
}
