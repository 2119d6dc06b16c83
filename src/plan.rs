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
    /// The output it plays on, once assigned ([`by_output`]).
    pub output: Option<Arc<str>>,
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

    /// Its id without an output ([`base_id`]).
    pub fn base_id(&self) -> String {
        occurrence_id(&self.schedule.file, &self.broadcast().name, &self.time)
    }

    /// How late it may still begin, under the station's `late_limit`: a
    /// relay, whatever `late_limit` says, as long as a second of its `for`
    /// is left (and then it plays what is left of it): never after its
    /// window has closed.
    pub fn late_limit(&self, late_limit: chrono::TimeDelta) -> chrono::TimeDelta {
        match &self.broadcast().relay {
            Some(r) => {
                let window = chrono::TimeDelta::from_std(r.length).unwrap_or(late_limit)
                    - chrono::TimeDelta::seconds(1);
                window.max(chrono::TimeDelta::zero())
            }
            None => late_limit,
        }
    }

    /// When a relay's `for` runs out; None for anything else.
    pub fn relay_end(&self) -> Option<DateTime<Utc>> {
        let r = self.broadcast().relay.as_ref()?;
        Some(self.utc() + chrono::TimeDelta::from_std(r.length).ok()?)
    }
}

/// The id of an occurrence (SPEC §2.2).
pub fn occurrence_id(file: &str, broadcast: &str, time: &DateTime<Tz>) -> String {
    base_id(
        file,
        broadcast,
        &time.to_rfc3339_opts(SecondsFormat::Secs, false),
    )
}

/// The id of an occurrence from its parts as the play log writes them:
/// `<schedule file>#<broadcast>@<scheduled>`, without an output.
pub fn base_id(file: &str, broadcast: &str, scheduled: &str) -> String {
    format!("{file}#{broadcast}@{scheduled}")
}

/// The ids an occurrence closed under `id` has on the outputs there are
/// now, from what the log says of it: its `base` id ([`base_id`]) and the
/// `output` it was closed on. The same id when the arrangement is the one
/// it was closed under; after a change (one output to several, an output
/// renamed, several to one) the id on each output it maps to, so that a
/// change of outputs never plays a closed occurrence again. Without a
/// base (a line that names no schedule or time), only `id`.
pub fn ids_on(id: &str, base: Option<&str>, output: Option<&str>, outputs: &[&str]) -> Vec<String> {
    let Some(base) = base else {
        return vec![id.to_string()];
    };
    // Closed on one output of several: its id is the base and that output.
    let on = output.filter(|o| id == format!("{base}/{o}"));
    match (on, outputs.len() > 1) {
        (Some(o), true) if outputs.contains(&o) => vec![id.to_string()],
        (_, true) => outputs.iter().map(|o| format!("{base}/{o}")).collect(),
        (_, false) => vec![base.to_string()],
    }
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
                        output: None,
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

/// Each occurrence once on every output it plays on (its broadcast's
/// `outputs`, or all), split by output in the order of `outputs`. With more
/// than one output, each id ends in `/<output>` (SPEC §2.2).
pub fn by_output(occs: Vec<Occurrence>, outputs: &[&str]) -> Vec<Vec<Occurrence>> {
    let names: Vec<Arc<str>> = outputs.iter().map(|n| Arc::from(*n)).collect();
    let mut out: Vec<Vec<Occurrence>> = vec![Vec::new(); names.len()];
    for o in occs {
        for (k, name) in names.iter().enumerate() {
            if !o.broadcast().plays_on(name) {
                continue;
            }
            let mut one = o.clone();
            if names.len() > 1 {
                one.id = format!("{}/{name}", o.id);
            }
            one.output = Some(Arc::clone(name));
            out[k].push(one);
        }
    }
    out
}

#[cfg(test)]
#[path = "plan_tests.rs"]
mod tests;
