//! Plain numbers and the units after them.

use super::codes::{digit_run, value};
use super::{Writer, is_word_char};
use crate::sound::speech::numbers::{decimal, digits, number};
use crate::sound::speech::words::UNITS;
/// A number: 15, 1.000.000 (dots group thousands), 2,5 (a comma before
/// the decimals); a long run starting with 0 digit by digit.
pub(super) fn plain_number(chars: &[char], i: usize, w: &mut Writer) -> usize {
    let (run, mut end) = digit_run(chars, i);
    let mut whole = run.clone();
    // Thousands groups: a dot and exactly three digits, again and again.
    while run.len() <= 3
        && chars.get(end) == Some(&'.')
        && chars[end + 1..]
            .iter()
            .take(3)
            .filter(|c| c.is_ascii_digit())
            .count()
            == 3
        && chars.get(end + 4).is_none_or(|c| !c.is_ascii_digit())
    {
        whole.extend(&chars[end + 1..end + 4]);
        end += 4;
    }
    // Thousands grouped by spaces ("1 000 000", "10 000"): two groups or
    // more, or groups of zeros, so "lớp 5 100 học sinh" stays two numbers.
    if whole.len() == run.len() && run.len() <= 3 && !run.starts_with('0') {
        let mut groups = Vec::new();
        let mut e = end;
        while chars.get(e) == Some(&' ')
            && chars
                .get(e + 1..e + 4)
                .is_some_and(|g| g.iter().all(|c| c.is_ascii_digit()))
            && chars.get(e + 4).is_none_or(|c| !c.is_ascii_digit())
        {
            groups.push(chars[e + 1..e + 4].iter().collect::<String>());
            e += 4;
        }
        if groups.len() >= 2 || (groups.len() == 1 && groups[0] == "000") {
            for g in &groups {
                whole.push_str(g);
            }
            end = e;
        }
    }
    let grouped = whole.len() > run.len();
    if !grouped
        && matches!(chars.get(end), Some(',' | '.'))
        && chars.get(end + 1).is_some_and(|c| c.is_ascii_digit())
    {
        let (frac, e) = digit_run(chars, end + 1);
        if chars.get(end) == Some(&'.')
            && let (Some(n), Some(f)) = (value(&whole), value(&frac))
        {
            // Not a thousands group: "Điều 5.2", "5.12" read "chấm".
            w.words(&format!("{} chấm {}", number(n), number(f)));
            return e;
        }
        if let Some(n) = value(&whole) {
            w.words(&decimal(n, &frac));
            return e;
        }
    }
    let words = match value(&whole) {
        // Ordinals: "thứ 1" is "thứ nhất", "thứ 4" "thứ tư"; "tháng 4" is
        // "tháng tư".
        Some(1) if w.last_word() == "thứ" && whole == "1" => "nhất".to_string(),
        Some(4) if matches!(w.last_word().as_str(), "thứ" | "tháng") && whole == "4" => {
            "tư".to_string()
        }
        Some(n) if !(whole.starts_with('0') && whole.len() > 2) && whole.len() <= 15 => number(n),
        _ => digits(&whole),
    };
    w.words(&words);
    end
}

/// A unit or percent sign written after a number, maybe after one space.
pub(super) fn unit(chars: &[char], at: usize, w: &mut Writer) -> usize {
    let start = if chars.get(at) == Some(&' ') {
        at + 1
    } else {
        at
    };
    unit_at(chars, start, w, "").unwrap_or(at)
}

/// The unit written at `start`, said after `lead`; where it ends.
pub(super) fn unit_at(chars: &[char], start: usize, w: &mut Writer, lead: &str) -> Option<usize> {
    for (key, words) in UNITS {
        let key: Vec<char> = key.chars().collect();
        let end = start + key.len();
        if chars.get(start..end) == Some(&key[..])
            && (key == ['%'] || chars.get(end).is_none_or(|c| !is_word_char(*c)))
        {
            w.words(&format!("{lead}{words}"));
            return Some(end);
        }
    }
    None
}
