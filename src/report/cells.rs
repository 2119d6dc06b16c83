//! One occurrence's cells as people read them, in the detail table's
//! column order.

use std::borrow::Cow;

use chrono::NaiveDate;

use super::{OccRow, fixed, labels};
use crate::i18n::Lang;

/// A date in `format`; the two forms the reports use written by hand
/// (chrono parses its pattern at every call: a tenth of a text report).
pub(super) fn date_cell(d: NaiveDate, format: &str) -> String {
    use chrono::Datelike as _;
    let (y, m, day) = (d.year(), d.month(), d.day());
    if !(1000..=9999).contains(&y) {
        return d.format(format).to_string();
    }
    let two = |n: u32| [b'0' + (n / 10) as u8, b'0' + (n % 10) as u8];
    let y = y as u32;
    let year = [
        b'0' + (y / 1000) as u8,
        b'0' + (y / 100 % 10) as u8,
        b'0' + (y / 10 % 10) as u8,
        b'0' + (y % 10) as u8,
    ];
    let mut s = Vec::with_capacity(10);
    match format {
        "%d/%m/%Y" => {
            s.extend(two(day));
            s.push(b'/');
            s.extend(two(m));
            s.push(b'/');
            s.extend(year);
        }
        "%Y-%m-%d" => {
            s.extend(year);
            s.push(b'-');
            s.extend(two(m));
            s.push(b'-');
            s.extend(two(day));
        }
        _ => return d.format(format).to_string(),
    }
    String::from_utf8(s).unwrap_or_else(|_| d.format(format).to_string())
}

/// One occurrence's cells for people; see [`super::Report::detail_cells`].
pub(super) fn cells<'o>(lang: Lang, o: &'o OccRow, date_format: &str) -> [Cow<'o, str>; 14] {
    let l = labels::labels(lang);
    let joined = |v: &'o [String]| match v {
        [one] => Cow::Borrowed(one.as_str()),
        _ => Cow::Owned(v.join("; ")),
    };
    // Names, paths and texts were made visible as the log was read
    // (gather::note); a newer version's reason word is shown as written,
    // so it is the one cell still to guard against a terminal escape.
    let shown = |c: Cow<'o, str>| match c {
        Cow::Borrowed(s) => crate::chars::visible(s),
        Cow::Owned(s) => match crate::chars::visible(&s) {
            Cow::Borrowed(_) => Cow::Owned(s),
            Cow::Owned(v) => Cow::Owned(v),
        },
    };
    [
        Cow::Owned(date_cell(o.date, date_format)),
        Cow::Borrowed(o.scheduled.as_str()),
        Cow::Borrowed(o.started.as_deref().unwrap_or_default()),
        Cow::Borrowed(o.ended.as_deref().unwrap_or_default()),
        Cow::Owned(fixed(o.played_s, 1)),
        Cow::Borrowed(o.broadcast.as_str()),
        Cow::Borrowed(o.topic.as_str()),
        Cow::Borrowed(o.output.as_str()),
        Cow::Borrowed(labels::priority(lang, o.priority)),
        joined(&o.audio),
        joined(&o.audio_hash),
        Cow::Borrowed(labels::outcome(lang, o.outcome)),
        shown(
            o.reason
                .as_ref()
                .map(|x| labels::reason(lang, x))
                .unwrap_or_default(),
        ),
        Cow::Borrowed(if o.verified { l.yes } else { l.no }),
    ]
}
