//! `loa report --station DIR ...` (SPEC §6, issue 13): the district's
//! roll-up over several station folders.
//!
//! A folder that does not exist (or is given twice) is a slip on the
//! command line: exit 2, nothing made. A folder that exists but cannot be
//! read (no or a refused config.yaml, no play log) is a row flagged
//! unreadable: the reviewer sees the other stations and that this one is
//! missing; the error goes to stderr with its fix, and the exit code is 1.
//! A station whose hash chain is broken is counted, flagged, and the total
//! marked; the exit code is 1 too, as `log verify` says of that log.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use chrono::{DateTime, Utc};

use super::report::Args;
use crate::config::Config;
use crate::i18n::rollup::{StationProblem, rollup_incomplete, rollup_unit};
use crate::i18n::{Lang, Words};
use crate::report::rollup::Station;
use crate::report::{Format, Heading, Period};

/// Makes the roll-up; `config` is the one loa would use here, when there
/// is one: it gives the heading (who it is for, who signs).
pub fn command(config: Option<&Config>, lang: Lang, now: DateTime<Utc>, args: Args) -> ExitCode {
    let (stations, configs) = match stations(&args.station) {
        Ok(found) => found,
        Err(slips) => {
            for p in slips {
                eprintln!("{}", p.render(lang));
            }
            return ExitCode::from(2);
        }
    };
    // Any station's zone will do for "today" when none is here: a roll-up
    // is of stations in one country.
    let tz = config
        .map(|c| c.timezone)
        .or_else(|| configs.iter().flatten().map(|c| c.timezone).next())
        .unwrap_or(chrono_tz::Asia::Ho_Chi_Minh);
    let today = now.with_timezone(&tz).date_naive();
    let period = match Period::from_args(
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
    if let Some(path) = args.output.as_deref() {
        // Never over any station's log, state, schedules or config; a
        // station whose config.yaml is missing or refused has the default
        // folders, which may still hold its log.
        let defaults: Vec<Config> = args
            .station
            .iter()
            .zip(&configs)
            .filter(|(_, c)| c.is_none())
            .filter_map(|(dir, _)| Config::defaults_beside(&dir.join("config.yaml")))
            .collect();
        let every = config.into_iter().chain(configs.iter().flatten());
        for c in every.chain(&defaults) {
            if let Err(u) = crate::owner::as_invoker(|| {
                super::guard::output(c, "-o", crate::i18n::Made::Report, path)
            }) {
                eprintln!("{}", u.render(lang));
                return ExitCode::from(2);
            }
        }
    }
    use std::io::IsTerminal as _;
    if args.format == Format::Xlsx && args.output.is_none() && std::io::stdout().is_terminal() {
        eprintln!("{}", Words::new(lang).binary_to_terminal());
        return ExitCode::from(2);
    }
    let heading = Heading {
        station: config
            .map(|c| c.station.clone())
            .unwrap_or_else(|| rollup_unit(lang, stations.len())),
        recipient: config
            .map(|c| c.report.recipient.clone())
            .unwrap_or_default(),
        prepared_by: config
            .map(|c| c.report.prepared_by.clone())
            .unwrap_or_default(),
        approved_by: config
            .map(|c| c.report.approved_by.clone())
            .unwrap_or_default(),
        made_at: crate::playlog::format_at(now, tz),
        place: config.map(|c| c.report.place.clone()).unwrap_or_default(),
        // Each station's limits are its own (see README).
        limits: Default::default(),
    };
    drop(configs);
    let count = stations.len();
    let made = crate::report::rollup::make(stations, period, heading, lang, args.format);
    if let Err(e) = write(&made, args.format, args.output.as_deref()) {
        eprintln!("{e}");
        return ExitCode::from(1);
    }
    // A broken chain fails the roll-up as it fails `log verify`: the sum
    // holds figures nothing vouches for.
    let mut broken = 0;
    for s in made.broken() {
        broken += 1;
        if let Some(i) = &s.integrity {
            let first = i.first_fault.as_deref().unwrap_or("?");
            eprintln!(
                "{}: {}",
                s.station,
                Words::new(lang).verify_bad(i.faults, first)
            );
        }
    }
    let mut unreadable = 0;
    for (_, p) in made.unreadable() {
        eprintln!("{}", p.render(lang));
        unreadable += 1;
    }
    if unreadable > 0 {
        eprintln!("{}", rollup_incomplete(lang, unreadable, count));
    }
    if unreadable > 0 || broken > 0 {
        return ExitCode::from(1);
    }
    ExitCode::SUCCESS
}

/// The stations found, each with its config when it loads.
type Found = (Vec<Station>, Vec<Option<Config>>);

/// Each folder as a station; or every slip on the command line (no such
/// folder, one given twice).
fn stations(dirs: &[PathBuf]) -> Result<Found, Vec<StationProblem>> {
    let mut slips = Vec::new();
    let mut seen = std::collections::HashSet::new();
    let mut logs: std::collections::HashMap<PathBuf, String> = std::collections::HashMap::new();
    let mut found = Vec::new();
    let mut configs = Vec::new();
    for dir in dirs {
        let folder = dir.display().to_string();
        if !dir.exists() {
            slips.push(StationProblem::NotFound { folder });
            continue;
        }
        if !dir.is_dir() {
            slips.push(StationProblem::NotFolder { folder });
            continue;
        }
        let real = std::fs::canonicalize(dir).unwrap_or_else(|_| dir.clone());
        if !seen.insert(real) {
            slips.push(StationProblem::Twice { folder });
            continue;
        }
        let (station, config) = station(dir, folder.clone());
        if let Ok(log) = &station.log {
            let real = std::fs::canonicalize(log).unwrap_or_else(|_| log.clone());
            if let Some(other) = logs.get(&real) {
                slips.push(StationProblem::SameLog {
                    folder,
                    other: String::clone(other),
                    log: log.display().to_string(),
                });
                continue;
            }
            logs.insert(real, folder);
        }
        found.push(station);
        configs.push(config);
    }
    if slips.is_empty() {
        Ok((found, configs))
    } else {
        Err(slips)
    }
}

/// One existing folder: its name and play log, or why it cannot be read.
fn station(dir: &Path, folder: String) -> (Station, Option<Config>) {
    let base = std::fs::canonicalize(dir)
        .ok()
        .and_then(|p| p.file_name().map(|n| n.to_string_lossy().into_owned()))
        .unwrap_or_else(|| folder.clone());
    let path = dir.join("config.yaml");
    let unreadable = |p: StationProblem| Station {
        name: base.clone(),
        folder: folder.clone(),
        log: Err(p),
    };
    if !path.exists() {
        let p = StationProblem::NoConfig {
            folder: folder.clone(),
        };
        return (unreadable(p), None);
    }
    let config = match Config::load(&path) {
        Ok(c) => c,
        Err(diags) => {
            let p = StationProblem::BadConfig {
                folder: folder.clone(),
                diags,
            };
            return (unreadable(p), None);
        }
    };
    let name = match config.station.trim() {
        "" => base.clone(),
        name => name.to_string(),
    };
    let own = own_log(dir, &config);
    let log = if crate::playlog::month_files(&own).is_empty() {
        Err(StationProblem::NoPlaylog {
            folder: folder.clone(),
            dir: own.display().to_string(),
        })
    } else {
        Ok(own)
    };
    let station = Station { name, folder, log };
    (station, Some(config))
}

/// The station's own log, inside its folder: where its config.yaml's
/// `playlog:` points when that is a folder inside it (a relative path),
/// else the folder's `playlog/`. An installed station's config names
/// `/var/lib/loa/playlog`: on the district's machine that is the district's
/// own log, never the copied station's.
fn own_log(dir: &Path, config: &Config) -> PathBuf {
    use std::path::Component;
    match config.playlog_dir.strip_prefix(&config.root) {
        Ok(rel) if rel.components().all(|c| matches!(c, Component::Normal(_))) => dir.join(rel),
        _ => dir.join("playlog"),
    }
}

/// Writes the roll-up to `output` (whole: a temporary file renamed into
/// place once complete) or to standard output.
fn write(
    made: &crate::report::rollup::Rollup,
    format: Format,
    output: Option<&Path>,
) -> Result<(), String> {
    super::report::write_out(output, |out| made.write(format, out))
}
