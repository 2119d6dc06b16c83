use std::path::Path;

use super::*;

const TEXT: &str = "title: Thông báo\nbroadcasts: []\n";

fn utf16(text: &str, bom: &[u8], unit: fn(u16) -> [u8; 2]) -> Vec<u8> {
    let mut out = bom.to_vec();
    out.extend(text.encode_utf16().flat_map(unit));
    out
}

fn enc(bytes: &[u8]) -> Option<Encoding> {
    decode(bytes).err().map(|e| e.encoding)
}

#[test]
fn utf8_with_or_without_a_bom_reads_the_same() {
    let mut with_bom = b"\xEF\xBB\xBF".to_vec();
    with_bom.extend_from_slice(TEXT.as_bytes());
    assert_eq!(decode(TEXT.as_bytes()).as_deref(), Ok(TEXT));
    assert_eq!(decode(&with_bom).as_deref(), Ok(TEXT));
}

#[test]
fn utf16_le_and_be_with_a_bom_read_the_same() {
    let le = utf16(TEXT, &[0xFF, 0xFE], u16::to_le_bytes);
    let be = utf16(TEXT, &[0xFE, 0xFF], u16::to_be_bytes);
    assert_eq!(decode(&le).as_deref(), Ok(TEXT));
    assert_eq!(decode(&be).as_deref(), Ok(TEXT));
}

#[test]
fn crlf_reads_as_lf() {
    let crlf = TEXT.replace('\n', "\r\n");
    let le = utf16(&crlf, &[0xFF, 0xFE], u16::to_le_bytes);
    assert_eq!(decode(crlf.as_bytes()).as_deref(), Ok(TEXT));
    assert_eq!(decode(&le).as_deref(), Ok(TEXT));
}

#[derive(Debug, serde::Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
struct T {
    title: String,
}

#[test]
fn an_error_after_a_bom_and_crlf_is_on_its_own_line_and_column() {
    let bytes = b"\xEF\xBB\xBFtitle: a\r\ntitel: b\r\n";
    let text = decode(bytes).unwrap_or_else(|e| panic!("{e:?}"));
    let d = match crate::yaml::parse::<T>(Path::new("a.yaml"), &text) {
        Ok(v) => panic!("expected an error, got {v:?}"),
        Err(d) => d,
    };
    assert_eq!(d.pos, Some(Pos::new(2, 1)), "{d:?}");
    assert_eq!(d.source_line.as_deref(), Some("titel: b"));
    assert!(matches!(d.msg, Msg::YamlUnknownKey { .. }), "{d:?}");
}

#[test]
fn utf16_without_a_bom_is_named() {
    let le = utf16(TEXT, &[], u16::to_le_bytes);
    let be = utf16(TEXT, &[], u16::to_be_bytes);
    assert_eq!(enc(&le), Some(Encoding::Utf16NoBom));
    assert_eq!(enc(&be), Some(Encoding::Utf16NoBom));
}

/// The fixtures' text (tests/fixtures/encodings/sample.yaml) in VNI
/// Windows, from the VNI code chart: a vowel is its ASCII letter and a
/// byte for its marks; đ and the toned i are single bytes.
fn vni(text: &str) -> Vec<u8> {
    let table: &[(char, &[u8])] = &[
        ('ô', b"o\xE2"),
        ('á', b"a\xF9"),
        ('ị', b"\xF2"),
        ('ê', b"e\xE2"),
        ('ò', b"o\xF8"),
        ('ủ', b"u\xFB"),
        ('ế', b"e\xE1"),
        ('â', b"a\xE2"),
        ('đ', b"\xF1"),
        ('à', b"a\xF8"),
        ('ó', b"o\xF9"),
        ('ệ', b"e\xE4"),
    ];
    let mut out = Vec::new();
    for c in text.chars() {
        match table.iter().find(|(u, _)| *u == c) {
            Some((_, b)) => out.extend_from_slice(b),
            None if c.is_ascii() => out.push(c as u8),
            None => panic!("no VNI bytes for {c:?} in the test's table"),
        }
    }
    out
}

const SAMPLE: &str = include_str!("../../tests/fixtures/encodings/sample.yaml");

#[test]
fn legacy_vietnamese_encodings_are_named_not_converted() {
    let tcvn3 = include_bytes!("../../tests/fixtures/encodings/tcvn3.yaml");
    let cp1258 = include_bytes!("../../tests/fixtures/encodings/cp1258.yaml");
    assert_eq!(enc(tcvn3), Some(Encoding::Tcvn3));
    assert_eq!(enc(cp1258), Some(Encoding::Windows1258));
    assert_eq!(enc(&vni(SAMPLE)), Some(Encoding::Vni));
}

#[test]
fn one_legacy_word_is_enough_to_name_it() {
    // "Đài phát thanh" alone, as a short config.yaml has it.
    let tcvn3 = b"station: \xA7\xB5i ph\xB8t thanh\n";
    let vni = b"station: \xD1a\xF8i pha\xF9t thanh\n";
    let cp1258 = b"station: \xD0a\xCCi pha\xECt thanh\n";
    assert_eq!(enc(tcvn3), Some(Encoding::Tcvn3));
    assert_eq!(enc(vni), Some(Encoding::Vni));
    assert_eq!(enc(cp1258), Some(Encoding::Windows1258));
}

#[test]
fn one_latin1_byte_names_no_vietnamese_code_page() {
    // "café" saved as Latin-1: not UTF-8, and not Windows-1258 either.
    let latin1 = b"station: Caf\xE9 Loa\n";
    assert_eq!(enc(latin1), Some(Encoding::Unknown));
    let shown = TextError::NotUnicode(decode(latin1).err().unwrap_or_else(|| panic!("read")))
        .diagnostic(Path::new("config.yaml"))
        .render(crate::i18n::Lang::En);
    assert!(!shown.contains("1258"), "{shown}");
}

#[test]
fn the_error_points_at_the_first_byte_that_is_not_utf8() {
    let tcvn3 = include_bytes!("../../tests/fixtures/encodings/tcvn3.yaml");
    let e = decode(tcvn3).err();
    let e = e.unwrap_or_else(|| panic!("TCVN3 read as UTF-8"));
    // "title: Th" and then ô (0xAB).
    assert_eq!(e.pos, Some(Pos::new(1, 10)));
    let d = TextError::NotUnicode(e).diagnostic(Path::new("schedules/a.yaml"));
    let shown = d.render(crate::i18n::Lang::Vi);
    assert!(
        shown.contains(
            "schedules/a.yaml:1:10: tệp được lưu bằng bảng mã TCVN3 (ABC), không phải UTF-8"
        ),
        "{shown}"
    );
    assert!(
        shown.contains("File → Save As → Encoding: UTF-8"),
        "{shown}"
    );
    assert!(shown.contains("Công cụ chuyển mã"), "{shown}");
}

#[test]
fn bytes_like_no_vietnamese_encoding_are_unknown() {
    assert_eq!(enc(b"title: \x81\x82\x83\x84\n"), Some(Encoding::Unknown));
}

#[test]
fn a_schedule_error_after_a_bom_and_crlf_has_the_place_it_has_without() {
    let plain =
        "title: a\nbroadcasts:\n  - name: b\n    audio: b.mp3\n    at: [\"06:00\", \"25:00\"]\n";
    let mut saved = b"\xEF\xBB\xBF".to_vec();
    saved.extend_from_slice(plain.replace('\n', "\r\n").as_bytes());
    let place = |text: &str| {
        let (_, d) = crate::schedule::parse("a.yaml", Path::new("a.yaml"), text);
        d.iter()
            .map(|d| (d.pos, d.source_line.clone()))
            .collect::<Vec<_>>()
    };
    let text = decode(&saved).unwrap_or_else(|e| panic!("{e:?}"));
    let want = place(plain);
    assert_eq!(want.first().map(|p| p.0), Some(Some(Pos::new(5, 19))));
    assert_eq!(place(&text), want);
}
