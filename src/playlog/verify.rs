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

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use super::fold::{Fold, Stage};
pub use super::problem::Fault;
use super::problem::{Fields, parse_fields, parse_line};
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

/// Lines that loa never wrote: for each broken link whose `prev` names a
/// line further back, the lines between, if no line links to any of them.
/// Returns (first inserted index, count, index of the line after them).
fn insertions(s: &Scan, by_hash: &HashMap<&str, usize>) -> Vec<(usize, usize, usize)> {
    let linked: std::collections::HashSet<&str> = s
        .lines
        .iter()
        .filter_map(|l| l.record.as_ref().map(|r| r.prev.as_str()))
        .collect();
    let mut out = Vec::new();
    for (i, l) in s.lines.iter().enumerate() {
        let Some(r) = &l.record else { continue };
        let Some(&j) = by_hash.get(r.prev.as_str()) else {
            continue;
        };
        // A line that links to a later one was written after it: moved.
        let foreign = |x: &Line| {
            !linked.contains(x.hash.as_str())
                && x.record
                    .as_ref()
                    .is_none_or(|r| by_hash.get(r.prev.as_str()).is_none_or(|&k| k < i))
        };
        if j + 1 < i && s.lines[j + 1..i].iter().all(foreign) {
            out.push((j + 1, i - j - 1, i));
        }
    }
    out
}

/// Checks every `prev` link and `seq` step and says what broke each one.
fn check_chain(s: &mut Scan) {
    // Built only when a link breaks: an intact log needs neither.
    let mut by_hash: Option<HashMap<&str, usize>> = None;
    let mut seqs: Option<std::collections::HashSet<u64>> = None;
    let mut faults = Vec::new();
    // Inserted lines and the line after them are named once, as inserted.
    let mut skip = std::collections::HashSet::new();
    let broken = s.lines.iter().enumerate().any(|(i, l)| {
        l.record.as_ref().is_some_and(|r| {
            r.prev
                != i.checked_sub(1)
                    .map_or(GENESIS, |p| s.lines[p].hash.as_str())
        })
    });
    if broken {
        let by_hash = by_hash.get_or_insert_with(|| {
            s.lines
                .iter()
                .enumerate()
                .map(|(i, l)| (l.hash.as_str(), i))
                .collect()
        });
        for (first, count, after) in insertions(s, by_hash) {
            skip.extend(first..=after);
            // Garbage slipped in is already named for what it is.
            if s.lines[first..after].iter().any(|l| l.record.is_some()) {
                faults.push((first, Problem::Inserted { count }));
            }
        }
    }
    for i in 0..s.lines.len() {
        let Some(r) = &s.lines[i].record else {
            continue;
        };
        if skip.contains(&i) {
            continue;
        }
        let (want, prev_seq) = match i.checked_sub(1) {
            None => (GENESIS, 0),
            Some(p) => (
                s.lines[p].hash.as_str(),
                s.lines[p]
                    .record
                    .as_ref()
                    .map_or(r.seq.saturating_sub(1), |p| p.seq),
            ),
        };
        if r.prev == want {
            if r.seq != prev_seq + 1 {
                faults.push((
                    i,
                    Problem::Seq {
                        expected: prev_seq + 1,
                        found: r.seq,
                    },
                ));
            }
            continue;
        }
        let by_hash = by_hash.get_or_insert_with(|| {
            s.lines
                .iter()
                .enumerate()
                .map(|(i, l)| (l.hash.as_str(), i))
                .collect()
        });
        let seqs = seqs.get_or_insert_with(|| {
            s.lines
                .iter()
                .filter_map(|l| l.record.as_ref().map(|r| r.seq))
                .collect()
        });
        if let Some(&j) = by_hash.get(r.prev.as_str()) {
            faults.push((
                i,
                Problem::Reordered {
                    after: s.lines[j].place.clone(),
                },
            ));
        } else if r.seq > prev_seq + 1
            && (r.seq - prev_seq > s.lines.len() as u64
                || (prev_seq + 1..r.seq).all(|q| !seqs.contains(&q)))
        {
            faults.push((
                i,
                Problem::Removed {
                    count: r.seq - prev_seq - 1,
                },
            ));
        } else if i == 0 {
            faults.push((i, Problem::Edited));
        } else if s.lines[i - 1].record.is_some() {
            // An unreadable line is already named; an edited one is named here.
            faults.push((i - 1, Problem::Edited));
        }
    }
    for (i, problem) in faults {
        s.faults.push(Fault {
            at: s.lines[i].place.clone(),
            index: Some(i),
            problem,
        });
    }
}

/// Checks that no occurrence is closed twice or started after its end.
fn check_occurrences(s: &mut Scan) {
    // Lines loa never wrote say nothing about what aired; the real lines
    // around them are not duplicates of them.
    let forged: std::collections::HashSet<usize> = s
        .faults
        .iter()
        .filter_map(|f| match f.problem {
            Problem::Inserted { count } => f.index.map(|i| i..i + count),
            _ => None,
        })
        .flatten()
        .collect();
    let mut fold: Fold<&str> = Fold::default();
    // Where each occurrence's newest accepted line is: what a refused line
    // repeats.
    let mut last_place: HashMap<&str, Place> = HashMap::new();
    let mut open: HashMap<&str, Place> = HashMap::new();
    let mut faults = Vec::new();
    for (i, l) in s.lines.iter().enumerate() {
        let Some(r) = &l.record else { continue };
        if forged.contains(&i) {
            continue;
        }
        let Some(id) = r.id.as_deref() else { continue };
        match fold.line(id, &r.event, r.is_final()) {
            Ok(None) => {}
            Ok(Some(step)) => {
                last_place.insert(id, l.place.clone());
                if step.now == Stage::Open {
                    open.insert(id, l.place.clone());
                } else {
                    open.remove(id);
                }
            }
            Err(_) => {
                let first = last_place
                    .get(id)
                    .cloned()
                    .unwrap_or_else(|| l.place.clone());
                faults.push((i, id, first));
            }
        }
    }
    let mut open: Vec<(String, Place)> = open
        .into_iter()
        .map(|(id, p)| (id.to_string(), p))
        .collect();
    open.sort_by(|a, b| (&a.1.file, a.1.line).cmp(&(&b.1.file, b.1.line)));
    let faults: Vec<Fault> = faults
        .into_iter()
        .map(|(i, id, first)| Fault {
            at: s.lines[i].place.clone(),
            index: Some(i),
            problem: Problem::Duplicate {
                id: id.to_string(),
                first,
            },
        })
        .collect();
    s.faults.extend(faults);
    s.open = open;
}
