//! The span a report covers: an ISO week, a month, or any dates.

use chrono::{Datelike, Days, IsoWeek, NaiveDate, Weekday};
use serde::Serialize;

/// Inclusive local dates, with how the operator named them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Period {
    pub from: NaiveDate,
    pub to: NaiveDate,
    /// `2025-W10`, `2025-03`, or `2025-03-01..2025-03-15`.
    pub name: String,
}

/// A period the command line could not understand.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum PeriodError {
    #[error("{0}: expected an ISO week such as 2025-W10")]
    Week(String),
    #[error("{given}: {year} has {weeks} ISO weeks (W01 to W{weeks}); e.g. {year}-W{weeks}")]
    NoSuchWeek {
        given: String,
        year: i32,
        weeks: u32,
    },
    #[error("{0}: expected a month such as 2025-03")]
    Month(String),
    #[error("{0}: expected a date such as 01/03/2025 or 2025-03-01")]
    Date(String),
    #[error("--from {from} is after --to {to}")]
    Backwards { from: NaiveDate, to: NaiveDate },
    #[error("--from and --to go together")]
    Half,
    #[error(
        "--from {from} --to {to} spans more than {MAX_YEARS} years; make one report per year, e.g. --from 2025-01-01 --to 2025-12-31"
    )]
    TooLong { from: NaiveDate, to: NaiveDate },
}

/// The longest report, in years. A report keeps a row per day; from year 1
/// to 9999 that was a gigabyte of memory for a log that cannot hold it.
pub const MAX_YEARS: u32 = 10;

impl Period {
    /// The ISO week `YYYY-Www`.
    pub fn week(s: &str) -> Result<Period, PeriodError> {
        let bad = || PeriodError::Week(s.to_string());
        let (y, w) = s.trim().split_once(['-']).ok_or_else(bad)?;
        let w = w.strip_prefix(['W', 'w']).ok_or_else(bad)?;
        let (y, w): (i32, u32) = (y.parse().map_err(|_| bad())?, w.parse().map_err(|_| bad())?);
        let Some(from) = NaiveDate::from_isoywd_opt(y, w, Weekday::Mon) else {
            // A year has 52 or 53 ISO weeks: 28 December is always in its last.
            return Err(match NaiveDate::from_ymd_opt(y, 12, 28) {
                Some(d) if w > 0 => PeriodError::NoSuchWeek {
                    given: s.trim().to_string(),
                    year: y,
                    weeks: d.iso_week().week(),
                },
                _ => bad(),
            });
        };
        Ok(Period::of_week(from.iso_week(), from))
    }

    fn of_week(w: IsoWeek, monday: NaiveDate) -> Period {
        Period {
            from: monday,
            to: monday + Days::new(6),
            name: format!("{}-W{:02}", w.year(), w.week()),
        }
    }

    /// The calendar month `YYYY-MM`.
    pub fn month(s: &str) -> Result<Period, PeriodError> {
        let bad = || PeriodError::Month(s.to_string());
        let (y, m) = s.trim().split_once('-').ok_or_else(bad)?;
        let (y, m): (i32, u32) = (y.parse().map_err(|_| bad())?, m.parse().map_err(|_| bad())?);
        let from = NaiveDate::from_ymd_opt(y, m, 1).ok_or_else(bad)?;
        let next = from
            .checked_add_months(chrono::Months::new(1))
            .ok_or_else(bad)?;
        Ok(Period {
            from,
            to: next.pred_opt().ok_or_else(bad)?,
            name: format!("{y:04}-{m:02}"),
        })
    }

    /// Any dates, both included.
    pub fn dates(from: &str, to: &str) -> Result<Period, PeriodError> {
        let parse =
            |s: &str| crate::units::parse_date(s).ok_or_else(|| PeriodError::Date(s.to_string()));
        let (from, to) = (parse(from)?, parse(to)?);
        if from > to {
            return Err(PeriodError::Backwards { from, to });
        }
        if from
            .checked_add_months(chrono::Months::new(12 * MAX_YEARS))
            .is_none_or(|end| to >= end)
        {
            return Err(PeriodError::TooLong { from, to });
        }
        Ok(Period {
            from,
            to,
            name: format!("{from}..{to}"),
        })
    }

    /// The last full ISO week before `today`.
    pub fn last_week(today: NaiveDate) -> Period {
        let monday = today - Days::new(u64::from(today.weekday().num_days_from_monday()));
        let last = monday - Days::new(7);
        Period::of_week(last.iso_week(), last)
    }

    /// The period the command line names; the last full week when none.
    pub fn from_args(
        week: Option<&str>,
        month: Option<&str>,
        from: Option<&str>,
        to: Option<&str>,
        today: NaiveDate,
    ) -> Result<Period, PeriodError> {
        match (week, month, from, to) {
            (Some(w), _, _, _) => Period::week(w),
            (_, Some(m), _, _) => Period::month(m),
            (_, _, Some(f), Some(t)) => Period::dates(f, t),
            (_, _, None, None) => Ok(Period::last_week(today)),
            _ => Err(PeriodError::Half),
        }
    }

    pub fn contains(&self, d: NaiveDate) -> bool {
        self.from <= d && d <= self.to
    }

    /// Every date in the period, in order.
    pub fn days(&self) -> impl Iterator<Item = NaiveDate> + use<> {
        let to = self.to;
        self.from.iter_days().take_while(move |d| *d <= to)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap_or_default()
    }

    #[test]
    fn weeks_months_and_dates() {
        let w = Period::week("2025-W10");
        assert_eq!(
            w.map(|p| (p.from, p.to, p.name)),
            Ok((d("2025-03-03"), d("2025-03-09"), "2025-W10".into()))
        );
        // ISO week 1 of 2026 begins in December 2025.
        assert_eq!(
            Period::week("2026-W01").map(|p| p.from),
            Ok(d("2025-12-29"))
        );
        assert!(Period::week("2025-W54").is_err());
        assert_eq!(
            Period::week("2025-W53"),
            Err(PeriodError::NoSuchWeek {
                given: "2025-W53".into(),
                year: 2025,
                weeks: 52
            })
        );
        assert!(Period::week("2026-W53").is_ok(), "2026 has 53 weeks");
        assert!(Period::week("2025-10").is_err());
        let m = Period::month("2024-02").map(|p| (p.from, p.to));
        assert_eq!(m, Ok((d("2024-02-01"), d("2024-02-29"))));
        assert!(Period::month("2025-13").is_err());
        assert_eq!(
            Period::dates("2025-03-10", "2025-03-01"),
            Err(PeriodError::Backwards {
                from: d("2025-03-10"),
                to: d("2025-03-01")
            })
        );
        assert_eq!(
            Period::dates("2025-03-01", "2025-03-03").map(|p| p.days().count()),
            Ok(3)
        );
        // Dates as written on paper, day first, name the same period.
        assert_eq!(
            Period::dates("1/3/2025", "31/03/2025").map(|p| (p.from, p.to, p.name)),
            Ok((
                d("2025-03-01"),
                d("2025-03-31"),
                "2025-03-01..2025-03-31".into()
            ))
        );
        assert_eq!(
            Period::dates("01/03/25", "31/03/2025"),
            Err(PeriodError::Date("01/03/25".into()))
        );
        // Ten years are a report; a day more is a usage error.
        assert!(Period::dates("2021-01-01", "2030-12-31").is_ok());
        assert_eq!(
            Period::dates("2021-01-01", "2031-01-01"),
            Err(PeriodError::TooLong {
                from: d("2021-01-01"),
                to: d("2031-01-01")
            })
        );
    }

    #[test]
    fn the_default_is_the_last_full_iso_week() {
        // Wednesday 2025-03-12 → Monday 3 to Sunday 9 March.
        let p = Period::last_week(d("2025-03-12"));
        assert_eq!(
            (p.from, p.to, p.name.as_str()),
            (d("2025-03-03"), d("2025-03-09"), "2025-W10")
        );
        // On a Monday the week just ended is the last full one.
        assert_eq!(Period::last_week(d("2025-03-10")).from, d("2025-03-03"));
        // Across a year end.
        assert_eq!(Period::last_week(d("2026-01-01")).name, "2025-W52");
        assert_eq!(
            Period::from_args(None, None, Some("2025-03-01"), None, d("2025-03-12")),
            Err(PeriodError::Half)
        );
    }
}
