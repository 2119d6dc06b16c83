//! The play log read as a stream: month files one after another, in log
//! order, while the next ones are read, parsed and hashed on the other
//! cores. Memory is a few month files, whatever the log's length.
//!
//! [`Checker`] checks an intact log line by line: the chain, `seq` and the
//! one-final-outcome rule, keeping a 16-byte fingerprint per occurrence
//! closed (about 9 MB over five years, 13 MB while its table grows) and the open starts. At the
//! first sign of any fault it stops: naming faults takes the whole log in
//! memory ([`super::scan`]), and a broken log is read again that way.

use std::collections::{BTreeMap, HashMap};
use std::hash::{Hash as _, Hasher as _};
use std::path::{Path, PathBuf};
use std::sync::{Condvar, Mutex, MutexGuard};

use super::fold::{Fold, Stage};
use super::problem::Fields;
use super::verify::{Part, lines_of, read_chunk};
use super::{GENESIS, Line, Place, month_files};

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

/// Lines parsed in one piece of work.
const CHUNK: usize = 1024;
/// Chunks parsed ahead of the one in use, at most (plus one per core).
const AHEAD: usize = 4;

/// A chunk read ahead.
#[derive(Debug, Default)]
pub struct Chunk {
    /// Its lines, hashed on a first read only (`hash` empty on a second).
    pub lines: Vec<Line>,
    /// A line in it is not a readable play log line, or the file could not
    /// be read.
    pub faults: bool,
    /// The file's last chunk (an empty chunk for an empty file).
    pub ends: bool,
    /// CRC-32 of the chunk's bytes: a second read checks it reads what the
    /// first did without hashing every line again.
    pub sum: u32,
}

struct Window {
    ready: BTreeMap<(usize, usize), Chunk>,
    /// The file being consumed.
    current: usize,
    stop: bool,
}

/// Calls `each(n, chunk)` for the lines of the files of `files` in order, a
/// chunk of at most 1,024 lines at a time, `n` the file's index. Files are
/// read, parsed and hashed ahead on every core, at most a few chunks beyond
/// the one in use, so memory does not grow with the files. `each` returns
/// false to stop.
///
/// `fields`: the fields of each line kept (the others are left empty).
/// `again`: a second read of a log already checked, with the number of
/// lines each file had then: no more are read, and lines are not hashed
/// (each chunk's `sum` tells whether its bytes are still the same).
pub fn each_file(
    files: &[PathBuf],
    fields: Fields,
    again: Option<&[usize]>,
    mut each: impl FnMut(usize, Chunk) -> bool,
) {
    let workers = std::thread::available_parallelism()
        .map(usize::from)
        .unwrap_or(1)
        .clamp(1, files.len().max(1));
    let shared = Mutex::new(Window {
        ready: BTreeMap::new(),
        current: 0,
        stop: false,
    });
    let cv = Condvar::new();
    let next = std::sync::atomic::AtomicUsize::new(0);
    // Hands one parsed chunk over, waiting while enough are ahead. The
    // current file's next chunk always goes in: the reader waits for it.
    let put = |n: usize, c: usize, r: Chunk| -> bool {
        let mut g = lock(&shared);
        while !g.stop
            && g.ready.len() >= AHEAD
            && (n != g.current || g.ready.keys().any(|(m, _)| *m == n))
        {
            g = cv.wait(g).unwrap_or_else(|e| e.into_inner());
        }
        if g.stop {
            return false;
        }
        g.ready.insert((n, c), r);
        cv.notify_all();
        true
    };
    std::thread::scope(|sc| {
        for _ in 0..workers {
            sc.spawn(|| {
                loop {
                    let n = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                    let Some(path) = files.get(n) else { break };
                    let limit = again.map(|a| a.get(n).copied().unwrap_or(0));
                    let last = n + 1 == files.len();
                    if !read_chunks(path, last, fields, limit, |c, r| put(n, c, r)) {
                        break;
                    }
                }
            });
        }
        let mut n = 0;
        let mut c = 0;
        while n < files.len() {
            let chunk = {
                let mut g = lock(&shared);
                loop {
                    if let Some(r) = g.ready.remove(&(n, c)) {
                        break r;
                    }
                    g = cv.wait(g).unwrap_or_else(|e| e.into_inner());
                }
            };
            cv.notify_all();
            let ends = chunk.ends;
            let go = each(n, chunk);
            if ends {
                n += 1;
                c = 0;
            } else {
                c += 1;
            }
            {
                let mut g = lock(&shared);
                g.current = n;
                g.stop = !go;
            }
            cv.notify_all();
            if !go {
                break;
            }
        }
        lock(&shared).stop = true;
        cv.notify_all();
    });
}

/// Reads one month file (its first `limit` lines when given: a second
/// read) and hands its lines over a chunk at a time; false when `put`
/// refused one (the reader stopped).
fn read_chunks(
    path: &Path,
    last_file: bool,
    fields: Fields,
    limit: Option<usize>,
    mut put: impl FnMut(usize, Chunk) -> bool,
) -> bool {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let bytes = match std::fs::read(path) {
        Ok(b) => b,
        Err(_) => {
            let chunk = Chunk {
                faults: true,
                ends: true,
                ..Default::default()
            };
            return put(0, chunk);
        }
    };
    let mut lines = lines_of(&bytes);
    if let Some(limit) = limit {
        lines.truncate(limit);
    }
    if lines.is_empty() {
        let chunk = Chunk {
            ends: true,
            ..Default::default()
        };
        return put(0, chunk);
    }
    let count = lines.len().div_ceil(CHUNK);
    for (c, chunk) in lines.chunks(CHUNK).enumerate() {
        let ends = c + 1 == count;
        let mut part = Part::default();
        let hash = limit.is_none();
        let last = last_file && ends;
        read_chunk(&mut part, &name, chunk, c * CHUNK, last, hash, Some(fields));
        let mut sum = crc32fast::Hasher::new();
        for l in chunk {
            sum.update(l);
        }
        let chunk = Chunk {
            lines: part.lines,
            faults: !part.faults.is_empty(),
            ends,
            sum: sum.finalize(),
        };
        if !put(c, chunk) {
            return false;
        }
    }
    true
}

/// An occurrence's line as the checker saw it.
#[derive(Clone, Copy, Debug)]
pub struct Step {
    /// The id's fingerprint.
    pub key: u128,
    /// The first line of this id in the log.
    pub first: bool,
    /// A final `finish`: no line of this id may follow.
    pub last: bool,
}

/// The fingerprint of an occurrence id: two 64-bit SipHashes (fixed keys)
/// of it, under two different prefixes. Two of a billion ids share one
/// with a chance under 10^-20.
pub fn key(id: &str) -> u128 {
    let half = |salt: u8| {
        let mut h = std::collections::hash_map::DefaultHasher::new();
        salt.hash(&mut h);
        id.hash(&mut h);
        h.finish()
    };
    (u128::from(half(0)) << 64) | u128::from(half(1))
}

/// Hashes a [`key`] by its low 64 bits: it is a hash already, and SipHash
/// over it again cost a report 3% of its time.
#[derive(Default)]
pub struct KeyHasher(u64);

impl std::hash::Hasher for KeyHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.0 = self.0.rotate_left(8) ^ u64::from(*b);
        }
    }
    fn write_u128(&mut self, k: u128) {
        self.0 = k as u64;
    }
}

pub type Keyed = std::hash::BuildHasherDefault<KeyHasher>;

/// Checks an intact log line by line; see the module's note.
pub struct Checker {
    /// Whether each line's `prev` is checked against the hash of the line
    /// before: not on a second read, whose bytes are checked by their sum.
    chain: bool,
    lines: usize,
    prev: String,
    prev_seq: u64,
    /// Each occurrence's stage under the one rule: those closed for good
    /// (most of them) as bare keys, 17 bytes a slot.
    fold: Fold<u128, Keyed>,
    /// Open starts: id and where.
    open: HashMap<u128, (String, Place), Keyed>,
}

impl Default for Checker {
    fn default() -> Self {
        Checker {
            chain: true,
            lines: 0,
            prev: GENESIS.to_string(),
            prev_seq: 0,
            fold: Fold::default(),
            open: HashMap::default(),
        }
    }
}

/// An intact log, as [`Checker`] found it.
#[derive(Debug, Default)]
pub struct Verdict {
    pub files: Vec<PathBuf>,
    pub lines: usize,
    pub head: String,
    /// Occurrences whose `start` has no `finish` yet, in log order.
    pub open: Vec<(String, Place)>,
}

impl Checker {
    /// A checker for a second read of a log the first one found intact:
    /// lines come unhashed, so the chain's links are not compared (the
    /// caller compares each chunk's sum with the first read's); the rest is
    /// checked as on a first read.
    pub fn again() -> Checker {
        Checker {
            chain: false,
            ..Checker::default()
        }
    }

    /// Checks the next line. `Err` at the first fault; `Ok(Some)` for a
    /// `start` or `finish` of an occurrence.
    #[allow(clippy::result_unit_err)]
    pub fn line(&mut self, l: &Line) -> Result<Option<Step>, ()> {
        let Some(r) = &l.record else { return Err(()) };
        if (self.chain && r.prev != self.prev) || r.seq != self.prev_seq + 1 {
            return Err(());
        }
        self.lines += 1;
        if self.chain {
            self.prev.clone_from(&l.hash);
        }
        self.prev_seq = r.seq;
        let Some(id) = r.id.as_deref() else {
            return Ok(None);
        };
        let k = key(id);
        let Some(step) = self.fold.line(k, &r.event, r.is_final()).map_err(|_| ())? else {
            return Ok(None);
        };
        match step.now {
            Stage::Open => {
                self.open.insert(k, (id.to_string(), l.place.clone()));
            }
            Stage::Cut | Stage::Done => {
                self.open.remove(&k);
            }
        }
        Ok(Some(Step {
            key: k,
            first: step.first,
            last: step.last(),
        }))
    }

    /// The lines checked so far.
    pub fn lines(&self) -> usize {
        self.lines
    }

    /// What the checker found; `head` is the genesis link after a second
    /// read.
    pub fn verdict(self, files: Vec<PathBuf>) -> Verdict {
        let order = |p: &Place| {
            (
                files
                    .iter()
                    .position(|f| f.file_name().is_some_and(|n| *n == *p.file)),
                p.line,
            )
        };
        let mut open: Vec<(String, Place)> = self.open.into_values().collect();
        open.sort_by_key(|(_, p)| order(p));
        Verdict {
            files,
            lines: self.lines,
            head: self.prev,
            open,
        }
    }
}

/// Checks the whole log in `dir` as a stream. `None` when anything is
/// wrong with it: [`super::scan`] then names what.
pub fn verify(dir: &Path) -> Option<Verdict> {
    let files = month_files(dir);
    let mut c = Checker::default();
    let mut ok = true;
    each_file(&files, Fields::Check, None, |_, chunk| {
        ok = !chunk.faults && chunk.lines.iter().all(|l| c.line(l).is_ok());
        ok
    });
    ok.then(|| c.verdict(files))
}
