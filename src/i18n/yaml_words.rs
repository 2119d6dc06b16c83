//! The YAML reader's and the operating system's own messages, which are
//! English, put into the operator's words: its limits as figures, and its common syntax errors in
//! Vietnamese. A message not recognised keeps the reader's text, marked as
//! such, rather than being lost.

use super::Lang;

/// Which of the reader's limits a file broke (see `yaml::options`).
enum Limit {
    Bytes(u64),
    Nodes(u64),
    Aliases,
    Depth,
    Other,
}

/// The first number in `s`.
fn number(s: &str) -> Option<u64> {
    let start = s.find(|c: char| c.is_ascii_digit())?;
    let digits: String = s[start..]
        .chars()
        .take_while(char::is_ascii_digit)
        .collect();
    digits.parse().ok()
}

fn limit_of(detail: &str) -> Limit {
    let lower = detail.to_ascii_lowercase();
    if lower.contains("alias") || lower.contains("anchor") {
        Limit::Aliases
    } else if lower.contains("depth") {
        Limit::Depth
    } else if lower.contains("node") || lower.contains("event") {
        number(detail).map_or(Limit::Other, Limit::Nodes)
    } else if lower.ends_with("bytes") || lower.contains("input_bytes") {
        number(detail).map_or(Limit::Other, Limit::Bytes)
    } else {
        Limit::Other
    }
}

/// Whether the limit broken is the one on anchors and aliases.
pub(super) fn is_alias(detail: &str) -> bool {
    matches!(limit_of(detail), Limit::Aliases)
}

/// "The file is too large", with the figure, in `lang`.
pub(super) fn limit(detail: &str, lang: Lang) -> String {
    let mb = |n: u64| format!("{:.1}", n as f64 / 1_048_576.0);
    match (limit_of(detail), lang) {
        (Limit::Bytes(n), Lang::Vi) => {
            format!("tệp YAML quá lớn ({} MB, tối đa 1 MB)", mb(n))
        }
        (Limit::Bytes(n), Lang::En) => {
            format!("the YAML file is too large ({} MB, at most 1 MB)", mb(n))
        }
        (Limit::Nodes(n), Lang::Vi) => format!(
            "tệp YAML có quá nhiều phần tử (hơn {} giá trị, tối đa 50000)",
            n.saturating_sub(1)
        ),
        (Limit::Nodes(n), Lang::En) => format!(
            "the YAML file has too many items (more than {} values, at most 50000)",
            n.saturating_sub(1)
        ),
        (Limit::Aliases, Lang::Vi) => "tệp YAML dùng quá nhiều neo/bí danh (&, *)".to_string(),
        (Limit::Aliases, Lang::En) => {
            "the YAML file uses too many anchors or aliases (&, *)".to_string()
        }
        (Limit::Depth, Lang::Vi) => "tệp YAML lồng nhau quá sâu (tối đa 32 mức)".to_string(),
        (Limit::Depth, Lang::En) => {
            "the YAML file is nested too deeply (at most 32 levels)".to_string()
        }
        (Limit::Other, Lang::Vi) => "tệp YAML quá lớn hoặc quá phức tạp".to_string(),
        (Limit::Other, Lang::En) => "the YAML file is too large or too complex".to_string(),
    }
}

/// The reader's words for kinds of value, in Vietnamese.
const KINDS: &[(&str, &str)] = &[
    ("a text, number or true/false", "chữ, số hoặc true/false"),
    ("a sequence", "một danh sách"),
    ("sequence", "danh sách [..]"),
    ("a map", "một bảng khóa: giá trị"),
    ("map", "bảng khóa: giá trị"),
    ("a string", "chữ"),
    ("string", "chữ"),
    ("integer", "số nguyên"),
    ("boolean", "true/false"),
    ("unit value", "giá trị rỗng"),
];

fn kind_vi(s: &str) -> String {
    let s = s.trim();
    KINDS
        .iter()
        .find(|(en, _)| *en == s)
        .map_or_else(|| s.to_string(), |(_, vi)| vi.to_string())
}

/// Common syntax messages of the YAML reader, in Vietnamese.
const SYNTAX: &[(&str, &str)] = &[
    (
        "mapping values are not allowed in this context",
        "không được có dấu hai chấm \":\" ở đây (đặt giá trị có dấu hai chấm trong dấu nháy, ví dụ \"07:30\"), hoặc thụt lề sai",
    ),
    (
        "did not find expected key",
        "thiếu tên khóa hoặc thụt lề không thẳng hàng",
    ),
    (
        "did not find expected ',' or ']'",
        "thiếu dấu phẩy \",\" hoặc dấu đóng ngoặc \"]\"",
    ),
    (
        "did not find expected ',' or '}'",
        "thiếu dấu phẩy \",\" hoặc dấu đóng ngoặc \"}\"",
    ),
    (
        "found unexpected end of stream",
        "tệp kết thúc giữa chừng (thiếu dấu nháy hoặc dấu ngoặc đóng)",
    ),
    (
        "found character that cannot start any token",
        "có ký tự không thể đứng đầu một giá trị (ví dụ @ hoặc `): đặt giá trị trong dấu nháy",
    ),
    (
        "block sequence entries are not allowed in this context",
        "không được có dấu gạch \"-\" ở đây: kiểm tra thụt lề",
    ),
    ("duplicate", "một khóa bị viết hai lần"),
];

/// `detail` in Vietnamese, as far as it is recognised.
pub(super) fn syntax_vi(detail: &str) -> String {
    // An alias's places come after the message: "(defined at line 5,
    // column 16) (used at line 6, column 18)".
    if let Some(at) = detail.find(" (defined at ") {
        let places = detail[at..]
            .replace("defined at line", "định nghĩa ở dòng")
            .replace("used at line", "dùng ở dòng")
            .replace("column", "cột");
        return format!("{}{places}", syntax_vi(&detail[..at]));
    }
    if let Some(rest) = detail.strip_prefix("invalid type: ")
        && let Some((found, expected)) = rest.split_once(", expected ")
    {
        return format!(
            "sai kiểu giá trị: gặp {}, cần {}",
            kind_vi(found),
            kind_vi(expected)
        );
    }
    let lower = detail.to_ascii_lowercase();
    if let Some((_, vi)) = SYNTAX.iter().find(|(en, _)| lower.contains(en)) {
        return vi.to_string();
    }
    format!("(thông báo gốc tiếng Anh) {detail}")
}

/// The operating system's common errors (Rust's io::Error text: "Permission
/// denied (os error 13)"), in Vietnamese; another keeps its text, marked.
pub(crate) fn os_vi(detail: &str) -> String {
    const OS: &[(&str, &str)] = &[
        ("(os error 2)", "không có tệp hoặc thư mục này"),
        (
            "(os error 13)",
            "không có quyền đọc: cho người dùng loa quyền đọc tệp",
        ),
        ("(os error 21)", "đây là một thư mục, không phải tệp"),
        ("(os error 36)", "tên tệp quá dài (tối đa 255 byte)"),
        ("(os error 5)", "lỗi đọc đĩa: kiểm tra thẻ nhớ hoặc ổ đĩa"),
        ("(os error 28)", "đĩa đã đầy"),
        ("(os error 30)", "ổ đĩa chỉ cho đọc"),
    ];
    OS.iter()
        .find(|(code, _)| detail.ends_with(code))
        .map_or_else(
            || format!("(thông báo gốc tiếng Anh) {detail}"),
            |(_, vi)| vi.to_string(),
        )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn limits_are_figures_not_debug_text() {
        let d = "budget breached: Nodes { nodes: 50001 }";
        assert_eq!(
            limit(d, Lang::En),
            "the YAML file has too many items (more than 50000 values, at most 50000)"
        );
        assert!(
            !limit(d, Lang::Vi).contains("Nodes"),
            "{}",
            limit(d, Lang::Vi)
        );
        assert!(!is_alias(d));
        assert!(is_alias("budget breached: Aliases { aliases: 201 }"));
        assert!(limit("2097152 bytes", Lang::Vi).contains("2.0 MB"));
    }

    #[test]
    fn os_errors_read_in_vietnamese() {
        // As Rust prints io::Error: the OS's text, then its code.
        assert_eq!(
            os_vi("Permission denied (os error 13)"),
            "không có quyền đọc: cho người dùng loa quyền đọc tệp"
        );
        assert_eq!(
            os_vi("Is a directory (os error 21)"),
            "đây là một thư mục, không phải tệp"
        );
        assert!(
            os_vi("permission denied").starts_with("(thông báo gốc"),
            "kept, marked"
        );
    }

    #[test]
    fn common_syntax_errors_read_in_vietnamese() {
        assert_eq!(
            syntax_vi("invalid type: sequence, expected a text, number or true/false"),
            "sai kiểu giá trị: gặp danh sách [..], cần chữ, số hoặc true/false"
        );
        assert!(
            syntax_vi("mapping values are not allowed in this context").contains("dấu hai chấm")
        );
        assert!(syntax_vi("something new").starts_with("(thông báo gốc tiếng Anh)"));
        assert_eq!(
            syntax_vi(
                "invalid type: map, expected integer (defined at line 5, column 16) (used at line 6, column 18)"
            ),
            "sai kiểu giá trị: gặp bảng khóa: giá trị, cần số nguyên (định nghĩa ở dòng 5, cột 16) (dùng ở dòng 6, cột 18)"
        );
    }
}
