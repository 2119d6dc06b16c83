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
    s.chars().find(|c| refused(*c))
}

/// The rule of [`control_char`] for one character.
fn refused(c: char) -> bool {
    c.is_control()
        || matches!(c, '\u{2028}' | '\u{2029}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// The first character a text file (a `.txt` notice) may not hold, with
/// its line and column (1-based, in characters): the rule of
/// [`control_char`], but a file's own line breaks and tabs are its layout.
/// An escape in a notice would otherwise reach the reviewer's terminal
/// through the text and CSV reports.
pub fn control_in_text(s: &str) -> Option<(usize, usize, char)> {
    for (n, line) in s.split('\n').enumerate() {
        let line = line.strip_suffix('\r').unwrap_or(line);
        let found = line
            .chars()
            .enumerate()
            .find(|(_, c)| *c != '\t' && refused(*c));
        if let Some((col, c)) = found {
            return Some((n + 1, col + 1, c));
        }
    }
    None
}

/// `s` with every character [`control_char`] refuses shown as U+FFFD:
/// for what is written to a terminal or a CSV file from a log or a file
/// that may hold one. Borrowed when there is none (nearly always).
pub fn visible(s: &str) -> std::borrow::Cow<'_, str> {
    shown_as(s, false)
}

/// [`visible`] for a text with a layout (a notice): its line breaks and
/// tabs stay.
pub fn visible_text(s: &str) -> std::borrow::Cow<'_, str> {
    shown_as(s, true)
}

fn shown_as(s: &str, layout: bool) -> std::borrow::Cow<'_, str> {
    let refused = |c: char| {
        !(layout && matches!(c, '\n' | '\r' | '\t'))
            && control_char(c.encode_utf8(&mut [0; 4])).is_some()
    };
    // Every character `control_char` refuses is below 0x20, 0x7F, or
    // begins with 0xC2 (C1 controls) or 0xE2 (the line and direction
    // marks) in UTF-8: most text is cleared by this one pass over bytes.
    let may = |b: u8| b < 0x20 || b == 0x7f || b == 0xc2 || b == 0xe2;
    if !s.bytes().any(may) || !s.chars().any(refused) {
        return std::borrow::Cow::Borrowed(s);
    }
    std::borrow::Cow::Owned(
        s.chars()
            .map(|c| if refused(c) { '\u{fffd}' } else { c })
            .collect(),
    )
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_notice_keeps_its_layout_but_not_escapes() {
        assert_eq!(control_in_text("Thông báo\r\n\tTiêm chủng\n"), None);
        assert_eq!(
            control_in_text("dòng một\nhai \u{1b}]0;x\u{7}"),
            Some((2, 5, '\u{1b}'))
        );
        assert_eq!(control_in_text("a\u{202e}b"), Some((1, 2, '\u{202e}')));
        assert_eq!(visible("sạch"), "sạch");
        assert_eq!(visible("a\u{1b}[2Jb\n"), "a\u{fffd}[2Jb\u{fffd}");
        assert_eq!(visible_text("a\u{1b}b\r\n\tc"), "a\u{fffd}b\r\n\tc");
    }
}
