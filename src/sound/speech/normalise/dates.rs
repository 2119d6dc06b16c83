//! Dates and times of day written out in words, and the fractions and
//! counted nouns that tell a date from a quantity.

use super::Writer;
use super::codes::{digit_run, ends, value};
use crate::sound::speech::numbers::number;
pub(super) fn month_word(m: u64) -> String {
    if m == 4 { "tư".into() } else { number(m) }
}

/// A date: 5/12/2026, 05-12-2026, 5.12.2026, 5/12 (day and month),
/// 12/2026 (month and year), or 2026-12-05. "ngày" and "tháng" already
/// written before it are not said twice.
pub(super) fn date(chars: &[char], i: usize, w: &mut Writer) -> Option<usize> {
    let (a, e1) = digit_run(chars, i);
    let sep = *chars.get(e1)?;
    if !matches!(sep, '/' | '-' | '.') || !chars.get(e1 + 1)?.is_ascii_digit() {
        return None;
    }
    let (b, e2) = digit_run(chars, e1 + 1);
    let third = (chars.get(e2) == Some(&sep)
        && chars.get(e2 + 1).is_some_and(|c| c.is_ascii_digit()))
    .then(|| digit_run(chars, e2 + 1));
    let (d, m, y, end) = match third {
        Some((c, e3)) if a.len() == 4 && sep == '-' => (c, b, Some(a), e3),
        Some((c, e3)) if c.len() == 4 && a.len() <= 2 && b.len() <= 2 => (a, b, Some(c), e3),
        Some(_) => return None,
        // Two parts: only with a slash ("5/12", "12/2026").
        None if sep != '/' => return None,
        None if b.len() == 4 && a.len() <= 2 => {
            let m = value(&a)?;
            if !(1..=12).contains(&m) || !ends(chars, e2) {
                return None;
            }
            let said = w.last_word() == "tháng";
            let mut s = if said {
                String::new()
            } else {
                "tháng ".into()
            };
            s.push_str(&format!("{} năm {}", month_word(m), number(value(&b)?)));
            w.words(&s);
            return Some(e2);
        }
        None if a.len() <= 2 && b.len() <= 2 => {
            // A day/month is a date ("Tết Thiếu nhi 1/6"), unless a
            // quantity makes it a fraction: "3/4 số hộ", "giảm 2/3",
            // "chiếm 1/2 và 1/4". An impossible date ("0/5", "45/5") is
            // a fraction too, with b up to 10.
            let (n, d) = (value(&a)?, value(&b)?);
            let valid = (1..=31).contains(&n) && (1..=12).contains(&d);
            let fraction = if valid {
                (1..d).contains(&n)
                    && d <= 10
                    && !dated(w)
                    && (counted(chars, e2) || quantity(w) || w.listed(w.fraction_end))
            } else {
                (2..=10).contains(&d)
            };
            if fraction && ends(chars, e2) {
                let d = if d == 4 { "tư".into() } else { number(d) };
                w.words(&format!("{} phần {d}", number(n)));
                w.fraction_end = Some(w.out.len());
                return Some(e2);
            }
            (a, b, None, e2)
        }
        None => return None,
    };
    let (dv, mv) = (value(&d)?, value(&m)?);
    if !(1..=31).contains(&dv) || !(1..=12).contains(&mv) || !ends(chars, end) {
        return None;
    }
    // "mồng 1/5" is "mồng một tháng năm", not "mồng ngày một…".
    let mut s = if matches!(w.last_word().as_str(), "ngày" | "mồng" | "mùng") {
        String::new()
    } else {
        "ngày ".into()
    };
    s.push_str(&format!("{} tháng {}", number(dv), month_word(mv)));
    if let Some(y) = y {
        s.push_str(&format!(" năm {}", number(value(&y)?)));
    }
    w.words(&s);
    Some(end)
}

/// Nouns of quantity: "3/4 số hộ", "1/2 diện tích" are fractions.
pub(super) const FRACTION_NOUNS: &[&str] = &[
    "số",
    "diện tích",
    "dân số",
    "tổng",
    "lượng",
    "phần",
    "khối lượng",
    "hộ",
    "người",
    "trẻ",
];

/// Words of quantity before a number: "giảm 2/3", "chiếm 1/2".
pub(super) const FRACTION_WORDS: &[&str] = &[
    "chiếm", "khoảng", "gần", "hơn", "trên", "dưới", "giảm", "tăng", "đạt", "bằng", "còn", "mất",
];

/// Whether the last word written is one of [`FRACTION_WORDS`].
pub(super) fn quantity(w: &Writer) -> bool {
    let last = w.last_word();
    FRACTION_WORDS.contains(&last.trim_matches(|c: char| !c.is_alphanumeric()))
}

/// Whether a noun of quantity ([`FRACTION_NOUNS`]) follows the number
/// that ends at `end`.
pub(super) fn counted(chars: &[char], end: usize) -> bool {
    if chars.get(end) != Some(&' ') {
        return false;
    }
    let rest: String = chars[end + 1..]
        .iter()
        .take(24)
        .collect::<String>()
        .to_lowercase();
    FRACTION_NOUNS.iter().any(|n| {
        rest.strip_prefix(n)
            .is_some_and(|after| after.chars().next().is_none_or(|c| !c.is_alphanumeric()))
    })
}

/// Words after which a day/month ("5/6") is a date, not a fraction:
/// "Quốc khánh 2/9", "lễ 1/5", "kỷ niệm 3/2" too.
pub(super) const DATE_WORDS: &[&str] = &[
    "ngày", "hôm", "mùng", "mồng", "sáng", "trưa", "chiều", "tối", "đêm", "từ", "đến", "tới",
    "hạn", "trước", "sau", "vào", "nhật", "lễ", "tết", "dịp", "khánh", "niệm",
];

/// Whether what was written last calls for a date: "ngày", "sáng",
/// "từ", "hạn"…, or a day of the week ("thứ hai", "chủ nhật").
pub(super) fn dated(w: &Writer) -> bool {
    let words: Vec<String> = w
        .out
        .split_whitespace()
        .rev()
        .take(8)
        .map(|s| {
            s.trim_matches(|c: char| !c.is_alphanumeric())
                .to_lowercase()
        })
        .collect();
    let last = words.first().map_or("", String::as_str);
    DATE_WORDS.contains(&last) || words.get(1).is_some_and(|b| b == "thứ")
}

/// A time of day: 7h30, 7h, 17g15, 07:30, 07:30:15.
pub(super) fn time(chars: &[char], i: usize, w: &mut Writer) -> Option<usize> {
    let (h, e1) = digit_run(chars, i);
    if h.len() > 2 {
        return None;
    }
    let sep = *chars.get(e1)?;
    let next_digit = |at: usize| chars.get(at).is_some_and(|c| c.is_ascii_digit());
    let (m, mut end) = match sep {
        'h' | 'H' | 'g' | 'G' | ':' if next_digit(e1 + 1) => {
            let (m, mut e2) = digit_run(chars, e1 + 1);
            // "7h5" is five past seven; "07:5" is not a time.
            if m.len() > 2 || (sep == ':' && m.len() != 2) {
                return None;
            }
            // "7h30p", "7h30ph": the minutes marked.
            if sep != ':' {
                for mark in ["ph", "p"] {
                    let mk: Vec<char> = mark.chars().collect();
                    let to = e2 + mk.len();
                    if chars.get(e2..to) == Some(&mk[..]) && ends(chars, to) {
                        e2 = to;
                        break;
                    }
                }
            }
            (m, e2)
        }
        // "7h" alone; "5g" is five grams, but "lúc 7g", "7g tối" a time;
        // "4G" a mobile network, an hour only after "lúc".
        'h' | 'H' => (String::new(), e1 + 1),
        'g' if clock(chars, e1 + 1, w) => (String::new(), e1 + 1),
        // After "lúc" (at) a capital G is an hour too: "lúc 7G".
        'G' if w.last_word() == "lúc" => (String::new(), e1 + 1),
        _ => return None,
    };
    let mut s = None;
    if sep == ':' && chars.get(end) == Some(&':') && next_digit(end + 1) {
        let (sec, e3) = digit_run(chars, end + 1);
        if sec.len() != 2 {
            return None;
        }
        s = Some(sec);
        end = e3;
    }
    if !ends(chars, end) {
        return None;
    }
    let hv = value(&h)?;
    let mv = if m.is_empty() { 0 } else { value(&m)? };
    let sv = s.as_deref().map(value).unwrap_or(Some(0))?;
    if hv > 24 || mv > 59 || sv > 59 {
        return None;
    }
    let mut out = format!("{} giờ", number(hv));
    if mv > 0 {
        out.push_str(&format!(" {} phút", number(mv)));
    }
    if sv > 0 {
        out.push_str(&format!(" {} giây", number(sv)));
    }
    w.words(&out);
    Some(end)
}

/// Whether an "Ng" ending at `end` is a time: after "lúc", or before
/// sáng, trưa, chiều, tối, đêm, maybe after a range ("7g đến 9g sáng"),
/// or at the end of a range from a time ("lúc 7g đến 9g"). Else grams:
/// "từ 3g đến 5g muối", "thêm vào 2g men".
pub(super) fn clock(chars: &[char], end: usize, w: &Writer) -> bool {
    if w.last_word() == "lúc" {
        return true;
    }
    let mut last = w.out.split_whitespace().rev();
    if matches!(last.next(), Some("đến" | "tới")) && last.next() == Some("giờ") {
        return true;
    }
    let at = range_to_hour(chars, end).unwrap_or(end);
    if chars.get(at) != Some(&' ') {
        return false;
    }
    let next: String = chars[at + 1..]
        .iter()
        .take_while(|c| c.is_alphabetic())
        .collect::<String>()
        .to_lowercase();
    ["sáng", "trưa", "chiều", "tối", "đêm"].contains(&next.as_str())
}

/// Where a range from an "Ng" at `end` to another ends: " đến 9g",
/// "-9g", " - 9g", " tới 9g".
pub(super) fn range_to_hour(chars: &[char], end: usize) -> Option<usize> {
    let mut at = end;
    if chars.get(at) == Some(&' ') {
        at += 1;
    }
    let word: String = chars[at..]
        .iter()
        .take_while(|c| c.is_alphabetic())
        .collect();
    if word == "đến" || word == "tới" {
        at += word.chars().count();
    } else if chars.get(at) == Some(&'-') {
        at += 1;
    } else {
        return None;
    }
    if chars.get(at) == Some(&' ') {
        at += 1;
    }
    let (n, e) = digit_run(chars, at);
    (!n.is_empty() && n.len() <= 2 && chars.get(e) == Some(&'g')).then_some(e + 1)
}
