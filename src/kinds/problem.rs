//! What can be wrong with a line of the play log, and where: found by the
//! log's readers, put into words by the message catalogue.

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
