//! `loa report` (SPEC §6): the play log turned into the reviewer's report.

use std::io::Write as _;
use std::path::PathBuf;
use std::process::ExitCode;

use chrono::{DateTime, Utc};

use crate::config::Config;
use crate::i18n::{Lang, Words};

/// The period and the form of a report.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// An ISO week, e.g. 2025-W10.
    #[arg(long, conflicts_with_all = ["month", "from", "to"])]
    pub week: Option<String>,
    /// A month, e.g. 2025-03.
    #[arg(long, conflicts_with_all = ["from", "to"])]
    pub month: Option<String>,
    /// First day, e.g. 01/03/2025 or 2025-03-01 (with --to).
    #[arg(long, requires = "to")]
    pub from: Option<String>,
    /// Last day, included (with --from).
    #[arg(long, requires = "from")]
    pub to: Option<String>,
    /// text, csv, xlsx, html or json.
    #[arg(long, value_enum, default_value = "text")]
    pub format: crate::report::Format,
    /// Write to this file instead of standard output.
    #[arg(short = 'o', long)]
    pub output: Option<PathBuf>,
    /// A station's folder (its config.yaml and playlog/), once per
    /// station: one report over them all, the district's roll-up.
    #[arg(long = "station", value_name = "DIR")]
    pub station: Vec<PathBuf>,
}

/// Makes the report the arguments ask for.
pub fn command(config: &Config, lang: Lang, now: DateTime<Utc>, args: Args) -> ExitCode {
    if !args.station.is_empty() {
        return super::rollup::command(Some(config), lang, now, args);
    }
    let today = now.with_timezone(&config.timezone).date_naive();
    let period = match crate::report::Period::from_args(
        args.week.as_deref(),
        args.month.as_deref(),
        args.from.as_deref(),
        args.to.as_deref(),
        today,
    ) {
        Ok(p) => p,
        Err(e) => {
            eprintln!("{}", crate::report::labels::period_error(lang, &e));
            return ExitCode::from(2);
        }
    };
    if let Some(path) = args.output.as_deref()
        && let Err(u) = crate::owner::as_invoker(|| {
            super::guard::output(config, "-o", crate::i18n::Made::Report, path)
        })
    {
        eprintln!("{}", u.render(lang));
        return ExitCode::from(2);
    }
    report(
        config,
        lang,
        now,
        period,
        args.format,
        args.output.as_deref(),
    )
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
    let heading = crate::report::Heading {
        station: config.station.clone(),
        recipient: config.report.recipient.clone(),
        prepared_by: config.report.prepared_by.clone(),
        approved_by: config.report.approved_by.clone(),
        made_at: crate::playlog::format_at(now, config.timezone),
        place: config.report.place.clone(),
        limits: config.limits,
    };
    // An intact log: read twice as a stream, the rows written as they come.
    if let Some(made) = crate::report::make(
        &config.playlog_dir,
        period.clone(),
        heading.clone(),
        lang,
        format,
    ) {
        return match streamed(&made, format, output) {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => {
                eprintln!("{e}");
                ExitCode::from(1)
            }
        };
    }
    // A broken log: read whole, each fault named and its rows marked.
    let scan = crate::playlog::scan(&config.playlog_dir);
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
        Some(path) => crate::owner::as_invoker(|| crate::whole::write(path, &bytes)),
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

/// Writes a report made as a stream to `output` (whole: a temporary file
/// renamed into place once complete) or to standard output.
fn streamed(
    made: &crate::report::Made,
    format: crate::report::Format,
    output: Option<&std::path::Path>,
) -> Result<(), String> {
    write_out(output, |out| made.write(format, out))
}

/// Writes what `write` renders to `output` (whole: a temporary file
/// renamed into place once complete) or to standard output; an xlsx
/// workbook it returns is saved after it. A reader of standard output that
/// stops early (`| head`) is not an error.
pub(super) fn write_out(
    output: Option<&std::path::Path>,
    write: impl FnOnce(&mut dyn std::io::Write) -> Result<Option<rust_xlsxwriter::Workbook>, String>,
) -> Result<(), String> {
    let at = |e: std::io::Error| {
        let at = output
            .map(|p| p.display().to_string())
            .unwrap_or_else(|| "stdout".into());
        format!("{at}: {e}")
    };
    match output {
        // The file the person named is written with their own rights.
        Some(path) => crate::owner::as_invoker(|| {
            let mut file = crate::whole::create(path).map_err(at)?;
            if let Some(mut book) = write(&mut file)? {
                book.save_to_writer(file.file().map_err(at)?)
                    .map_err(|e| e.to_string())?;
            }
            file.commit().map_err(at)
        }),
        None => {
            let mut out = std::io::BufWriter::with_capacity(1 << 16, std::io::stdout().lock());
            let done = match write(&mut out) {
                Ok(Some(mut book)) => book
                    .save_to_buffer()
                    .map_err(|e| e.to_string())
                    .and_then(|b| out.write_all(&b).map_err(at)),
                Ok(None) => Ok(()),
                Err(e) => Err(e),
            };
            match done.and_then(|()| out.flush().map_err(at)) {
                Err(e) if e.contains("Broken pipe") || e.contains("os error 32") => Ok(()),
                other => other,
            }
        }
    }
}
