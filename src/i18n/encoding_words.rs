//! What is said of a file saved in a legacy encoding: its name as people
//! call it, and how to save it as UTF-8 (or convert what was typed with a
//! legacy font).

use super::Lang;
use crate::chars::Encoding;

/// The name of a legacy encoding, as people call it.
fn encoding_name(e: Encoding, lang: Lang) -> &'static str {
    match e {
        Encoding::Tcvn3 => "TCVN3 (ABC)",
        Encoding::Vni => "VNI (VNI Windows)",
        Encoding::Windows1258 => "Windows-1258",
        Encoding::Utf16NoBom => lang.pick("UTF-16 không có BOM", "UTF-16 without a BOM"),
        Encoding::Unknown => "",
    }
}

/// What [`Msg::NotUnicode`] says: the encoding the file is saved in.
pub(super) fn not_unicode(e: Encoding, lang: Lang) -> String {
    let name = encoding_name(e, lang);
    match (e, lang) {
        (Encoding::Unknown, Lang::Vi) => {
            "tệp không phải văn bản UTF-8 (không nhận ra bảng mã)".into()
        }
        (Encoding::Unknown, Lang::En) => {
            "the file is not UTF-8 text (its encoding is not recognised)".into()
        }
        (_, Lang::Vi) => format!("tệp được lưu bằng bảng mã {name}, không phải UTF-8"),
        (_, Lang::En) => format!("the file is saved in the {name} encoding, not UTF-8"),
    }
}

/// How to save a file as UTF-8, and, for text typed with a legacy font,
/// how to convert it.
pub(super) fn resave(e: Encoding, lang: Lang) -> String {
    let notepad = lang.pick(
        "Lưu lại bằng Notepad: File → Save As → Encoding: UTF-8",
        "Save it again in Notepad: File → Save As → Encoding: UTF-8",
    );
    match (e, lang) {
        (Encoding::Utf16NoBom | Encoding::Unknown, _) => notepad.into(),
        (_, Lang::Vi) => format!(
            "{notepad}; văn bản gõ bằng Word/Unikey: dùng \"Công cụ chuyển mã\" của Unikey, chuyển từ {} sang Unicode",
            encoding_name(e, lang)
        ),
        (_, Lang::En) => format!(
            "{notepad}; for text typed in Word/Unikey, convert it from {} to Unicode with Unikey's \"Công cụ chuyển mã\" (conversion tool)",
            encoding_name(e, lang)
        ),
    }
}
