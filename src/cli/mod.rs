//! The command line (SPEC §4). Parses arguments, loads the config, runs one
//! command and turns its result into an exit code: 0 fine, 1 the checked
//! thing is wrong, 2 usage error.

use std::path::PathBuf;
use std::process::ExitCode;

use chrono::{DateTime, Utc};
use clap::{Parser, Subcommand};

mod announce;
mod announce_write;
mod check;
mod check_speech;
mod guard;
mod log;
mod next;
mod publish;
mod report;
mod rollup;
mod say;
mod status;

pub use announce::Request as AnnounceRequest;

use crate::config::Config;
use crate::i18n::diag;
use crate::i18n::{Lang, Words};

#[derive(Parser, Debug)]
#[command(
    name = "loa",
    version,
    about = "Broadcast scheduling daemon for a commune loudspeaker station"
)]
pub struct Cli {
    /// The station's config file [default: ./config.yaml, or
    /// /etc/loa/config.yaml when there is none here (the Debian package)].
    #[arg(long, global = true, env = "LOA_CONFIG")]
    pub config: Option<PathBuf>,
    /// Language of messages: vi or en (default: config's `language`).
    #[arg(long, global = true, value_parser = parse_lang)]
    pub lang: Option<Lang>,
    /// Pretend the time is this (RFC 3339) for `check` and `next`: for
    /// rehearsals and reproducible tests.
    #[arg(long, global = true, hide = true)]
    pub now: Option<String>,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Run the daemon in the foreground (systemd runs this).
    Run,
    /// Validate config, every schedule and every audio file.
    Check,
    /// Show what will play, with conflicts.
    Next {
        /// How many days ahead to look, 1 to 366.
        #[arg(long, default_value = "1")]
        days: String,
        /// Start time: now, a time (7h30, 17:30), a date (30/04/2025,
        /// 2025-04-30), a date and a time ("30/04/2025 7h30") or RFC 3339.
        #[arg(long)]
        from: Option<String>,
        /// One JSON object per line.
        #[arg(long)]
        json: bool,
    },
    /// List the audio outputs.
    Devices,
    /// Turn the play log into a report (default: the last full ISO week).
    Report(report::Args),
    /// Is the daemon up, what is on air, what is next, what went wrong.
    Status {
        /// One JSON object.
        #[arg(long)]
        json: bool,
    },
    /// Put a one-off broadcast on the air: writes a schedule file in
    /// schedules/ that the running daemon takes at once.
    Announce(announce::Args),
    /// Speak a text as a broadcast would: show the words (--print) or
    /// write a WAV file (-o).
    Say(say::Args),
    /// The programme and what aired, for the commune web portal: writes
    /// index.html, feed.xml (RSS 2.0 podcast) and the recordings into a
    /// folder the portal serves as it is.
    Publish(publish::Args),
    /// Work with the play log.
    Log {
        #[command(subcommand)]
        action: LogAction,
    },
}

#[derive(Subcommand, Debug)]
pub enum LogAction {
    /// Check the hash chain, the seq order and one final outcome per
    /// occurrence across every month file; exit 1 when anything is wrong.
    Verify,
}

pub(crate) fn parse_priority(s: &str) -> Result<crate::schedule::Priority, String> {
    crate::schedule::Priority::parse(s)
        .ok_or_else(|| "normal | priority | emergency (thường | ưu tiên | khẩn cấp)".to_string())
}

fn parse_lang(s: &str) -> Result<Lang, String> {
    Lang::parse(s).ok_or_else(|| "vi | en".to_string())
}

/// Runs the command line with the process's arguments.
pub fn main() -> ExitCode {
    crate::sound::audio::install_panic_hook();
    let cli = match Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            let _ = e.print();
            return if e.use_stderr() {
                ExitCode::from(2)
            } else {
                ExitCode::SUCCESS
            };
        }
    };
    run(cli)
}

/// Runs a parsed command line.
pub fn run(cli: Cli) -> ExitCode {
    if let Command::Devices = cli.command {
        return crate::player::list_devices(cli.lang.unwrap_or_default());
    }
    let path = cli.config.clone().unwrap_or_else(|| {
        let here = PathBuf::from("config.yaml");
        let installed = PathBuf::from("/etc/loa/config.yaml");
        if !here.exists() && installed.exists() {
            installed
        } else {
            here
        }
    });
    // `loa say` works without a station too, with the default voice.
    if matches!(cli.command, Command::Say(_))
        && !path.exists()
        && let Some(config) = Config::defaults_beside(&path)
        && let Command::Say(args) = cli.command
    {
        return say::command(&config, cli.lang.unwrap_or_default(), args, false);
    }
    // A district's roll-up needs no station of its own here: its heading
    // is then neutral (see README).
    if let Command::Report(args) = &cli.command
        && !args.station.is_empty()
        && cli.config.is_none()
        && !path.exists()
        && let Command::Report(args) = cli.command
    {
        let lang = cli.lang.unwrap_or_default();
        return match cli.now.as_deref().map(DateTime::parse_from_rfc3339) {
            None => rollup::command(None, lang, Utc::now(), args),
            Some(Ok(t)) => rollup::command(None, lang, t.with_timezone(&Utc), args),
            Some(Err(e)) => {
                eprintln!("--now: {e}");
                ExitCode::from(2)
            }
        };
    }
    // An installed config the user may not read: say so, and nothing about
    // a config.yaml or a state/ folder in the current directory.
    if let Err(e) = std::fs::File::open(&path)
        && e.kind() == std::io::ErrorKind::PermissionDenied
    {
        // SAFETY: geteuid has no preconditions.
        let user = crate::owner::user_name(unsafe { libc::geteuid() }).unwrap_or_default();
        let lang = cli.lang.unwrap_or_default();
        let shown = std::path::absolute(&path).unwrap_or(path.clone());
        eprintln!(
            "{}",
            Words::new(lang).config_not_readable(&shown.display().to_string(), &user)
        );
        return ExitCode::from(1);
    }
    let config = match Config::load(&path) {
        Ok(c) => c,
        Err(diags) => {
            let lang = cli.lang.unwrap_or_default();
            eprint!("{}", diag::render_all(&diags, lang));
            // A running daemon keeps its last good config: status still
            // shows it, from the default state folder.
            if let Command::Status { json } = cli.command
                && let Some(fallback) = Config::defaults_beside(&path)
            {
                eprintln!("{}", Words::new(lang).config_refused_status());
                let now = Utc::now();
                return status::command(&fallback, lang, now, json);
            }
            eprintln!("{}", Words::new(lang).config_unusable());
            return ExitCode::from(1);
        }
    };
    let lang = cli.lang.unwrap_or(config.language);
    // Run as root (sudo) on a station that belongs to the daemon's user:
    // act as that user, so nothing is left in the station that the daemon
    // cannot use (crate::owner).
    let for_good = matches!(cli.command, Command::Run);
    if let Err(e) = crate::owner::act_as_station_owner(&config.state_dir, for_good) {
        eprintln!(
            "{}",
            Words::new(lang).cannot_act_as_owner(&config.state_dir.display().to_string(), &e)
        );
        return ExitCode::from(1);
    }
    let now = match cli.now.as_deref().map(DateTime::parse_from_rfc3339) {
        None => Utc::now(),
        Some(Ok(t)) => t.with_timezone(&Utc),
        Some(Err(e)) => {
            eprintln!("--now: {e}");
            return ExitCode::from(2);
        }
    };
    match cli.command {
        Command::Run => crate::daemon::run_blocking(config, lang),
        Command::Check => check::command(&config, lang, now),
        Command::Next { days, from, json } => {
            next::command(&config, lang, now, &days, from.as_deref(), json)
        }
        Command::Devices => ExitCode::SUCCESS,
        Command::Log {
            action: LogAction::Verify,
        } => log::verify(&config, lang),
        Command::Status { json } => status::command(&config, lang, now, json),
        Command::Announce(args) => announce::command(&config, lang, now, args),
        Command::Report(args) => report::command(&config, lang, now, args),
        Command::Say(args) => say::command(&config, lang, args, true),
        Command::Publish(args) => publish::command(&config, lang, now, args),
    }
}

/// Parses a moment given on the command line, local to `tz`: `now`, RFC
/// 3339, or a date, a time or both in the forms of a schedule file
/// ([`crate::units`]), so that what the operator writes in a file works here.
pub fn parse_when(s: &str, tz: chrono_tz::Tz, now: DateTime<Utc>) -> Option<DateTime<Utc>> {
    let s = s.trim();
    if s.eq_ignore_ascii_case("now") {
        return Some(now);
    }
    if let Ok(t) = DateTime::parse_from_rfc3339(s) {
        return Some(t.with_timezone(&Utc));
    }
    let local = if let Some(dt) = crate::units::parse_datetime(s) {
        dt
    } else if let Some(d) = crate::units::parse_date(s) {
        d.and_time(chrono::NaiveTime::MIN)
    } else {
        let t = crate::units::parse_time(s)?;
        now.with_timezone(&tz).date_naive().and_time(t)
    };
    crate::plan::resolve_local(tz, local).map(|t| t.with_timezone(&Utc))
}
