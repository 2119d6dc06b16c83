//! Start errors in bounded memory: counts at the precision they are
//! shown, from which the median, the 95th percentile and the worst come.

use std::collections::BTreeMap;

use super::{Accuracy, round};

/// Start errors as counts of distinct values, each rounded to `digits`
/// decimals of a millisecond: to 0.001 ms, the precision the report prints,
/// while at most [`Errors::MAX`] distinct values have been seen, so the
/// median and p95 are exact (nearest rank, as if every value were kept);
/// past that, one decimal fewer at a time (0.01 ms, 0.1 ms, ...), so the
/// structure stays under a few MiB whatever the number of occurrences. The
/// count and the worst error are always exact.
#[derive(Debug)]
pub(super) struct Errors {
    digits: i32,
    /// Keyed by [`order_key`] of the rounded value.
    counts: BTreeMap<u64, u64>,
    n: usize,
    worst: Option<f64>,
}

impl Default for Errors {
    fn default() -> Self {
        Errors {
            digits: 3,
            counts: BTreeMap::new(),
            n: 0,
            worst: None,
        }
    }
}

/// A key whose order is `f64::total_cmp`'s.
pub(super) fn order_key(v: f64) -> u64 {
    let b = v.to_bits();
    if b >> 63 == 1 { !b } else { b | 1 << 63 }
}

pub(super) fn from_order_key(k: u64) -> f64 {
    if k >> 63 == 1 {
        f64::from_bits(k & !(1 << 63))
    } else {
        f64::from_bits(!k)
    }
}

impl Errors {
    const MAX: usize = 1 << 16;

    pub(super) fn add(&mut self, x: f64) {
        self.n += 1;
        // The largest by size; between equal sizes, the positive one.
        let worse = self
            .worst
            .is_none_or(|w| x.abs().total_cmp(&w.abs()).then(x.total_cmp(&w)).is_gt());
        if worse {
            self.worst = Some(x);
        }
        *self
            .counts
            .entry(order_key(round(x, self.digits)))
            .or_default() += 1;
        while self.counts.len() > Self::MAX && self.digits > -6 {
            self.digits -= 1;
            let mut coarser = BTreeMap::new();
            for (k, c) in std::mem::take(&mut self.counts) {
                *coarser
                    .entry(order_key(round(from_order_key(k), self.digits)))
                    .or_default() += c;
            }
            self.counts = coarser;
        }
    }

    pub(super) fn accuracy(&self) -> Accuracy {
        if self.n == 0 {
            return Accuracy::default();
        }
        let pick = |q: f64| {
            // Nearest rank: the smallest value with at least q of them at or below.
            let rank = ((q * self.n as f64).ceil() as usize).clamp(1, self.n) as u64;
            let mut seen = 0;
            let mut at = 0.0;
            for (k, c) in &self.counts {
                seen += c;
                at = from_order_key(*k);
                if seen >= rank {
                    break;
                }
            }
            round(at, 3)
        };
        Accuracy {
            count: self.n,
            median_ms: Some(pick(0.5)),
            p95_ms: Some(pick(0.95)),
            worst_ms: self.worst.map(|w| round(w, 3)),
        }
    }
}

#[cfg(test)]
pub(super) fn accuracy(errs: Vec<f64>) -> Accuracy {
    let mut e = Errors::default();
    for x in errs {
        e.add(x);
    }
    e.accuracy()
}
