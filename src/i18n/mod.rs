//! The message catalogue: every sentence loa shows a person, in Vietnamese and
//! English, side by side in one place.

mod clash_words;
pub mod diag;
mod encoding_words;
mod hint;
pub mod journal;
pub mod labels;
mod limit_words;
mod msg;
mod msg_text;
mod publish;
pub mod rollup;
mod usage;
mod value_words;
mod words;
mod words_cli;
mod words_log;
mod yaml_words;

pub use msg::{LimitKind, Msg};
pub use publish::PageWords;
pub use usage::{Area, Made, Usage, char_code};
pub use words::{StatusPart, Words};

/// What will happen when two broadcasts meet on one output.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Clash {
    /// Waits for the other, and starts at `start` (local HH:MM:SS).
    Waits { start: String },
    /// Waits for the other past the late limit.
    Missed,
    /// An emergency that cuts the other.
    Cuts,
    /// Cut by the other at `at`; starts again at `again` if it does.
    Cut { at: String, again: Option<String> },
}

impl Clash {
    /// The consequence in words; `other` is the broadcast it meets.
    pub fn text(&self, other: &str, lang: Lang) -> String {
        let w = Words::new(lang);
        match self {
            Clash::Waits { start } => w.conflict_waits(other, start),
            Clash::Missed => w.conflict_missed(other),
            Clash::Cuts => w.conflict_cuts(other),
            Clash::Cut {
                at,
                again: Some(again),
            } => w.cut_and_restarted(other, at, again),
            Clash::Cut { at, again: None } => w.cut_for_good(other, at),
        }
    }
}

/// The language of messages and reports. Vietnamese unless told otherwise.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Lang {
    #[default]
    Vi,
    En,
}

impl Lang {
    /// The Vietnamese or the English of a fixed text.
    pub fn pick(self, vi: &'static str, en: &'static str) -> &'static str {
        match self {
            Lang::Vi => vi,
            Lang::En => en,
        }
    }

    pub fn parse(s: &str) -> Option<Lang> {
        match s.trim().to_ascii_lowercase().as_str() {
            "vi" | "vn" | "vi-vn" => Some(Lang::Vi),
            "en" | "en-us" | "en-gb" => Some(Lang::En),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_error_with_a_fix_has_it_in_both_languages() {
        let samples = [
            Msg::YamlTab,
            Msg::BadTime { value: "x".into() },
            Msg::BadCron {
                value: "x".into(),
                detail: "y".into(),
            },
            Msg::AudioMissing {
                path: "a".into(),
                near: Vec::new(),
            },
            Msg::AudioEscapes { path: "a".into() },
            Msg::WhenMany,
        ];
        for m in samples {
            let vi = m.hint(Lang::Vi).unwrap_or_default();
            let en = m.hint(Lang::En).unwrap_or_default();
            assert!(!vi.is_empty() && !en.is_empty(), "{m:?}");
            assert_ne!(m.text(Lang::Vi), m.text(Lang::En), "{m:?}");
        }
    }

    #[test]
    fn lang_parses_common_spellings() {
        assert_eq!(Lang::parse("VI"), Some(Lang::Vi));
        assert_eq!(Lang::parse("en"), Some(Lang::En));
        assert_eq!(Lang::parse("fr"), None);
    }
}
