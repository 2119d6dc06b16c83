//! The terminal table.

use std::fmt::Write as _;

use super::labels::{self, labels};
use super::{OccRow, Report, fixed};

/// Columns padded to their widest cell; numbers right-aligned.
pub(super) fn table(header: &[String], rows: &[Vec<String>], right: &[bool]) -> String {
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
fn line<S: AsRef<str>>(r: &[S], widths: &[usize], right: &[bool]) -> String {
    let width: usize = widths.iter().sum::<usize>() + 2 * r.len() + 1;
    let mut s = String::with_capacity(width + r.iter().map(|c| c.as_ref().len()).sum::<usize>());
    let spaces = |s: &mut String, n: usize| s.extend(std::iter::repeat_n(' ', n));
    for (k, c) in r.iter().enumerate() {
        let c = c.as_ref();
        let pad = widths
            .get(k)
            .copied()
            .unwrap_or(0)
            .saturating_sub(c.chars().count());
        if right.get(k).copied().unwrap_or(false) {
            spaces(&mut s, pad);
            s.push_str(c);
        } else {
            s.push_str(c);
            spaces(&mut s, pad);
        }
        s.push_str("  ");
    }
    s.truncate(s.trim_end().len());
    s.push('\n');
    s
}

/// Dates in the text tables, as people write them.
pub(super) const DATE: &str = "%d/%m/%Y";

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
    fixed(x, 2)
}

fn opt_ms(x: Option<f64>) -> String {
    x.map(|v| format!("{} ms", fixed(v, 1)))
        .unwrap_or_else(|| "-".into())
}

/// The header lines every text-like format shares.
pub(super) fn header_lines(r: &Report) -> Vec<(String, String)> {
    let l = labels(r.lang);
    let mut v = vec![
        (l.station.to_string(), r.heading.station.clone()),
        (l.period.to_string(), labels::period(r.lang, &r.period)),
        (l.recipient.to_string(), r.heading.recipient.clone()),
        (
            l.made_at.to_string(),
            labels::made_at(r.lang, &r.heading.made_at),
        ),
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
    v.push((
        l.clock.to_string(),
        labels::clock_note(
            r.lang,
            i.synced_starts,
            i.unsynced_starts,
            i.unrecorded_clock_starts,
        ),
    ));
    v.push((l.head.to_string(), i.head.clone()));
    v
}

/// The two columns above the title, as on an administrative document:
/// the issuing body and the document number on the left, the national
/// name and motto and the date line on the right, the number and the date
/// on one line.
pub(super) fn letterhead(r: &Report) -> (Vec<String>, Vec<String>) {
    let l = labels(r.lang);
    let made = chrono::DateTime::parse_from_rfc3339(&r.heading.made_at)
        .map(|t| t.date_naive())
        .unwrap_or_default();
    let station = r.heading.station.to_uppercase();
    let left = vec![station, String::new(), l.doc_number.to_string()];
    let right = vec![
        l.nation[0].to_string(),
        l.nation[1].to_string(),
        labels::date_line(r.lang, &r.heading.place, made),
    ];
    (left, right)
}

/// [`letterhead`] laid out for a terminal: each column centred on its
/// widest line, a rule under the body's name and under the motto; and the
/// width of the whole, to centre the title on.
fn letterhead_text(r: &Report) -> (String, usize) {
    let (mut left, mut right) = letterhead(r);
    let width = |v: &[String]| v.iter().map(|x| x.chars().count()).max().unwrap_or(0);
    let rule = |w: usize| "─".repeat(w);
    left[1] = rule(width(&left[..1]) / 3);
    if !right[1].is_empty() {
        right.insert(2, rule(right[1].chars().count()));
        left.insert(2, String::new());
    }
    let (lw, rw) = (width(&left), width(&right));
    let centre = |x: &str, w: usize| {
        let n = x.chars().count();
        let before = (w.saturating_sub(n)) / 2;
        format!("{}{x}{}", " ".repeat(before), " ".repeat(w - n - before))
    };
    let mut out = String::new();
    for (a, b) in left.iter().zip(&right) {
        let line = format!("{}    {}", centre(a, lw), centre(b, rw));
        let _ = writeln!(out, "{}", line.trim_end());
    }
    (out, lw + 4 + rw)
}

/// Everything before the detail rows; `widths` from [`widths`].
pub(super) fn head(r: &Report, widths: &[usize]) -> String {
    let l = labels(r.lang);
    let (mut out, width) = letterhead_text(r);
    let pad = width.saturating_sub(l.title.chars().count()) / 2;
    let _ = writeln!(out, "\n{}{}\n", " ".repeat(pad), l.title);
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
    out.push_str(&super::rollup_view::text(r));

    let _ = writeln!(out, "\n{}", l.by_topic);
    let relayed = r.total.relayed_minutes > 0.0;
    let mut header: Vec<String> = l.topic_columns().map(str::to_string).to_vec();
    if relayed {
        header.push(l.relayed_minutes.to_string());
    }
    let rows: Vec<Vec<String>> = r
        .by_topic
        .iter()
        .chain(std::iter::once(&r.total))
        .map(|t| {
            let name = t.topic.clone() + if t.unverified > 0 { " ⚠" } else { "" };
            std::iter::once(name)
                .chain(t.counts().iter().map(usize::to_string))
                .chain([t.completion_text(), num(t.minutes)])
                .chain(relayed.then(|| num(t.relayed_minutes)))
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
            "\n{}: {} {} · {} {} · {} {}{}",
            l.by_kind,
            l.kind_recorded,
            num(k.recorded),
            l.kind_spoken,
            num(k.spoken),
            l.kind_relayed,
            num(k.relayed),
            if k.relayed > 0.0 {
                format!(" ({} {})", l.kind_received, num(k.relayed_received))
            } else {
                String::new()
            }
        );
    }

    let _ = writeln!(out, "\n{}", l.by_day);
    let mut header = vec![l.date.to_string()];
    header.extend(r.topics.iter().cloned());
    header.push(l.total.to_string());
    if relayed {
        header.push(l.relayed_minutes.to_string());
    }
    let limited = r.heading.limits.any();
    if limited {
        header.push(l.sessions.to_string());
        header.push(l.limits.to_string());
    }
    let rows: Vec<Vec<String>> = r
        .by_day
        .iter()
        .map(|d| {
            let mut row = vec![format!(
                "{} {}",
                labels::weekday(r.lang, d.date),
                d.date.format(DATE)
            )];
            row.extend(d.minutes.iter().map(|m| num(*m)));
            row.push(num(d.total));
            if relayed {
                row.push(num(d.relayed));
            }
            if limited {
                row.push(d.sessions.unwrap_or(0).to_string());
                let broken = d.limits_broken.as_deref().unwrap_or_default();
                row.push(labels::limits_cell(r.lang, broken));
            }
            row
        })
        .collect();
    let mut right = vec![true; header.len()];
    right[0] = false;
    if limited {
        right[header.len() - 1] = false;
    }
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
    if let Some(note) = super::rollup_view::detail_note(r) {
        let _ = writeln!(out, "{note}");
    } else if r.rows == 0 {
        let _ = writeln!(out, "{}", l.nothing);
    } else {
        let header: Vec<String> = l.detail_columns().map(str::to_string).to_vec();
        out.push_str(&table_head(&header, widths, &DETAIL_RIGHT));
    }
    out
}

/// One detail row.
pub(super) fn row(r: &Report, widths: &[usize], o: &OccRow) -> String {
    line(&r.detail_cells(o, DATE), widths, &DETAIL_RIGHT)
}

/// The signatures after the rows: three columns side by side, as on a
/// signed paper report, with room to sign above each name.
pub(super) fn tail(r: &Report) -> String {
    let signs = r.signatures();
    let w = signs
        .iter()
        .flat_map(|(who, note, name)| {
            [
                who.chars().count(),
                note.chars().count(),
                name.chars().count(),
            ]
        })
        .max()
        .unwrap_or(0);
    let centre = |x: &str| {
        let n = x.chars().count();
        let before = (w - n) / 2;
        format!("{}{x}{}", " ".repeat(before), " ".repeat(w - n - before))
    };
    let row = |cells: [&str; 3]| {
        let line: Vec<String> = cells.iter().map(|c| centre(c)).collect();
        line.join("    ").trim_end().to_string() + "\n"
    };
    let mut out = String::from("\n");
    out.push_str(&row(signs.map(|s| s.0)));
    out.push_str(&row(signs.map(|s| s.1)));
    out.push_str("\n\n\n");
    out.push_str(&row(signs.map(|s| s.2)));
    out
}
