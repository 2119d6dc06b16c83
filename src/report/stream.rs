//! A report made in memory that does not grow with the log (issue 14).
//!
//! One read of the month files, a stream ([`crate::playlog::each_file`]):
//! the chain checked line by line ([`Checker`]) while each occurrence of the
//! period is gathered, and added to the sums ([`Sums`]) once its final
//! `finish` is read (the open ones at the end). That gives every section
//! before the detail, how many rows, the text table's widths, and, per
//! month file, the earliest scheduled time of the occurrences closed in it.
//! Each row is put aside in a temporary file as it closes
//! ([`super::spill`]); writing reads them back, each held until no
//! occurrence closed later can sort before it (rows go by scheduled time
//! then id). Held rows are those of the last month or so, plus any closed
//! out of order (missed ones closed after an outage). (Until issue 14's
//! second round the log was read, parsed and checked a second time instead,
//! a third of a report's time.)
//!
//! Memory: a few month files being read, the occurrences not yet closed,
//! one 16-byte fingerprint per occurrence for the checker, the bounded
//! start-error histogram. Any fault in the log and [`make`] returns `None`:
//! a broken log is reported by the whole-log path, which names each fault
//! and the rows it leaves unverified.

use std::collections::HashMap;
use std::path::Path;

use chrono::{DateTime, FixedOffset};

use super::gather::note;
use super::{Format, Gathered, Heading, Integrity, OccRow, Period, Report, Sums, row, spill};
use crate::i18n::Lang;
use crate::playlog::{Checker, Fields, Keyed, Line, each_file, month_files};

/// One walk over the log: the checker and the occurrences of the period
/// that are not closed yet.
struct Walk<'p> {
    checker: Checker,
    period: &'p Period,
    live: HashMap<u128, Gathered, Keyed>,
}

impl<'p> Walk<'p> {
    fn new(period: &'p Period, checker: Checker) -> Walk<'p> {
        Walk {
            checker,
            period,
            live: HashMap::default(),
        }
    }

    /// Takes one line; `done` gets each occurrence of the period as it
    /// closes. `Err` at a fault.
    fn line(&mut self, l: &mut Line, done: &mut impl FnMut(Gathered)) -> Result<(), ()> {
        let Some(step) = self.checker.line(l)? else {
            return Ok(());
        };
        let Some(r) = &mut l.record else {
            return Ok(());
        };
        if step.first {
            let g = Gathered {
                id: r.id.take().unwrap_or_default(),
                ..Default::default()
            };
            self.live.insert(step.key, g);
        }
        let Some(g) = self.live.get_mut(&step.key) else {
            return Ok(());
        };
        note(g, r);
        // Out of the period from its first line on: it never can be in.
        if step.first && g.scheduled.is_some() && !inside(self.period, g) {
            self.live.remove(&step.key);
            return Ok(());
        }
        if step.last
            && let Some(g) = self.live.remove(&step.key)
        {
            self.close(g, done);
        }
        Ok(())
    }

    fn close(&self, g: Gathered, done: &mut impl FnMut(Gathered)) {
        if inside(self.period, &g) {
            done(g);
        }
    }

    /// The occurrences still open at the end of the log.
    fn end(&mut self, done: &mut impl FnMut(Gathered)) {
        for (_, g) in std::mem::take(&mut self.live) {
            self.close(g, done);
        }
    }
}

fn inside(period: &Period, g: &Gathered) -> bool {
    g.scheduled
        .is_some_and(|s| period.contains(s.naive_local().date()))
}

/// What a report's first read found.
pub struct Made {
    pub report: Report,
    widths: [usize; 14],
    /// The rows, in the order their occurrences closed ([`super::spill`]).
    spill: std::fs::File,
    /// `closed[n]`: how many rows closed in month file n (n = the number of
    /// files: at the end of the log).
    closed: Vec<usize>,
    /// `after[n]`: the earliest scheduled time among occurrences closed in
    /// month file n or later (n = the number of files: at the end).
    after: Vec<Option<DateTime<FixedOffset>>>,
}

/// The one read: the report with its rows put aside, or `None` when the
/// log has any fault (or is unreadable, or no temporary file can be made)
/// and must be reported whole.
pub fn make(
    dir: &Path,
    period: Period,
    heading: Heading,
    lang: Lang,
    format: Format,
) -> Option<Made> {
    let files = month_files(dir);
    let mut walk = Walk::new(&period, Checker::default());
    let mut sums = Sums::new(lang, heading.limits);
    let mut widths = [0; 14];
    let mut closed: Vec<Option<DateTime<FixedOffset>>> = vec![None; files.len() + 1];
    let mut counts = vec![0; files.len() + 1];
    let mut spill = spill::Out::new(spill::file().ok()?);
    let mut spilled = Ok(());
    let mut ok = true;
    // Each row is counted, summed, measured and put aside to be written.
    let mut add = |n: usize, mut g: Gathered, sums: &mut Sums, widths: &mut [usize; 14]| {
        let o = row(&mut g, usize::MAX);
        sums.add(&o, &g.errors_ms);
        if format == Format::Text {
            for (w, c) in widths.iter_mut().zip(text_cells(lang, &o)) {
                *w = (*w).max(c);
            }
        }
        if let (Some(at), Ok(())) = (g.scheduled, &spilled) {
            spilled = spill.put(at, &o);
        }
        counts[n] += 1;
        closed[n] = match (closed[n], g.scheduled) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        };
    };
    let count = files.len();
    each_file(&files, Fields::Report, None, |n, mut chunk| {
        ok = !chunk.faults
            && chunk.lines.iter_mut().all(|l| {
                walk.line(l, &mut |g| add(n, g, &mut sums, &mut widths))
                    .is_ok()
            });
        ok
    });
    if !ok {
        return None;
    }
    walk.end(&mut |g| add(count, g, &mut sums, &mut widths));
    spilled.ok()?;
    let spill = spill.done().ok()?;
    let mut after = closed;
    for n in (0..count).rev() {
        after[n] = match (after[n], after[n + 1]) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        };
    }
    let verdict = walk.checker.verdict(files);
    let integrity = Integrity {
        intact: true,
        lines: verdict.lines,
        faults: 0,
        first_fault: None,
        first_problem: None,
        head: verdict.head,
        unverified: 0,
        ..Integrity::default()
    };
    let report = sums.report(period, heading, integrity);
    Some(Made {
        report,
        widths,
        spill,
        closed: counts,
        after,
    })
}

/// The width of each cell of a row in the text table.
fn text_cells(lang: Lang, o: &OccRow) -> [usize; 14] {
    super::cells(lang, o, super::text::DATE).map(|c| c.chars().count())
}

impl Made {
    /// Writes the report to `out`, the rows in order as
    /// they are read. An xlsx workbook is returned to be saved.
    pub fn write(
        &self,
        format: Format,
        out: &mut dyn std::io::Write,
    ) -> Result<Option<rust_xlsxwriter::Workbook>, String> {
        let r = &self.report;
        let mut w = r.writer(format, out, &self.widths)?;
        let changed = || crate::i18n::Words::new(r.lang).report_log_changed();
        // Rows are written on this thread as the reader hands them over: a
        // writer thread made reports faster but cost 8 MiB of the
        // allocator's arenas, past 64 MiB over five years for xlsx.
        let mut written = 0;
        let mut wrote = Ok(());
        let read = self.rows(|o| {
            if let Err(e) = w.row(r, o) {
                wrote = Err(e);
                return false;
            }
            written += 1;
            true
        });
        wrote?;
        read?;
        if written != r.rows {
            return Err(changed());
        }
        w.end(r)
    }

    /// Hands the rows put aside to `send` in order, each once no
    /// occurrence closed later can sort before it; stops when `send`
    /// returns false. Rows wait as they were put aside (bytes), and each is
    /// decoded into the same [`OccRow`] just before it is sent.
    pub(super) fn rows(&self, mut send: impl FnMut(&OccRow) -> bool) -> Result<(), String> {
        let io = |e: std::io::Error| e.to_string();
        let mut back = spill::In::new(&self.spill).map_err(io)?;
        let mut held = spill::Held::default();
        let mut o = OccRow::default();
        let count = self.closed.len() - 1;
        for n in 0..count {
            let last = n + 1 == count;
            let take = self.closed[n] + if last { self.closed[count] } else { 0 };
            for _ in 0..take {
                back.take_into(&mut held).map_err(io)?;
            }
            let limit = if last { None } else { self.after[n + 1] };
            let stopped = held.release(limit, |bytes| {
                spill::decode_into(bytes, &mut o)
                    .ok_or_else(|| io(spill::unreadable()))
                    .map(|()| send(&o))
            })?;
            if stopped {
                return Ok(());
            }
        }
        Ok(())
    }
}
