//! The HTML report's chart: minutes a day by topic as stacked bars, drawn
//! as inline SVG with an axis in round steps.

use std::fmt::Write as _;

use super::html::PALETTE;
use super::labels::labels;
use super::{Report, fixed};
use crate::escape::esc;

/// The stacked bar chart of minutes per day by topic.
pub(super) fn chart(o: &mut String, r: &Report) {
    let l = labels(r.lang);
    let (w, h) = (720.0_f64, 260.0_f64);
    let (left, right, top, bottom) = (44.0, 8.0, 10.0, 34.0);
    let n = r.by_day.len().max(1) as f64;
    let max = r.by_day.iter().map(|d| d.total).fold(0.0_f64, f64::max);
    let ticks = ticks(max);
    let ymax = ticks.last().map_or(1.0, |t| t.0);
    let plot_w = w - left - right;
    let plot_h = h - top - bottom;
    let slot = plot_w / n;
    let bar = (slot * 0.72).max(0.6);
    let _ = writeln!(
        o,
        "<svg class=\"chart\" viewBox=\"0 0 {w} {h}\" role=\"img\" aria-label=\"{}\">",
        esc(l.chart)
    );
    let _ = writeln!(o, "<title>{}</title>", esc(l.chart));
    // Grid and y axis.
    for (y, label) in &ticks {
        let py = top + plot_h - y / ymax * plot_h;
        let _ = writeln!(
            o,
            "<line x1=\"{left}\" x2=\"{}\" y1=\"{py:.1}\" y2=\"{py:.1}\" stroke=\"#ccc\" stroke-width=\"0.6\"/><text x=\"{}\" y=\"{:.1}\" font-size=\"9\" text-anchor=\"end\">{}</text>",
            w - right,
            left - 4.0,
            py + 3.0,
            label
        );
    }
    let _ = writeln!(
        o,
        "<text x=\"4\" y=\"{}\" font-size=\"9\">{}</text>",
        top + 4.0,
        esc(l.chart_axis)
    );
    // Bars, each day's topics stacked bottom-up in topic order.
    let label_every = (r.by_day.len() as f64 / 16.0).ceil().max(1.0) as usize;
    for (k, d) in r.by_day.iter().enumerate() {
        let x = left + slot * k as f64 + (slot - bar) / 2.0;
        let mut base = top + plot_h;
        for (t, m) in d.minutes.iter().enumerate() {
            if *m <= 0.0 {
                continue;
            }
            let bh = m / ymax * plot_h;
            base -= bh;
            let _ = writeln!(
                o,
                "<rect x=\"{x:.2}\" y=\"{base:.2}\" width=\"{bar:.2}\" height=\"{bh:.2}\" fill=\"{}\"><title>{} {}: {} {}</title></rect>",
                PALETTE[t % PALETTE.len()],
                d.date.format("%d/%m"),
                esc(r.topics.get(t).map(String::as_str).unwrap_or("")),
                fixed(*m, 1),
                esc(l.chart_axis)
            );
        }
        let first_of_month = chrono::Datelike::day(&d.date) == 1;
        let show = if r.by_day.len() > 62 {
            first_of_month
        } else {
            k % label_every == 0
        };
        if show {
            let _ = writeln!(
                o,
                "<text x=\"{:.1}\" y=\"{}\" font-size=\"9\" text-anchor=\"middle\">{}</text>",
                x + bar / 2.0,
                h - bottom + 14.0,
                d.date.format("%d/%m")
            );
        }
    }
    let _ = writeln!(
        o,
        "<line x1=\"{left}\" x2=\"{}\" y1=\"{}\" y2=\"{}\" stroke=\"#000\" stroke-width=\"0.8\"/>",
        w - right,
        top + plot_h,
        top + plot_h
    );
    o.push_str("</svg>\n<div class=\"legend\">");
    for (t, name) in r.topics.iter().enumerate() {
        let _ = write!(
            o,
            "<span><i style=\"background:{}\"></i>{}</span>",
            PALETTE[t % PALETTE.len()],
            esc(name)
        );
    }
    o.push_str("</div>\n");
}

/// A round step for about five grid lines up to `max`.
pub(super) fn nice_step(max: f64) -> f64 {
    if max <= 0.0 {
        return 1.0;
    }
    let raw = max / 5.0;
    let mag = 10f64.powf(raw.log10().floor());
    let f = raw / mag;
    let nice = if f <= 1.0 {
        1.0
    } else if f <= 2.0 {
        2.0
    } else if f <= 5.0 {
        5.0
    } else {
        10.0
    };
    nice * mag
}

/// The y axis's grid lines from 0 to the first round step at or above
/// `max`, each with its label: as many decimals as the step needs, so the
/// labels stay distinct at any scale (a busiest day of 20 seconds has
/// steps of 0.05 minutes, not five lines all reading "0.0").
pub(super) fn ticks(max: f64) -> Vec<(f64, String)> {
    let step = nice_step(max);
    let count = (max / step).ceil().max(1.0) as u32;
    let digits = (-step.log10() - 1e-6).ceil().max(0.0) as usize;
    (0..=count)
        .map(|k| {
            let y = f64::from(k) * step;
            (y, fixed(y, digits))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn axis_labels_are_distinct_and_reach_the_busiest_day_at_any_scale() {
        for max in [
            0.0, 0.01, 0.03, 0.05, 0.3, 0.9, 1.0, 7.5, 45.0, 300.0, 1234.5,
        ] {
            let t = ticks(max);
            let labels: Vec<&str> = t.iter().map(|(_, l)| l.as_str()).collect();
            let mut unique = labels.clone();
            unique.dedup();
            assert_eq!(unique, labels, "{max}: {labels:?}");
            assert!(t.len() >= 2 && t.len() <= 12, "{max}: {labels:?}");
            assert!(t.last().is_some_and(|(y, _)| *y >= max), "{max}: {t:?}");
            assert_eq!(
                labels[0].trim_end_matches(['0', '.']),
                "",
                "{max}: {labels:?}"
            );
        }
        let t = ticks(0.05);
        assert_eq!(t[1].1, "0.01");
        let t = ticks(45.0);
        assert_eq!(t[1].1, "10");
    }
}
