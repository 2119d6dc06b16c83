//! `feed.xml`: an RSS 2.0 podcast feed, one item per attempt that played,
//! its first published recording as the enclosure.

use std::fmt::Write as _;

use super::{Copy, Site, url_path};
use crate::escape::esc;
use crate::i18n::PageWords;

/// The feed, whole.
pub fn render(s: &Site) -> String {
    let w = PageWords::new(s.lang);
    let url = |rel: &str| format!("{}{}", s.base_url.unwrap_or(""), url_path(rel));
    let mut x = String::new();
    let _ = write!(
        x,
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\
         <rss version=\"2.0\">\n<channel>\n<title>{}</title>\n<link>{}</link>\n\
         <description>{}</description>\n<language>{}</language>\n\
         <lastBuildDate>{}</lastBuildDate>\n<generator>loa {}</generator>\n",
        esc(s.station),
        esc(&url("index.html")),
        esc(&w.feed_description(s.station)),
        w.html_lang(),
        s.now.with_timezone(&s.tz).to_rfc2822(),
        env!("CARGO_PKG_VERSION"),
    );
    for it in s
        .items
        .iter()
        .filter(|it| it.a.outcome == Some(crate::kinds::Outcome::Played))
    {
        let at = it.a.at.with_timezone(&s.tz);
        let title = format!(
            "{} ({} {})",
            it.a.broadcast,
            at.format("%H:%M"),
            at.format("%d/%m/%Y")
        );
        let mut desc = format!("{}: {}", w.topic(), it.a.topic);
        for p in &it.pieces {
            if let Some(t) = &p.text {
                let _ = write!(desc, "\n\n{}: {t}", w.spoken());
            }
            if p.copy == Copy::Changed {
                let _ = write!(desc, "\n\n{}", w.changed(&p.path));
            }
        }
        let _ = write!(
            x,
            "<item>\n<title>{}</title>\n<description>{}</description>\n<category>{}</category>\n\
             <pubDate>{}</pubDate>\n<guid isPermaLink=\"false\">{}</guid>\n",
            esc(&title),
            esc(&desc),
            esc(&it.a.topic),
            it.a.at.to_rfc2822(),
            esc(&format!("{}#{}", it.a.id, it.a.attempt)),
        );
        if let Some((rel, bytes, mime)) = it.pieces.iter().find_map(|p| match &p.copy {
            Copy::At { rel, bytes, mime } => Some((rel, bytes, mime)),
            _ => None,
        }) {
            let _ = writeln!(
                x,
                "<enclosure url=\"{}\" length=\"{bytes}\" type=\"{mime}\"/>",
                esc(&url(rel))
            );
        }
        x.push_str("</item>\n");
    }
    x.push_str("</channel>\n</rss>\n");
    x
}
