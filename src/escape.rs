//! Escaping text for HTML and XML (the report's HTML, the portal's page
//! and feed): a value-level helper below every stage that writes markup.

/// Escapes text for HTML and XML, attributes included.
pub fn esc(s: &str) -> String {
    let mut o = String::with_capacity(s.len());
    esc_into(&mut o, s);
    o
}

/// [`esc`], appended to `o`: text with nothing to escape (most of it) is
/// copied whole.
pub fn esc_into(o: &mut String, s: &str) {
    let b = s.as_bytes();
    // A C1 control (U+0080..U+009F) is 0xC2 then 0x80..=0x9F in UTF-8.
    let special = |(i, x): (usize, &u8)| {
        matches!(x, b'&' | b'<' | b'>' | b'"' | b'\'' | 0..=0x1f | 0x7f)
            || (*x == 0xC2 && b.get(i + 1).is_some_and(|n| (0x80..=0x9f).contains(n)))
    };
    if !b.iter().enumerate().any(special) {
        o.push_str(s);
        return;
    }
    for c in s.chars() {
        match c {
            '&' => o.push_str("&amp;"),
            '<' => o.push_str("&lt;"),
            '>' => o.push_str("&gt;"),
            '"' => o.push_str("&quot;"),
            '\'' => o.push_str("&#39;"),
            // Not allowed in XML 1.0 at all.
            c if c.is_control() && !matches!(c, '\n' | '\t') => o.push('\u{FFFD}'),
            c => o.push(c),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::esc;

    #[test]
    fn escaping_takes_out_markup_and_controls_and_keeps_letters() {
        for (raw, want) in [
            ("Bản tin thời sự", "Bản tin thời sự"),
            ("Thị trấn Yên Viên ệ", "Thị trấn Yên Viên ệ"),
            (
                "<b>\"x\" & 'y'</b>",
                "&lt;b&gt;&quot;x&quot; &amp; &#39;y&#39;&lt;/b&gt;",
            ),
            ("a\nb\tc", "a\nb\tc"),
            ("a\u{1b}[31mb\u{7f}", "a\u{FFFD}[31mb\u{FFFD}"),
            ("next\u{85}line", "next\u{FFFD}line"),
            ("", ""),
        ] {
            assert_eq!(esc(raw), want, "{raw:?}");
        }
    }
}
