//! CSV: one row per occurrence, UTF-8 with a byte-order mark so that Excel
//! and LibreOffice read the Vietnamese diacritics right.

use super::labels::labels;
use super::{OccRow, Report};

const BOM: &[u8] = b"\xEF\xBB\xBF";

/// The detail columns that hold text from a schedule (broadcast, topic,
/// output, audio and spoken text), as numbered by `detail_columns`.
pub(super) const TEXT_COLUMNS: [usize; 4] = [5, 6, 7, 9];

/// A text cell a spreadsheet will not take for a formula: one that starts
/// with `=`, `+`, `-`, `@`, a tab or a carriage return (what Excel and
/// LibreOffice read as the start of one, a door to "CSV injection") gets a
/// leading apostrophe, which they show as text and do not print.
pub(super) fn not_formula(s: &str) -> std::borrow::Cow<'_, str> {
    match s.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => format!("'{s}").into(),
        _ => s.into(),
    }
}

/// The byte-order mark and the header row.
pub(super) fn head<'w>(
    r: &Report,
    out: &'w mut dyn std::io::Write,
) -> Result<csv::Writer<&'w mut dyn std::io::Write>, String> {
    let l = labels(r.lang);
    out.write_all(BOM).map_err(|e| e.to_string())?;
    let mut w = csv::Writer::from_writer(out);
    let mut header = l.detail_columns().to_vec();
    header.push("id");
    header.push(l.clock_synced);
    w.write_record(header).map_err(|e| e.to_string())?;
    Ok(w)
}

pub(super) fn row(
    r: &Report,
    w: &mut csv::Writer<&mut dyn std::io::Write>,
    o: &OccRow,
) -> Result<(), String> {
    let cells = r.detail_cells(o, "%Y-%m-%d");
    let l = labels(r.lang);
    let clock = match o.clock_synced() {
        Some(true) => l.yes,
        Some(false) => l.no,
        None => "",
    };
    let err = |e: csv::Error| e.to_string();
    for (i, c) in cells.iter().enumerate() {
        match TEXT_COLUMNS.contains(&i) {
            true => w.write_field(not_formula(c).as_bytes()),
            false => w.write_field(c.as_bytes()),
        }
        .map_err(err)?;
    }
    w.write_field(not_formula(&o.id).as_bytes()).map_err(err)?;
    w.write_field(clock).map_err(err)?;
    // An empty record ends the row.
    w.write_record(None::<&[u8]>).map_err(err)
}
