//! `loa check`: every problem of the station at once (SPEC §4).

use std::collections::{BTreeSet, HashSet};
use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, Utc};

use std::process::ExitCode;

use crate::config::Config;
use crate::i18n::diag;
use crate::i18n::diag::Diagnostic;
use crate::i18n::{Clash, Lang, Msg, Words};
use crate::kinds::Reason;
use crate::onair::paper::Who;
use crate::preview::Happens;
use crate::schedule::Schedule;
use crate::sound::audio::AudioCache;
use crate::station::{self, ScheduleFile};

/// How far ahead `check` looks for overlaps and quiet-hour violations.
pub const LOOKAHEAD: Duration = Duration::from_secs(7 * 24 * 3600);

/// The outcome of a check.
pub struct Report {
    pub diags: Vec<Diagnostic>,
    pub files: Vec<ScheduleFile>,
    pub audio_files: usize,
    /// Each spoken item, rendered, with its length and loudness.
    pub spoken: Vec<super::check_speech::Spoken>,
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
    let (speech_diags, spoken) = super::check_speech::check(config, &files, cache);
    diags.extend(speech_diags);
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
        if let Some(d) = except_outside(f, s) {
            diags.push(d);
        }
        if config.require_approval && !s.is_approved() {
            diags.push(Diagnostic::at(&f.shown, &f.text, None, Msg::NotApproved).warning());
        }
    }
    diags.extend(plan_warnings(config, &files, now, cache));
    let audio_files = crate::sound::audio::inventory(&config.audio_dir).len();
    Report {
        diags,
        files,
        audio_files,
        spoken,
    }
}

/// `except` dates that fall outside a broadcast's `from`..`until`: a typo
/// in the year or month, most likely. One warning per file, at its first
/// `except:` line.
fn except_outside(f: &ScheduleFile, s: &Schedule) -> Option<Diagnostic> {
    let mut dates: BTreeSet<chrono::NaiveDate> = BTreeSet::new();
    let mut window = String::new();
    for b in &s.broadcasts {
        let outside: Vec<_> = b
            .except
            .iter()
            .filter(|d| b.from.is_some_and(|f| **d < f) || b.until.is_some_and(|u| **d > u))
            .collect();
        if !outside.is_empty() && window.is_empty() {
            let show =
                |d: Option<chrono::NaiveDate>| d.map_or("…".to_string(), |d| d.to_string());
            window = format!("{}..{}", show(b.from), show(b.until));
        }
        dates.extend(outside.into_iter().copied());
    }
    if dates.is_empty() {
        return None;
    }
    let pos = f.text.lines().enumerate().find_map(|(i, l)| {
        let col = l.find("except")?;
        l[col..]
            .trim_start_matches("except")
            .trim_start()
            .starts_with(':')
            .then(|| crate::i18n::diag::Pos::new(i as u64 + 1, col as u64 + 1))
    });
    let dates = dates
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join(", ");
    Some(Diagnostic::at(&f.shown, &f.text, pos, Msg::ExceptOutside { dates, window }).warning())
}

/// Quiet-hour violations (a broadcast due in them, or repeats running into
/// them) and overlaps in the next seven days, as the daemon's own rules will
/// play them: one warning per broadcast and kind of problem (not one per
/// day).
fn plan_warnings(
    config: &Config,
    files: &[ScheduleFile],
    now: DateTime<Utc>,
    cache: &mut AudioCache,
) -> Vec<Diagnostic> {
    let schedules: Vec<Arc<Schedule>> = files.iter().filter_map(|f| f.schedule.clone()).collect();
    let to = now + chrono::TimeDelta::from_std(LOOKAHEAD).unwrap_or_default();
    let mut out = Vec::new();
    let mut said = HashSet::new();
    let quiet = config
        .quiet_hours
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join(", ");
    let predicted = crate::preview::span(config, cache, &schedules, now, to);
    out.extend(limit_warnings(config, &predicted, now));
    for x in predicted {
        let o = &x.occ;
        let b = o.broadcast();
        let Some(file) = files.iter().find(|f| f.name == o.schedule.file) else {
            continue;
        };
        let time = o.time.format("%Y-%m-%d %H:%M").to_string();
        let conflict = |other: &Who, clash: Clash| Msg::Conflict {
            time: time.clone(),
            broadcast: b.name.clone(),
            other: other.name.clone(),
            other_file: config
                .shown(&config.schedules_dir.join(&other.file))
                .display()
                .to_string(),
            clash,
        };
        let local = |t: DateTime<Utc>| {
            t.with_timezone(&config.timezone)
                .format("%H:%M:%S")
                .to_string()
        };
        if let Some(d) =
            x.p.dropped
                .as_ref()
                .filter(|d| d.reason == Reason::QuietHours)
            && said.insert((o.schedule.file.clone(), b.name.clone(), "repeats"))
        {
            let msg = Msg::QuietRepeats {
                broadcast: b.name.clone(),
                time: time.clone(),
                quiet: quiet.clone(),
                repeat: b.repeat,
                dropped: d.repeats,
            };
            out.push(Diagnostic::at(&file.shown, &file.text, b.pos, msg).warning());
        }
        // Approval is checked per file, above; a miss with nothing on air
        // is the late limit's, which `next` shows.
        let (kind, msg) = match x.happens() {
            Some(Happens::QuietHours) => (
                "quiet",
                Msg::QuietHours {
                    broadcast: b.name.clone(),
                    time: time.clone(),
                },
            ),
            Some(Happens::Missed {
                behind: Some(behind),
            }) => ("missed", conflict(&behind, Clash::Missed)),
            Some(Happens::Cuts(cut)) => ("cuts", conflict(&cut, Clash::Cuts)),
            Some(Happens::Cut(r)) => (
                "cut",
                conflict(
                    &r.by,
                    Clash::Cut {
                        at: local(r.cut_at),
                        again: r.again_at.map(local),
                    },
                ),
            ),
            Some(Happens::Waits { behind, .. }) => {
                let start = x.p.start.map(local).unwrap_or_default();
                ("waits", conflict(&behind, Clash::Waits { start }))
            }
            Some(Happens::NotApproved | Happens::Missed { behind: None }) | None => continue,
        };
        if said.insert((o.schedule.file.clone(), b.name.clone(), kind)) {
            out.push(Diagnostic::at(&file.shown, &file.text, b.pos, msg).warning());
        }
    }
    out
}

/// Days of the coming week (today included) that break the station's
/// `limits`, as the daemon's own rules will play them: one warning per day,
/// output and limit, at `limits` in config.yaml.
fn limit_warnings(
    config: &Config,
    predicted: &[crate::preview::Predicted],
    now: DateTime<Utc>,
) -> Vec<Diagnostic> {
    use crate::i18n::LimitKind;
    use crate::limits::{Broken, DayUse};
    if !config.limits.any() {
        return Vec::new();
    }
    let first = config.outputs().first().map_or("", |o| o.name.as_str());
    let spans = predicted.iter().filter_map(|x| {
        let (start, end) = (x.p.start?, x.p.end?);
        Some((x.occ.output.as_deref().unwrap_or(first), start, end))
    });
    let used = crate::limits::days(config.timezone, spans);
    let text = crate::text::read_text(&config.path).unwrap_or_default();
    let shown = config.shown(&config.path);
    let several = config.outputs().len() > 1;
    let today = now.with_timezone(&config.timezone).date_naive();
    let mut out = Vec::new();
    // The whole days ahead that the preview covers; today counts too when
    // a broadcast is left in it (a day half gone is not short of minutes).
    for day in today
        .iter_days()
        .take(LOOKAHEAD.as_secs().div_ceil(86_400) as usize)
    {
        for output in config.outputs() {
            let empty = DayUse::default();
            let day_use = used.get(&(output.name.clone(), day)).unwrap_or(&empty);
            for b in config.limits.broken(day_use) {
                let (broken, value, limit) = match b {
                    Broken::MinutesOver { minutes, max } => (LimitKind::MinutesOver, minutes, max),
                    Broken::SessionsOver { sessions, max } => {
                        (LimitKind::SessionsOver, f64::from(sessions), max)
                    }
                    Broken::MinutesUnder { .. } if day == today => continue,
                    Broken::MinutesUnder { minutes, min } => {
                        (LimitKind::MinutesUnder, minutes, min)
                    }
                };
                let msg = Msg::LimitBroken {
                    date: day.format("%d/%m/%Y").to_string(),
                    output: if several {
                        output.name.clone()
                    } else {
                        String::new()
                    },
                    broken,
                    value,
                    limit,
                };
                out.push(Diagnostic::at(&shown, &text, config.limits_pos, msg).warning());
            }
        }
    }
    out
}

/// Prints every problem at once; exit 1 when any is an error.
pub fn command(config: &Config, lang: Lang, now: DateTime<Utc>) -> ExitCode {
    let mut cache = AudioCache::persistent(config.state_dir.join("audio.json"));
    let report = run(config, now, &mut cache);
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
    let outputs = config
        .outputs()
        .iter()
        .map(|o| format!("{} ({})", o.name, o.device))
        .collect::<Vec<_>>()
        .join(", ");
    println!("{}", words.check_outputs(&outputs));
    if report.warnings() > 0 {
        println!("{}", words.check_summary(0, report.warnings()));
    }
    loudness_table(config, &cache, &report.spoken, lang);
    cache.save();
    ExitCode::SUCCESS
}

/// Each recording's length, loudness and true peak, and the gain loa will
/// play it at.
fn loudness_table(
    config: &Config,
    cache: &AudioCache,
    spoken: &[super::check_speech::Spoken],
    lang: Lang,
) {
    let words = Words::new(lang);
    let tts = config.state_dir.join(crate::sound::speech::TTS_DIR);
    // Rendered speech is listed by what it says, not by its cache name.
    let recordings = cache
        .probed()
        .into_iter()
        .filter(|(path, _)| !path.starts_with(&tts))
        .filter_map(|(path, r)| Some((config.shown(path).display().to_string(), r.as_ref().ok()?)));
    let said = spoken.iter().map(|s| (s.label.clone(), &s.info));
    let rows: Vec<String> = recordings
        .chain(said)
        .map(|(shown, info)| {
            let len = crate::units::format_duration(info.length);
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
            }
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
