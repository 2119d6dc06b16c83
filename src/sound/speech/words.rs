//! The built-in readings: administrative abbreviations, units, letter
//! names, and a test of whether an all-capital word is a Vietnamese
//! syllable ("THÔNG BÁO") or an abbreviation ("UBND").

/// Abbreviations of Vietnamese administration, as they are read aloud.
/// The station's `tts.lexicon` wins over this list.
pub const ABBREVIATIONS: &[(&str, &str)] = &[
    // Before "TP": the longer spelling first.
    ("TP.HCM", "thành phố Hồ Chí Minh"),
    ("TP. HCM", "thành phố Hồ Chí Minh"),
    ("TP.", "thành phố"),
    ("TX.", "thị xã"),
    ("TT.", "thị trấn"),
    ("COVID-19", "cô vít mười chín"),
    ("Covid-19", "cô vít mười chín"),
    ("covid-19", "cô vít mười chín"),
    ("BQL", "ban quản lý"),
    ("TDP", "tổ dân phố"),
    ("KDC", "khu dân cư"),
    ("HCM", "Hồ Chí Minh"),
    // Days of the week.
    ("T2", "thứ hai"),
    ("T3", "thứ ba"),
    ("T4", "thứ tư"),
    ("T5", "thứ năm"),
    ("T6", "thứ sáu"),
    ("T7", "thứ bảy"),
    ("CN", "chủ nhật"),
    ("UBND", "ủy ban nhân dân"),
    ("HĐND", "hội đồng nhân dân"),
    ("MTTQ", "mặt trận tổ quốc"),
    ("UBMTTQ", "ủy ban mặt trận tổ quốc"),
    ("CCHC", "cải cách hành chính"),
    ("TTHC", "thủ tục hành chính"),
    ("BHYT", "bảo hiểm y tế"),
    ("BHXH", "bảo hiểm xã hội"),
    ("THCS", "trung học cơ sở"),
    ("THPT", "trung học phổ thông"),
    ("CSGT", "cảnh sát giao thông"),
    ("PCCC", "phòng cháy chữa cháy"),
    ("PCTT", "phòng chống thiên tai"),
    ("TKCN", "tìm kiếm cứu nạn"),
    ("ATTP", "an toàn thực phẩm"),
    ("ATGT", "an toàn giao thông"),
    ("VSMT", "vệ sinh môi trường"),
    ("CNTT", "công nghệ thông tin"),
    ("CCCD", "căn cước công dân"),
    ("ĐBQH", "đại biểu quốc hội"),
    ("HTX", "hợp tác xã"),
    ("CLB", "câu lạc bộ"),
    ("BCH", "ban chấp hành"),
    ("BCĐ", "ban chỉ đạo"),
    ("TYT", "trạm y tế"),
    ("DQTV", "dân quân tự vệ"),
    ("NVQS", "nghĩa vụ quân sự"),
    ("HLHPN", "hội liên hiệp phụ nữ"),
    ("HND", "hội nông dân"),
    ("HCCB", "hội cựu chiến binh"),
    ("CCB", "cựu chiến binh"),
    ("NCT", "người cao tuổi"),
    ("KHHGĐ", "kế hoạch hóa gia đình"),
    ("KT-XH", "kinh tế xã hội"),
    ("GD&ĐT", "giáo dục và đào tạo"),
    ("NN&PTNT", "nông nghiệp và phát triển nông thôn"),
    ("TN&MT", "tài nguyên và môi trường"),
    ("LĐTB&XH", "lao động thương binh và xã hội"),
    ("TW", "trung ương"),
    ("VN", "Việt Nam"),
    ("TP", "thành phố"),
    // Kinds of documents (also inside a document's number, "12/QĐ-UBND").
    // KH, HD and CV are read only inside one: see [`DOCUMENT_CODES`].
    ("QĐ", "quyết định"),
    ("NĐ", "nghị định"),
    ("NQ", "nghị quyết"),
    ("VP", "văn phòng"),
    ("GS", "giáo sư"),
    ("TS", "tiến sĩ"),
    ("ThS", "thạc sĩ"),
    ("BS", "bác sĩ"),
];

/// Codes read this way only inside a document's number ("05/CT-TTg",
/// "39/2020/TT-BTTTT"): outside one they mean other things ("TT." is
/// "thị trấn", "CT" often "chủ tịch", "CP" "cổ phần", "TB" "trung bình",
/// "KH" "khách hàng" in an electricity notice, "HD" "hợp đồng", "CV" a
/// résumé or horsepower). Outside a number they are spelled and warned
/// about as unread, so the station writes its own reading in the lexicon.
/// Looked up after the station's lexicon and before [`ABBREVIATIONS`].
pub const DOCUMENT_CODES: &[(&str, &str)] = &[
    ("TT", "thông tư"),
    ("KH", "kế hoạch"),
    ("HD", "hướng dẫn"),
    ("CV", "công văn"),
    ("CT", "chỉ thị"),
    ("CP", "chính phủ"),
    ("TB", "thông báo"),
    ("TTg", "thủ tướng"),
    ("QH", "quốc hội"),
    ("TU", "tỉnh ủy"),
    ("HU", "huyện ủy"),
    ("ĐU", "đảng ủy"),
    ("BTTTT", "bộ thông tin và truyền thông"),
    ("BYT", "bộ y tế"),
    ("BTC", "bộ tài chính"),
    ("BCA", "bộ công an"),
    ("BNV", "bộ nội vụ"),
];

/// Units written after a number, as they are read.
pub const UNITS: &[(&str, &str)] = &[
    ("%", "phần trăm"),
    ("km/h", "ki lô mét một giờ"),
    ("km²", "ki lô mét vuông"),
    ("km2", "ki lô mét vuông"),
    ("km", "ki lô mét"),
    ("cm", "xen ti mét"),
    ("mm", "mi li mét"),
    ("m²", "mét vuông"),
    ("m2", "mét vuông"),
    ("m³", "mét khối"),
    ("m3", "mét khối"),
    ("m", "mét"),
    ("kg", "ki lô gam"),
    ("g", "gam"),
    ("ha", "héc ta"),
    ("ml", "mi li lít"),
    ("l", "lít"),
    ("°C", "độ xê"),
    ("độ C", "độ xê"),
    ("VNĐ", "đồng"),
    ("vnđ", "đồng"),
    ("đ", "đồng"),
];

/// How each Latin letter is named in Vietnamese, for spelling an unknown
/// abbreviation.
pub fn letter(c: char) -> Option<&'static str> {
    Some(match c.to_uppercase().next()? {
        'A' => "a",
        'B' => "bê",
        'C' => "xê",
        'D' => "dê",
        'Đ' => "đê",
        'E' => "e",
        'F' => "ép",
        'G' => "giê",
        'H' => "hát",
        'I' => "i",
        'J' => "gi",
        'K' => "ca",
        'L' => "e lờ",
        'M' => "em mờ",
        'N' => "en nờ",
        'O' => "o",
        'P' => "pê",
        'Q' => "quy",
        'R' => "e rờ",
        'S' => "ét",
        'T' => "tê",
        'U' => "u",
        'V' => "vê",
        'W' => "vê kép",
        'X' => "ích",
        'Y' => "i",
        'Z' => "dét",
        _ => return None,
    })
}

const INITIALS: &[&str] = &[
    "ngh", "ch", "gh", "gi", "kh", "ng", "nh", "ph", "qu", "th", "tr", "b", "c", "d", "đ", "g",
    "h", "k", "l", "m", "n", "p", "r", "s", "t", "v", "x", "",
];
const FINALS: &[&str] = &["ch", "ng", "nh", "c", "m", "n", "p", "t", ""];

/// Whether `word` (letters only) can be one Vietnamese syllable: an
/// initial consonant, one to three vowels, a final consonant. An
/// all-capital word that can ("BAO", "TIN") is a word; one that cannot
/// ("UBND", "HTX") is an abbreviation.
pub fn syllable(word: &str) -> bool {
    let w = word.to_lowercase();
    let vowel = |c: char| "aeiouy".contains(c);
    INITIALS.iter().any(|i| {
        let Some(rest) = w.strip_prefix(i) else {
            return false;
        };
        let n = rest.chars().take_while(|c| vowel(*c)).count();
        (1..=3).contains(&n) && FINALS.contains(&&rest[n..])
    })
}
