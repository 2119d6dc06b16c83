//! `index.html`: self-contained (no external assets), readable on a phone:
//! inline CSS, cards rather than a wide table, long words allowed to break.

use std::fmt::Write as _;

use chrono::NaiveDate;

use super::{Copy, Site, url_path};
use crate::escape::esc;
use crate::i18n::PageWords;

const STYLE: &str = "*{box-sizing:border-box}\
body{margin:0 auto;max-width:46rem;padding:1rem;font:16px/1.5 system-ui,-apple-system,'Segoe UI',Roboto,Arial,sans-serif;color:#1b1b1b;background:#fff;overflow-wrap:anywhere}\
header{border-bottom:3px solid #b3261e;margin-bottom:1rem}\
h1{font-size:1.4rem;margin:.2rem 0;color:#b3261e}h2{font-size:1.2rem;margin:1.5rem 0 .5rem}\
h3{font-size:1rem;margin:1rem 0 .4rem;color:#444}\
ul{list-style:none;margin:0;padding:0}\
.card{border:1px solid #ddd;border-radius:.5rem;padding:.6rem .8rem;margin:.4rem 0;background:#fafafa}\
.off{background:#f3f3f3;color:#666}.off b{text-decoration:line-through}\
.time{font-weight:700;font-variant-numeric:tabular-nums;margin-right:.5rem}\
.meta{display:block;font-size:.9rem;color:#555}\
.note{display:block;font-size:.9rem;color:#8a4b00}\
blockquote{margin:.4rem 0;padding:.3rem .6rem;border-left:3px solid #b3261e;background:#fff;white-space:pre-line}\
audio{width:100%;margin-top:.3rem}\
a{color:#0b57d0}\
footer{margin-top:2rem;border-top:1px solid #ddd;font-size:.85rem;color:#555}\
code{font-size:.85rem;word-break:break-all}";

/// The page, whole.
pub fn render(s: &Site) -> String {
    let w = PageWords::new(s.lang);
    let now = s.now.with_timezone(&s.tz);
    let made = format!("{}, {}", now.format("%H:%M"), w.date(now.date_naive()));
    let mut h = String::new();
    let _ = write!(
        h,
        "<!DOCTYPE html>\n<html lang=\"{}\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>{}</title>\n\
         <link rel=\"alternate\" type=\"application/rss+xml\" href=\"feed.xml\" title=\"{}\">\n\
         <style>{STYLE}</style>\n</head>\n<body>\n<header>\n<h1>{}</h1>\n<p>{}<br>{}</p>\n\
         <p><a href=\"feed.xml\">{}</a></p>\n</header>\n<main>\n",
        w.html_lang(),
        esc(s.station),
        esc(s.station),
        esc(s.station),
        w.subtitle(),
        esc(&w.made_at(&made)),
        w.feed_link(),
    );
    coming(&mut h, s, &w);
    aired(&mut h, s, &w);
    let _ = write!(
        h,
        "</main>\n<footer>\n<p>{} {} <code>loa log verify</code>.</p>\n",
        esc(&w.footer_source(s.lines)),
        w.footer_verify()
    );
    if let Some(head) = s.head {
        let _ = writeln!(h, "<p>{}: <code>{}</code></p>", w.footer_head(), esc(head));
    }
    if s.skipped > 0 {
        let _ = writeln!(h, "<p>{}</p>", esc(&w.footer_skipped(s.skipped)));
    }
    h.push_str("</footer>\n</body>\n</html>\n");
    h
}

fn coming(h: &mut String, s: &Site, w: &PageWords) {
    let _ = writeln!(h, "<section id=\"coming\">\n<h2>{}</h2>", w.coming());
    if s.coming.is_empty() {
        let _ = writeln!(h, "<p>{}</p>", w.nothing_coming());
    }
    let mut day: Option<NaiveDate> = None;
    for c in s.coming {
        let d = c.local.date_naive();
        if day != Some(d) {
            if day.is_some() {
                h.push_str("</ul>\n");
            }
            let _ = writeln!(h, "<h3>{}</h3>\n<ul>", esc(&w.date(d)));
            day = Some(d);
        }
        let class = if c.sounds { "card" } else { "card off" };
        let _ = write!(
            h,
            "<li class=\"{class}\"><span class=\"time\">{}</span><b>{}</b>\
             <span class=\"meta\">{}: {}",
            c.local.format("%H:%M"),
            esc(&c.broadcast),
            w.topic(),
            esc(&c.topic)
        );
        if s.several {
            let _ = write!(h, " · {}: {}", w.output(), esc(&c.output));
        }
        h.push_str("</span>");
        if !c.sounds {
            let _ = write!(h, "<span class=\"note\">{}</span>", w.will_not_sound());
        }
        for n in &c.notes {
            let _ = write!(h, "<span class=\"note\">{}</span>", esc(n));
        }
        h.push_str("</li>\n");
    }
    if day.is_some() {
        h.push_str("</ul>\n");
    }
    h.push_str("</section>\n");
}

fn aired(h: &mut String, s: &Site, w: &PageWords) {
    let _ = writeln!(
        h,
        "<section id=\"aired\">\n<h2>{}</h2>",
        esc(&w.aired(s.weeks))
    );
    if s.items.is_empty() {
        let _ = writeln!(h, "<p>{}</p>", w.nothing_aired());
    }
    let mut day: Option<NaiveDate> = None;
    for it in s.items {
        let at = it.a.at.with_timezone(&s.tz);
        let d = at.date_naive();
        if day != Some(d) {
            if day.is_some() {
                h.push_str("</ul>\n");
            }
            let _ = writeln!(h, "<h3>{}</h3>\n<ul>", esc(&w.date(d)));
            day = Some(d);
        }
        let _ = write!(
            h,
            "<li class=\"card\" id=\"{}\"><span class=\"time\">{}</span><b>{}</b>\
             <span class=\"meta\">{}: {}",
            esc(&anchor(&it.a.id, it.a.attempt)),
            at.format("%H:%M"),
            esc(&it.a.broadcast),
            w.topic(),
            esc(&it.a.topic)
        );
        if s.several
            && let Some(o) = &it.a.output
        {
            let _ = write!(h, " · {}: {}", w.output(), esc(o));
        }
        h.push_str("</span>");
        if it.a.outcome == Some(crate::kinds::Outcome::Interrupted) {
            let played = crate::units::format_duration(std::time::Duration::from_secs_f64(
                it.a.played_s.max(0.0),
            ));
            let _ = write!(
                h,
                "<span class=\"note\">{}</span>",
                esc(&w.interrupted(&played))
            );
        }
        for p in &it.pieces {
            if let Some(t) = &p.text {
                let _ = write!(
                    h,
                    "<blockquote><span class=\"meta\">{}:</span>{}</blockquote>",
                    w.spoken(),
                    esc(t)
                );
            }
            match &p.copy {
                Copy::At { rel, bytes, mime } => {
                    let href = esc(&url_path(rel));
                    let _ = write!(
                        h,
                        "<audio controls preload=\"none\"><source src=\"{href}\" type=\"{mime}\"></audio>\
                         <a href=\"{href}\" download>{} ({})</a>",
                        w.download(),
                        size(*bytes)
                    );
                }
                Copy::Changed => {
                    let _ = write!(
                        h,
                        "<span class=\"note\">{}</span>",
                        esc(&w.changed(&p.path))
                    );
                }
                Copy::Missing if p.text.is_none() => {
                    let _ = write!(
                        h,
                        "<span class=\"note\">{}</span>",
                        esc(&w.missing(&p.path))
                    );
                }
                Copy::Missing => {}
            }
        }
        h.push_str("</li>\n");
    }
    if day.is_some() {
        h.push_str("</ul>\n");
    }
    h.push_str("</section>\n");
}

/// An HTML id for one attempt.
fn anchor(id: &str, attempt: u32) -> String {
    format!(
        "a{}-{attempt}",
        &crate::hash::sha256_hex(id.as_bytes())[..12]
    )
}

fn size(bytes: u64) -> String {
    if bytes >= 1024 * 1024 {
        format!("{:.1} MB", bytes as f64 / (1024.0 * 1024.0))
    } else {
        format!("{} kB", bytes.div_ceil(1024))
    }
}
