//! Rules about characters that more than one stage needs: which ones no
//! operator's text may hold (schedules, notices, announcements; shown as a
//! visible mark wherever a message quotes them) and the legacy Vietnamese
//! encodings a text file's bytes may be in.

/// The first character of `s` that no text of a schedule may hold: a
/// control character (a line break in a name forged a stand-alone line in
/// the system log, `status` and the text report; an escape reached the
/// terminal), or a Unicode mark that separates lines or reorders text on
/// screen.
pub fn control_char(s: &str) -> Option<char> {
    s.chars().find(|c| {
        c.is_control()
            || matches!(c, '\u{2028}' | '\u{2029}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
    })
}

/// An encoding loa recognises but does not read.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Encoding {
    /// TCVN 5712:1993 VN3, the "ABC" fonts (.VnTime): one byte per
    /// lowercase letter in 0xA1–0xFE.
    Tcvn3,
    /// VNI Windows: an ASCII vowel followed by a byte for its marks.
    Vni,
    /// Windows-1258: some precomposed letters, tones as combining bytes.
    Windows1258,
    /// UTF-16 without its byte order mark: which byte comes first is a guess.
    Utf16NoBom,
    /// Not Unicode, and not like any of the above.
    Unknown,
}
