//! CSV: one row per occurrence, UTF-8 with a byte-order mark so that Excel
//! and LibreOffice read the Vietnamese diacritics right.

use super::Report;
use super::labels::{self, labels};

const BOM: &[u8] = b"\xEF\xBB\xBF";

pub fn render(r: &Report) -> Result<Vec<u8>, String> {
    let l = labels(r.lang);
    let mut w = csv::Writer::from_writer(BOM.to_vec());
    let err = |e: csv::Error| e.to_string();
    w.write_record([
        l.date,
        l.scheduled,
        l.started,
        l.ended,
        l.duration_s,
        l.broadcast,
        l.topic,
        l.priority,
        l.audio,
        l.hash,
        l.outcome,
        l.reason,
        l.verified,
        "id",
    ])
    .map_err(err)?;
    for o in &r.occurrences {
        w.write_record([
            o.date.to_string(),
            o.scheduled.clone(),
            o.started.clone().unwrap_or_default(),
            o.ended.clone().unwrap_or_default(),
            format!("{:.3}", o.played_s),
            o.broadcast.clone(),
            o.topic.clone(),
            labels::priority(r.lang, &o.priority),
            o.audio.join("; "),
            o.audio_hash.join("; "),
            labels::outcome(r.lang, &o.outcome),
            o.reason
                .as_deref()
                .map(|x| labels::reason(r.lang, x))
                .unwrap_or_default(),
            if o.verified { l.yes } else { l.no }.to_string(),
            o.id.clone(),
        ])
        .map_err(err)?;
    }
    w.into_inner().map_err(|e| e.to_string())
}
