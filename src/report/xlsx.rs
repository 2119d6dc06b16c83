//! XLSX: a summary sheet (header, per topic, per day, start accuracy,
//! signature block) and a detail sheet with one row per occurrence.

use rust_xlsxwriter::{
    Color, Format, FormatAlign, FormatBorder, FormatUnderline, Workbook, Worksheet, XlsxError,
};

use super::labels::{self, labels};
use super::{OccRow, Report, shown};

/// A4 in the paper-size numbering of the OOXML standard.
const A4: u8 = 9;

struct Styles {
    title: Format,
    bold: Format,
    head: Format,
    cell: Format,
    num: Format,
    pct: Format,
    alert: Format,
    flagged: Format,
    /// The detail sheet's date and time columns, plain and flagged, by
    /// column (0 to 3): real dates and times, shown the Vietnamese way.
    when: [Format; 4],
    flagged_when: [Format; 4],
    center: Format,
    italic: Format,
    middle: Format,
    motto: Format,
}

/// How the detail sheet shows its first four columns: the date, the
/// scheduled time, the first sample (to the millisecond) and the end.
const WHEN_FORMATS: [&str; 4] = ["dd/mm/yyyy", "hh:mm:ss", "hh:mm:ss.000", "hh:mm:ss"];

fn styles() -> Styles {
    let cell = Format::new().set_border(FormatBorder::Thin);
    let flagged = cell.clone().set_background_color(Color::RGB(0xFDE8E8));
    let when = |base: &Format| WHEN_FORMATS.map(|f| base.clone().set_num_format(f));
    Styles {
        when: when(&cell),
        flagged_when: when(&flagged),
        title: Format::new()
            .set_bold()
            .set_font_size(14)
            .set_align(FormatAlign::Center),
        bold: Format::new().set_bold(),
        head: cell
            .clone()
            .set_bold()
            .set_background_color(Color::RGB(0xEEEEEE))
            .set_text_wrap(),
        num: cell.clone().set_num_format("0.00"),
        pct: cell.clone().set_num_format("0.0\" %\""),
        flagged,
        cell,
        alert: Format::new()
            .set_bold()
            .set_font_color(Color::RGB(0xB00000)),
        center: Format::new().set_align(FormatAlign::Center).set_bold(),
        italic: Format::new().set_align(FormatAlign::Center).set_italic(),
        middle: Format::new().set_align(FormatAlign::Center),
        motto: Format::new()
            .set_align(FormatAlign::Center)
            .set_bold()
            .set_underline(FormatUnderline::Single),
    }
}

/// A workbook whose detail sheet takes rows one at a time, in
/// rust_xlsxwriter's constant-memory mode (each row goes to a temporary
/// file once the next begins).
///
/// Speed (issue 14): rust_xlsxwriter finds a cell's format by hashing the
/// whole `Format` (SipHash over every font, border and fill field), which
/// was a quarter of a year's xlsx report. While the detail rows are
/// written, each column therefore carries the bordered `cell` format, and a
/// verified row's cells are written without a format of their own: the
/// crate gives such a cell its column's format when it writes the row out,
/// the same style index an explicit format gives. The column formats are
/// taken back before the workbook is saved, so the `<cols>` element is
/// unchanged; the last row is written with explicit formats because the
/// crate writes it out only when the workbook is saved. Empty cells and
/// flagged rows keep an explicit format (an unformatted empty string
/// writes no cell at all).
pub struct Book {
    wb: Workbook,
    s: Styles,
    next: u32,
}

/// The summary sheet and the detail sheet's header.
pub(super) fn head(r: &Report) -> Result<Book, String> {
    let err = |e: XlsxError| e.to_string();
    let s = styles();
    let mut wb = Workbook::new();
    // Level 1 deflate: a year's detail sheet saves in a third of the time
    // of the default level 6, for a file about a fifth larger.
    wb.set_zip_compression_level(1);
    summary(wb.add_worksheet(), r, &s).map_err(err)?;
    let ws = wb.add_worksheet_with_constant_memory().map_err(err)?;
    detail(ws, r, &s).map_err(err)?;
    // After `detail` set each column's width: a column that has options
    // takes only the style index, not the format itself (see `Book`).
    for c in 0..labels(r.lang).detail_columns().len() as u16 {
        let f = s.when.get(usize::from(c)).unwrap_or(&s.cell);
        ws.set_column_format(c, f).map_err(err)?;
    }
    Ok(Book { wb, s, next: 1 })
}

impl Book {
    pub(super) fn row(&mut self, r: &Report, o: &OccRow) -> Result<(), XlsxError> {
        let ws = self.wb.worksheet_from_index(1)?;
        let row = self.next;
        self.next += 1;
        let f = if o.verified {
            &self.s.cell
        } else {
            &self.s.flagged
        };
        // The column's format stands in for `cell` (see `Book`).
        let plain = o.verified && (row as usize) < r.rows;
        let when = when_of(o);
        for (c, cell) in r.detail_cells(o, "%d/%m/%Y").into_iter().enumerate() {
            // Dates and times are real ones, to sort and filter by; the
            // duration stays a number, to add up.
            let number = match c {
                0..4 => when[c],
                4 => Some(o.played_s),
                _ => None,
            };
            let f = match (o.verified, c) {
                (true, 0..4) => &self.s.when[c],
                (false, 0..4) => &self.s.flagged_when[c],
                _ => f,
            };
            let c = c as u16;
            match (number, plain) {
                (Some(n), true) => ws.write_number(row, c, n)?,
                (Some(n), false) => ws.write_number_with_format(row, c, n, f)?,
                (None, true) if !cell.is_empty() => ws.write_string(row, c, cell)?,
                (None, _) => ws.write_string_with_format(row, c, cell, f)?,
            };
        }
        Ok(())
    }

    /// The workbook, to be saved.
    pub(super) fn end(mut self, r: &Report) -> Result<Workbook, XlsxError> {
        let ws = self.wb.worksheet_from_index(1)?;
        let cols = labels(r.lang).detail_columns().len() as u16;
        // Style index 0 again: `<cols>` as if no column format was set.
        for c in 0..cols {
            ws.set_column_format(c, &Format::default())?;
        }
        if r.rows > 0 && r.stations.is_empty() {
            ws.autofilter(0, 0, r.rows as u32, cols - 1)?;
        }
        Ok(self.wb)
    }
}

/// The first four detail columns as spreadsheet serial numbers: the date
/// as days since 1899-12-30 (the epoch Excel and LibreOffice share), the
/// times as a fraction of a day. None where the row has no such time.
fn when_of(o: &OccRow) -> [Option<f64>; 4] {
    let epoch = chrono::NaiveDate::from_ymd_opt(1899, 12, 30);
    let date = epoch.map(|e| (o.date - e).num_days() as f64);
    let time = |t: Option<&str>| {
        let t = chrono::NaiveTime::parse_from_str(t?, "%H:%M:%S%.f").ok()?;
        let since = t - chrono::NaiveTime::MIN;
        Some(since.num_milliseconds() as f64 / 86_400_000.0)
    };
    [
        date,
        time(Some(&o.scheduled)),
        time(o.started.as_deref()),
        time(o.ended.as_deref()),
    ]
}

fn summary(ws: &mut Worksheet, r: &Report, s: &Styles) -> Result<(), XlsxError> {
    let l = labels(r.lang);
    ws.set_name(l.summary_sheet)?;
    ws.set_paper_size(A4);
    ws.set_column_width(0, 30)?;
    for c in 1..=10u16 {
        ws.set_column_width(c, 12)?;
    }
    // The letterhead: body and number over columns A–C, the national
    // name, motto and date line over E–I.
    let (left, right) = super::text::letterhead(r);
    ws.merge_range(0, 0, 0, 2, &left[0], &s.center)?;
    ws.merge_range(2, 0, 2, 2, &left[2], &s.middle)?;
    if !right[0].is_empty() {
        ws.merge_range(0, 4, 0, 8, &right[0], &s.center)?;
        ws.merge_range(1, 4, 1, 8, &right[1], &s.motto)?;
    }
    ws.merge_range(2, 4, 2, 8, &right[2], &s.italic)?;
    ws.merge_range(4, 0, 4, 8, l.title, &s.title)?;
    let mut row = 6u32;
    for (k, v) in super::text::header_lines(r) {
        ws.write_string_with_format(row, 0, &k, &s.bold)?;
        let unsynced = r.integrity.unsynced_starts > 0 && k == l.clock;
        if (!r.integrity.intact && k == l.integrity) || unsynced {
            ws.write_string_with_format(row, 1, &v, &s.alert)?;
        } else {
            ws.write_string(row, 1, &v)?;
        }
        row += 1;
    }
    let looks = super::rollup_view::Looks {
        bold: &s.bold,
        head: &s.head,
        cell: &s.cell,
        flagged: &s.flagged,
        alert: &s.alert,
    };
    row = super::rollup_view::xlsx(ws, r, row, looks)?;

    row += 1;
    ws.write_string_with_format(row, 0, l.by_topic, &s.bold)?;
    row += 1;
    let head = l.topic_columns();
    for (c, h) in head.iter().enumerate() {
        ws.write_string_with_format(row, c as u16, *h, &s.head)?;
    }
    let relayed = r.total.relayed_minutes > 0.0;
    if relayed {
        ws.write_string_with_format(row, head.len() as u16, l.relayed_minutes, &s.head)?;
    }
    row += 1;
    for t in r.by_topic.iter().chain(std::iter::once(&r.total)) {
        let name_fmt = if t.unverified > 0 {
            &s.flagged
        } else {
            &s.cell
        };
        ws.write_string_with_format(row, 0, &t.topic, name_fmt)?;
        for (c, n) in t.counts().iter().enumerate() {
            ws.write_number_with_format(row, c as u16 + 1, *n as f64, &s.cell)?;
        }
        match t.completion_pct {
            Some(p) => ws.write_number_with_format(row, 7, shown(p, 1), &s.pct)?,
            None => ws.write_string_with_format(row, 7, "–", &s.cell)?,
        };
        ws.write_number_with_format(row, 8, shown(t.minutes, 2), &s.num)?;
        if relayed {
            ws.write_number_with_format(row, 9, shown(t.relayed_minutes, 2), &s.num)?;
        }
        row += 1;
    }
    if r.by_kind.mixed() {
        row += 1;
        ws.write_string_with_format(row, 0, l.by_kind, &s.bold)?;
        row += 1;
        let k = &r.by_kind;
        for (name, m) in [
            (l.kind_recorded, k.recorded),
            (l.kind_spoken, k.spoken),
            (l.kind_relayed, k.relayed),
        ] {
            ws.write_string_with_format(row, 0, name, &s.cell)?;
            ws.write_number_with_format(row, 8, shown(m, 2), &s.num)?;
            row += 1;
        }
        if k.relayed > 0.0 {
            ws.write_string_with_format(row, 0, l.kind_received, &s.cell)?;
            ws.write_number_with_format(row, 8, shown(k.relayed_received, 2), &s.num)?;
            row += 1;
        }
    }

    row += 1;
    ws.write_string_with_format(row, 0, l.by_day, &s.bold)?;
    row += 1;
    ws.write_string_with_format(row, 0, l.date, &s.head)?;
    for (c, t) in r.topics.iter().enumerate() {
        ws.write_string_with_format(row, c as u16 + 1, t, &s.head)?;
    }
    let total_col = r.topics.len() as u16 + 1;
    ws.write_string_with_format(row, total_col, l.total, &s.head)?;
    // The relayed minutes, when anything was relayed, right of the total.
    let rc = u16::from(relayed);
    if relayed {
        ws.write_string_with_format(row, total_col + 1, l.relayed_minutes, &s.head)?;
    }
    let limited = r.heading.limits.any();
    if limited {
        ws.write_string_with_format(row, total_col + rc + 1, l.sessions, &s.head)?;
        ws.write_string_with_format(row, total_col + rc + 2, l.limits, &s.head)?;
    }
    row += 1;
    for d in &r.by_day {
        let broken = d.limits_broken.as_deref().unwrap_or_default();
        let f = if broken.is_empty() {
            &s.cell
        } else {
            &s.flagged
        };
        ws.write_string_with_format(row, 0, d.date.format("%d/%m/%Y").to_string(), f)?;
        for (c, m) in d.minutes.iter().enumerate() {
            ws.write_number_with_format(row, c as u16 + 1, shown(*m, 2), &s.num)?;
        }
        ws.write_number_with_format(row, total_col, shown(d.total, 2), &s.num)?;
        if relayed {
            ws.write_number_with_format(row, total_col + 1, shown(d.relayed, 2), &s.num)?;
        }
        if limited {
            let sessions = f64::from(d.sessions.unwrap_or(0));
            ws.write_number_with_format(row, total_col + rc + 1, sessions, &s.cell)?;
            ws.write_string_with_format(
                row,
                total_col + rc + 2,
                labels::limits_cell(r.lang, broken),
                f,
            )?;
        }
        row += 1;
    }

    row += 1;
    ws.write_string_with_format(row, 0, l.accuracy, &s.bold)?;
    row += 1;
    let a = &r.accuracy;
    for (c, h) in [l.count, l.median, l.p95, l.worst].iter().enumerate() {
        ws.write_string_with_format(row, c as u16, *h, &s.head)?;
    }
    row += 1;
    ws.write_number_with_format(row, 0, a.count as f64, &s.cell)?;
    for (c, v) in [a.median_ms, a.p95_ms, a.worst_ms].iter().enumerate() {
        match v {
            Some(v) => ws.write_number_with_format(row, c as u16 + 1, shown(*v, 2), &s.num)?,
            None => ws.write_string_with_format(row, c as u16 + 1, "–", &s.cell)?,
        };
    }

    row += 3;
    for (k, (who, note, name)) in r.signatures().into_iter().enumerate() {
        let col = k as u16 * 3;
        ws.merge_range(row, col, row, col + 2, who, &s.center)?;
        ws.merge_range(
            row + 1,
            col,
            row + 1,
            col + 2,
            note,
            &Format::new().set_align(FormatAlign::Center).set_italic(),
        )?;
        if !name.is_empty() {
            ws.merge_range(row + 6, col, row + 6, col + 2, name, &s.center)?;
        }
    }
    Ok(())
}

fn detail(ws: &mut Worksheet, r: &Report, s: &Styles) -> Result<(), XlsxError> {
    let l = labels(r.lang);
    ws.set_name(l.detail_sheet)?;
    ws.set_paper_size(A4);
    ws.set_landscape();
    let head = l.detail_columns();
    let widths: [f64; 14] = [
        11.0, 9.0, 13.0, 9.0, 10.0, 40.0, 14.0, 12.0, 11.0, 34.0, 14.0, 14.0, 22.0, 10.0,
    ];
    for (c, (h, w)) in head.iter().zip(widths).enumerate() {
        ws.write_string_with_format(0, c as u16, *h, &s.head)?;
        ws.set_column_width(c as u16, w)?;
    }
    ws.set_freeze_panes(1, 0)?;
    ws.set_repeat_rows(0, 0)?;
    Ok(())
}
