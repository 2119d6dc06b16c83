//! Vietnamese text as it is to be spoken: engines read digits and
//! abbreviations badly, so numbers, times, dates, phone numbers,
//! percentages, units and abbreviations are written out in words before
//! the engine sees the text. Pure: text (and the station's lexicon) in,
//! words out.

use unicode_normalization::UnicodeNormalization;

use super::Lexicon;
use super::numbers::{decimal, digits, number};
use super::words::{ABBREVIATIONS, DOCUMENT_CODES, UNITS, letter, syllable};

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

/// A document's number (số ký hiệu văn bản): "12/QĐ-UBND",
/// "100/2019/NĐ-CP", "39/2020/TT-BTTTT". Read as its number, its year
/// ("năm …") and its codes written out, the slashes and hyphens silent:
/// "mười hai quyết định ủy ban nhân dân". A code is read from the
/// station's lexicon, then [`DOCUMENT_CODES`], then the abbreviations,
/// else spelled (and noted as unread).
fn document_number(chars: &[char], i: usize, lexicon: &Lexicon, w: &mut Writer) -> Option<usize> {
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
fn range_dash(chars: &[char], i: usize) -> bool {
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
fn digit_run(chars: &[char], i: usize) -> (String, usize) {
    let end = chars[i..]
        .iter()
        .position(|c| !c.is_ascii_digit())
        .map_or(chars.len(), |n| i + n);
    (chars[i..end].iter().collect(), end)
}

fn value(s: &str) -> Option<u64> {
    s.parse().ok()
}

/// Whether a number ends at `end` (no letter or digit glued to it).
fn ends(chars: &[char], end: usize) -> bool {
    chars.get(end).is_none_or(|c| !is_word_char(*c))
}

/// A phone number: 10 or 11 digits starting with 0, or +84 and 9 or 10
/// more, or a 1800/1900 service number (8 or 10 digits), maybe in groups
/// of at least 3 digits ("0912 345 678", "0912.345.678", "1900 1234");
/// read digit by digit, a pause between groups. A run of short numbers
/// ("0 10 15") is not one.
fn phone(chars: &[char], i: usize, w: &mut Writer) -> Option<usize> {
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

fn month_word(m: u64) -> String {
    if m == 4 { "tư".into() } else { number(m) }
}

/// A date: 5/12/2026, 05-12-2026, 5.12.2026, 5/12 (day and month),
/// 12/2026 (month and year), or 2026-12-05. "ngày" and "tháng" already
/// written before it are not said twice.
fn date(chars: &[char], i: usize, w: &mut Writer) -> Option<usize> {
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
const FRACTION_NOUNS: &[&str] = &[
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
const FRACTION_WORDS: &[&str] = &[
    "chiếm", "khoảng", "gần", "hơn", "trên", "dưới", "giảm", "tăng", "đạt", "bằng", "còn", "mất",
];

/// Whether the last word written is one of [`FRACTION_WORDS`].
fn quantity(w: &Writer) -> bool {
    let last = w.last_word();
    FRACTION_WORDS.contains(&last.trim_matches(|c: char| !c.is_alphanumeric()))
}

/// Whether a noun of quantity ([`FRACTION_NOUNS`]) follows the number
/// that ends at `end`.
fn counted(chars: &[char], end: usize) -> bool {
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
const DATE_WORDS: &[&str] = &[
    "ngày", "hôm", "mùng", "mồng", "sáng", "trưa", "chiều", "tối", "đêm", "từ", "đến", "tới",
    "hạn", "trước", "sau", "vào", "nhật", "lễ", "tết", "dịp", "khánh", "niệm",
];

/// Whether what was written last calls for a date: "ngày", "sáng",
/// "từ", "hạn"…, or a day of the week ("thứ hai", "chủ nhật").
fn dated(w: &Writer) -> bool {
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
fn time(chars: &[char], i: usize, w: &mut Writer) -> Option<usize> {
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
fn clock(chars: &[char], end: usize, w: &Writer) -> bool {
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
fn range_to_hour(chars: &[char], end: usize) -> Option<usize> {
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

/// A number: 15, 1.000.000 (dots group thousands), 2,5 (a comma before
/// the decimals); a long run starting with 0 digit by digit.
fn plain_number(chars: &[char], i: usize, w: &mut Writer) -> usize {
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
fn unit(chars: &[char], at: usize, w: &mut Writer) -> usize {
    let start = if chars.get(at) == Some(&' ') {
        at + 1
    } else {
        at
    };
    unit_at(chars, start, w, "").unwrap_or(at)
}

/// The unit written at `start`, said after `lead`; where it ends.
fn unit_at(chars: &[char], start: usize, w: &mut Writer, lead: &str) -> Option<usize> {
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
