//! The `tts:` settings (SPEC §2.1): engine, voice, rate, command, lexicon.

use std::path::Path;

use serde::Deserialize;
use serde_saphyr::Spanned;

use crate::diag::{Diagnostic, Pos};
use crate::i18n::Msg;
use crate::speech::{self, Engine, Lexicon, TtsConfig};
use crate::yaml::{self, Scalar, pos_of};

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
        None | Some((speech::DEFAULT_ENGINE, _)) => tts.command_ignored = command.is_some(),
        Some(("command", e)) => match command {
            None => err(pos_of(e), Msg::TtsCommandNeeded),
            Some(argv) if argv.is_empty() => err(command_pos, Msg::TtsCommandNeeded),
            Some(argv) if !argv.iter().any(|a| a.contains(speech::OUT)) => {
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
            Ok(n) if speech::RATES.contains(&n) => tts.rate = n,
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
