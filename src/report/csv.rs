//! CSV: one row per occurrence, UTF-8 with a byte-order mark so that Excel
//! and LibreOffice read the Vietnamese diacritics right.

use super::Report;
use super::labels::labels;

const BOM: &[u8] = b"\xEF\xBB\xBF";

pub fn render(r: &Report) -> Result<Vec<u8>, String> {
    let l = labels(r.lang);
    let mut w = csv::Writer::from_writer(BOM.to_vec());
    let err = |e: csv::Error| e.to_string();
    let mut header = l.detail_columns().to_vec();
    header.push("id");
    w.write_record(header).map_err(err)?;
    for o in &r.occurrences {
        let mut row = r.detail_cells(o, "%Y-%m-%d").to_vec();
        row.push(o.id.clone());
        w.write_record(row).map_err(err)?;
    }
    w.into_inner().map_err(|e| e.to_string())
}
