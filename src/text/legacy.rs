//! Which legacy Vietnamese encoding a text that is not UTF-8 looks like.
//!
//! Each encoding is asked how many of the text's bytes above 0x7F it
//! explains as Vietnamese letters where they stand; the one explaining the
//! most (at least [`ENOUGH`] of them) is named. Byte values from the code
//! charts: TCVN 5712:1993 VN3 (the ABC fonts), VNI Windows and Microsoft's
//! code page 1258 (checked against glibc's iconv tables for TCVN and
//! CP1258).

use super::Encoding;

/// The share of bytes above 0x7F an encoding must explain to be named.
const ENOUGH: f64 = 0.8;

/// The fewest bytes above 0x7F that name an encoding. A single one (a
/// Latin-1 "é" in "café") is explained by more than one code page, and
/// naming one would send the operator to convert from a code page the
/// text was never in; a Vietnamese word has two or more ("Đài").
const FEWEST: usize = 2;

/// Whether the bytes look like UTF-16 without a byte order mark: text in
/// Latin letters has a zero in every other byte.
pub(super) fn looks_utf16(bytes: &[u8]) -> bool {
    let zeros = |parity: usize| {
        bytes
            .iter()
            .skip(parity)
            .step_by(2)
            .filter(|&&b| b == 0)
            .count()
    };
    let pairs = bytes.len() / 2;
    pairs >= 2 && (zeros(0).max(zeros(1)) * 2 >= pairs)
}

/// The encoding the bytes look like, or [`Encoding::Unknown`].
pub(super) fn guess(bytes: &[u8]) -> Encoding {
    let high = bytes.iter().filter(|&&b| b >= 0x80).count();
    if high == 0 {
        return Encoding::Unknown;
    }
    // Ties go to the stricter reading: VNI and Windows-1258 explain a byte
    // only after the right letter, TCVN3 explains nearly any byte.
    let scored = [
        (Encoding::Vni, explained(bytes, vni)),
        (Encoding::Windows1258, explained(bytes, cp1258)),
        (Encoding::Tcvn3, explained(bytes, tcvn3)),
    ];
    let mut best = (Encoding::Unknown, 0);
    for (enc, n) in scored {
        if n > best.1 {
            best = (enc, n);
        }
    }
    if best.1 >= FEWEST && best.1 as f64 >= ENOUGH * high as f64 {
        best.0
    } else {
        Encoding::Unknown
    }
}

/// How many bytes above 0x7F `explains(previous byte, byte)` accepts.
fn explained(bytes: &[u8], explains: fn(u8, u8) -> bool) -> usize {
    let mut prev = b' ';
    let mut n = 0;
    for &b in bytes {
        if b >= 0x80 && explains(prev, b) {
            n += 1;
        }
        prev = b;
    }
    n
}

fn ascii_vowel(b: u8) -> bool {
    matches!(
        b.to_ascii_lowercase(),
        b'a' | b'e' | b'i' | b'o' | b'u' | b'y'
    )
}

/// TCVN3: ă â ê ô ơ ư đ and their capitals at 0xA1–0xAE, the 60 toned
/// lowercase vowels in 0xB5–0xFE (capitals with tones come from a second,
/// all-capitals font, so they are the same bytes).
fn tcvn3(_prev: u8, b: u8) -> bool {
    matches!(b,
        0xA1..=0xAE | 0xB5..=0xB9 | 0xBB..=0xBE | 0xC6..=0xCC | 0xCE..=0xD8
        | 0xDC..=0xDF | 0xE1..=0xEF | 0xF1..=0xFE)
}

/// VNI Windows: a vowel written as its ASCII letter and a following byte
/// for the marks; capitals take the byte 0x20 lower. Some letters are one
/// byte of their own.
fn vni(prev: u8, b: u8) -> bool {
    let lower = if (0xC0..=0xDF).contains(&b) {
        b + 0x20
    } else {
        b
    };
    match lower {
        // đ ơ ư í ì ỉ ĩ ị ỵ
        0xF1 | 0xF4 | 0xF6 | 0xED | 0xEC | 0xE6 | 0xF3 | 0xF2 | 0xEE => true,
        // The five tones, on a plain vowel or on ơ, ư.
        0xF9 | 0xF8 | 0xFB | 0xF5 | 0xEF => {
            ascii_vowel(prev) || matches!(prev, 0xF4 | 0xF6 | 0xD4 | 0xD6)
        }
        // Circumflex (â ê ô), alone or with a tone.
        // (â ấ ầ ẩ ẫ ậ: 0xE2 0xE1 0xE0 0xE5 0xE3 0xE4)
        0xE0..=0xE5 => {
            matches!(prev.to_ascii_lowercase(), b'a' | b'e' | b'o')
        }
        // Breve (ă), alone or with a tone.
        0xEA | 0xE9 | 0xE8 | 0xFA | 0xFC | 0xEB => prev.eq_ignore_ascii_case(&b'a'),
        _ => false,
    }
}

/// Windows-1258: the vowels it has precomposed, đ, and the combining tone
/// bytes (grave 0xCC, acute 0xEC, hook 0xD2, tilde 0xDE, dot below 0xF2)
/// right after a vowel.
fn cp1258(prev: u8, b: u8) -> bool {
    match b {
        0xCC | 0xEC | 0xD2 | 0xDE | 0xF2 => ascii_vowel(prev) || cp1258_vowel(prev),
        0xD0 | 0xF0 => true,
        b => cp1258_vowel(b),
    }
}

fn cp1258_vowel(b: u8) -> bool {
    let lower = if (0xC0..=0xDF).contains(&b) {
        b + 0x20
    } else {
        b
    };
    // à á â ă è é ê í ó ô ơ ù ú ư
    matches!(
        lower,
        0xE0 | 0xE1
            | 0xE2
            | 0xE3
            | 0xE8
            | 0xE9
            | 0xEA
            | 0xED
            | 0xF3
            | 0xF4
            | 0xF5
            | 0xF9
            | 0xFA
            | 0xFD
    )
}
