//! `loa check`: every problem of the station at once (SPEC §4).

use std::collections::{BTreeSet, HashSet};
use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, Utc};

use crate::audio::AudioCache;
use crate::config::Config;
use crate::diag::Diagnostic;
use crate::i18n::{Msg, Words};
use crate::plan::{self, Forecast, Occurrence, Rules};
use crate::schedule::Schedule;
use crate::station::{self, ScheduleFile};

/// How far ahead `check` looks for overlaps and quiet-hour violations.
pub const LOOKAHEAD: Duration = Duration::from_secs(7 * 24 * 3600);

/// The outcome of a check.
pub struct Report {
    pub diags: Vec<Diagnostic>,
    pub files: Vec<ScheduleFile>,
    pub audio_files: usize,
}

impl Report {
    pub fn errors(&self) -> usize {
        self.diags.iter().filter(|d| d.is_error()).count()
    }

    pub fn warnings(&self) -> usize {
        self.diags.len() - self.errors()
    }

    pub fn schedules(&self) -> Vec<Arc<Schedule>> {
        self.files
            .iter()
            .filter_map(|f| f.schedule.clone())
            .collect()
    }
}

/// Checks config, schedules and audio as of `now`.
pub fn run(config: &Config, now: DateTime<Utc>, cache: &mut AudioCache) -> Report {
    let files = station::read_all(config);
    let mut diags: Vec<Diagnostic> = files.iter().flat_map(|f| f.diags.iter().cloned()).collect();
    if files.is_empty() {
        let dir = config.shown(&config.schedules_dir).display().to_string();
        diags.push(
            Diagnostic::file(
                &config.shown(&config.schedules_dir),
                Msg::NoScheduleFiles { dir },
            )
            .warning(),
        );
    }
    let mut used = BTreeSet::new();
    for f in &files {
        diags.extend(station::check_audio_refs(config, f, cache, &mut used));
    }
    diags.extend(station::check_config_chime(config, cache));
    diags.extend(station::unused_audio(config, &used));

    let today = now.with_timezone(&config.timezone).date_naive();
    for f in &files {
        let Some(s) = &f.schedule else { continue };
        if let Some(last) = s.last_date()
            && last < today
        {
            diags.push(
                Diagnostic::at(
                    &f.shown,
                    &f.text,
                    None,
                    Msg::WindowEnded {
                        until: last.to_string(),
                    },
                )
                .warning(),
            );
        }
        if config.require_approval && !s.is_approved() {
            diags.push(Diagnostic::at(&f.shown, &f.text, None, Msg::NotApproved).warning());
        }
    }
    diags.extend(plan_warnings(config, &files, now, cache));
    let audio_files = crate::audio::inventory(&config.audio_dir).len();
    Report {
        diags,
        files,
        audio_files,
    }
}

/// Quiet-hour violations and overlaps in the next seven days, one warning per
/// broadcast and kind of problem (not one per day).
fn plan_warnings(
    config: &Config,
    files: &[ScheduleFile],
    now: DateTime<Utc>,
    cache: &mut AudioCache,
) -> Vec<Diagnostic> {
    let schedules: Vec<Arc<Schedule>> = files.iter().filter_map(|f| f.schedule.clone()).collect();
    let to = now + chrono::TimeDelta::from_std(LOOKAHEAD).unwrap_or_default();
    let occs = plan::occurrences(&schedules, config.timezone, now, to);
    let fc = forecast(config, &occs, cache);
    let words = Words::new(config.language);
    let mut out = Vec::new();
    let mut said = HashSet::new();
    for (o, f) in occs.iter().zip(&fc) {
        let b = o.broadcast();
        let Some(file) = files.iter().find(|x| x.name == o.schedule.file) else {
            continue;
        };
        let time = o.time.format("%Y-%m-%d %H:%M").to_string();
        let msg = match f {
            Forecast::QuietHours => Msg::QuietHours {
                broadcast: b.name.clone(),
                time,
            },
            Forecast::Waits { behind, delay } if *delay > Duration::from_secs(1) => {
                let start = (o.time + chrono::TimeDelta::from_std(*delay).unwrap_or_default())
                    .format("%H:%M:%S")
                    .to_string();
                Msg::Conflict {
                    time,
                    broadcast: b.name.clone(),
                    other: behind.clone(),
                    outcome: words.conflict_waits(behind, &start),
                }
            }
            Forecast::Missed { behind } => Msg::Conflict {
                time,
                broadcast: b.name.clone(),
                other: behind.clone(),
                outcome: words.conflict_missed(behind),
            },
            Forecast::Cuts { cut } => Msg::Conflict {
                time,
                broadcast: b.name.clone(),
                other: cut.clone(),
                outcome: words.conflict_cuts(cut),
            },
            _ => continue,
        };
        let key = (
            o.schedule.file.clone(),
            b.name.clone(),
            std::mem::discriminant(f),
        );
        if said.insert(key) {
            out.push(Diagnostic::at(&file.shown, &file.text, b.pos, msg).warning());
        }
    }
    out
}

/// The forecast for a list of occurrences under the station's rules.
pub fn forecast(config: &Config, occs: &[Occurrence], cache: &mut AudioCache) -> Vec<Forecast> {
    let quiet = |o: &Occurrence| config.in_quiet_hours(o.time.time());
    let rules = Rules {
        late_limit: config.late_limit,
        in_quiet_hours: &quiet,
        require_approval: config.require_approval,
    };
    let lengths: Vec<Duration> = occs
        .iter()
        .map(|o| station::occurrence_length(config, cache, o))
        .collect();
    plan::forecast(occs, &rules, &lengths)
}
