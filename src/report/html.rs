//! HTML: one self-contained file that prints on A4, with the minutes aired
//! per day drawn as an inline SVG stacked bar chart. No external assets: it
//! opens the same on a machine with no network, years later.

use std::fmt::Write as _;

use super::html_chart::chart;
use super::labels::{self, labels};
use super::{OccRow, Report, fixed};
use crate::escape::{esc, esc_into};
use crate::i18n::Lang;

/// Topic colours, distinct in print and for common colour blindness.
pub(super) const PALETTE: [&str; 8] = [
    "#1b6ca8", "#e0812b", "#3a9a5b", "#c23b3b", "#7b5ea7", "#8c6d31", "#d16ba5", "#5f6b73",
];

const STYLE: &str = "
@page { size: A4; margin: 14mm 12mm; }
body { font-family: 'Times New Roman', 'DejaVu Serif', serif; font-size: 11pt; color: #000; margin: 0 auto; max-width: 190mm; }
h1 { font-size: 15pt; text-align: center; margin: 10px 0 4px; }
h2 { font-size: 12pt; margin: 16px 0 6px; border-bottom: 1px solid #000; }
.nation { display: flex; justify-content: space-between; text-align: center; font-size: 10pt; }
.nation > div { display: flex; flex-direction: column; align-items: center; }
.nation b { display: block; }
.nation hr { width: 40%; border: 0; border-top: 1px solid #000; margin: 2px auto 6px; }
.nation .motto { text-decoration: underline; text-underline-offset: 3px; }
.nation .date { font-style: italic; }
.nation .number { margin-top: auto; }
table { border-collapse: collapse; width: 100%; font-size: 9.5pt; }
th, td { border: 1px solid #555; padding: 2px 4px; vertical-align: top; }
th { background: #eee; }
thead { display: table-header-group; }
tr { page-break-inside: avoid; }
td.n { text-align: right; font-variant-numeric: tabular-nums; }
table.detail { font-size: 8pt; }
table.detail td { overflow-wrap: anywhere; }
/* Dates, times and hashes never break inside: the other cells give way. */
table.detail td.nw, td.nw { white-space: nowrap; overflow-wrap: normal; }
tr.broken td { background: #fde8e8; }
td.broken { color: #b00000; font-weight: bold; }
tr.total td { font-weight: bold; }
tr.unverified td { background: #fde8e8; }
dl.head { display: grid; grid-template-columns: max-content 1fr; gap: 2px 10px; margin: 8px 0; }
dl.head dt { font-weight: bold; }
dl.head dd { margin: 0; overflow-wrap: anywhere; }
.hash { font-family: 'DejaVu Sans Mono', monospace; font-size: 8.5pt; }
.alert { border: 3px solid #b00000; color: #b00000; padding: 8px 10px; margin: 10px 0; font-weight: bold; }
.ok { color: #1d6b33; font-weight: bold; }
.warn { color: #b00000; font-weight: bold; }
.chart { width: 100%; height: auto; }
.legend span { display: inline-block; margin-right: 14px; font-size: 9.5pt; }
.legend i { display: inline-block; width: 10px; height: 10px; margin-right: 4px; }
.sign { display: flex; justify-content: space-between; margin-top: 28px; text-align: center; page-break-inside: avoid; }
.sign div { width: 32%; min-height: 110px; }
.sign b { display: block; }
.sign em { display: block; font-size: 9.5pt; }
.sign .name { margin-top: 64px; font-weight: bold; }
";

/// Everything before the detail rows.
pub(super) fn head(r: &Report) -> String {
    let l = labels(r.lang);
    let lang = match r.lang {
        Lang::Vi => "vi",
        Lang::En => "en",
    };
    let mut o = String::with_capacity(4096 + r.by_day.len() * 400);
    let _ = write!(
        o,
        "<!DOCTYPE html>\n<html lang=\"{lang}\">\n<head>\n<meta charset=\"utf-8\">\n<title>{} – {} – {}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n",
        esc(l.title),
        esc(&r.heading.station),
        esc(&r.period.name)
    );
    letterhead(&mut o, r);
    let _ = writeln!(o, "<h1>{}</h1>", esc(l.title));
    header(&mut o, r);
    super::rollup_view::html(&mut o, r);
    topics(&mut o, r);
    if r.by_kind.mixed() {
        let k = &r.by_kind;
        let _ = writeln!(
            o,
            "<p class=\"kinds\"><b>{}:</b> {} {} · {} {} · {} {}{}</p>",
            esc(l.by_kind),
            esc(l.kind_recorded),
            fixed(k.recorded, 2),
            esc(l.kind_spoken),
            fixed(k.spoken, 2),
            esc(l.kind_relayed),
            fixed(k.relayed, 2),
            if k.relayed > 0.0 {
                format!(
                    " ({} {})",
                    esc(l.kind_received),
                    fixed(k.relayed_received, 2)
                )
            } else {
                String::new()
            }
        );
    }
    let _ = writeln!(o, "<h2>{}</h2>", esc(l.by_day));
    chart(&mut o, r);
    days(&mut o, r);
    accuracy(&mut o, r);
    detail(&mut o, r);
    o
}

/// The issuing body and the document number on the left, the national
/// name and motto and the date line on the right (see
/// [`super::text::letterhead`]).
fn letterhead(o: &mut String, r: &Report) {
    let (left, right) = super::text::letterhead(r);
    let _ = write!(
        o,
        "<div class=\"nation\"><div><b>{}</b><hr><span class=\"number\">{}</span></div><div>",
        esc(&left[0]),
        esc(&left[2])
    );
    if !right[0].is_empty() {
        let _ = write!(
            o,
            "<b>{}</b><b class=\"motto\">{}</b>",
            esc(&right[0]),
            esc(&right[1])
        );
    }
    let _ = writeln!(
        o,
        "<span class=\"date\">{}</span></div></div>",
        esc(&right[2])
    );
}

/// What follows the detail rows.
pub(super) fn tail(r: &Report) -> String {
    let mut o = String::new();
    // A roll-up counts its stations' rows but lists none.
    if r.rows > 0 && r.stations.is_empty() {
        o.push_str("</tbody>\n</table>\n");
    }
    sign(&mut o, r);
    o.push_str("</body>\n</html>\n");
    o
}

fn header(o: &mut String, r: &Report) {
    let l = labels(r.lang);
    let i = &r.integrity;
    if !i.intact {
        let _ = writeln!(
            o,
            "<div class=\"alert\">⚠ {}. {}</div>",
            esc(l.broken),
            esc(&labels::broken_note(
                r.lang,
                i.first_fault.as_deref().unwrap_or("?"),
                i.first_problem.as_deref().unwrap_or(""),
                i.unverified,
                r.rows
            ))
        );
    }
    o.push_str("<dl class=\"head\">\n");
    for (k, v) in super::text::header_lines(r) {
        let v = if k == l.head {
            format!("<span class=\"hash\">{}</span>", esc(&v))
        } else if k == l.integrity && i.intact {
            format!("<span class=\"ok\">✔ {}</span>", esc(&v))
        } else if k == l.clock && i.unsynced_starts > 0 {
            format!("<span class=\"warn\">⚠ {}</span>", esc(&v))
        } else {
            esc(&v)
        };
        let _ = writeln!(o, "<dt>{}</dt><dd>{v}</dd>", esc(&k));
    }
    o.push_str("</dl>\n");
}

fn topics(o: &mut String, r: &Report) {
    let l = labels(r.lang);
    let _ = writeln!(o, "<h2>{}</h2>\n<table>\n<thead><tr>", esc(l.by_topic));
    let relayed = r.total.relayed_minutes > 0.0;
    for h in l.topic_columns() {
        let _ = write!(o, "<th>{}</th>", esc(h));
    }
    if relayed {
        let _ = write!(o, "<th>{}</th>", esc(l.relayed_minutes));
    }
    o.push_str("</tr></thead>\n<tbody>\n");
    for (t, total) in r
        .by_topic
        .iter()
        .map(|t| (t, false))
        .chain(std::iter::once((&r.total, true)))
    {
        let class = match (total, t.unverified > 0) {
            (true, _) => " class=\"total\"",
            (false, true) => " class=\"unverified\"",
            _ => "",
        };
        let counts: String = t
            .counts()
            .iter()
            .map(|n| format!("<td class=\"n\">{n}</td>"))
            .collect();
        let relayed = match relayed {
            true => format!("<td class=\"n\">{}</td>", fixed(t.relayed_minutes, 2)),
            false => String::new(),
        };
        let _ = writeln!(
            o,
            "<tr{class}><td>{}</td>{counts}<td class=\"n\">{}</td><td class=\"n\">{}</td>{relayed}</tr>",
            esc(&t.topic),
            t.completion_text(),
            fixed(t.minutes, 2)
        );
    }
    o.push_str("</tbody>\n</table>\n");
}

fn days(o: &mut String, r: &Report) {
    let l = labels(r.lang);
    o.push_str("<table>\n<thead><tr>");
    let _ = write!(o, "<th>{}</th>", esc(l.date));
    for t in &r.topics {
        let _ = write!(o, "<th>{}</th>", esc(t));
    }
    let limited = r.heading.limits.any();
    let _ = write!(o, "<th>{}</th>", esc(l.total));
    let relayed = r.total.relayed_minutes > 0.0;
    if relayed {
        let _ = write!(o, "<th>{}</th>", esc(l.relayed_minutes));
    }
    if limited {
        let _ = write!(o, "<th>{}</th><th>{}</th>", esc(l.sessions), esc(l.limits));
    }
    o.push_str("</tr></thead>\n<tbody>\n");
    for d in &r.by_day {
        let broken = d.limits_broken.as_deref().unwrap_or_default();
        let _ = write!(
            o,
            "<tr{}><td class=\"nw\">{} {}</td>",
            if broken.is_empty() {
                ""
            } else {
                " class=\"broken\""
            },
            labels::weekday(r.lang, d.date),
            d.date.format("%d/%m/%Y")
        );
        for m in &d.minutes {
            let _ = write!(o, "<td class=\"n\">{}</td>", fixed(*m, 2));
        }
        let _ = write!(o, "<td class=\"n\">{}</td>", fixed(d.total, 2));
        if relayed {
            let _ = write!(o, "<td class=\"n\">{}</td>", fixed(d.relayed, 2));
        }
        if limited {
            let _ = write!(o, "<td class=\"n\">{}</td>", d.sessions.unwrap_or(0));
            let class = if broken.is_empty() {
                ""
            } else {
                " class=\"broken\""
            };
            let _ = write!(
                o,
                "<td{class}>{}</td>",
                esc(&labels::limits_cell(r.lang, broken))
            );
        }
        o.push_str("</tr>\n");
    }
    o.push_str("</tbody>\n</table>\n");
}

fn accuracy(o: &mut String, r: &Report) {
    let l = labels(r.lang);
    let a = &r.accuracy;
    let ms = |x: Option<f64>| {
        x.map(|v| format!("{} ms", fixed(v, 1)))
            .unwrap_or_else(|| "–".into())
    };
    let _ = writeln!(
        o,
        "<h2>{}</h2>\n<table><thead><tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th></tr></thead><tbody><tr><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td></tr></tbody></table>",
        esc(l.accuracy),
        esc(l.count),
        esc(l.median),
        esc(l.p95),
        esc(l.worst),
        a.count,
        ms(a.median_ms),
        ms(a.p95_ms),
        ms(a.worst_ms)
    );
}

fn detail(o: &mut String, r: &Report) {
    let l = labels(r.lang);
    let _ = writeln!(o, "<h2>{}</h2>", esc(l.detail));
    if let Some(note) = super::rollup_view::detail_note(r) {
        let _ = writeln!(o, "<p>{}</p>", esc(note));
        return;
    }
    if r.rows == 0 {
        let _ = writeln!(o, "<p>{}</p>", esc(l.nothing));
        return;
    }
    o.push_str("<table class=\"detail\">\n<thead><tr>");
    // Every column but "verified": an unverified row is shaded instead.
    for h in &l.detail_columns()[..13] {
        let _ = write!(o, "<th>{}</th>", esc(h));
    }
    o.push_str("</tr></thead>\n<tbody>\n");
}

/// One detail row.
pub(super) fn row(r: &Report, x: &OccRow) -> String {
    let mut o = String::with_capacity(512);
    let class = if x.verified {
        "<tr>"
    } else {
        "<tr class=\"unverified\">"
    };
    o.push_str(class);
    for (k, cell) in r.detail_cells(x, "%d/%m/%Y")[..13].iter().enumerate() {
        match k {
            0..=3 => o.push_str("<td class=\"nw\">"),
            4 => o.push_str("<td class=\"n\">"),
            10 => o.push_str("<td class=\"hash nw\">"),
            _ => o.push_str("<td>"),
        }
        if k == 10 {
            // One short hash a line: several files' hashes stack.
            for (i, h) in x.audio_hash.iter().enumerate() {
                if i > 0 {
                    o.push_str("<br>");
                }
                esc_into(&mut o, h);
            }
        } else {
            esc_into(&mut o, cell);
        }
        o.push_str("</td>");
    }
    o.push_str("</tr>\n");
    o
}

fn sign(o: &mut String, r: &Report) {
    o.push_str("<div class=\"sign\">\n");
    for (who, note, name) in r.signatures() {
        let _ = writeln!(
            o,
            "<div><b>{}</b><em>{}</em><div class=\"name\">{}</div></div>",
            esc(who),
            esc(note),
            esc(name)
        );
    }
    o.push_str("</div>\n");
}
