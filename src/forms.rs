//! The text of the forms operators write (SPEC §2.2), made comparable:
//! curly quotes taken as quotes, case folded, Vietnamese letters composed
//! whether the editor saved them precomposed (NFC) or as a letter followed
//! by combining marks (NFD), and runs of spaces made one.
//!
//! Only what the word tables need: the Vietnamese vowels with their shapes
//! (ă â ê ô ơ ư) and five tones. Anything else passes through unchanged, so
//! this is no general Unicode normaliser and needs none.

/// Quote marks a word processor or phone keyboard puts in place of `"`
/// and `'`: YAML does not know them, so `“17:30”` reaches us with them.
const CURLY: [char; 12] = ['“', '”', '„', '‟', '‘', '’', '‚', '‛', '«', '»', '‹', '›'];

/// `s` without the curly quotes around it: `“17:30”`, `‘17:30’`, `„17:30“`
/// and `«17:30»` are all `17:30`. A quote on one side only is left alone.
pub fn unquote(s: &str) -> &str {
    let t = s.trim();
    let mut chars = t.chars();
    match (chars.next(), chars.next_back()) {
        (Some(a), Some(b)) if CURLY.contains(&a) && CURLY.contains(&b) => chars.as_str().trim(),
        _ => s,
    }
}

/// Combining tone marks, in the order of the columns of [`VOWELS`]:
/// grave, acute, hook above, tilde, dot below.
const TONES: [char; 5] = ['\u{300}', '\u{301}', '\u{309}', '\u{303}', '\u{323}'];

/// Each Vietnamese vowel without a tone, then with each tone of [`TONES`].
const VOWELS: [&str; 12] = [
    "aàáảãạ",
    "ăằắẳẵặ",
    "âầấẩẫậ",
    "eèéẻẽẹ",
    "êềếểễệ",
    "iìíỉĩị",
    "oòóỏõọ",
    "ôồốổỗộ",
    "ơờớởỡợ",
    "uùúủũụ",
    "ưừứửữự",
    "yỳýỷỹỵ",
];

/// A vowel, a combining shape mark (breve, circumflex, horn), and the vowel
/// they make together.
const SHAPES: [(char, char, char); 6] = [
    ('a', '\u{306}', 'ă'),
    ('a', '\u{302}', 'â'),
    ('e', '\u{302}', 'ê'),
    ('o', '\u{302}', 'ô'),
    ('o', '\u{31b}', 'ơ'),
    ('u', '\u{31b}', 'ư'),
];

/// A vowel being built: its shaped letter (a column-0 letter of
/// [`VOWELS`]) and its tone (0 for none, else a column).
#[derive(Clone, Copy)]
struct Vowel {
    letter: char,
    tone: usize,
}

impl Vowel {
    /// Reads a precomposed (or plain) lowercase vowel.
    fn of(c: char) -> Option<Vowel> {
        VOWELS.iter().find_map(|row| {
            let tone = row.chars().position(|x| x == c)?;
            Some(Vowel {
                letter: row.chars().next()?,
                tone,
            })
        })
    }

    /// Adds a combining mark; false when it does not fit this vowel.
    fn add(&mut self, mark: char) -> bool {
        if let Some(t) = TONES.iter().position(|m| *m == mark) {
            if self.tone != 0 {
                return false;
            }
            self.tone = t + 1;
            return true;
        }
        match SHAPES
            .iter()
            .find(|(base, m, _)| *base == self.letter && *m == mark)
        {
            Some((_, _, shaped)) => {
                self.letter = *shaped;
                true
            }
            None => false,
        }
    }

    fn composed(self) -> char {
        VOWELS
            .iter()
            .find(|row| row.starts_with(self.letter))
            .and_then(|row| row.chars().nth(self.tone))
            .unwrap_or(self.letter)
    }
}

/// `s` made comparable with the word tables: curly quotes removed, trimmed,
/// lowercase, Vietnamese vowels composed (NFC) and every run of white space
/// one plain space. `" Thứ  Hai "`, `"THỨ HAI"` and `"thu\u{31b}\u{301} hai"`
/// all fold to `"thứ hai"`.
pub fn fold(s: &str) -> String {
    let lower = unquote(s).trim().to_lowercase();
    let mut out = String::with_capacity(lower.len());
    let mut vowel: Option<Vowel> = None;
    let mut space = false;
    for c in lower.chars() {
        if let Some(v) = vowel.as_mut()
            && v.add(c)
        {
            continue;
        }
        if let Some(v) = vowel.take() {
            out.push(v.composed());
        }
        if c.is_whitespace() {
            space = true;
            continue;
        }
        if space {
            out.push(' ');
            space = false;
        }
        match Vowel::of(c) {
            Some(v) => vowel = Some(v),
            None => out.push(c),
        }
    }
    if let Some(v) = vowel {
        out.push(v.composed());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn curly_quotes_are_quotes() {
        let cases = [
            ("“17:30”", "17:30"),
            ("‘17:30’", "17:30"),
            ("„17:30“", "17:30"),
            ("«17:30»", "17:30"),
            (" “ 7h30 ” ", "7h30"),
            ("”17:30”", "17:30"),
            // Not around the whole value: left as written.
            ("“17:30", "“17:30"),
            ("17:30”", "17:30”"),
            ("Bản tin “sáng”", "Bản tin “sáng”"),
            ("\"17:30\"", "\"17:30\""),
            ("“", "“"),
            ("", ""),
        ];
        for (s, want) in cases {
            assert_eq!(unquote(s), want, "{s:?}");
        }
    }

    #[test]
    fn folding_composes_case_and_spaces() {
        let nfd = |s: &str| -> String {
            // The decomposed spelling, built by hand: base letter, shape
            // mark, tone mark.
            s.replace('ứ', "u\u{31b}\u{301}")
                .replace('ủ', "u\u{309}")
                .replace('ậ', "a\u{323}\u{302}")
                .replace('ẩ', "a\u{302}\u{309}")
                .replace('ấ', "a\u{302}\u{301}")
                .replace('ằ', "a\u{306}\u{300}")
                .replace('ờ', "o\u{31b}\u{300}")
        };
        let cases = [
            ("Thứ Hai", "thứ hai"),
            ("THỨ HAI", "thứ hai"),
            ("  thứ \t  hai ", "thứ hai"),
            ("Chủ Nhật", "chủ nhật"),
            ("KHẨN CẤP", "khẩn cấp"),
            ("hằng\u{a0}ngày", "hằng ngày"),
            ("“Ưu tiên”", "ưu tiên"),
            ("17G15", "17g15"),
            ("đ", "đ"),
            // A mark that fits no vowel is kept as written.
            ("x\u{301}", "x\u{301}"),
            ("a\u{301}\u{300}", "á\u{300}"),
        ];
        for (s, want) in cases {
            assert_eq!(fold(s), want, "{s:?}");
        }
        for word in [
            "thứ hai",
            "chủ nhật",
            "khẩn cấp",
            "hằng ngày",
            "giờ",
            "thường",
        ] {
            let decomposed = nfd(word);
            assert_ne!(decomposed, word, "the test must decompose {word}");
            assert_eq!(fold(&decomposed), word, "{decomposed:?}");
            assert_eq!(fold(&decomposed.to_uppercase()), word, "{decomposed:?}");
        }
    }
}
