//! The `tts:` settings (SPEC §2.1): engine, voice, rate, command, lexicon.

use std::path::{Path, PathBuf};

use unicode_normalization::UnicodeNormalization;

use serde::Deserialize;
use serde_saphyr::Spanned;

use crate::i18n::Msg;
use crate::i18n::diag::{Diagnostic, Pos};
use crate::yaml::{self, Scalar, pos_of};

/// The engine used when config.yaml names none: Debian's `espeak-ng`.
pub const DEFAULT_ENGINE: &str = "espeak-ng";
/// espeak-ng's Vietnamese voice (Northern); `vi-VN-x-central` and
/// `vi-VN-x-south` are the others.
pub const DEFAULT_VOICE: &str = "vi";
/// Words per minute: a little slower than espeak-ng's 175, for
/// loudspeakers heard across a village.
pub const DEFAULT_RATE: u32 = 150;
/// The slowest and fastest rates accepted.
pub const RATES: std::ops::RangeInclusive<u32> = 80..=450;
/// The placeholder for the WAV file in a `command` engine's arguments.
pub const OUT: &str = "{out}";

/// Which engine renders speech.
#[derive(Clone, Debug, PartialEq)]
pub enum Engine {
    /// The `espeak-ng` program, text on stdin.
    EspeakNg,
    /// Any program that reads text on stdin and writes a WAV to `{out}`
    /// (`{voice}` and `{rate}` are replaced too); run in the station folder.
    Command(Vec<String>),
}

/// The `tts:` settings, with the lexicon read.
#[derive(Clone, Debug, PartialEq)]
pub struct TtsConfig {
    pub engine: Engine,
    pub voice: String,
    pub rate: u32,
    /// The lexicon file as written in config.yaml, if any.
    pub lexicon_file: Option<String>,
    pub lexicon: Lexicon,
    /// The station folder, where a command engine runs and the files its
    /// arguments name (a voice model) are.
    pub root: PathBuf,
    /// A `command:` was written without `engine: command`: not used.
    pub command_ignored: bool,
}

impl Default for TtsConfig {
    fn default() -> Self {
        TtsConfig {
            engine: Engine::EspeakNg,
            voice: DEFAULT_VOICE.into(),
            rate: DEFAULT_RATE,
            lexicon_file: None,
            lexicon: Lexicon::default(),
            root: PathBuf::new(),
            command_ignored: false,
        }
    }
}

/// The station's own readings (`tts.lexicon`): a word or phrase, and how
/// it is read. They win over the built-in abbreviations. A key written
/// with capitals matches only as written; a lower-case key, any case.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Lexicon {
    /// Longest first, so "UBND xã" wins over "UBND".
    entries: Vec<(Vec<char>, String)>,
}

impl Lexicon {
    pub fn new(entries: impl IntoIterator<Item = (String, String)>) -> Lexicon {
        let mut entries: Vec<(Vec<char>, String)> = entries
            .into_iter()
            .map(|(k, v)| (k.trim().nfc().collect(), v.trim().nfc().collect()))
            .filter(|(k, _): &(Vec<char>, String)| !k.is_empty())
            .collect();
        entries.sort_by(|a, b| b.0.len().cmp(&a.0.len()).then(a.0.cmp(&b.0)));
        Lexicon { entries }
    }

    /// The readings, longest key first.
    pub(crate) fn entries(&self) -> &[(Vec<char>, String)] {
        &self.entries
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// A fingerprint of the readings, part of the speech cache key.
    pub fn fingerprint(&self) -> String {
        let mut s = String::new();
        for (k, v) in &self.entries {
            s.extend(k.iter());
            s.push('\u{1f}');
            s.push_str(v);
            s.push('\u{1e}');
        }
        s
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawTts {
    engine: Option<Spanned<Scalar>>,
    voice: Option<Spanned<Scalar>>,
    rate: Option<Spanned<Scalar>>,
    command: Option<Spanned<yaml::OneOrMany<Scalar>>>,
    lexicon: Option<Spanned<Scalar>>,
}

/// Validates `tts:`; reads the lexicon file (relative to `root`), whose
/// problems are located in it.
pub(super) fn tts_config(
    raw: &RawTts,
    root: &Path,
    err: &mut impl FnMut(Option<Pos>, Msg),
    other: &mut Vec<Diagnostic>,
) -> TtsConfig {
    let mut tts = TtsConfig {
        root: root.to_path_buf(),
        ..TtsConfig::default()
    };
    let command: Option<Vec<String>> = raw.command.as_ref().map(|c| match &c.value {
        // One string: split at spaces, as a shell would without quotes.
        yaml::OneOrMany::One(s) => s.0.split_whitespace().map(str::to_string).collect(),
        yaml::OneOrMany::Many(v) => v.iter().map(|s| s.0.clone()).collect(),
    });
    let command_pos = raw.command.as_ref().and_then(pos_of);
    match raw.engine.as_ref().map(|e| (e.value.0.trim(), e)) {
        None | Some((DEFAULT_ENGINE, _)) => tts.command_ignored = command.is_some(),
        Some(("command", e)) => match command {
            None => err(pos_of(e), Msg::TtsCommandNeeded),
            Some(argv) if argv.is_empty() => err(command_pos, Msg::TtsCommandNeeded),
            Some(argv) if !argv.iter().any(|a| a.contains(OUT)) => {
                err(command_pos, Msg::TtsCommandNoOut)
            }
            Some(argv) => tts.engine = Engine::Command(argv),
        },
        Some((other, e)) => err(
            pos_of(e),
            Msg::TtsBadEngine {
                value: other.to_string(),
            },
        ),
    }
    if let Some(v) = &raw.voice {
        let v = v.value.0.trim();
        if !v.is_empty() {
            tts.voice = v.to_string();
        }
    }
    if let Some(r) = &raw.rate {
        match r.value.0.trim().parse::<u32>() {
            Ok(n) if RATES.contains(&n) => tts.rate = n,
            _ => err(
                pos_of(r),
                Msg::TtsBadRate {
                    value: r.value.0.clone(),
                },
            ),
        }
    }
    if let Some(l) = raw
        .lexicon
        .as_ref()
        .map(|l| l.value.0.trim())
        .filter(|l| !l.is_empty())
    {
        tts.lexicon_file = Some(l.to_string());
        match read_lexicon(&root.join(l), Path::new(l)) {
            Ok(lex) => tts.lexicon = lex,
            Err(d) => other.push(*d),
        }
    }
    tts
}

/// Reads a lexicon file: a YAML map of `written: read` (`UBND: ủy ban
/// nhân dân`), in any encoding [`crate::text`] reads.
pub fn read_lexicon(path: &Path, shown: &Path) -> Result<Lexicon, Box<Diagnostic>> {
    let text = crate::text::read_text(path).map_err(|e| Box::new(e.diagnostic(shown)))?;
    let map: std::collections::BTreeMap<String, Scalar> =
        yaml::parse(shown, &text).map_err(Box::new)?;
    Ok(Lexicon::new(map.into_iter().map(|(k, v)| (k, v.0))))
}
