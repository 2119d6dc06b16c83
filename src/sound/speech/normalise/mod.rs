//! Vietnamese text as it is to be spoken: engines read digits and
//! abbreviations badly, so numbers, times, dates, phone numbers,
//! percentages, units and abbreviations are written out in words before
//! the engine sees the text. Pure: text (and the station's lexicon) in,
//! words out.

mod amounts;
mod codes;
mod dates;

use unicode_normalization::UnicodeNormalization;

use super::Lexicon;
use super::words::{ABBREVIATIONS, letter, syllable};
use amounts::{plain_number, unit, unit_at};
use codes::{document_number, phone, range_dash};
use dates::{date, time};

/// The words to be spoken, and what the normaliser could not read (a bare
/// Latin abbreviation it does not know: it is spelled letter by letter).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Spoken {
    pub text: String,
    pub unread: Vec<String>,
}

/// Writes `text` out in words to be spoken.
pub fn normalise(text: &str, lexicon: &Lexicon) -> Spoken {
    // Legacy Vietnamese input writes the Icelandic eth (Ð ð) for Đ đ.
    let chars: Vec<char> = text
        .nfc()
        .map(|c| match c {
            '\u{d0}' => 'Đ',
            '\u{f0}' => 'đ',
            c => c,
        })
        .collect();
    let mut w = Writer::default();
    let mut i = 0;
    while i < chars.len() {
        i = step(&chars, i, lexicon, &mut w);
    }
    Spoken {
        text: w.finish(),
        unread: w.unread,
    }
}

#[derive(Default)]
struct Writer {
    out: String,
    unread: Vec<String>,
    /// Where the last fraction written ends in `out`.
    fraction_end: Option<usize>,
}

impl Writer {
    fn words(&mut self, s: &str) {
        if self.out.ends_with(char::is_alphanumeric) {
            self.out.push(' ');
        }
        self.out.push_str(s);
    }

    fn raw(&mut self, c: char) {
        self.out.push(c);
    }

    /// The last word written, lower case.
    fn last_word(&self) -> String {
        self.out
            .split_whitespace()
            .last()
            .unwrap_or("")
            .to_lowercase()
    }

    /// Whether only a list's joiner ("," "và" "hoặc") was written since
    /// `at`: "chiếm 1/2, 1/3 và 1/4" goes on.
    fn listed(&self, at: Option<usize>) -> bool {
        let Some(rest) = at.and_then(|at| self.out.get(at..)) else {
            return false;
        };
        let rest = rest.trim();
        let comma = rest.starts_with(',');
        let rest = rest.trim_start_matches(',').trim();
        (comma && rest.is_empty()) || matches!(rest, "và" | "hoặc")
    }

    /// Spaces collapsed, no space before punctuation, lines trimmed.
    fn finish(&self) -> String {
        let lines: Vec<String> = self
            .out
            .lines()
            .map(|l| {
                let mut s = l.split_whitespace().collect::<Vec<_>>().join(" ");
                for p in [",", ".", ";", ":", "!", "?", ")"] {
                    s = s.replace(&format!(" {p}"), p);
                }
                s
            })
            .collect();
        lines.join("\n").trim().to_string()
    }
}

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric()
}

/// Whether `key` is written at `i` as a whole word (case-insensitive when
/// `fold`).
fn word_at(chars: &[char], i: usize, key: &[char], fold: bool) -> bool {
    if i > 0 && is_word_char(chars[i - 1]) {
        return false;
    }
    let end = i + key.len();
    // "TP." ends at its dot: "TP.Vinh" is "thành phố Vinh".
    let open_end = key.last() == Some(&'.');
    if end > chars.len() || (!open_end && chars.get(end).is_some_and(|c| is_word_char(*c))) {
        return false;
    }
    chars[i..end]
        .iter()
        .zip(key)
        .all(|(a, b)| a == b || (fold && a.to_lowercase().eq(b.to_lowercase())))
}

/// Reads one token at `i`; returns where the next begins.
fn step(chars: &[char], i: usize, lexicon: &Lexicon, w: &mut Writer) -> usize {
    for (key, value) in lexicon.entries() {
        // "CA" is an abbreviation, "ca" a word: a key written with
        // capitals matches only as written; a lower-case one any case.
        let fold = !key.iter().any(|c| c.is_uppercase());
        if word_at(chars, i, key, fold) {
            w.words(value);
            return i + key.len();
        }
    }
    for (key, value) in ABBREVIATIONS {
        let key: Vec<char> = key.chars().collect();
        if word_at(chars, i, &key, false) {
            w.words(value);
            return i + key.len();
        }
    }
    // A road and its number: "QL1A" is "quốc lộ 1A".
    if chars.get(i..i + 2) == Some(&['Q', 'L'][..])
        && (i == 0 || !is_word_char(chars[i - 1]))
        && chars.get(i + 2).is_some_and(|c| c.is_ascii_digit())
    {
        w.words("quốc lộ");
        return i + 2;
    }
    let c = chars[i];
    let starts_number = c.is_ascii_digit() && (i == 0 || !chars[i - 1].is_ascii_digit());
    let plus = c == '+' && chars.get(i + 1).is_some_and(|c| c.is_ascii_digit());
    // A document's number: "12/QĐ-UBND" is not twelve a decision.
    if starts_number && let Some(end) = document_number(chars, i, lexicon, w) {
        return end;
    }
    // Dates first: "05.12.2026 10" is a date and a number, not a phone.
    if starts_number && let Some(end) = date(chars, i, w) {
        return end;
    }
    if (starts_number || plus)
        && let Some(end) = phone(chars, i, w)
    {
        return end;
    }
    if starts_number {
        if let Some(end) = time(chars, i, w) {
            return end;
        }
        let end = plain_number(chars, i, w);
        return unit(chars, end, w);
    }
    if c == '-' && range_dash(chars, i) {
        // 13h-17h, 8-9: from one to the other.
        w.words("đến");
        return i + 1;
    }
    // "-5°C": a minus before a number, not a range ("8-9") nor a
    // hyphen in a word ("F-16"): espeak-ng would drop it.
    if matches!(c, '-' | '\u{2212}')
        && chars.get(i + 1).is_some_and(|c| c.is_ascii_digit())
        && (i == 0 || !is_word_char(chars[i - 1]))
        && !range_dash(chars, i)
    {
        w.words("âm");
        return i + 1;
    }
    if c == '/' && per_slash(chars, i) {
        // 50.000đ/kg, 2 lần/ngày: so much a kilogram, twice a day.
        if let Some(end) = unit_at(chars, i + 1, w, "một ") {
            return end;
        }
        if chars.get(i + 1).is_some_and(|c| c.is_alphabetic()) {
            w.words("một");
            w.raw(' ');
            return i + 1;
        }
    }
    if c.is_alphabetic() {
        return word(chars, i, w);
    }
    w.raw(c);
    i + 1
}

/// Whether the slash at `i` reads "per" ("một"): a number and its unit or
/// noun before it ("50.000đ/kg", "2 lần/ngày"), or a number phrase of up
/// to four lower-case words ("5 triệu đồng/tháng", "5g muối/ngày"), or a
/// chain of them ("100.000 đồng/hộ/tháng"); a unit or a lower-case noun
/// after it. "QĐ/UBND" and "tổ 3 thôn Nam/thôn Bắc" are not "per".
fn per_slash(chars: &[char], i: usize) -> bool {
    if !chars.get(i + 1).is_some_and(|c| c.is_lowercase()) {
        return false;
    }
    let mut b = i;
    let mut capitals = false;
    for words in 1..=4 {
        let end = b;
        while b > 0 && chars[b - 1].is_alphabetic() {
            b -= 1;
        }
        if b == end {
            return false;
        }
        capitals |= chars[b].is_uppercase();
        // A unit glued to its number: "5g", "50.000VNĐ".
        if b > 0 && chars[b - 1].is_ascii_digit() {
            return words == 1 || !capitals;
        }
        if b > 0 && matches!(chars[b - 1], ' ' | '/') {
            b -= 1;
        } else {
            return false;
        }
        if b > 0 && chars[b - 1].is_ascii_digit() {
            return words == 1 || !capitals;
        }
    }
    false
}

/// A word: said as written, but an abbreviation the lists do not know is
/// spelled letter by letter and noted as unread.
fn word(chars: &[char], i: usize, w: &mut Writer) -> usize {
    let end = chars[i..]
        .iter()
        .position(|c| !c.is_alphabetic())
        .map_or(chars.len(), |n| i + n);
    let word: String = chars[i..end].iter().collect();
    let letters = end - i;
    let capitals = word.chars().all(|c| c.is_uppercase());
    let plain = word.chars().all(|c| c.is_ascii() || c == 'Đ');
    if letters >= 2 && capitals && plain && !syllable(&word.replace('Đ', "D")) {
        let spelled: Vec<&str> = word.chars().filter_map(letter).collect();
        w.words(&spelled.join(" "));
        if !w.unread.contains(&word) {
            w.unread.push(word);
        }
    } else if letters >= 2 && capitals {
        w.words(&word.to_lowercase());
    } else {
        w.words(&word);
    }
    end
}
