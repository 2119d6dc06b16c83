//! The checks a whole-log read makes: the hash chain (edits, removals,
//! reorderings, insertions, seq) and the one-final-outcome rule.

use std::collections::HashMap;

use super::fold::{Fold, Stage};
use super::{Fault, GENESIS, Line, Place, Problem, Scan};

/// Lines that loa never wrote: for each broken link whose `prev` names a
/// line further back, the lines between, if no line links to any of them.
/// Returns (first inserted index, count, index of the line after them).
pub(super) fn insertions(s: &Scan, by_hash: &HashMap<&str, usize>) -> Vec<(usize, usize, usize)> {
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
pub(super) fn check_chain(s: &mut Scan) {
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
pub(super) fn check_occurrences(s: &mut Scan) {
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
