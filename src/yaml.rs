//! YAML reading shared by `config.yaml` and the schedule files: limits against
//! hostile input, and serde-saphyr errors turned into located diagnostics.

use std::path::Path;

use serde::de::DeserializeOwned;
use serde::{Deserialize, Deserializer};
use serde_saphyr::{Options, Spanned};

use crate::i18n::Msg;
use crate::i18n::diag::{Diagnostic, Pos};

/// Largest YAML file loa will read. Schedules are a few KB; this is far above
/// any real one and far below what could hurt a small box.
pub const MAX_YAML_BYTES: usize = 1024 * 1024;

fn options() -> Options {
    // Real schedules use no aliases at all; these caps stop an alias bomb
    // long before it can expand.
    serde_saphyr::options! {
        // YAML 1.2 booleans only: a broadcast named "n" or "no" stays text.
        strict_booleans: true,
        budget: serde_saphyr::budget! {
            max_reader_input_bytes: Some(MAX_YAML_BYTES),
            max_aliases: 200,
            max_anchors: 200,
            max_events: 200_000,
            max_nodes: 50_000,
            max_depth: 32,
            max_documents: 1,
        },
    }
}

/// Parses `text` (the contents of `file`) into `T`, or one located diagnostic.
// One diagnostic per file read: its size does not matter.
#[allow(clippy::result_large_err)]
pub fn parse<T: DeserializeOwned>(file: &Path, text: &str) -> Result<T, Diagnostic> {
    if text.len() > MAX_YAML_BYTES {
        return Err(Diagnostic::file(
            file,
            Msg::YamlTooComplex {
                detail: format!("{} bytes", text.len()),
            },
        ));
    }
    if text.trim().is_empty()
        || text
            .lines()
            .all(|l| l.trim_start().starts_with('#') || l.trim().is_empty())
    {
        return Err(Diagnostic::file(file, Msg::EmptyFile));
    }
    serde_saphyr::from_str_with_options::<T>(text, options())
        .map_err(|e| to_diagnostic(file, text, &e))
}

fn to_diagnostic(file: &Path, text: &str, err: &serde_saphyr::Error) -> Diagnostic {
    let pos = err.location().as_ref().and_then(Pos::from_saphyr);
    let raw = err.without_snippet().to_string();
    // serde-saphyr appends " at line N, column M"; we show the place ourselves.
    let detail = match raw.rfind(" at line ") {
        Some(i) if raw[i..].trim_end().ends_with(|c: char| c.is_ascii_digit()) => {
            raw[..i].to_string()
        }
        _ => raw,
    };
    Diagnostic::at(file, text, pos, classify(&detail, text, pos))
}

fn classify(detail: &str, text: &str, pos: Option<Pos>) -> Msg {
    let tab_on_line = pos
        .and_then(|p| crate::i18n::diag::line_of(text, p.line))
        .is_some_and(|l| l.contains('\t'));
    if detail.contains("tab") && (tab_on_line || text.contains('\t')) {
        return Msg::YamlTab;
    }
    if let Some(rest) = detail.strip_prefix("unknown field `")
        && let Some((key, tail)) = rest.split_once('`')
    {
        {
            let expected = tail
                .trim_start_matches(", expected one of ")
                .trim_start_matches(", expected ")
                .replace('`', "");
            return Msg::YamlUnknownKey {
                key: key.to_string(),
                expected,
            };
        }
    }
    if let Some(rest) = detail.strip_prefix("missing field `")
        && let Some((key, _)) = rest.split_once('`')
    {
        {
            return Msg::YamlMissingKey {
                key: key.to_string(),
            };
        }
    }
    // The reader's own advice (a setting of the library) means nothing to
    // an operator.
    if let Some(rest) = detail.strip_prefix("duplicate mapping key: ") {
        let key = rest.split(", set ").next().unwrap_or(rest).trim();
        return Msg::YamlDuplicateKey {
            key: crate::chars::visible(key).into_owned(),
        };
    }
    let lower = detail.to_ascii_lowercase();
    if lower.contains("budget")
        || lower.contains("alias")
        || lower.contains("limit")
        || lower.contains("depth")
    {
        return Msg::YamlTooComplex {
            detail: detail.to_string(),
        };
    }
    Msg::YamlSyntax {
        detail: detail.to_string(),
    }
}

/// Any YAML scalar read as text, so that `at: 615` or `days: 1` reach our own
/// validation (with its helpful message) instead of a bare type error.
/// Curly quotes around the whole (`“17:30”`, which YAML takes as plain
/// text) are quotes: the value is what is inside. Its place in the file
/// stays that of the opening quote.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Scalar(pub String);

impl<'de> Deserialize<'de> for Scalar {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl serde::de::Visitor<'_> for V {
            type Value = Scalar;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a text, number or true/false")
            }
            fn visit_str<E>(self, v: &str) -> Result<Scalar, E> {
                Ok(Scalar(crate::forms::unquote(v).to_string()))
            }
            fn visit_i64<E>(self, v: i64) -> Result<Scalar, E> {
                Ok(Scalar(v.to_string()))
            }
            fn visit_u64<E>(self, v: u64) -> Result<Scalar, E> {
                Ok(Scalar(v.to_string()))
            }
            fn visit_f64<E>(self, v: f64) -> Result<Scalar, E> {
                Ok(Scalar(v.to_string()))
            }
            fn visit_bool<E>(self, v: bool) -> Result<Scalar, E> {
                Ok(Scalar(v.to_string()))
            }
        }
        d.deserialize_any(V)
    }
}

/// A scalar that may also be YAML's null (`~`, `null` or nothing), for a
/// field where an unquoted `null` is a likely slip: `Option` alone would
/// read it as "not given".
#[derive(Debug)]
pub struct MaybeNull(pub Option<Scalar>);

impl<'de> Deserialize<'de> for MaybeNull {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> serde::de::Visitor<'de> for V {
            type Value = MaybeNull;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a text, number or true/false")
            }
            fn visit_unit<E>(self) -> Result<MaybeNull, E> {
                Ok(MaybeNull(None))
            }
            fn visit_none<E>(self) -> Result<MaybeNull, E> {
                Ok(MaybeNull(None))
            }
            fn visit_str<E>(self, v: &str) -> Result<MaybeNull, E> {
                Ok(MaybeNull(Some(Scalar(v.to_string()))))
            }
            fn visit_i64<E>(self, v: i64) -> Result<MaybeNull, E> {
                Ok(MaybeNull(Some(Scalar(v.to_string()))))
            }
            fn visit_u64<E>(self, v: u64) -> Result<MaybeNull, E> {
                Ok(MaybeNull(Some(Scalar(v.to_string()))))
            }
            fn visit_f64<E>(self, v: f64) -> Result<MaybeNull, E> {
                Ok(MaybeNull(Some(Scalar(v.to_string()))))
            }
            fn visit_bool<E>(self, v: bool) -> Result<MaybeNull, E> {
                Ok(MaybeNull(Some(Scalar(v.to_string()))))
            }
        }
        d.deserialize_any(V)
    }
}

/// For `#[serde(default, deserialize_with = "yaml::present")]`: a field
/// that is there, even as null, is `Some`, with its place in the file.
pub fn present<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Spanned<MaybeNull>>, D::Error> {
    Spanned::<MaybeNull>::deserialize(d).map(Some)
}

/// A value written either alone or as a list: `audio: a.mp3` or `audio: [a.mp3, b.mp3]`.
#[derive(Clone, Debug, Deserialize)]
#[serde(untagged)]
pub enum OneOrMany<T> {
    One(T),
    Many(Vec<T>),
}

impl<T> OneOrMany<T> {
    pub fn into_vec(self) -> Vec<T> {
        match self {
            OneOrMany::One(t) => vec![t],
            OneOrMany::Many(v) => v,
        }
    }
}

/// The position of a spanned value, if known.
pub fn pos_of<T>(s: &Spanned<T>) -> Option<Pos> {
    Pos::from_saphyr(&s.referenced)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct T {
        title: String,
        #[serde(default)]
        list: Vec<Scalar>,
    }

    fn err(text: &str) -> Diagnostic {
        match parse::<T>(Path::new("x.yaml"), text) {
            Ok(v) => panic!("expected an error, got {v:?}"),
            Err(e) => e,
        }
    }

    #[test]
    fn unknown_key_is_located_and_lists_the_allowed_keys() {
        let d = err("title: a\ntitel: b\n");
        assert_eq!(d.pos, Some(Pos::new(2, 1)));
        assert_eq!(
            d.msg,
            Msg::YamlUnknownKey {
                key: "titel".into(),
                expected: "title, list".into()
            }
        );
    }

    #[test]
    fn a_duplicate_key_is_named_without_the_readers_own_advice() {
        let d = err("title: a\ntitle: b\n");
        assert_eq!(d.pos, Some(Pos::new(2, 1)));
        assert_eq!(
            d.msg,
            Msg::YamlDuplicateKey {
                key: "title".into()
            }
        );
        for lang in [crate::i18n::Lang::Vi, crate::i18n::Lang::En] {
            let said = format!("{} {:?}", d.msg.text(lang), d.msg.hint(lang));
            assert!(said.contains("title") && !said.contains("Policy"), "{said}");
        }
    }

    #[test]
    fn tabs_get_their_own_message() {
        let d = err("title: a\n\tlist: []\n");
        assert_eq!(d.msg, Msg::YamlTab);
    }

    #[test]
    fn empty_and_comment_only_files_are_empty() {
        assert_eq!(err("").msg, Msg::EmptyFile);
        assert_eq!(err("# nothing\n\n").msg, Msg::EmptyFile);
    }

    #[test]
    fn alias_bomb_is_refused_quickly() {
        let mut y = String::from("title: a\nlist: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
        for i in 1..12 {
            let p = i - 1;
            y.push_str(&format!(
                "k{i}: &a{i} [*a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}]\n"
            ));
        }
        let started = std::time::Instant::now();
        let d = err(&y);
        assert!(started.elapsed().as_secs() < 2);
        assert!(
            matches!(
                d.msg,
                Msg::YamlTooComplex { .. } | Msg::YamlUnknownKey { .. }
            ),
            "{d:?}"
        );
    }

    #[test]
    fn scalars_of_any_type_read_as_text() {
        let v: T = parse(
            Path::new("x.yaml"),
            "title: a\nlist: [615, true, 1.5, \"06:15\"]\n",
        )
        .unwrap_or_else(|e| panic!("{e:?}"));
        let got: Vec<String> = v.list.into_iter().map(|s| s.0).collect();
        assert_eq!(got, ["615", "true", "1.5", "06:15"]);
    }
}
