//! `loa announce` (SPEC §4): a one-off broadcast written as an ordinary
//! schedule file in `schedules/`, so it is on record like any other and the
//! running daemon takes it like any other file.

use std::path::PathBuf;

use std::process::ExitCode;

use chrono::{DateTime, Utc};

pub use super::announce_write::write;
use crate::config::Config;
use crate::i18n::{Lang, Msg, Usage, Words};
use crate::preview::Happens;
use crate::schedule::Priority;
use crate::sound::audio::AudioCache;

/// The announcement the operator asks for.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// Recordings, in the audio folder or anywhere (then copied into
    /// audio/announce/); a .txt notice is spoken.
    #[arg(required_unless_present_any = ["say", "relay"])]
    pub audio: Vec<PathBuf>,
    /// Text to speak instead of recordings (numbers, times, dates and
    /// abbreviations are read the Vietnamese way).
    #[arg(long, conflicts_with_all = ["audio", "relay"])]
    pub say: Option<String>,
    /// Relay a live source instead: a stream (http://…, https://…) or the
    /// line input (alsa:<capture PCM>, see `loa devices`); needs --for.
    #[arg(long, conflicts_with = "audio", requires = "for_")]
    pub relay: Option<String>,
    /// How long to relay: 30s, 10m, 1h30m.
    #[arg(long = "for", id = "for_", value_name = "DURATION", requires = "relay")]
    pub for_: Option<String>,
    /// now, a time (7h30, 17:30), a date and a time ("30/04/2025 7h30",
    /// "2025-04-30 07:30") or RFC 3339 (default: now).
    #[arg(long, default_value = "now")]
    pub at: String,
    /// normal, priority or emergency (an emergency cuts what sounds).
    #[arg(long, default_value = "normal", value_parser = super::parse_priority)]
    pub priority: crate::schedule::Priority,
    /// How many times to play it.
    #[arg(long, default_value_t = 1, value_parser = clap::value_parser!(u32).range(1..=20))]
    pub repeat: u32,
    /// The broadcast's name in the log and reports.
    #[arg(long)]
    pub name: Option<String>,
    /// Report grouping (default: Thông báo).
    #[arg(long, default_value = "Thông báo")]
    pub topic: String,
    /// Who approved it, declared (written as the file's `approved_by`);
    /// none by default. An emergency needs none.
    #[arg(long)]
    pub approved_by: Option<String>,
    /// Which outputs, by name, comma-separated (default: all).
    #[arg(long, value_delimiter = ',')]
    pub outputs: Vec<String>,
}

/// How far ahead `--at` may be: a year.
pub const MAX_AHEAD_DAYS: u32 = 366;

/// Writes the announcement and says when it will sound.
pub fn command(config: &Config, lang: Lang, now: DateTime<Utc>, args: Args) -> ExitCode {
    let Some(when) = super::parse_when(&args.at, config.timezone, now) else {
        let u = Usage::BadWhen {
            flag: "--at",
            value: args.at.clone(),
        };
        eprintln!("{}", u.render(lang));
        return ExitCode::from(2);
    };
    let late = config.late();
    if when + late < now {
        eprintln!("--at: {}: {}", args.at, Words::new(lang).announce_past());
        return ExitCode::from(2);
    }
    // Its preview plays every occurrence up to it: years of them took minutes.
    if when > now + chrono::TimeDelta::days(i64::from(MAX_AHEAD_DAYS)) {
        let u = Usage::AtTooFar {
            value: args.at.clone(),
            max: MAX_AHEAD_DAYS,
        };
        eprintln!("{}", u.render(lang));
        return ExitCode::from(2);
    }
    for (flag, text) in [
        ("--name", args.name.as_deref()),
        ("--topic", Some(args.topic.as_str())),
        ("--approved-by", args.approved_by.as_deref()),
    ] {
        if let Some(c) = text.and_then(crate::chars::control_char) {
            let u = Usage::ControlChar {
                flag,
                code: crate::i18n::char_code(c),
            };
            eprintln!("{}", u.render(lang));
            return ExitCode::from(2);
        }
    }
    let name = args.name.clone().unwrap_or_else(|| {
        let local = when.with_timezone(&config.timezone);
        format!(
            "{} {}",
            Words::new(lang).announcement(),
            local.format("%Y-%m-%d %H:%M")
        )
    });
    // Approval is declared, never implied: not from the login name, which
    // anyone can set (README, "Approval").
    let approved_by = args
        .approved_by
        .as_deref()
        .map(str::trim)
        .filter(|a| !a.is_empty())
        .map(str::to_string);
    if let Some(text) = &args.say {
        // Line breaks are welcome in a text to speak.
        let flat: String = text.replace(['\n', '\r', '\t'], " ");
        if let Some(c) = crate::chars::control_char(&flat) {
            let u = Usage::ControlChar {
                flag: "--say",
                code: crate::i18n::char_code(c),
            };
            eprintln!("{}", u.render(lang));
            return ExitCode::from(2);
        }
        if flat.trim().is_empty() {
            let u = Usage::EmptyText { flag: "--say" };
            eprintln!("{}", u.render(lang));
            return ExitCode::from(2);
        }
    }
    let relay = match (&args.relay, &args.for_) {
        (Some(src), Some(length)) => {
            if let Err(why) = crate::sound::relay::Source::parse(src) {
                let m = Msg::RelaySource {
                    value: src.clone(),
                    why,
                };
                eprintln!("--relay: {}", located(&m, lang));
                return ExitCode::from(2);
            }
            let ok = crate::units::parse_duration(length)
                .filter(|d| (crate::schedule::MIN_RELAY..=crate::schedule::MAX_RELAY).contains(d));
            if ok.is_none() {
                let m = Msg::RelayLength {
                    value: length.clone(),
                };
                eprintln!("--for: {}", located(&m, lang));
                return ExitCode::from(2);
            }
            if args.repeat > 1 {
                eprintln!("--repeat: {}", located(&Msg::RelayRepeat, lang));
                return ExitCode::from(2);
            }
            Some((src.trim().to_string(), length.trim().to_string()))
        }
        _ => None,
    };
    let req = Request {
        relay,
        audio: args.audio,
        say: args.say.filter(|s| !s.trim().is_empty()),
        at: when,
        priority: args.priority,
        repeat: args.repeat,
        name,
        topic: args.topic,
        approved_by,
        outputs: args.outputs,
    };
    announce(config, lang, now, &req)
}

fn announce(config: &Config, lang: Lang, now: DateTime<Utc>, req: &Request) -> ExitCode {
    let words = Words::new(lang);
    let written = match write(config, req, now, lang) {
        Ok(w) => w,
        Err(e) => {
            eprintln!("{}", e.render(lang));
            return ExitCode::from(e.exit_code());
        }
    };
    for c in &written.copied {
        println!("{}", words.announce_copied(c));
    }
    let local = req.at.max(now).with_timezone(&config.timezone);
    // When it will sound is what the daemon's own rules say, on each output.
    let schedules: Vec<_> = crate::station::read_all(config)
        .into_iter()
        .filter_map(|f| f.schedule)
        .collect();
    let mut cache = AudioCache::persistent(config.state_dir.join("audio.json"));
    let file_name = written
        .file
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let late = config.late();
    let ahead = crate::preview::span(
        config,
        &mut cache,
        &schedules,
        now.min(req.at) - late,
        req.at.max(now) + chrono::TimeDelta::seconds(1),
    );
    let mine: Vec<_> = ahead
        .iter()
        .filter(|x| x.occ.schedule.file == file_name)
        .collect();
    let several = config.outputs().len() > 1;
    for x in &mine {
        let shown = config.shown(&written.file).display().to_string();
        let mut line = match x.p.start {
            Some(start) => words.announce_when(
                &req.name,
                &start
                    .with_timezone(&config.timezone)
                    .format("%Y-%m-%d %H:%M:%S")
                    .to_string(),
                words.priority(req.priority),
                &shown,
            ),
            None => words.announce_silent(
                &req.name,
                &x.p.reason
                    .as_ref()
                    .map(|r| crate::report::labels::reason(lang, r))
                    .unwrap_or_default(),
                &shown,
            ),
        };
        if several {
            line = format!("[{}] {line}", x.occ.output.as_deref().unwrap_or_default());
        }
        println!("{line}");
        // What happens to it on the way, as `next` says it: it waits, it
        // is missed behind another, it cuts or is cut. Being kept silent
        // is the line above.
        let clock = |t: DateTime<Utc>| {
            t.with_timezone(&config.timezone)
                .format("%H:%M:%S")
                .to_string()
        };
        let mut notes: Vec<String> = x
            .happens()
            .filter(|h| !matches!(h, Happens::QuietHours | Happens::NotApproved))
            .and_then(|h| super::next::said(&h, &words, &x.p.start.map(clock).unwrap_or_default()))
            .into_iter()
            .collect();
        for r in &x.p.restarts {
            let again = r.again_at.map(clock);
            notes.push(super::next::cut_said(
                &words,
                &r.by.name,
                &clock(r.cut_at),
                again.as_deref(),
            ));
        }
        for n in notes {
            println!("    ⚠ {n}");
        }
    }
    if mine.is_empty() {
        println!(
            "{}",
            words.announce_when(
                &req.name,
                &local.format("%Y-%m-%d %H:%M:%S").to_string(),
                words.priority(req.priority),
                &config.shown(&written.file).display().to_string()
            )
        );
    }
    let up = crate::status::read(&config.state_dir)
        .map(|s| crate::status::liveness(&s, now) == crate::status::Liveness::Up)
        .unwrap_or(false);
    if !up {
        eprintln!("{}", words.announce_daemon_down());
    }
    ExitCode::SUCCESS
}

/// A message and, on a line of its own, how to fix it.
fn located(m: &Msg, lang: Lang) -> String {
    match m.hint(lang) {
        Some(h) => format!("{}\n  = {}: {h}", m.text(lang), Msg::LabelHint.text(lang)),
        None => m.text(lang),
    }
}

/// What the operator asked for.
#[derive(Clone, Debug)]
pub struct Request {
    /// A relay: its source as given and its `for` (then `audio` is empty).
    pub relay: Option<(String, String)>,
    pub audio: Vec<PathBuf>,
    /// A text to speak (then `audio` is empty).
    pub say: Option<String>,
    pub at: DateTime<Utc>,
    pub priority: Priority,
    pub repeat: u32,
    pub name: String,
    pub topic: String,
    /// Who approved it, as declared with `--approved-by`.
    pub approved_by: Option<String>,
    /// The outputs to play on, by name; empty: all.
    pub outputs: Vec<String>,
}

/// What was written.
#[derive(Clone, Debug)]
pub struct Written {
    pub file: PathBuf,
    /// Files copied into `audio/announce/` because they were elsewhere.
    pub copied: Vec<String>,
}

/// Why an announcement could not be written.
#[derive(Debug)]
pub enum Error {
    /// A recording named on the command line: missing or unplayable.
    Audio(Box<Msg>),
    /// `--outputs` names an output the station does not have (a usage error).
    UnknownOutput(Box<Msg>),
    Io(std::io::Error),
    /// The schedule file written does not validate (a fault of loa's).
    Invalid(String),
}

impl From<std::io::Error> for Error {
    fn from(e: std::io::Error) -> Self {
        Error::Io(e)
    }
}

impl Error {
    /// The error in the operator's language, with how to fix it.
    pub fn render(&self, lang: Lang) -> String {
        let located = |flag: &str, m: &Msg| format!("{flag}{}", located(m, lang));
        match self {
            Error::Audio(m) => located("", m),
            Error::UnknownOutput(m) => located("--outputs: ", m),
            Error::Io(e) => Words::new(lang).announce_io(e),
            Error::Invalid(t) => format!("{}: {t}", Words::new(lang).announce_invalid()),
        }
    }

    /// 2 for a usage error, 1 otherwise.
    pub fn exit_code(&self) -> u8 {
        match self {
            Error::UnknownOutput(_) => 2,
            _ => 1,
        }
    }
}
