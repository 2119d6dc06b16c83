//! The play log read as a stream: month files one after another, in log
//! order, while the next ones are read, parsed and hashed on the other
//! cores. Memory is a few month files, whatever the log's length.
//!
//! [`Checker`] checks an intact log line by line: the chain, `seq` and the
//! one-final-outcome rule, keeping a 16-byte fingerprint per occurrence
//! closed (about 9 MB over five years, 13 MB while its table grows) and the open starts. At the
//! first sign of any fault it stops: naming faults takes the whole log in
//! memory ([`super::scan`]), and a broken log is read again that way.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::hash::{Hash as _, Hasher as _};
use std::path::{Path, PathBuf};
use std::sync::{Condvar, Mutex, MutexGuard};

use super::verify::{Part, read_chunk};
use super::{GENESIS, Line, Place, month_files};
use crate::kinds::{Outcome, Reason};

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

/// Lines parsed in one piece of work.
const CHUNK: usize = 1024;
/// Chunks parsed ahead of the one in use, at most (plus one per core).
const AHEAD: usize = 4;

/// A chunk read ahead: its lines, whether any has a fault, and whether it
/// ends its file.
type Ready = (Vec<Line>, bool, bool);

struct Window {
    ready: BTreeMap<(usize, usize), Ready>,
    /// The file being consumed.
    current: usize,
    stop: bool,
}

/// Calls `each(n, lines, faults, file_ends)` for the lines of the files of
/// `files` in order, a chunk of at most 1,024 lines at a time: `n` the
/// file's index, `faults` when a line in the chunk is not a readable play
/// log line (or the file could not be read), `file_ends` on the file's last
/// chunk (an empty chunk for an empty file). Files are read, parsed and
/// hashed ahead on every core, at most a few chunks beyond the one in use,
/// so memory does not grow with the files. `each` returns false to stop.
pub fn each_file(files: &[PathBuf], mut each: impl FnMut(usize, Vec<Line>, bool, bool) -> bool) {
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
    let put = |n: usize, c: usize, r: Ready| -> bool {
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
                    if !read_chunks(path, n + 1 == files.len(), |c, r| put(n, c, r)) {
                        break;
                    }
                }
            });
        }
        let mut n = 0;
        let mut c = 0;
        while n < files.len() {
            let (lines, faults, ends) = {
                let mut g = lock(&shared);
                loop {
                    if let Some(r) = g.ready.remove(&(n, c)) {
                        break r;
                    }
                    g = cv.wait(g).unwrap_or_else(|e| e.into_inner());
                }
            };
            cv.notify_all();
            let go = each(n, lines, faults, ends);
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

/// Reads one month file and hands its lines over a chunk at a time;
/// false when `put` refused one (the reader stopped).
fn read_chunks(path: &Path, last_file: bool, mut put: impl FnMut(usize, Ready) -> bool) -> bool {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let bytes = match std::fs::read(path) {
        Ok(b) => b,
        Err(_) => return put(0, (Vec::new(), true, true)),
    };
    let lines: Vec<&[u8]> = bytes.split_inclusive(|b| *b == b'\n').collect();
    if lines.is_empty() {
        return put(0, (Vec::new(), false, true));
    }
    let count = lines.len().div_ceil(CHUNK);
    for (c, chunk) in lines.chunks(CHUNK).enumerate() {
        let ends = c + 1 == count;
        let mut part = Part::default();
        read_chunk(&mut part, &name, chunk, c * CHUNK, last_file && ends);
        if !put(c, (part.lines, !part.faults.is_empty(), ends)) {
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

const OPEN: u8 = 0;
const RETRY: u8 = 1;
const DONE: u8 = 2;

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

/// Checks an intact log line by line; see the module's note.
pub struct Checker {
    lines: usize,
    prev: String,
    prev_seq: u64,
    /// Occurrences closed for good: most of them, so a set of bare keys
    /// (17 bytes a slot).
    done: HashSet<u128>,
    /// Occurrences open or cut by an emergency: few.
    pending: HashMap<u128, u8>,
    /// Open starts: id and where.
    open: HashMap<u128, (String, Place)>,
}

impl Default for Checker {
    fn default() -> Self {
        Checker {
            lines: 0,
            prev: GENESIS.to_string(),
            prev_seq: 0,
            done: HashSet::new(),
            pending: HashMap::new(),
            open: HashMap::new(),
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
    /// Checks the next line. `Err` at the first fault; `Ok(Some)` for a
    /// `start` or `finish` of an occurrence.
    #[allow(clippy::result_unit_err)]
    pub fn line(&mut self, l: &Line) -> Result<Option<Step>, ()> {
        let Some(r) = &l.record else { return Err(()) };
        if r.prev != self.prev || r.seq != self.prev_seq + 1 {
            return Err(());
        }
        self.lines += 1;
        self.prev.clone_from(&l.hash);
        self.prev_seq = r.seq;
        let Some(id) = r.id.as_deref() else {
            return Ok(None);
        };
        let k = key(id);
        let was = if self.done.contains(&k) {
            Some(DONE)
        } else {
            self.pending.get(&k).copied()
        };
        let now = match r.event.as_str() {
            "start" => match was {
                Some(OPEN) | Some(DONE) => return Err(()),
                _ => {
                    self.open.insert(k, (id.to_string(), l.place.clone()));
                    OPEN
                }
            },
            "finish" => match was {
                Some(DONE) => return Err(()),
                _ => {
                    self.open.remove(&k);
                    let retry = r.outcome.as_deref() == Some(Outcome::Interrupted.as_str())
                        && r.reason.as_deref() == Some(Reason::Emergency.as_str());
                    if retry { RETRY } else { DONE }
                }
            },
            _ => return Ok(None),
        };
        if now == DONE {
            self.pending.remove(&k);
            self.done.insert(k);
        } else {
            self.pending.insert(k, now);
        }
        Ok(Some(Step {
            key: k,
            first: was.is_none(),
            last: now == DONE,
        }))
    }

    /// The lines checked so far.
    pub fn lines(&self) -> usize {
        self.lines
    }

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
    each_file(&files, |_, lines, faults, _| {
        ok = !faults && lines.iter().all(|l| c.line(l).is_ok());
        ok
    });
    ok.then(|| c.verdict(files))
}
