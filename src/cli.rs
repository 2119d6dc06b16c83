//! The command line (SPEC §4). Parses arguments, loads the config, runs one
//! command and turns its result into an exit code: 0 fine, 1 the checked
//! thing is wrong, 2 usage error.

use std::io::Write as _;
use std::path::PathBuf;
use std::process::ExitCode;

use chrono::{DateTime, Utc};
use clap::{Parser, Subcommand};

use crate::audio::AudioCache;
use crate::config::Config;
use crate::diag;
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
        /// How many days ahead to look.
        #[arg(long, default_value_t = 1)]
        days: u32,
        /// Start time: now, HH:MM, YYYY-MM-DD, "YYYY-MM-DD HH:MM" or RFC 3339.
        #[arg(long)]
        from: Option<String>,
        /// One JSON object per line.
        #[arg(long)]
        json: bool,
    },
    /// List the audio outputs.
    Devices,
    /// Turn the play log into a report (default: the last full ISO week).
    Report {
        /// An ISO week, e.g. 2025-W10.
        #[arg(long, conflicts_with_all = ["month", "from", "to"])]
        week: Option<String>,
        /// A month, e.g. 2025-03.
        #[arg(long, conflicts_with_all = ["from", "to"])]
        month: Option<String>,
        /// First day, e.g. 2025-03-01 (with --to).
        #[arg(long, requires = "to")]
        from: Option<String>,
        /// Last day, included (with --from).
        #[arg(long, requires = "from")]
        to: Option<String>,
        /// text, csv, xlsx, html or json.
        #[arg(long, value_enum, default_value = "text")]
        format: crate::report::Format,
        /// Write to this file instead of standard output.
        #[arg(short = 'o', long)]
        output: Option<PathBuf>,
    },
    /// Is the daemon up, what is on air, what is next, what went wrong.
    Status {
        /// One JSON object.
        #[arg(long)]
        json: bool,
    },
    /// Put a one-off broadcast on the air: writes a schedule file in
    /// schedules/ that the running daemon takes at once.
    Announce {
        /// Recordings, in the audio folder or anywhere (then copied into
        /// audio/announce/).
        #[arg(required = true)]
        audio: Vec<PathBuf>,
        /// now, HH:MM, "YYYY-MM-DD HH:MM" or RFC 3339 (default: now).
        #[arg(long, default_value = "now")]
        at: String,
        /// normal, priority or emergency (an emergency cuts what sounds).
        #[arg(long, default_value = "normal", value_parser = parse_priority)]
        priority: crate::schedule::Priority,
        /// How many times to play it.
        #[arg(long, default_value_t = 1, value_parser = clap::value_parser!(u32).range(1..=20))]
        repeat: u32,
        /// The broadcast's name in the log and reports.
        #[arg(long)]
        name: Option<String>,
        /// Report grouping (default: Thông báo).
        #[arg(long, default_value = "Thông báo")]
        topic: String,
        /// Who approves it (default: the login name running the command).
        #[arg(long)]
        approved_by: Option<String>,
    },
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

fn parse_priority(s: &str) -> Result<crate::schedule::Priority, String> {
    crate::schedule::Priority::parse(s).ok_or_else(|| "normal | priority | emergency".to_string())
}

fn parse_lang(s: &str) -> Result<Lang, String> {
    Lang::parse(s).ok_or_else(|| "vi | en".to_string())
}

/// Runs the command line with the process's arguments.
pub fn main() -> ExitCode {
    crate::audio::install_panic_hook();
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
    let config = match Config::load(&path) {
        Ok(c) => c,
        Err(diags) => {
            let lang = cli.lang.unwrap_or_default();
            eprint!("{}", diag::render_all(&diags, lang));
            eprintln!("{}", Words::new(lang).config_unusable());
            return ExitCode::from(1);
        }
    };
    let lang = cli.lang.unwrap_or(config.language);
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
        Command::Check => check(&config, lang, now),
        Command::Next { days, from, json } => next(&config, lang, now, days, from.as_deref(), json),
        Command::Devices => ExitCode::SUCCESS,
        Command::Log {
            action: LogAction::Verify,
        } => log_verify(&config, lang),
        Command::Status { json } => status(&config, lang, now, json),
        Command::Announce {
            audio,
            at,
            priority,
            repeat,
            name,
            topic,
            approved_by,
        } => {
            let Some(when) = parse_when(&at, config.timezone, now) else {
                eprintln!(
                    "--at: {at}: {}",
                    crate::i18n::Msg::BadDateTime { value: at.clone() }.text(lang)
                );
                return ExitCode::from(2);
            };
            let late = chrono::TimeDelta::from_std(config.late_limit).unwrap_or_default();
            if when + late < now {
                eprintln!("--at: {at}: {}", Words::new(lang).announce_past());
                return ExitCode::from(2);
            }
            let name = name.unwrap_or_else(|| {
                let local = when.with_timezone(&config.timezone);
                format!(
                    "{} {}",
                    Words::new(lang).announcement(),
                    local.format("%Y-%m-%d %H:%M")
                )
            });
            let approved_by = approved_by
                .or_else(|| std::env::var("SUDO_USER").ok())
                .or_else(|| std::env::var("USER").ok())
                .unwrap_or_else(|| "loa announce".into());
            let req = crate::announce::Request {
                audio,
                at: when,
                priority,
                repeat,
                name,
                topic,
                approved_by,
            };
            announce(&config, lang, now, &req)
        }
        Command::Report {
            week,
            month,
            from,
            to,
            format,
            output,
        } => {
            let today = now.with_timezone(&config.timezone).date_naive();
            let period = match crate::report::Period::from_args(
                week.as_deref(),
                month.as_deref(),
                from.as_deref(),
                to.as_deref(),
                today,
            ) {
                Ok(p) => p,
                Err(e) => {
                    eprintln!("{}", crate::report::labels::period_error(lang, &e));
                    return ExitCode::from(2);
                }
            };
            report(&config, lang, now, period, format, output.as_deref())
        }
    }
}

fn report(
    config: &Config,
    lang: Lang,
    now: DateTime<Utc>,
    period: crate::report::Period,
    format: crate::report::Format,
    output: Option<&std::path::Path>,
) -> ExitCode {
    use std::io::IsTerminal as _;
    if format == crate::report::Format::Xlsx && output.is_none() && std::io::stdout().is_terminal()
    {
        eprintln!("{}", Words::new(lang).binary_to_terminal());
        return ExitCode::from(2);
    }
    let scan = crate::playlog::scan(&config.playlog_dir);
    let heading = crate::report::Heading {
        station: config.station.clone(),
        recipient: config.report.recipient.clone(),
        prepared_by: config.report.prepared_by.clone(),
        approved_by: config.report.approved_by.clone(),
        made_at: crate::playlog::format_at(now, config.timezone),
    };
    let r = crate::report::build(&scan, period, heading, lang);
    let bytes = r.render(format);
    let bytes = match bytes {
        Ok(b) => b,
        Err(e) => {
            eprintln!("report: {e}");
            return ExitCode::from(1);
        }
    };
    let written = match output {
        Some(path) => crate::whole::write(path, &bytes),
        None => std::io::stdout().lock().write_all(&bytes),
    };
    if let Err(e) = written
        && e.kind() != std::io::ErrorKind::BrokenPipe
    {
        let at = output
            .map(|p| p.display().to_string())
            .unwrap_or_else(|| "stdout".into());
        eprintln!("{at}: {e}");
        return ExitCode::from(1);
    }
    // A year of log is a million small allocations; the process is about
    // to exit, and the kernel takes the memory back faster than free() does.
    std::mem::forget(scan);
    if !r.integrity.intact {
        // The report is made, but it must not pass for a clean one in a script.
        eprintln!(
            "{}",
            Words::new(lang).verify_bad(
                r.integrity.faults,
                r.integrity.first_fault.as_deref().unwrap_or("?")
            )
        );
    }
    std::mem::forget(r);
    ExitCode::SUCCESS
}

fn status(config: &Config, lang: Lang, now: DateTime<Utc>, json: bool) -> ExitCode {
    use crate::status::{self, Liveness};
    let s = match status::read(&config.state_dir) {
        Ok(s) => s,
        Err(e) => {
            let file = config.shown(&config.state_dir.join(status::FILE));
            eprintln!("{}: {e}", file.display());
            eprintln!("{}", Words::new(lang).never_ran());
            return ExitCode::from(1);
        }
    };
    let live = status::liveness(&s, now);
    if json {
        let mut v = serde_json::to_value(&s).unwrap_or_default();
        if let Some(o) = v.as_object_mut() {
            o.insert(
                "state".into(),
                serde_json::to_value(live).unwrap_or_default(),
            );
        }
        println!("{v}");
    } else {
        print!("{}", status::render(&s, live, now, lang));
    }
    if live == Liveness::Up {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    }
}

fn announce(
    config: &Config,
    lang: Lang,
    now: DateTime<Utc>,
    req: &crate::announce::Request,
) -> ExitCode {
    let words = Words::new(lang);
    let written = match crate::announce::write(config, req, now) {
        Ok(w) => w,
        Err(e) => {
            eprintln!("{e}");
            return ExitCode::from(1);
        }
    };
    for c in &written.copied {
        println!("{}", words.announce_copied(c));
    }
    let local = req.at.max(now).with_timezone(&config.timezone);
    println!(
        "{}",
        words.announce_when(
            &req.name,
            &local.format("%Y-%m-%d %H:%M:%S").to_string(),
            words.priority(req.priority),
            &config.shown(&written.file).display().to_string()
        )
    );
    let up = crate::status::read(&config.state_dir)
        .map(|s| crate::status::liveness(&s, now) == crate::status::Liveness::Up)
        .unwrap_or(false);
    if !up {
        eprintln!("{}", words.announce_daemon_down());
    }
    if config.in_quiet_hours(local.time()) && req.priority != crate::schedule::Priority::Emergency {
        eprintln!("{}", words.quiet_skip());
    }
    ExitCode::SUCCESS
}

fn log_verify(config: &Config, lang: Lang) -> ExitCode {
    let scan = crate::playlog::scan(&config.playlog_dir);
    let words = Words::new(lang);
    let dir = config.shown(&config.playlog_dir).display().to_string();
    let mut out = String::new();
    for (id, at) in &scan.open {
        out.push_str(&words.verify_open(id, &format!("{dir}/{at}")));
        out.push('\n');
    }
    let code = match scan.first_fault() {
        None => {
            out.push_str(&words.verify_ok(scan.files.len(), scan.lines.len()));
            out.push('\n');
            ExitCode::SUCCESS
        }
        Some(first) => {
            let mut err = String::new();
            for f in &scan.faults {
                err.push_str(&format!("{dir}/{}: {}\n", f.at, words.problem(&f.problem)));
            }
            err.push_str(&words.verify_bad(scan.faults.len(), &format!("{dir}/{}", first.at)));
            eprintln!("{err}");
            ExitCode::from(1)
        }
    };
    out.push_str(&format!("{}: {}\n", words.head(), scan.head));
    print!("{out}");
    // See `report`: exit without freeing a year of lines one by one.
    std::mem::forget(scan);
    code
}

fn check(config: &Config, lang: Lang, now: DateTime<Utc>) -> ExitCode {
    let mut cache = AudioCache::persistent(config.state_dir.join("audio.json"));
    let report = crate::check::run(config, now, &mut cache);
    let words = Words::new(lang);
    if !report.diags.is_empty() {
        eprint!("{}", diag::render_all(&report.diags, lang));
        eprintln!();
    }
    let schedules = report.schedules();
    let broadcasts: usize = schedules.iter().map(|s| s.broadcasts.len()).sum();
    if report.errors() > 0 {
        eprintln!(
            "{}",
            words.check_summary(report.errors(), report.warnings())
        );
        return ExitCode::from(1);
    }
    println!(
        "{}",
        words.check_ok(schedules.len(), broadcasts, report.audio_files)
    );
    if report.warnings() > 0 {
        println!("{}", words.check_summary(0, report.warnings()));
    }
    loudness_table(config, &cache, lang);
    cache.save();
    ExitCode::SUCCESS
}

/// Each recording's length, loudness and true peak, and the gain loa will
/// play it at.
fn loudness_table(config: &Config, cache: &AudioCache, lang: Lang) {
    let words = Words::new(lang);
    let rows: Vec<String> = cache
        .probed()
        .into_iter()
        .filter_map(|(path, r)| {
            let info = r.as_ref().ok()?;
            let shown = config.shown(path).display().to_string();
            let len = crate::units::format_duration(info.length);
            Some(
                match (
                    info.loudness,
                    config.outputs().first().and_then(|o| o.loudness),
                ) {
                    (Some(l), Some(t)) => format!(
                        "  {shown}  {len}  {:.1} LUFS  {:.1} dBTP  → {:+.1} dB",
                        l.lufs,
                        l.true_peak_db,
                        l.gain_db(t)
                    ),
                    (Some(l), None) => format!(
                        "  {shown}  {len}  {:.1} LUFS  {:.1} dBTP",
                        l.lufs, l.true_peak_db
                    ),
                    (None, _) => format!("  {shown}  {len}  {}", words.silent()),
                },
            )
        })
        .collect();
    if rows.is_empty() {
        return;
    }
    let target = match config.outputs().first().and_then(|o| o.loudness) {
        Some(t) => format!("{t} LUFS"),
        None => "off".into(),
    };
    println!("{}", words.loudness_header(&target));
    for r in rows {
        println!("{r}");
    }
}

fn next(
    config: &Config,
    lang: Lang,
    now: DateTime<Utc>,
    days: u32,
    from: Option<&str>,
    json: bool,
) -> ExitCode {
    let start = match from {
        None => now,
        Some(s) => match parse_when(s, config.timezone, now) {
            Some(t) => t,
            None => {
                eprintln!(
                    "--from: {s}: {}",
                    crate::i18n::Msg::BadDateTime { value: s.into() }.text(lang)
                );
                return ExitCode::from(2);
            }
        },
    };
    let mut cache = AudioCache::persistent(config.state_dir.join("audio.json"));
    let items = crate::next::items(config, &mut cache, start, days);
    cache.save();
    let out = std::io::stdout();
    let mut out = out.lock();
    let text = if json {
        crate::next::json_lines(&items)
    } else {
        crate::next::table(&items, lang)
    };
    // A closed pipe (`loa next | head`) is not an error worth a message.
    let _ = out.write_all(text.as_bytes());
    ExitCode::SUCCESS
}

/// Parses a moment given on the command line, local to `tz`.
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
