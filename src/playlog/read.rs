//! Reading the play log back: where the chain ends, which occurrences are
//! already closed, and what a crash left behind.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use super::{GENESIS, Record, Start};
use crate::kinds::Event;

/// What start-up needs to know about the log.
#[derive(Debug, Default)]
pub struct LogState {
    /// The newest line's seq (0 when the log is empty).
    pub seq: u64,
    /// SHA-256 of the newest line (the genesis link when empty).
    pub head: String,
    /// The newest line's `at`.
    pub last_at: Option<chrono::DateTime<chrono::FixedOffset>>,
    /// Occurrences with a `finish` in the files read, by id.
    pub finished: HashMap<String, Closed>,
    /// Occurrences whose newest `start` has no `finish` after it.
    pub open: HashMap<String, Start>,
    /// A partial last line left by a crash: (file, byte offset where it starts).
    pub torn: Option<(PathBuf, u64)>,
}

/// An occurrence closed on record, as the log's own fields name it (its
/// schedule, broadcast, scheduled time and output: never read back out of
/// its id).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Closed {
    /// Its id without an output ([`crate::plan::base_id`]); None when no
    /// line read names its schedule and time.
    pub base: Option<String>,
    /// The output it was closed on.
    pub output: Option<String>,
    /// When it was due.
    pub due: Option<chrono::DateTime<chrono::Utc>>,
}

impl Closed {
    /// What a `start` (or a `finish` with no start) says of its occurrence.
    pub fn of(desc: &super::Description, output: Option<&str>) -> Closed {
        Closed {
            base: Some(crate::plan::base_id(
                &desc.schedule,
                &desc.broadcast,
                &desc.scheduled,
            )),
            output: output.map(str::to_string),
            due: chrono::DateTime::parse_from_rfc3339(&desc.scheduled)
                .ok()
                .map(|t| t.with_timezone(&chrono::Utc)),
        }
    }
}

/// The month files (`YYYY-MM.jsonl`) in `dir`, oldest first.
pub fn month_files(dir: &Path) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|rd| {
            rd.flatten()
                .map(|e| e.path())
                .filter(|p| {
                    p.file_name().and_then(|n| n.to_str()).is_some_and(|n| {
                        n.len() == "2025-01.jsonl".len()
                            && n.ends_with(".jsonl")
                            && n.as_bytes()[4] == b'-'
                    })
                })
                .collect()
        })
        .unwrap_or_default();
    v.sort();
    v
}

/// Reads the newest month files (the whole log when `all`, else the last
/// two) to find the chain head and the state of recent occurrences.
pub fn read_state(dir: &Path, all: bool) -> std::io::Result<LogState> {
    let files = month_files(dir);
    let mut st = LogState {
        head: GENESIS.to_string(),
        ..Default::default()
    };
    let skip = if all {
        0
    } else {
        files.len().saturating_sub(2)
    };
    // The head and seq always come from the newest file, read whole.
    for (n, path) in files.iter().enumerate().skip(skip) {
        let bytes = std::fs::read(path)?;
        let is_last = n + 1 == files.len();
        let mut offset = 0usize;
        for raw in bytes.split_inclusive(|b| *b == b'\n') {
            let complete = raw.last() == Some(&b'\n');
            let line = raw.strip_suffix(b"\n").unwrap_or(raw);
            let parsed = std::str::from_utf8(line)
                .ok()
                .and_then(|s| serde_json::from_str::<Record>(s).ok());
            match parsed {
                Some(l) if complete => {
                    st.seq = l.seq;
                    st.head = crate::hash::sha256_hex(line);
                    st.last_at = chrono::DateTime::parse_from_rfc3339(&l.at).ok();
                    note(&mut st, &l, line);
                }
                _ if is_last && offset + raw.len() == bytes.len() => {
                    st.torn = Some((path.clone(), offset as u64));
                }
                // A bad line in the middle is for `log verify` to name; the
                // chain head still comes from the last good line.
                _ => {}
            }
            offset += raw.len();
        }
    }
    Ok(st)
}

fn note(st: &mut LogState, l: &Record, raw: &[u8]) {
    let Some(id) = &l.id else { return };
    match l.event {
        Event::Start => {
            if let Ok(s) = serde_json::from_slice::<Start>(raw) {
                st.open.insert(id.clone(), s);
            }
        }
        Event::Finish => {
            let start = st.open.remove(id);
            let output = l.output.clone().or_else(|| start.as_ref()?.output.clone());
            let closed = match (&start, &l.schedule, &l.broadcast, &l.scheduled) {
                (Some(s), ..) => Closed::of(&s.occ.desc, output.as_deref()),
                // A finish with no start names its occurrence itself.
                (None, Some(file), Some(name), Some(at)) => Closed {
                    base: Some(crate::plan::base_id(file, name, at)),
                    output,
                    due: chrono::DateTime::parse_from_rfc3339(at)
                        .ok()
                        .map(|t| t.with_timezone(&chrono::Utc)),
                },
                (None, ..) => Closed {
                    output,
                    ..Closed::default()
                },
            };
            st.finished.insert(id.clone(), closed);
        }
        _ => {}
    }
}

/// Moves a torn last line aside whole into `torn-<name>-<offset>.txt`
/// beside the log, then cuts it from the month file so the chain can go on
/// from the last good line. Returns the name of the file it wrote.
pub fn move_torn(dir: &Path, file: &Path, offset: u64) -> std::io::Result<String> {
    let bytes = std::fs::read(file)?;
    let start = usize::try_from(offset)
        .unwrap_or(bytes.len())
        .min(bytes.len());
    let stem = file.file_stem().and_then(|s| s.to_str()).unwrap_or("log");
    let name = format!("torn-{stem}-{offset}.txt");
    let aside = dir.join(&name);
    std::fs::write(&aside, &bytes[start..])?;
    std::fs::File::open(&aside)?.sync_all()?;
    let f = std::fs::OpenOptions::new().write(true).open(file)?;
    f.set_len(offset)?;
    f.sync_all()?;
    Ok(name)
}
