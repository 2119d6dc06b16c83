//! A roll-up's own section (by station, each station's integrity and head
//! hash) in the text, HTML and xlsx summaries. Each renderer calls it right
//! after its header; it writes nothing for a single station's report.

use std::fmt::Write as _;

use rust_xlsxwriter::{Format, Worksheet, XlsxError};

use super::labels::{self, labels};
use super::rollup::StationRow;
use super::{Report, TopicRow};
use crate::escape::esc;
use crate::i18n::rollup::{broken_total, rollup_labels, unreadable_alert};

/// The section as terminal text: the alert, the table, the verdicts.
pub(super) fn text(r: &Report) -> String {
    if r.stations.is_empty() {
        return String::new();
    }
    let l = labels(r.lang);
    let rl = rollup_labels(r.lang);
    let mut out = String::new();
    if let Some(a) = alert(r) {
        let _ = writeln!(out, "\n!!! {a} !!!");
    }
    let _ = writeln!(out, "\n{} ({})", rl.by_station, r.stations.len());
    let mut header = vec![rl.station.to_string()];
    header.extend(l.topic_columns()[1..].iter().map(|c| c.to_string()));
    let rows: Vec<Vec<String>> = table(r)
        .into_iter()
        .map(|(name, cells, _)| {
            let mut row = vec![name];
            match cells {
                Some(c) => row.extend(c),
                None => row.push(rl.unreadable.to_string()),
            }
            row
        })
        .collect();
    let mut right = vec![true; header.len()];
    right[0] = false;
    out.push_str(&super::text::table(&header, &rows, &right));
    if let Some(note) = broken_note(r) {
        let _ = writeln!(out, "{note}");
    }
    let _ = writeln!(out, "\n{}", rl.integrity_each);
    for (name, verdict, head) in verdicts(r) {
        let _ = writeln!(out, "{name}: {verdict}");
        if !head.is_empty() {
            let _ = writeln!(out, "  {}: {head}", l.head);
        }
    }
    out
}

/// The section as HTML.
pub(super) fn html(o: &mut String, r: &Report) {
    if r.stations.is_empty() {
        return;
    }
    let l = labels(r.lang);
    let rl = rollup_labels(r.lang);
    if let Some(a) = alert(r) {
        let _ = writeln!(o, "<div class=\"alert\">✖ {}</div>", esc(&a));
    }
    let _ = writeln!(
        o,
        "<h2>{} ({})</h2>\n<table class=\"stations\">\n<thead><tr><th>{}</th>",
        esc(rl.by_station),
        r.stations.len(),
        esc(rl.station)
    );
    for h in &l.topic_columns()[1..] {
        let _ = write!(o, "<th>{}</th>", esc(h));
    }
    o.push_str("</tr></thead>\n<tbody>\n");
    let stations = r.stations.iter().map(Some).chain([None]);
    for ((name, cells, total), s) in table(r).into_iter().zip(stations) {
        let flagged = match s {
            Some(s) => s.unreadable.is_some() || s.broken(),
            None => any_broken(r),
        };
        let class = match (total, flagged) {
            (true, true) => " class=\"total unverified\"",
            (true, false) => " class=\"total\"",
            (false, true) => " class=\"unverified\"",
            _ => "",
        };
        let _ = write!(o, "<tr{class}><td>{}</td>", esc(&name));
        match cells {
            Some(c) => {
                for cell in c {
                    let _ = write!(o, "<td class=\"n\">{}</td>", esc(&cell));
                }
            }
            None => {
                let _ = write!(o, "<td colspan=\"8\"><b>{}</b></td>", esc(rl.unreadable));
            }
        }
        o.push_str("</tr>\n");
    }
    o.push_str("</tbody>\n</table>\n");
    if let Some(note) = broken_note(r) {
        let _ = writeln!(o, "<p class=\"alert\">{}</p>", esc(&note));
    }
    let _ = writeln!(
        o,
        "<h2>{}</h2>\n<dl class=\"head\">",
        esc(rl.integrity_each)
    );
    for (name, verdict, head) in verdicts(r) {
        let _ = write!(o, "<dt>{}</dt><dd>{}", esc(&name), esc(&verdict));
        if !head.is_empty() {
            let _ = write!(o, "<br><span class=\"hash\">{}</span>", esc(&head));
        }
        o.push_str("</dd>\n");
    }
    o.push_str("</dl>\n");
}

/// The looks the xlsx summary sheet uses, lent to the section.
pub(super) struct Looks<'a> {
    pub bold: &'a Format,
    pub head: &'a Format,
    pub cell: &'a Format,
    pub flagged: &'a Format,
    pub alert: &'a Format,
}

/// The section on the xlsx summary sheet from `row`; returns the next free row.
pub(super) fn xlsx(
    ws: &mut Worksheet,
    r: &Report,
    mut row: u32,
    s: Looks,
) -> Result<u32, XlsxError> {
    if r.stations.is_empty() {
        return Ok(row);
    }
    let l = labels(r.lang);
    let rl = rollup_labels(r.lang);
    row += 1;
    if let Some(a) = alert(r) {
        ws.write_string_with_format(row, 0, &a, s.alert)?;
        row += 2;
    }
    ws.write_string_with_format(row, 0, rl.by_station, s.bold)?;
    row += 1;
    ws.write_string_with_format(row, 0, rl.station, s.head)?;
    for (c, h) in l.topic_columns()[1..].iter().enumerate() {
        ws.write_string_with_format(row, c as u16 + 1, *h, s.head)?;
    }
    row += 1;
    let stations = r.stations.iter().map(Some).chain([None]);
    for ((name, cells, _), st) in table(r).into_iter().zip(stations) {
        let flagged = match st {
            Some(s) => s.unreadable.is_some() || s.broken(),
            None => any_broken(r),
        };
        ws.write_string_with_format(row, 0, &name, if flagged { s.flagged } else { s.cell })?;
        match (cells, st.map_or(&r.total, |s| &s.total)) {
            (Some(_), t) => {
                for (c, n) in t.counts().iter().enumerate() {
                    ws.write_number_with_format(row, c as u16 + 1, *n as f64, s.cell)?;
                }
                match t.completion_pct {
                    Some(p) => ws.write_number_with_format(row, 7, p, s.cell)?,
                    None => ws.write_string_with_format(row, 7, "–", s.cell)?,
                };
                ws.write_number_with_format(row, 8, t.minutes, s.cell)?;
            }
            _ => {
                ws.write_string_with_format(row, 1, rl.unreadable, s.flagged)?;
            }
        }
        row += 1;
    }
    if let Some(note) = broken_note(r) {
        ws.write_string_with_format(row, 0, &note, s.alert)?;
        row += 1;
    }
    row += 1;
    ws.write_string_with_format(row, 0, rl.integrity_each, s.bold)?;
    row += 1;
    for (name, verdict, head) in verdicts(r) {
        ws.write_string_with_format(row, 0, &name, s.bold)?;
        ws.write_string(row, 1, &verdict)?;
        row += 1;
        if !head.is_empty() {
            ws.write_string(row, 0, l.head)?;
            ws.write_string(row, 1, &head)?;
            row += 1;
        }
    }
    ws.write_string(row + 1, 0, rl.detail_note)?;
    Ok(row + 2)
}

/// In a roll-up, what the detail section says instead of rows.
pub(super) fn detail_note(r: &Report) -> Option<&'static str> {
    (!r.stations.is_empty()).then(|| rollup_labels(r.lang).detail_note)
}

/// The alert above the figures when stations could not be read.
pub(super) fn alert(r: &Report) -> Option<String> {
    let names: Vec<&str> = r
        .stations
        .iter()
        .filter(|s| s.unreadable.is_some())
        .map(|s| s.station.as_str())
        .collect();
    (!names.is_empty()).then(|| unreadable_alert(r.lang, names.len(), &names.join(", ")))
}

/// Whether any station's figures in the sum rest on a broken chain.
pub(super) fn any_broken(r: &Report) -> bool {
    r.stations.iter().any(StationRow::broken)
}

/// The note under the by-station table when the total holds figures a
/// broken chain does not vouch for.
fn broken_note(r: &Report) -> Option<String> {
    let names: Vec<&str> = r
        .stations
        .iter()
        .filter(|s| s.broken())
        .map(|s| s.station.as_str())
        .collect();
    (!names.is_empty()).then(|| broken_total(r.lang, names.len(), &names.join(", ")))
}

/// The by-station table's rows, the sum last: the name (flagged), then the
/// cells of [`Labels::topic_columns`](labels::Labels::topic_columns) after
/// the first; an unreadable station's cells say so.
pub(super) fn table(r: &Report) -> Vec<(String, Option<[String; 8]>, bool)> {
    let mut rows: Vec<(String, Option<[String; 8]>, bool)> = r
        .stations
        .iter()
        .map(|s| {
            let flag = if s.unreadable.is_some() {
                " ✖"
            } else if s.broken() {
                " ⚠"
            } else {
                ""
            };
            let cells = s.unreadable.is_none().then(|| cells(&s.total));
            (s.station.clone() + flag, cells, false)
        })
        .collect();
    let mark = if any_broken(r) { " ⚠" } else { "" };
    rows.push((r.total.topic.clone() + mark, Some(cells(&r.total)), true));
    rows
}

fn cells(t: &TopicRow) -> [String; 8] {
    let c = t.counts();
    [
        c[0].to_string(),
        c[1].to_string(),
        c[2].to_string(),
        c[3].to_string(),
        c[4].to_string(),
        c[5].to_string(),
        t.completion_text(),
        format!("{:.2}", t.minutes),
    ]
}

/// Each station's integrity in words, and its head hash (empty when
/// unreadable).
pub(super) fn verdicts(r: &Report) -> Vec<(String, String, String)> {
    let l = labels::labels(r.lang);
    r.stations
        .iter()
        .map(|s| {
            let verdict = match (&s.integrity, &s.unreadable) {
                (_, Some(p)) => format!("{}: {}", rollup_labels(r.lang).unreadable, p.text(r.lang)),
                (Some(i), None) if i.intact => format!("{} ({} {})", l.intact, i.lines, l.lines),
                (Some(i), None) => format!(
                    "{}. {}",
                    l.broken,
                    labels::broken_note(
                        r.lang,
                        i.first_fault.as_deref().unwrap_or("?"),
                        i.first_problem.as_deref().unwrap_or(""),
                        i.unverified,
                        s.total.due
                    )
                ),
                (None, None) => String::new(),
            };
            let head = s
                .integrity
                .as_ref()
                .map(|i| i.head.clone())
                .unwrap_or_default();
            (s.station.clone(), verdict, head)
        })
        .collect()
}
