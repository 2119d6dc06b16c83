//! Reading the whole play log and checking it (SPEC §3, `loa log verify`):
//! the SHA-256 chain across every month file, the `seq` order, and the rule
//! that each occurrence ends in exactly one final `finish`.
//!
//! Each line's `prev` is the hash of the line before it, so a change is seen
//! at the link after it. Where a link breaks, the other lines tell what
//! happened: if `prev` names a line that is elsewhere in the log, lines were
//! reordered, unless the lines between are linked to by no line at all:
//! then they were inserted; if `seq` skips numbers that appear nowhere,
//! lines were removed; otherwise the line before was edited. The newest line has no link after
//! it: only the head hash printed on a signed report pins it.

use std::path::{Path, PathBuf};

use serde::Deserialize;

pub use super::problem::Fault;
use super::problem::{Fields, parse_fields, parse_line};
use super::verify_checks::{check_chain, check_occurrences};
use super::{AudioEntry, GENESIS, month_files};
use crate::kinds::{Event, Outcome, Priority, Reason};
pub use crate::kinds::{Place, Problem};

/// One line of the log, with every field any event may carry. Fields an
/// event does not have stay at their defaults.
#[derive(Clone, Debug, Default, Deserialize)]
pub struct Record {
    pub v: u32,
    pub seq: u64,
    pub at: String,
    pub event: Event,
    pub prev: String,
    #[serde(default)]
    pub id: Option<String>,
    #[serde(default)]
    pub schedule: Option<String>,
    #[serde(default)]
    pub broadcast: Option<String>,
    #[serde(default)]
    pub topic: Option<String>,
    #[serde(default)]
    pub priority: Option<Priority>,
    #[serde(default)]
    pub scheduled: Option<String>,
    #[serde(default)]
    pub audio: Vec<AudioEntry>,
    #[serde(default)]
    pub attempt: Option<u32>,
    #[serde(default)]
    pub outcome: Option<Outcome>,
    #[serde(default)]
    pub reason: Option<Reason>,
    #[serde(default)]
    pub played_s: Option<f64>,
    #[serde(default)]
    pub start_error_ms: Option<f64>,
    #[serde(default)]
    pub detail: Option<String>,
    #[serde(default)]
    pub station: Option<String>,
    #[serde(default)]
    pub output: Option<String>,
    /// A relay's source, on its `start`.
    #[serde(default)]
    pub source: Option<String>,
    /// A relay's sound received, on its `finish`.
    #[serde(default)]
    pub received_s: Option<f64>,
    /// The relay's source was down: its fallback played.
    #[serde(default)]
    pub fallback: bool,
    /// On `start`: whether the system clock was synchronised; absent in
    /// logs older than the field.
    #[serde(default)]
    pub clock_synced: Option<bool>,
}

impl Record {
    /// Whether this `finish` is its occurrence's final outcome (SPEC §3).
    /// An attempt cut by an emergency is not: the occurrence starts again
    /// (or is closed by another `finish`), and the last one counts.
    pub fn is_final(&self) -> bool {
        super::fold::is_final(self.outcome, self.reason.as_ref())
    }
}

/// A line read back, with where it is and its own hash.
#[derive(Clone, Debug)]
pub struct Line {
    pub place: Place,
    pub hash: String,
    /// None when the line is not a readable play-log line.
    pub record: Option<Record>,
}

/// The whole log read back and checked.
#[derive(Debug, Default)]
pub struct Scan {
    pub files: Vec<PathBuf>,
    pub lines: Vec<Line>,
    pub faults: Vec<Fault>,
    /// The hash of the newest line (the genesis link for an empty log).
    pub head: String,
    /// Occurrences whose `start` has no `finish` yet, at the end of the log:
    /// sounding now, or the daemon stopped and its next start closes them.
    pub open: Vec<(String, Place)>,
}

impl Scan {
    pub fn is_intact(&self) -> bool {
        self.faults.is_empty()
    }

    /// The first bad line, in log order.
    pub fn first_fault(&self) -> Option<&Fault> {
        self.faults.first()
    }

    /// The index of the first line that the chain no longer vouches for:
    /// every line from here on rests on a broken link.
    pub fn trusted_until(&self) -> usize {
        self.faults
            .iter()
            .filter_map(|f| f.index)
            .min()
            .unwrap_or(self.lines.len())
    }
}

/// Reads every month file in `dir`, oldest first, and checks it. Files are
/// read, parsed and hashed on all cores; the checks then run in log order.
pub fn scan(dir: &Path) -> Scan {
    let files = month_files(dir);
    let workers = std::thread::available_parallelism()
        .map(usize::from)
        .unwrap_or(1)
        .clamp(1, files.len().max(1));
    let next = std::sync::atomic::AtomicUsize::new(0);
    let parts: Vec<std::sync::Mutex<Option<Part>>> =
        files.iter().map(|_| std::sync::Mutex::new(None)).collect();
    std::thread::scope(|sc| {
        for _ in 0..workers {
            sc.spawn(|| {
                loop {
                    let n = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                    let Some(path) = files.get(n) else { break };
                    let part = read_file(path, n + 1 == files.len());
                    if let Ok(mut slot) = parts[n].lock() {
                        *slot = Some(part);
                    }
                }
            });
        }
    });
    let mut s = Scan {
        head: GENESIS.to_string(),
        ..Default::default()
    };
    let parts: Vec<Part> = parts
        .into_iter()
        .filter_map(|slot| slot.into_inner().ok().flatten())
        .collect();
    s.lines.reserve(parts.iter().map(|p| p.lines.len()).sum());
    for part in parts {
        let base = s.lines.len();
        s.faults.extend(part.faults.into_iter().map(|mut f| {
            f.index = f.index.map(|i| i + base);
            f
        }));
        s.lines.extend(part.lines);
    }
    s.files = files;
    if let Some(l) = s.lines.last() {
        s.head = l.hash.clone();
    }
    check_chain(&mut s);
    check_occurrences(&mut s);
    s.faults.sort_by_key(|f| f.index.unwrap_or(usize::MAX));
    s
}

/// One month file read back; fault indexes count from its first line.
#[derive(Default)]
pub(super) struct Part {
    pub(super) lines: Vec<Line>,
    pub(super) faults: Vec<Fault>,
}

pub(super) fn read_file(path: &Path, last_file: bool) -> Part {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let mut part = Part::default();
    match std::fs::read(path) {
        Ok(bytes) => read_lines(&mut part, &name, &bytes, last_file),
        Err(e) => part.faults.push(Fault {
            at: Place {
                file: name,
                line: 0,
            },
            index: Some(0),
            problem: Problem::Io {
                detail: e.to_string(),
            },
        }),
    }
    part
}

fn read_lines(s: &mut Part, name: &str, bytes: &[u8], last_file: bool) {
    let chunks = lines_of(bytes);
    read_chunk(s, name, &chunks, 0, last_file, true, None);
}

/// The lines of `bytes`, each with its newline (the last one may have
/// none), as `split_inclusive` gives them, found with SIMD (`memchr`).
pub(super) fn lines_of(bytes: &[u8]) -> Vec<&[u8]> {
    let mut out = Vec::with_capacity(bytes.len() / 256 + 1);
    let mut from = 0;
    for end in memchr::memchr_iter(b'\n', bytes) {
        out.push(&bytes[from..=end]);
        from = end + 1;
    }
    if from < bytes.len() {
        out.push(&bytes[from..]);
    }
    out
}

/// Reads `chunks`, the lines of `name` from line `first + 1` on; `last`
/// when they end the log; `hash` unless a second read, whose lines keep an
/// empty hash; `fields` for a stream read, which keeps only those (a fault
/// is then parsed again to be named). Fault indexes count from the part's
/// first line.
pub(super) fn read_chunk(
    s: &mut Part,
    name: &str,
    chunks: &[&[u8]],
    first: usize,
    last: bool,
    hash: bool,
    fields: Option<Fields>,
) {
    s.lines.reserve(chunks.len());
    for (k, raw) in chunks.iter().enumerate() {
        let place = Place {
            file: name.to_string(),
            line: first + k + 1,
        };
        let complete = raw.last() == Some(&b'\n');
        let line = raw.strip_suffix(b"\n").unwrap_or(raw);
        if !complete {
            // Only the very end of the log can be torn by a crash; a partial
            // line anywhere else means the files were tampered with.
            let problem = if last && k + 1 == chunks.len() {
                Problem::Torn
            } else {
                Problem::Edited
            };
            s.faults.push(Fault {
                at: place,
                index: Some(s.lines.len()),
                problem,
            });
            continue;
        }
        let index = s.lines.len();
        let lean = fields.and_then(|f| parse_fields(line, f));
        let record = match lean.map_or_else(|| parse_line(line), Ok) {
            Ok(r) => Some(r),
            Err(problem) => {
                s.faults.push(Fault {
                    at: place.clone(),
                    index: Some(index),
                    problem,
                });
                None
            }
        };
        s.lines.push(Line {
            place,
            hash: if hash {
                crate::hash::sha256_hex(line)
            } else {
                String::new()
            },
            record,
        });
    }
}
