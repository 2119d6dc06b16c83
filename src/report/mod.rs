//! Reports (SPEC §6): the play log turned into the weekly, monthly or
//! any-period review a commune sends upward.
//!
//! Pure: [`build`] takes the log as read back by [`crate::playlog::scan`],
//! the period and the moment of making, and returns a [`Report`] whose every
//! figure comes from the log alone. The formats render that one model.

mod accuracy;
mod cells;
mod csv;
mod gather;
mod html;
mod html_chart;
pub use crate::i18n::labels;
mod model;
pub mod rollup;
mod rollup_view;
mod rollup_write;
mod spill;
mod stream;
pub use stream::{Made, make};
mod sums;
#[cfg(test)]
mod tests;
mod text;
mod writer;
mod xlsx;

use crate::i18n::{Lang, Words};
use crate::playlog::Scan;

use cells::cells;
use gather::{Gathered, gather, row};
pub use model::{Accuracy, DayRow, Format, Heading, Integrity, Kinds, OccRow, Report, TopicRow};
use sums::Sums;
pub use writer::Writer;

pub use crate::limits::LimitBroken;
pub(crate) use crate::numbers::{fixed, round, shown};
pub use crate::period::{MAX_YEARS, Period, PeriodError};

/// Builds the report for `period` from the log as scanned.
pub fn build(scan: &Scan, period: Period, heading: Heading, lang: Lang) -> Report {
    let trusted = scan.trusted_until();
    let mut gathered = gather(scan, &period);
    // Sorted by reference: moving the large rows themselves costs more
    // than building them.
    let mut order: Vec<&mut Gathered> = gathered.iter_mut().collect();
    order.sort_by(|a, b| (a.scheduled, &a.id).cmp(&(b.scheduled, &b.id)));
    let mut sums = Sums::new(lang, heading.limits);
    let occurrences: Vec<OccRow> = order
        .into_iter()
        .map(|g| {
            let o = row(g, trusted);
            sums.add(&o, &g.errors_ms);
            o
        })
        .collect();
    let integrity = Integrity {
        intact: scan.is_intact(),
        lines: scan.lines.len(),
        faults: scan.faults.len(),
        first_fault: scan.first_fault().map(|f| f.location()),
        first_problem: scan
            .first_fault()
            .map(|f| Words::new(lang).problem(&f.problem)),
        head: scan.head.clone(),
        ..Integrity::default()
    };
    let mut r = sums.report(period, heading, integrity);
    r.occurrences = occurrences;
    r
}
