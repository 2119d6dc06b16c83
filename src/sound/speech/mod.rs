//! Speech (SPEC §2.1 `tts`, §2.4): text a schedule says (`say:`) or a
//! `.txt` notice in the audio folder, written out in words
//! ([`normalise`]), rendered once to a WAV by an offline engine and kept
//! under `state/tts/` by a hash of everything that shapes the sound; from
//! then on it is an ordinary recording, measured and played like one.

mod level;
pub use level::header as wav_header;
pub mod normalise;
mod numbers;
mod render;
mod voices;
mod words;

#[cfg(test)]
mod tests;

use std::path::{Path, PathBuf};
use std::time::Duration;

pub use crate::config::{
    DEFAULT_ENGINE, DEFAULT_RATE, DEFAULT_VOICE, Engine, Lexicon, OUT, RATES, TtsConfig,
};
pub use normalise::{Spoken, normalise};
pub use render::{kill_engines, render, render_once};
pub use voices::{espeak_voices, has_voice, installed, parse_voices};

/// Where rendered speech is kept, inside the state folder.
pub const TTS_DIR: &str = "tts";

impl TtsConfig {
    /// The engine's name as the play log records it: `espeak-ng`, or the
    /// command's program.
    pub fn engine_name(&self) -> String {
        match &self.engine {
            Engine::EspeakNg => DEFAULT_ENGINE.into(),
            Engine::Command(argv) => argv.first().cloned().unwrap_or_default(),
        }
    }

    /// The program that is run.
    pub fn program(&self) -> String {
        self.engine_name()
    }

    /// The cache key of `spoken` words: a hash of the words, the engine
    /// (its whole command, and the size and modification time of each file
    /// it names: a voice model replaced is a new voice), the voice, the
    /// rate and the lexicon.
    pub fn key(&self, spoken: &str) -> String {
        let engine = match &self.engine {
            Engine::EspeakNg => DEFAULT_ENGINE.to_string(),
            Engine::Command(argv) => {
                let mut s = argv.join("\u{1f}");
                for a in argv
                    .iter()
                    .filter(|a| !a.contains('{') && !a.starts_with('-'))
                {
                    let Ok(m) = std::fs::metadata(self.root.join(a)) else {
                        continue;
                    };
                    if !m.is_file() {
                        continue;
                    }
                    let t = m
                        .modified()
                        .ok()
                        .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
                        .map_or(0, |d| d.as_nanos());
                    s.push_str(&format!("\u{1e}{a}:{}:{t}", m.len()));
                }
                s
            }
        };
        let all = [
            // 2: rendered speech is levelled (`level`).
            "loa-tts-2",
            spoken,
            &engine,
            &self.voice,
            &self.rate.to_string(),
            &self.lexicon.fingerprint(),
        ]
        .join("\0");
        crate::hash::sha256_hex(all.as_bytes())
    }
}

/// How voice model files end: an argument of a `command` engine that ends
/// so names a model ([`named_files`]).
pub const MODEL_EXTENSIONS: &[&str] = &[".onnx", ".json", ".bin", ".pt", ".pth"];

/// The value an argument gives: `--model=x.onnx` gives `x.onnx`.
fn arg_value(arg: &str) -> Option<&str> {
    match arg.strip_prefix('-') {
        Some(_) => arg.split_once('=').map(|(_, v)| v),
        None => Some(arg),
    }
}

/// Whether an argument (or its `--opt=` value) names a voice model: it
/// ends in one of [`MODEL_EXTENSIONS`].
pub fn is_model(arg: &str) -> bool {
    arg_value(arg).is_some_and(|v| {
        !v.contains('{')
            && MODEL_EXTENSIONS
                .iter()
                .any(|e| v.to_lowercase().ends_with(e))
    })
}

/// The programs that take a script as the argument after `-c`.
const SHELLS: &[&str] = &["sh", "bash", "dash", "zsh", "ksh", "busybox"];

/// The files a `command` engine's arguments (after the program) name, which
/// must be there: an argument, or the value of an `--opt=value`, with no
/// `{…}` placeholder and no white space, that holds a `/` or names a voice
/// model ([`is_model`]); relative to the station folder unless absolute.
/// A shell's script (the argument after `-c`) is a command line, not a
/// file: what it names is the script's business.
pub fn named_files(argv: &[String]) -> Vec<String> {
    let shell = argv.first().is_some_and(|p| {
        let name = p.rsplit('/').next().unwrap_or(p);
        SHELLS.contains(&name)
    });
    let mut out = Vec::new();
    let mut after_c = false;
    for a in argv.iter().skip(1) {
        if std::mem::replace(&mut after_c, shell && a == "-c") {
            continue;
        }
        let Some(v) = arg_value(a) else {
            continue;
        };
        let plain = !v.is_empty() && !v.contains('{') && !v.contains(char::is_whitespace);
        if plain && (v.contains('/') || is_model(v)) {
            out.push(v.to_string());
        }
    }
    out
}

/// What the play log records of the engine and voice that spoke (SPEC §3
/// `engine`, `voice`): `espeak-ng` and its voice; for a command engine
/// `command:<program>` (the script's name when the program is a shell or
/// an interpreter running one: `command:piper`, `command:voice.sh`) and
/// the model file's name when an argument names one
/// (`vi_VN-vais1000-medium.onnx`), else the configured voice.
pub fn log_engine(tts: &TtsConfig) -> (String, String) {
    let Engine::Command(argv) = &tts.engine else {
        return (DEFAULT_ENGINE.into(), tts.voice.clone());
    };
    let name = |a: &str| {
        Path::new(a)
            .file_name()
            .map_or_else(|| a.to_string(), |n| n.to_string_lossy().into_owned())
    };
    let program = argv.first().map(|p| name(p)).unwrap_or_default();
    const INTERPRETERS: &[&str] = &["sh", "bash", "dash", "python", "python3", "perl", "env"];
    let script = INTERPRETERS
        .contains(&program.as_str())
        .then(|| {
            argv.iter()
                .skip(1)
                .find(|a| !a.starts_with('-') && !a.contains('{'))
        })
        .flatten();
    let engine = format!("command:{}", script.map_or(program, |s| name(s)));
    let voice = argv
        .iter()
        .skip(1)
        .filter(|a| is_model(a))
        .find_map(|a| arg_value(a))
        .map_or_else(|| tts.voice.clone(), name);
    (engine, voice)
}

/// One piece of speech, ready to render or play: the text as written, the
/// words to speak and where its WAV is kept.
#[derive(Clone, Debug, PartialEq)]
pub struct Speech {
    /// Exactly as the schedule or the file has it, before normalisation.
    pub text: String,
    pub spoken: Spoken,
    /// `state/tts/<key>.wav`.
    pub wav: PathBuf,
}

impl Speech {
    pub fn new(tts: &TtsConfig, state_dir: &Path, text: &str) -> Speech {
        let spoken = normalise(text, &tts.lexicon);
        let wav = state_dir
            .join(TTS_DIR)
            .join(format!("{}.wav", tts.key(&spoken.text)));
        Speech {
            text: text.to_string(),
            spoken,
            wav,
        }
    }

    /// Whether it has been rendered already: a WAV that is there, not
    /// empty, and opens as sound. One that is not (a power cut before it
    /// reached the disk) is removed, to be rendered again.
    pub fn rendered(&self) -> bool {
        let Ok(meta) = std::fs::metadata(&self.wav) else {
            return false;
        };
        let ok =
            meta.is_file() && meta.len() > 44 && crate::sound::audio::decoder(&self.wav).is_ok();
        if !ok && meta.is_file() {
            let _ = std::fs::remove_file(&self.wav);
        }
        ok
    }
}

/// The longest text loa speaks, in characters: about 1,200 Vietnamese
/// syllables, some 8 minutes at the default rate. A longer notice is
/// refused where it is read (`check` names the file), so no text costs
/// hours of rendering or a disk of WAV.
pub const MAX_CHARS: usize = 5_000;

/// Why speech could not be rendered.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum SpeechError {
    /// The engine's program is not installed (or not on PATH).
    #[error("{0}: not found")]
    NotFound(String),
    #[error("{program} failed: {detail}")]
    Failed { program: String, detail: String },
    #[error("{0} took too long")]
    TimedOut(String),
    #[error("{0} wrote no sound")]
    NoSound(String),
    /// What the engine wrote is not a WAV file loa can read.
    #[error("{0} wrote something that is not a WAV file")]
    NotWav(String),
    /// The engine wrote far more sound than the text can take.
    #[error("{0} wrote more sound than the text can take, and was stopped")]
    TooBig(String),
    #[error("{0}")]
    Io(String),
}

impl SpeechError {
    pub fn msg(&self) -> crate::i18n::Msg {
        use crate::i18n::Msg;
        match self {
            SpeechError::NotFound(program) => Msg::TtsEngineMissing {
                program: program.clone(),
            },
            e => Msg::TtsFailed {
                detail: e.to_string(),
            },
        }
    }
}

/// How long `spoken` words will sound at `rate` words a minute, estimated
/// without rendering (for the preview): a word (a Vietnamese syllable) at
/// the rate, and a short pause at each mark that makes the voice rest.
pub fn estimate(spoken: &str, rate: u32) -> Duration {
    let words = spoken.split_whitespace().count() as f64;
    let pauses = spoken.chars().filter(|c| ",.;:!?".contains(*c)).count() as f64;
    let rate = rate.clamp(*RATES.start(), *RATES.end()) as f64;
    Duration::from_secs_f64(words * 60.0 / rate + pauses * 0.15)
}
