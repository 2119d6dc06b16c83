//! Located diagnostics: what `check` prints and what a refused reload records.
//!
//! A diagnostic keeps the file, line, column and the offending source line, so
//! the message can be rendered with a caret long after the file was read.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use crate::i18n::{Lang, Msg};

/// How bad a finding is. Errors make `check` exit 1; warnings do not.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    Error,
    Warning,
}

/// A place in a text file, 1-based.
#[derive(
    Clone,
    Copy,
    Debug,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Default,
    serde::Serialize,
    serde::Deserialize,
)]
pub struct Pos {
    pub line: u64,
    pub col: u64,
}

impl Pos {
    pub fn new(line: u64, col: u64) -> Self {
        Pos { line, col }
    }

    /// Position of a value that serde-saphyr located; `None` for unknown spans.
    pub fn from_saphyr(loc: &serde_saphyr::Location) -> Option<Pos> {
        (loc.line() > 0).then(|| Pos::new(loc.line(), loc.column().max(1)))
    }
}

/// One finding about one file. Kept as data (a message code with its
/// arguments) and put into words only when shown, so a file that holds it
/// reads in either language.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Diagnostic {
    pub severity: Severity,
    /// The file as the operator knows it (relative to the station folder).
    pub file: PathBuf,
    pub pos: Option<Pos>,
    /// The source line at `pos`, kept for the caret display.
    pub source_line: Option<String>,
    pub msg: Msg,
}

impl Diagnostic {
    /// An error at a position in `source` (the file's text).
    pub fn at(file: &Path, source: &str, pos: Option<Pos>, msg: Msg) -> Self {
        let source_line = pos.and_then(|p| line_of(source, p.line));
        Diagnostic {
            severity: Severity::Error,
            file: file.to_path_buf(),
            pos,
            source_line,
            msg,
        }
    }

    /// An error about a whole file (no position).
    pub fn file(file: &Path, msg: Msg) -> Self {
        Diagnostic {
            severity: Severity::Error,
            file: file.to_path_buf(),
            pos: None,
            source_line: None,
            msg,
        }
    }

    pub fn warning(mut self) -> Self {
        self.severity = Severity::Warning;
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// `file:line:col` (or just the file when there is no position).
    pub fn location(&self) -> String {
        match self.pos {
            Some(p) => format!("{}:{}:{}", self.file.display(), p.line, p.col),
            None => self.file.display().to_string(),
        }
    }

    /// The one-line form used in the play log and the status file.
    pub fn one_line(&self, lang: Lang) -> String {
        format!("{}: {}", self.location(), visible(&self.msg.text(lang)))
    }

    /// The full form: headline, the source line with a caret, and the fix.
    pub fn render(&self, lang: Lang) -> String {
        let mut out = String::new();
        let label = match self.severity {
            Severity::Error => Msg::LabelError.text(lang),
            Severity::Warning => Msg::LabelWarning.text(lang),
        };
        let text = visible(&self.msg.text(lang));
        let _ = writeln!(out, "{label}: {}: {text}", self.location());
        if let (Some(pos), Some(line)) = (self.pos, &self.source_line) {
            let num = pos.line.to_string();
            let pad = " ".repeat(num.len());
            let shown = visible(&line.replace('\t', "→"));
            let caret_at = caret_offset(line, pos.col);
            let _ = writeln!(out, " {pad} |");
            let _ = writeln!(out, " {num} | {shown}");
            let _ = writeln!(out, " {pad} | {}^", " ".repeat(caret_at));
        }
        if let Some(hint) = self.msg.hint(lang) {
            let _ = writeln!(out, "  = {}: {hint}", Msg::LabelHint.text(lang));
        }
        out
    }
}

/// Text as it may go to a terminal or a log: each control character (see
/// [`crate::chars::control_char`]) shown as one visible character (its
/// Unicode picture, ␊ for a line break, ␛ for an escape), so a value quoted
/// in a message cannot forge a line or drive the terminal, and the caret
/// keeps its column.
pub fn visible(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            '\u{0}'..='\u{1f}' => char::from_u32(0x2400 + u32::from(c)).unwrap_or('\u{fffd}'),
            '\u{7f}' => '\u{2421}',
            c if crate::chars::control_char(c.encode_utf8(&mut [0; 4])).is_some() => '\u{fffd}',
            c => c,
        })
        .collect()
}

/// Number of display cells before column `col` (1-based, counted in chars).
fn caret_offset(line: &str, col: u64) -> usize {
    let col = usize::try_from(col.max(1) - 1).unwrap_or(0);
    line.chars().take(col).count()
}

/// The 1-based line `n` of `text`, without its line ending.
pub fn line_of(text: &str, n: u64) -> Option<String> {
    let idx = usize::try_from(n.checked_sub(1)?).ok()?;
    text.lines()
        .nth(idx)
        .map(|l| l.trim_end_matches('\r').to_string())
}

/// Renders a list of diagnostics, errors first, in file order.
pub fn render_all(diags: &[Diagnostic], lang: Lang) -> String {
    let mut sorted: Vec<&Diagnostic> = diags.iter().collect();
    sorted.sort_by(|a, b| {
        (a.severity, &a.file, a.pos.map(|p| (p.line, p.col))).cmp(&(
            b.severity,
            &b.file,
            b.pos.map(|p| (p.line, p.col)),
        ))
    });
    sorted
        .iter()
        .map(|d| d.render(lang))
        .collect::<Vec<_>>()
        .join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn caret_points_at_the_column_even_after_vietnamese_text() {
        let src = "title: Tuyên truyền\n  at: [\"25:00\"]\n";
        let d = Diagnostic::at(
            Path::new("schedules/a.yaml"),
            src,
            Some(Pos::new(2, 8)),
            Msg::BadTime {
                value: "25:00".into(),
            },
        );
        let text = d.render(Lang::En);
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(
            lines[0],
            "error: schedules/a.yaml:2:8: invalid time \"25:00\""
        );
        assert_eq!(lines[2], " 2 |   at: [\"25:00\"]");
        assert_eq!(lines[3], "   |        ^");
    }

    #[test]
    fn control_characters_in_a_message_are_shown_not_sent() {
        let d = Diagnostic::at(
            Path::new("schedules/a.yaml"),
            "  - name: \"x\\e[2J\"\n",
            Some(Pos::new(1, 11)),
            Msg::DuplicateBroadcast {
                name: "x\nINFO \u{1b}[2J".into(),
            },
        );
        let text = d.render(Lang::En);
        assert!(text.contains("\"x␊INFO ␛[2J\""), "{text}");
        assert!(!text.contains('\u{1b}'), "{text}");
        assert_eq!(text.lines().count(), 5, "{text}");
    }

    #[test]
    fn line_of_handles_out_of_range_and_crlf() {
        assert_eq!(line_of("a\r\nb\r\n", 2).as_deref(), Some("b"));
        assert_eq!(line_of("a\n", 0), None);
        assert_eq!(line_of("a\n", 5), None);
    }
}
