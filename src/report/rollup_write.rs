//! A roll-up written out: the sum and each station's rows in the five
//! formats, and its JSON.

use std::io::Write;

use serde::Serialize;

use super::rollup::{Rollup, Source, StationProblem, StationRow};
use super::{
    Accuracy, DayRow, Format, Heading, Integrity, Kinds, OccRow, Period, Report, TopicRow, labels,
};
use crate::i18n::Words;
use crate::i18n::rollup::rollup_labels;

impl Rollup {
    /// The stations whose chain is broken, by name.
    pub fn broken(&self) -> impl Iterator<Item = &StationRow> {
        self.report.stations.iter().filter(|s| s.broken())
    }

    /// The stations that gave no figures, and why.
    pub fn unreadable(&self) -> impl Iterator<Item = (&StationRow, &StationProblem)> {
        self.report
            .stations
            .iter()
            .filter_map(|s| s.unreadable.as_ref().map(|p| (s, p)))
    }

    /// Writes the roll-up in `format`. An xlsx workbook is returned to be
    /// saved where it goes.
    pub fn write(
        &self,
        format: Format,
        out: &mut dyn Write,
    ) -> Result<Option<rust_xlsxwriter::Workbook>, String> {
        let r = &self.report;
        match format {
            Format::Json => {
                json(r, out)?;
                Ok(None)
            }
            Format::Csv => {
                self.csv(out)?;
                Ok(None)
            }
            _ => r.writer(format, out, &[0; 14])?.end(r),
        }
    }

    /// One row per occurrence, station after station, a Station column first.
    fn csv(&self, out: &mut dyn Write) -> Result<(), String> {
        let r = &self.report;
        let lang = r.lang;
        let l = labels::labels(lang);
        let err = |e: ::csv::Error| e.to_string();
        out.write_all(b"\xEF\xBB\xBF").map_err(|e| e.to_string())?;
        let mut w = ::csv::Writer::from_writer(out);
        let mut header = vec![rollup_labels(lang).station];
        header.extend(l.detail_columns());
        header.push("id");
        w.write_record(header).map_err(err)?;
        let record = |w: &mut ::csv::Writer<&mut dyn Write>, name: &str, o: &OccRow| {
            let mut row = Vec::with_capacity(16);
            row.push(super::csv::not_formula(name).into_owned());
            for (i, c) in r.detail_cells(o, "%Y-%m-%d").into_iter().enumerate() {
                row.push(match super::csv::TEXT_COLUMNS.contains(&i) {
                    true => super::csv::not_formula(&c).into_owned(),
                    false => c.into_owned(),
                });
            }
            row.push(super::csv::not_formula(&o.id).into_owned());
            w.write_record(row).map_err(err)
        };
        for (st, source) in self.stations.iter().zip(&self.sources) {
            match source {
                Source::Stream(made) => {
                    let mut written = 0;
                    let mut wrote = Ok(());
                    made.rows(|o| {
                        if let Err(e) = record(&mut w, &st.name, o) {
                            wrote = Err(e);
                            return false;
                        }
                        written += 1;
                        true
                    })?;
                    wrote?;
                    if written != made.report.rows {
                        return Err(Words::new(lang).report_log_changed());
                    }
                }
                Source::Whole(dir) => {
                    let scan = crate::playlog::scan(dir);
                    let one = super::build(&scan, r.period.clone(), Heading::default(), lang);
                    for o in &one.occurrences {
                        record(&mut w, &st.name, o)?;
                    }
                }
                Source::NoRows => {
                    if let Err(p) = &st.log {
                        // Not an occurrence: the line that says the
                        // station's figures are missing, where a reviewer
                        // filtering by station will see it.
                        let mut row = vec![String::new(); 16];
                        row[0] = super::csv::not_formula(&st.name).into_owned();
                        row[12] = rollup_labels(lang).unreadable.to_string();
                        row[13] = p.text(lang);
                        row[14] = l.no.to_string();
                        w.write_record(row).map_err(err)?;
                    }
                }
            }
        }
        w.into_inner().map_err(|e| e.to_string())?;
        Ok(())
    }
}

/// The JSON roll-up: the sum's sections and `stations`, no detail rows.
pub(super) fn json(r: &Report, out: &mut dyn Write) -> Result<(), String> {
    #[derive(Serialize)]
    struct Json<'a> {
        heading: &'a Heading,
        period: &'a Period,
        /// The sum's: intact when every station read is.
        integrity: &'a Integrity,
        /// How many stations gave no figures.
        unreadable: usize,
        stations: &'a [StationRow],
        topics: &'a [String],
        by_topic: &'a [TopicRow],
        total: &'a TopicRow,
        by_kind: &'a Kinds,
        by_day: &'a [DayRow],
        accuracy: &'a Accuracy,
    }
    let mut bytes = serde_json::to_vec_pretty(&Json {
        heading: &r.heading,
        period: &r.period,
        integrity: &r.integrity,
        unreadable: r.stations.iter().filter(|s| s.unreadable.is_some()).count(),
        stations: &r.stations,
        topics: &r.topics,
        by_topic: &r.by_topic,
        total: &r.total,
        by_kind: &r.by_kind,
        by_day: &r.by_day,
        accuracy: &r.accuracy,
    })
    .map_err(|e| e.to_string())?;
    bytes.push(b'\n');
    out.write_all(&bytes).map_err(|e| e.to_string())
}
