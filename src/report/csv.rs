//! CSV: one row per occurrence, UTF-8 with a byte-order mark so that Excel
//! and LibreOffice read the Vietnamese diacritics right.

use super::labels::labels;
use super::{OccRow, Report};

const BOM: &[u8] = b"\xEF\xBB\xBF";

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
    let row = cells
        .iter()
        .map(String::as_str)
        .chain([o.id.as_str(), clock]);
    w.write_record(row).map_err(|e| e.to_string())
}
