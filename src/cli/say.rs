//! `loa say` (SPEC §4): the words a text will be spoken as (`--print`),
//! or the text rendered to a WAV file (`-o`), through the station's own
//! `tts` settings and lexicon, as a broadcast would speak it.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use crate::config::Config;
use crate::i18n::{Lang, Msg, Usage};
use crate::sound::speech::{self, Speech};

#[derive(clap::Args, Debug)]
pub struct Args {
    /// The text to speak, or the name of a .txt file that holds it.
    pub text: String,
    /// Show the words that will be spoken (the default without -o).
    #[arg(long)]
    pub print: bool,
    /// Write the spoken text to this WAV file.
    #[arg(short = 'o', long = "output")]
    pub output: Option<PathBuf>,
}

/// Runs `loa say`. `station`: whether `config` is a real station's (its
/// state folder then keeps the rendered sound, as a broadcast would).
pub fn command(config: &Config, lang: Lang, args: Args, station: bool) -> ExitCode {
    let from_file = Path::new(&args.text);
    let text = if crate::schedule::is_text_file(&args.text) && from_file.is_file() {
        match crate::text::read_text(from_file) {
            Ok(t) => t.trim().to_string(),
            Err(e) => {
                eprint!("{}", e.diagnostic(from_file).render(lang));
                return ExitCode::from(1);
            }
        }
    } else {
        args.text.clone()
    };
    // Nothing to say is a slip on the command line, as `announce --say`
    // says, before any engine is asked.
    if text.trim().is_empty() {
        eprintln!("{}", Usage::EmptyText { flag: "TEXT" }.render(lang));
        return ExitCode::from(2);
    }
    let sp = Speech::new(&config.tts, &config.state_dir, &text);
    if !sp.spoken.unread.is_empty() {
        let m = Msg::TtsUnread {
            words: sp.spoken.unread.join(", "),
        };
        eprintln!("{}: {}", Msg::LabelWarning.text(lang), m.text(lang));
        if let Some(h) = m.hint(lang) {
            eprintln!("  = {}: {h}", Msg::LabelHint.text(lang));
        }
    }
    // Relative to where the command was run, not to where the engine runs.
    let Some(out) = args.output.map(|o| std::path::absolute(&o).unwrap_or(o)) else {
        println!("{}", sp.spoken.text);
        return ExitCode::SUCCESS;
    };
    if args.print {
        println!("{}", sp.spoken.text);
    }
    if let Err(u) = crate::owner::as_invoker(|| {
        super::guard::output(config, "-o", crate::i18n::Made::Speech, &out)
    }) {
        eprintln!("{}", u.render(lang));
        return ExitCode::from(2);
    }
    match render(config, &sp, &out, station) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            let m = e.msg();
            eprintln!("{}: {}", Msg::LabelError.text(lang), m.text(lang));
            if let Some(h) = m.hint(lang) {
                eprintln!("  = {}: {h}", Msg::LabelHint.text(lang));
            }
            ExitCode::from(1)
        }
    }
}

/// Renders into the station's speech cache (once) and copies it out; with
/// no station, or a cache that cannot be written, straight to `out`.
fn render(
    config: &Config,
    sp: &Speech,
    out: &Path,
    station: bool,
) -> Result<(), speech::SpeechError> {
    let io = |e: std::io::Error| speech::SpeechError::Io(format!("{}: {e}", out.display()));
    if station {
        let cached = match sp.rendered() {
            true => Ok(()),
            false => speech::render_once(&config.tts, &sp.spoken.text, &sp.wav, &config.root),
        };
        match cached {
            Ok(()) => {
                return crate::owner::as_invoker(|| crate::whole::copy(&sp.wav, out)).map_err(io);
            }
            // Only a cache that cannot be written is worked round: an
            // engine that failed would fail the same way a second time.
            Err(speech::SpeechError::Io(_)) => {}
            Err(e) => return Err(e),
        }
    }
    crate::owner::as_invoker(|| speech::render(&config.tts, &sp.spoken.text, out, &config.root))
}
