//! What can be wrong with a line of the play log, where, and how one line
//! is told apart from a BOM, binary garbage or broken JSON.

use super::Record;

/// Where a line is: its month file's name and its 1-based line number.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Place {
    pub file: String,
    pub line: usize,
}

impl std::fmt::Display for Place {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}:{}", self.file, self.line)
    }
}

/// What is wrong with a line.
#[derive(Clone, Debug, PartialEq)]
pub enum Problem {
    /// The line's bytes changed since it was written.
    Edited,
    /// `count` lines are gone just before this one.
    Removed { count: u64 },
    /// The line is not where it was written; it followed `after`.
    Reordered { after: Place },
    /// This line and the `count - 1` after it were never written by loa:
    /// the line after them links to the line before them.
    Inserted { count: usize },
    /// The last line was cut short (a crash mid-write) and not yet repaired.
    Torn,
    /// The line is not a play-log line at all (not JSON, wrong version);
    /// `col` is where in the line the JSON went wrong (1-based characters).
    Unreadable { detail: String, col: Option<usize> },
    /// The line begins with a byte-order mark: an editor saved the file.
    Bom,
    /// The line holds bytes that are not text (not UTF-8, or control
    /// characters), first at character `col`: disk damage or overwriting.
    Binary { col: usize },
    /// `seq` does not follow the line before, though the chain does.
    Seq { expected: u64, found: u64 },
    /// A second final outcome, or a `start` after the final one.
    Duplicate { id: String, first: Place },
    /// A month file could not be read.
    Io { detail: String },
}

impl Problem {
    /// A short machine word for the kind of fault.
    pub fn kind(&self) -> &'static str {
        match self {
            Problem::Edited => "edited",
            Problem::Removed { .. } => "removed",
            Problem::Reordered { .. } => "reordered",
            Problem::Inserted { .. } => "inserted",
            Problem::Bom => "bom",
            Problem::Binary { .. } => "binary",
            Problem::Torn => "torn",
            Problem::Unreadable { .. } => "unreadable",
            Problem::Seq { .. } => "seq",
            Problem::Duplicate { .. } => "duplicate",
            Problem::Io { .. } => "io",
        }
    }

    /// The column in the line the problem is at, when it is at one.
    pub fn col(&self) -> Option<usize> {
        match self {
            Problem::Unreadable { col, .. } => *col,
            Problem::Bom => Some(1),
            Problem::Binary { col } => Some(*col),
            _ => None,
        }
    }
}

/// One fault, at the line it names.
#[derive(Clone, Debug, PartialEq)]
pub struct Fault {
    pub at: Place,
    /// The index of that line in [`Scan::lines`], when it has one.
    pub index: Option<usize>,
    pub problem: Problem,
}

impl Fault {
    /// `file:line`, or `file:line:column` when the problem is at a column
    /// (counted in the file's line, in characters).
    pub fn location(&self) -> String {
        match self.problem.col() {
            Some(col) => format!("{}:{col}", self.at),
            None => self.at.to_string(),
        }
    }
}

/// One complete line as a record, or what is wrong with it.
pub(super) fn parse_line(line: &[u8]) -> Result<Record, Problem> {
    const BOM: &[u8] = b"\xEF\xBB\xBF";
    if line.starts_with(BOM) {
        return Err(Problem::Bom);
    }
    // The first byte that is not text: a control character in the valid
    // part, or where the valid part ends.
    let (text, valid) = match std::str::from_utf8(line) {
        Ok(t) => (t, true),
        Err(e) => (
            std::str::from_utf8(&line[..e.valid_up_to()]).unwrap_or_default(),
            false,
        ),
    };
    // Control characters are U+0000-U+001F, U+007F and U+0080-U+009F
    // (0xC2 0x80-0x9F): a byte scan rules them out for almost every line,
    // and only a line with a 0xC2 byte or one of them is decoded to find it.
    let suspect = |b: u8| b < 0x20 || b == 0x7F || b == 0xC2;
    let may_have = text
        .as_bytes()
        .chunks(64)
        .any(|c| c.iter().fold(false, |a, &b| a | suspect(b)));
    if may_have && let Some(k) = text.chars().position(char::is_control) {
        return Err(Problem::Binary { col: k + 1 });
    }
    if !valid {
        return Err(Problem::Binary {
            col: text.chars().count() + 1,
        });
    }
    match serde_json::from_str::<Record>(text) {
        Ok(r) if r.v == 1 => Ok(r),
        Ok(r) => Err(Problem::Unreadable {
            detail: format!("v = {}", r.v),
            col: None,
        }),
        Err(e) => {
            // The parser sees one line: its "line 1" is the file's line, and
            // its column counts bytes; the message gives characters.
            let full = e.to_string();
            let at = format!(" at line {} column {}", e.line(), e.column());
            let detail = full.strip_suffix(&at).unwrap_or(&full).to_string();
            let col = (e.column() > 0).then(|| {
                let end = text.len().min(e.column() - 1);
                text.get(..end).map_or(end, |p| p.chars().count()) + 1
            });
            Err(Problem::Unreadable { detail, col })
        }
    }
}
