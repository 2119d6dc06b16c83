//! Numbers that are names: a document's number (số ký hiệu) and a phone
//! number, read as people read them aloud.

use super::{Writer, is_word_char, step, word_at};
use crate::sound::speech::Lexicon;
use crate::sound::speech::numbers::{digits, number};
use crate::sound::speech::words::DOCUMENT_CODES;
/// A document's number (số ký hiệu văn bản): "12/QĐ-UBND",
/// "100/2019/NĐ-CP", "39/2020/TT-BTTTT". Read as its number, its year
/// ("năm …") and its codes written out, the slashes and hyphens silent:
/// "mười hai quyết định ủy ban nhân dân". A code is read from the
/// station's lexicon, then [`DOCUMENT_CODES`], then the abbreviations,
/// else spelled (and noted as unread).
pub(super) fn document_number(
    chars: &[char],
    i: usize,
    lexicon: &Lexicon,
    w: &mut Writer,
) -> Option<usize> {
    let (n, e1) = digit_run(chars, i);
    if n.len() > 6 || chars.get(e1) != Some(&'/') {
        return None;
    }
    let mut at = e1 + 1;
    let mut year = None;
    if chars.get(at).is_some_and(|c| c.is_ascii_digit()) {
        let (y, e2) = digit_run(chars, at);
        if y.len() != 4 || chars.get(e2) != Some(&'/') {
            return None;
        }
        year = Some(value(&y)?);
        at = e2 + 1;
    }
    // The codes: each begins with a capital ("TTg" is one), joined by '-'.
    let mut codes: Vec<Vec<char>> = Vec::new();
    let mut end = at;
    loop {
        if !chars.get(end).is_some_and(|c| c.is_uppercase()) {
            return None;
        }
        let from = end;
        while chars
            .get(end)
            .is_some_and(|c| c.is_alphabetic() || *c == '&')
        {
            end += 1;
        }
        codes.push(chars[from..end].to_vec());
        if chars.get(end) == Some(&'-') && chars.get(end + 1).is_some_and(|c| c.is_uppercase()) {
            end += 1;
            continue;
        }
        break;
    }
    if !ends(chars, end) {
        return None;
    }
    let n_words = match value(&n) {
        Some(v) if !(n.starts_with('0') && n.len() > 2) => number(v),
        _ => digits(&n),
    };
    w.words(&n_words);
    if let Some(y) = year {
        w.words(&format!("năm {}", number(y)));
    }
    for code in codes {
        let own = lexicon.entries().iter().any(|(k, _)| {
            let fold = !k.iter().any(|c| c.is_uppercase());
            k.len() == code.len() && word_at(&code, 0, k, fold)
        });
        let text: String = code.iter().collect();
        if !own && let Some((_, words)) = DOCUMENT_CODES.iter().find(|(k, _)| *k == text) {
            w.words(words);
            continue;
        }
        let mut at = 0;
        while at < code.len() {
            at = step(&code, at, lexicon, w);
        }
    }
    Some(end)
}

/// Whether the hyphen at `i` joins two numbers or times ("8-9",
/// "13h-17h", "8 - 9").
pub(super) fn range_dash(chars: &[char], i: usize) -> bool {
    let mut b = i;
    if b > 0 && chars[b - 1] == ' ' {
        b -= 1;
    }
    if b > 0 && matches!(chars[b - 1], 'h' | 'H' | 'g' | 'p') && b > 1 {
        b -= 1;
    }
    let before = b > 0 && chars[b - 1].is_ascii_digit();
    let mut a = i + 1;
    if chars.get(a) == Some(&' ') {
        a += 1;
    }
    before && chars.get(a).is_some_and(|c| c.is_ascii_digit())
}

/// The run of ASCII digits at `i`, and where it ends.
pub(super) fn digit_run(chars: &[char], i: usize) -> (String, usize) {
    let end = chars[i..]
        .iter()
        .position(|c| !c.is_ascii_digit())
        .map_or(chars.len(), |n| i + n);
    (chars[i..end].iter().collect(), end)
}

pub(super) fn value(s: &str) -> Option<u64> {
    s.parse().ok()
}

/// Whether a number ends at `end` (no letter or digit glued to it).
pub(super) fn ends(chars: &[char], end: usize) -> bool {
    chars.get(end).is_none_or(|c| !is_word_char(*c))
}

/// A phone number: 10 or 11 digits starting with 0, or +84 and 9 or 10
/// more, or a 1800/1900 service number (8 or 10 digits), maybe in groups
/// of at least 3 digits ("0912 345 678", "0912.345.678", "1900 1234");
/// read digit by digit, a pause between groups. A run of short numbers
/// ("0 10 15") is not one.
pub(super) fn phone(chars: &[char], i: usize, w: &mut Writer) -> Option<usize> {
    let (lead, mut at) = if chars[i] == '+' {
        ("cộng ", i + 1)
    } else {
        ("", i)
    };
    let (first, mut end) = digit_run(chars, at);
    let service = lead.is_empty() && (first.starts_with("1800") || first.starts_with("1900"));
    if lead.is_empty() && !first.starts_with('0') && !service {
        return None;
    }
    // "+84 912…": the country code is a group of its own.
    let country = first == "84" && !lead.is_empty();
    if first.len() < 3 && !country {
        return None;
    }
    let (min, max) = match (lead.is_empty(), service) {
        (false, _) => (11, 12),
        (true, true) => (8, 10),
        (true, false) => (10, 11),
    };
    let mut groups = vec![first];
    let mut count = groups[0].len();
    while count < min {
        let sep = chars.get(end).copied();
        if !matches!(sep, Some(' ' | '.' | '-'))
            || !chars.get(end + 1).is_some_and(|c| c.is_ascii_digit())
        {
            break;
        }
        at = end + 1;
        let (g, e) = digit_run(chars, at);
        if g.len() < 3 {
            return None;
        }
        count += g.len();
        groups.push(g);
        end = e;
    }
    if service && count == 9 {
        return None;
    }
    if !(min..=max).contains(&count) || !ends(chars, end) {
        return None;
    }
    let read: Vec<String> = groups.iter().map(|g| digits(g)).collect();
    w.words(&format!("{lead}{}", read.join(", ")));
    Some(end)
}
