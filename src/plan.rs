//! Planning: schedules and a time range in, occurrences out. Pure.
//!
//! # Daylight-saving policy
//!
//! All schedule times are local to the station's IANA zone. Vietnam has no
//! DST, but loa is correct in zones that do:
//! - a local time that does not exist (spring forward, e.g. 02:30 in Berlin
//!   on the last Sunday of March) is shifted forward by the length of the
//!   gap (02:30 becomes 03:30 CEST), so it still sounds once, and two times
//!   in the gap keep their order and distinct ids;
//! - a local time that exists twice (fall back, 02:30 in Berlin on the last
//!   Sunday of October) sounds once, at its first instance (CEST);
//! - cron expressions follow the same two rules.

use std::sync::Arc;
use std::time::Duration;

use chrono::{
    DateTime, Days as ChronoDays, NaiveDate, NaiveDateTime, SecondsFormat, TimeZone, Utc,
};
use chrono_tz::Tz;

use crate::schedule::{Broadcast, Priority, Schedule, When};

/// Most occurrences one broadcast may produce in one planning call; guards
/// against a cron such as `* * * * * *` (every second).
pub const MAX_PER_BROADCAST: usize = 20_000;

/// One broadcast at one scheduled local time.
#[derive(Clone, Debug)]
pub struct Occurrence {
    /// `<schedule file>#<broadcast name>@<RFC 3339 time>` (SPEC §2.2).
    pub id: String,
    pub schedule: Arc<Schedule>,
    /// Index into `schedule.broadcasts`.
    pub index: usize,
    pub time: DateTime<Tz>,
}

impl Occurrence {
    pub fn broadcast(&self) -> &Broadcast {
        &self.schedule.broadcasts[self.index]
    }

    pub fn priority(&self) -> Priority {
        self.broadcast().priority
    }

    pub fn utc(&self) -> DateTime<Utc> {
        self.time.with_timezone(&Utc)
    }
}

/// The id of an occurrence (SPEC §2.2).
pub fn occurrence_id(file: &str, broadcast: &str, time: &DateTime<Tz>) -> String {
    format!(
        "{file}#{broadcast}@{}",
        time.to_rfc3339_opts(SecondsFormat::Secs, false)
    )
}

/// Every occurrence with `from <= time < to`, in time order; at equal times,
/// higher priority first, then by file and position in the file.
pub fn occurrences(
    schedules: &[Arc<Schedule>],
    tz: Tz,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> Vec<Occurrence> {
    let mut out = Vec::new();
    if to <= from {
        return out;
    }
    for s in schedules {
        for (index, b) in s.broadcasts.iter().enumerate() {
            let mut push = |time: DateTime<Tz>| {
                let utc = time.with_timezone(&Utc);
                if utc >= from && utc < to && b.runs_on(time.date_naive()) {
                    out.push(Occurrence {
                        id: occurrence_id(&s.file, &b.name, &time),
                        schedule: Arc::clone(s),
                        index,
                        time,
                    });
                }
            };
            match &b.when {
                When::At { times, days } => {
                    for date in local_dates(tz, from, to) {
                        if !days.contains(chrono::Datelike::weekday(&date)) || !b.runs_on(date) {
                            continue;
                        }
                        for t in times {
                            if let Some(time) = resolve_local(tz, date.and_time(*t)) {
                                push(time);
                            }
                        }
                    }
                }
                When::On(list) => {
                    for naive in list {
                        if let Some(time) = resolve_local(tz, *naive) {
                            push(time);
                        }
                    }
                }
                When::Cron(cron) => {
                    // Walk the cron over local wall times and resolve each one
                    // like an `at` time, so both follow the same DST policy.
                    let margin = chrono::TimeDelta::hours(3);
                    let start = from.with_timezone(&tz).naive_local() - margin;
                    let end = to.with_timezone(&tz).naive_local() + margin;
                    let mut next = cron.find_next_occurrence(&start, true).ok();
                    let mut n = 0;
                    while let Some(naive) = next.filter(|t| *t < end && n < MAX_PER_BROADCAST) {
                        if let Some(time) = resolve_local(tz, naive) {
                            push(time);
                            n += 1;
                        }
                        next = cron
                            .find_next_occurrence(&naive, false)
                            .ok()
                            .filter(|t| *t > naive);
                    }
                }
            }
        }
    }
    out.sort_by(|a, b| {
        (
            a.time,
            std::cmp::Reverse(a.priority()),
            &a.schedule.file,
            a.index,
        )
            .cmp(&(
                b.time,
                std::cmp::Reverse(b.priority()),
                &b.schedule.file,
                b.index,
            ))
    });
    // Two cron fields or repeated times can name the same instant twice.
    out.dedup_by(|a, b| a.id == b.id);
    out
}

/// The local dates that the UTC range touches, with a day of margin each side.
fn local_dates(tz: Tz, from: DateTime<Utc>, to: DateTime<Utc>) -> impl Iterator<Item = NaiveDate> {
    let first = from
        .with_timezone(&tz)
        .date_naive()
        .pred_opt()
        .unwrap_or(NaiveDate::MIN);
    let last = to
        .with_timezone(&tz)
        .date_naive()
        .succ_opt()
        .unwrap_or(NaiveDate::MAX);
    first.iter_days().take_while(move |d| *d <= last)
}

/// A local wall time as an instant, by the DST policy in the module docs.
pub fn resolve_local(tz: Tz, naive: NaiveDateTime) -> Option<DateTime<Tz>> {
    use chrono::LocalResult;
    match tz.from_local_datetime(&naive) {
        LocalResult::Single(t) => Some(t),
        LocalResult::Ambiguous(first, _) => Some(first),
        LocalResult::None => {
            // In a gap: take the offset in force just before it and apply it,
            // which lands as far past the gap's end as the time was into it.
            let before = (1..=24 * 4).find_map(|q| {
                let probe = naive.checked_sub_signed(chrono::TimeDelta::minutes(15 * q))?;
                tz.from_local_datetime(&probe).earliest()
            })?;
            let offset = chrono::Offset::fix(before.offset());
            let utc = naive.checked_sub_signed(chrono::TimeDelta::seconds(i64::from(
                offset.local_minus_utc(),
            )))?;
            Some(Utc.from_utc_datetime(&utc).with_timezone(&tz))
        }
    }
}

/// Local midnight at the start of `date` (or the first instant of the day).
pub fn start_of_day(tz: Tz, date: NaiveDate) -> Option<DateTime<Tz>> {
    resolve_local(tz, date.and_time(chrono::NaiveTime::MIN))
}

/// `date` plus `n` days.
pub fn add_days(date: NaiveDate, n: u64) -> NaiveDate {
    date.checked_add_days(ChronoDays::new(n))
        .unwrap_or(NaiveDate::MAX)
}

/// What the single output will do with an occurrence, as far as can be told
/// in advance from the lengths of the recordings.
#[derive(Clone, Debug, PartialEq)]
pub enum Forecast {
    /// Starts on time.
    OnTime,
    /// Starts after `behind` finishes, `delay` late.
    Waits { behind: String, delay: Duration },
    /// Would start after `late_limit`: it will be missed.
    Missed { behind: String },
    /// An emergency that cuts `cut` short.
    Cuts { cut: String },
    /// Due in quiet hours: logged `skipped`.
    QuietHours,
    /// Approval is required and missing: logged `skipped`/`not_approved`.
    NotApproved,
}

/// Settings the forecast needs.
pub struct Rules<'a> {
    pub late_limit: Duration,
    pub in_quiet_hours: &'a dyn Fn(&Occurrence) -> bool,
    pub require_approval: bool,
}

/// Plays the occurrences through one output on paper, in order, and says what
/// will happen to each. `lengths[i]` is how long `occs[i]` sounds.
pub fn forecast(occs: &[Occurrence], rules: &Rules, lengths: &[Duration]) -> Vec<Forecast> {
    let mut out = Vec::with_capacity(occs.len());
    // The output is busy until `free_at`, with the broadcast named `busy_with`.
    let mut free_at: Option<DateTime<Utc>> = None;
    let mut busy_with = String::new();
    for (i, o) in occs.iter().enumerate() {
        if rules.require_approval && !o.schedule.is_approved() {
            out.push(Forecast::NotApproved);
            continue;
        }
        let emergency = o.priority() == Priority::Emergency;
        if !emergency && (rules.in_quiet_hours)(o) {
            out.push(Forecast::QuietHours);
            continue;
        }
        let due = o.utc();
        let len = chrono::TimeDelta::from_std(lengths.get(i).copied().unwrap_or_default())
            .unwrap_or_default();
        let f = match free_at {
            Some(free) if free > due && emergency => Forecast::Cuts {
                cut: busy_with.clone(),
            },
            Some(free) if free > due => {
                let delay = (free - due).to_std().unwrap_or_default();
                if delay > rules.late_limit {
                    out.push(Forecast::Missed {
                        behind: busy_with.clone(),
                    });
                    continue;
                }
                Forecast::Waits {
                    behind: busy_with.clone(),
                    delay,
                }
            }
            _ => Forecast::OnTime,
        };
        let start = match &f {
            Forecast::Waits { delay, .. } => {
                due + chrono::TimeDelta::from_std(*delay).unwrap_or_default()
            }
            _ => due,
        };
        free_at = Some(start + len);
        busy_with = o.broadcast().name.clone();
        out.push(f);
    }
    out
}

#[cfg(test)]
#[path = "plan_tests.rs"]
mod tests;
