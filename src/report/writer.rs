//! Writing a report: everything before the detail rows, then the rows one
//! at a time, in any of the five formats.

use std::borrow::Cow;
use std::io::Write;

use serde::Serialize;

use super::cells::cells;
use super::{
    Accuracy, DayRow, Format, Heading, Integrity, Kinds, OccRow, Period, Report, TopicRow, csv,
    html, labels, text, xlsx,
};

impl Report {
    /// One occurrence's cells for people, in
    /// [`Labels::detail_columns`](labels::Labels::detail_columns) order,
    /// the date written with `date_format`.
    pub fn detail_cells<'o>(&self, o: &'o OccRow, date_format: &str) -> [Cow<'o, str>; 14] {
        cells(self.lang, o, date_format)
    }

    /// The signature block: who signs, the note under it, and the name
    /// from `config.yaml` (the checker's line is left to fill by hand).
    pub fn signatures(&self) -> [(&'static str, &'static str, &str); 3] {
        let l = labels::labels(self.lang);
        [
            (l.signers[0], l.sign_note, self.heading.prepared_by.as_str()),
            (l.signers[1], l.sign_note, ""),
            (l.signers[2], l.seal_note, self.heading.approved_by.as_str()),
        ]
    }

    /// Renders the report in `format`, its rows from `occurrences`.
    pub fn render(&self, format: Format) -> Result<Vec<u8>, String> {
        let mut widths = [0; 14];
        if format == Format::Text {
            for o in &self.occurrences {
                self.widen(&mut widths, o);
            }
        }
        let mut buf = Vec::new();
        let mut w = self.writer(format, &mut buf, &widths)?;
        for o in &self.occurrences {
            w.row(self, o)?;
        }
        if let Some(mut book) = w.end(self)? {
            buf = book.save_to_buffer().map_err(|e| e.to_string())?;
        }
        Ok(buf)
    }

    /// Widens `widths` to one row's cells in the text table.
    pub fn widen(&self, widths: &mut [usize; 14], o: &OccRow) {
        for (w, c) in widths.iter_mut().zip(self.detail_cells(o, text::DATE)) {
            *w = (*w).max(c.chars().count());
        }
    }

    /// Writes everything before the detail rows to `out` and returns the
    /// writer for the rows. `widths` are the text table's, from
    /// [`Report::widen`] over every row to come.
    pub fn writer<'w>(
        &self,
        format: Format,
        out: &'w mut dyn Write,
        widths: &[usize; 14],
    ) -> Result<Writer<'w>, String> {
        let io = |e: std::io::Error| e.to_string();
        Ok(match format {
            Format::Text => {
                let widths = text::widths(self, widths);
                out.write_all(text::head(self, &widths).as_bytes())
                    .map_err(io)?;
                Writer::Text { out, widths }
            }
            Format::Csv => Writer::Csv(Box::new(csv::head(self, out)?)),
            Format::Html => {
                out.write_all(html::head(self).as_bytes()).map_err(io)?;
                Writer::Html(out)
            }
            Format::Json => {
                json_head(self, out)?;
                Writer::Json {
                    out,
                    first: true,
                    buf: Vec::new(),
                }
            }
            Format::Xlsx => Writer::Xlsx(Box::new(xlsx::head(self)?)),
        })
    }
}

/// A report being written: what comes before the detail rows is out, the
/// rows go one at a time, in order, then [`Writer::end`].
pub enum Writer<'w> {
    Text {
        out: &'w mut dyn Write,
        widths: Vec<usize>,
    },
    Csv(Box<::csv::Writer<&'w mut dyn Write>>),
    Html(&'w mut dyn Write),
    Json {
        out: &'w mut dyn Write,
        first: bool,
        /// One row's JSON, its room reused.
        buf: Vec<u8>,
    },
    Xlsx(Box<xlsx::Book>),
}

impl Writer<'_> {
    /// Writes one detail row.
    pub fn row(&mut self, r: &Report, o: &OccRow) -> Result<(), String> {
        let io = |e: std::io::Error| e.to_string();
        match self {
            Writer::Text { out, widths } => out
                .write_all(text::row(r, widths, o).as_bytes())
                .map_err(io),
            Writer::Csv(w) => csv::row(r, w, o),
            Writer::Html(out) => out.write_all(html::row(r, o).as_bytes()).map_err(io),
            Writer::Json { out, first, buf } => {
                buf.clear();
                buf.extend_from_slice(if *first { b"[\n" } else { b",\n" });
                *first = false;
                let at = buf.len();
                serde_json::to_writer_pretty(&mut *buf, o).map_err(|e| e.to_string())?;
                // An element of the array at the second level: its lines
                // indented by four more spaces (strings hold no newline).
                let (head, one) = buf.split_at(at);
                out.write_all(head).map_err(io)?;
                for (k, line) in one.split(|b| *b == b'\n').enumerate() {
                    out.write_all(if k > 0 { b"\n    " } else { b"    " })
                        .map_err(io)?;
                    out.write_all(line).map_err(io)?;
                }
                Ok(())
            }
            Writer::Xlsx(b) => b.row(r, o).map_err(|e| e.to_string()),
        }
    }

    /// Writes what follows the rows. An xlsx workbook is returned to be
    /// saved where it goes.
    pub fn end(self, r: &Report) -> Result<Option<rust_xlsxwriter::Workbook>, String> {
        let io = |e: std::io::Error| e.to_string();
        match self {
            Writer::Text { out, .. } => out.write_all(text::tail(r).as_bytes()).map_err(io)?,
            Writer::Csv(w) => {
                w.into_inner().map_err(|e| e.to_string())?;
            }
            Writer::Html(out) => out.write_all(html::tail(r).as_bytes()).map_err(io)?,
            Writer::Json { out, first, .. } => {
                let end: &[u8] = if first { b"[]\n}\n" } else { b"\n  ]\n}\n" };
                out.write_all(end).map_err(io)?;
            }
            Writer::Xlsx(b) => return b.end(r).map(Some).map_err(|e| e.to_string()),
        }
        Ok(None)
    }
}

/// The JSON report up to its `occurrences` array: the shape of
/// `serde_json::to_vec_pretty(report)`, the array written by [`Writer`].
fn json_head(r: &Report, out: &mut dyn Write) -> Result<(), String> {
    #[derive(Serialize)]
    struct Head<'a> {
        heading: &'a Heading,
        period: &'a Period,
        integrity: &'a Integrity,
        topics: &'a [String],
        by_topic: &'a [TopicRow],
        total: &'a TopicRow,
        by_kind: &'a Kinds,
        by_day: &'a [DayRow],
        accuracy: &'a Accuracy,
        occurrences: [u8; 0],
    }
    let head = serde_json::to_vec_pretty(&Head {
        heading: &r.heading,
        period: &r.period,
        integrity: &r.integrity,
        topics: &r.topics,
        by_topic: &r.by_topic,
        total: &r.total,
        by_kind: &r.by_kind,
        by_day: &r.by_day,
        accuracy: &r.accuracy,
        occurrences: [],
    })
    .map_err(|e| e.to_string())?;
    let head = head.strip_suffix(b"[]\n}").unwrap_or(&head);
    out.write_all(head).map_err(|e| e.to_string())
}
