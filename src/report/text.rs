//! The terminal table.

use std::fmt::Write as _;

use super::labels::{self, labels};
use super::{OccRow, Report};

/// Columns padded to their widest cell; numbers right-aligned.
fn table(header: &[String], rows: &[Vec<String>], right: &[bool]) -> String {
    let mut widths: Vec<usize> = header.iter().map(|h| h.chars().count()).collect();
    for r in rows {
        for (k, c) in r.iter().enumerate() {
            widths[k] = widths[k].max(c.chars().count());
        }
    }
    let mut out = table_head(header, &widths, right);
    for r in rows {
        out.push_str(&line(r, &widths, right));
    }
    out
}

/// The header line and the rule under it.
fn table_head(header: &[String], widths: &[usize], right: &[bool]) -> String {
    let mut out = line(header, widths, right);
    let rule: usize = widths.iter().sum::<usize>() + 2 * widths.len().saturating_sub(1);
    out.push_str(&"─".repeat(rule));
    out.push('\n');
    out
}

/// One line of a table, each cell padded to its column's width.
fn line(r: &[String], widths: &[usize], right: &[bool]) -> String {
    let mut s = String::new();
    for (k, c) in r.iter().enumerate() {
        let pad = " ".repeat(
            widths
                .get(k)
                .copied()
                .unwrap_or(0)
                .saturating_sub(c.chars().count()),
        );
        if right.get(k).copied().unwrap_or(false) {
            let _ = write!(s, "{pad}{c}  ");
        } else {
            let _ = write!(s, "{c}{pad}  ");
        }
    }
    s.trim_end().to_string() + "\n"
}

/// The detail table's right-aligned columns: the duration.
const DETAIL_RIGHT: [bool; 14] = {
    let mut r = [false; 14];
    r[4] = true;
    r
};

/// The detail table's widths: its header's and the rows' (`rows`).
pub(super) fn widths(r: &Report, rows: &[usize; 14]) -> Vec<usize> {
    labels(r.lang)
        .detail_columns()
        .iter()
        .zip(rows)
        .map(|(h, w)| h.chars().count().max(*w))
        .collect()
}

/// Minutes, to the hundredth so the columns add up as printed.
fn num(x: f64) -> String {
    format!("{x:.2}")
}

fn opt_ms(x: Option<f64>) -> String {
    x.map(|v| format!("{v:.1} ms"))
        .unwrap_or_else(|| "-".into())
}

/// The header lines every text-like format shares.
pub(super) fn header_lines(r: &Report) -> Vec<(String, String)> {
    let l = labels(r.lang);
    let mut v = vec![
        (l.station.to_string(), r.heading.station.clone()),
        (l.period.to_string(), labels::period(r.lang, &r.period)),
        (l.recipient.to_string(), r.heading.recipient.clone()),
        (l.made_at.to_string(), r.heading.made_at.clone()),
    ];
    let i = &r.integrity;
    let verdict = if i.intact {
        format!("{} ({} {})", l.intact, i.lines, l.lines)
    } else {
        format!(
            "{}. {}",
            l.broken,
            labels::broken_note(
                r.lang,
                i.first_fault.as_deref().unwrap_or("?"),
                i.first_problem.as_deref().unwrap_or(""),
                i.unverified,
                r.rows
            )
        )
    };
    v.push((l.integrity.to_string(), verdict));
    v.push((l.head.to_string(), i.head.clone()));
    v
}

/// Everything before the detail rows; `widths` from [`widths`].
pub(super) fn head(r: &Report, widths: &[usize]) -> String {
    let l = labels(r.lang);
    let mut out = format!("{}\n\n", l.title);
    let head = header_lines(r);
    let w = head
        .iter()
        .map(|(k, _)| k.chars().count())
        .max()
        .unwrap_or(0);
    for (k, v) in &head {
        let _ = writeln!(out, "{k}{}  {v}", " ".repeat(w - k.chars().count()));
    }
    if !r.integrity.intact {
        let _ = writeln!(out, "\n!!! {} !!!", l.broken);
    }

    let _ = writeln!(out, "\n{}", l.by_topic);
    let header: Vec<String> = l.topic_columns().map(str::to_string).to_vec();
    let rows: Vec<Vec<String>> = r
        .by_topic
        .iter()
        .chain(std::iter::once(&r.total))
        .map(|t| {
            let name = t.topic.clone() + if t.unverified > 0 { " ⚠" } else { "" };
            std::iter::once(name)
                .chain(t.counts().iter().map(usize::to_string))
                .chain([t.completion_text(), num(t.minutes)])
                .collect()
        })
        .collect();
    let mut right = vec![true; header.len()];
    right[0] = false;
    out.push_str(&table(&header, &rows, &right));
    if r.by_kind.mixed() {
        let k = &r.by_kind;
        let _ = writeln!(
            out,
            "\n{}: {} {} · {} {} · {} {}",
            l.by_kind,
            l.kind_recorded,
            num(k.recorded),
            l.kind_spoken,
            num(k.spoken),
            l.kind_relayed,
            num(k.relayed)
        );
    }

    let _ = writeln!(out, "\n{}", l.by_day);
    let mut header = vec![l.date.to_string()];
    header.extend(r.topics.iter().cloned());
    header.push(l.total.to_string());
    let rows: Vec<Vec<String>> = r
        .by_day
        .iter()
        .map(|d| {
            let mut row = vec![format!(
                "{} {}",
                d.date.format("%Y-%m-%d"),
                labels::weekday(r.lang, d.date)
            )];
            row.extend(d.minutes.iter().map(|m| num(*m)));
            row.push(num(d.total));
            row
        })
        .collect();
    let mut right = vec![true; header.len()];
    right[0] = false;
    out.push_str(&table(&header, &rows, &right));

    let a = &r.accuracy;
    let _ = writeln!(
        out,
        "\n{}\n{}: {}   {}: {}   {}: {}   {}: {}",
        l.accuracy,
        l.count,
        a.count,
        l.median,
        opt_ms(a.median_ms),
        l.p95,
        opt_ms(a.p95_ms),
        l.worst,
        opt_ms(a.worst_ms)
    );

    let _ = writeln!(out, "\n{}", l.detail);
    if r.rows == 0 {
        let _ = writeln!(out, "{}", l.nothing);
    } else {
        let header: Vec<String> = l.detail_columns().map(str::to_string).to_vec();
        out.push_str(&table_head(&header, widths, &DETAIL_RIGHT));
    }
    out
}

/// One detail row.
pub(super) fn row(r: &Report, widths: &[usize], o: &OccRow) -> String {
    line(&r.detail_cells(o, "%Y-%m-%d"), widths, &DETAIL_RIGHT)
}

/// The signatures after the rows.
pub(super) fn tail(r: &Report) -> String {
    let mut out = String::from("\n");
    for (who, note, name) in r.signatures() {
        let _ = writeln!(out, "{}", format!("{who} {note}: {name}").trim_end());
    }
    out
}
