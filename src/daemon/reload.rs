//! Taking schedule files into the active set: a valid file replaces its last
//! good version, an invalid one is refused and the last good one stays.

use std::sync::Arc;

use tracing::{info, warn};

use super::Daemon;
use crate::playlog::{Refused, Reload};
use crate::station;

impl Daemon {
    /// Re-reads every schedule file and logs a `reload` event.
    pub(super) fn reload_all(&mut self) {
        let files = station::read_all(&self.config);
        let mut ev = Reload::default();
        let mut seen = std::collections::BTreeSet::new();
        for f in files {
            seen.insert(f.name.clone());
            match f.schedule {
                Some(s) => match self.active.get(&f.name) {
                    Some(old) if old.hash == s.hash => {}
                    Some(_) => {
                        ev.changed.push(f.name.clone());
                        self.active.insert(f.name.clone(), s);
                    }
                    None => {
                        ev.taken.push(f.name.clone());
                        self.active.insert(f.name.clone(), s);
                    }
                },
                None => {
                    let error = f
                        .diags
                        .iter()
                        .filter(|d| d.is_error())
                        .map(|d| d.render(self.lang))
                        .collect::<Vec<_>>()
                        .join("\n");
                    warn!(file = %f.shown.display(), "schedule refused:\n{error}");
                    ev.refused.push(Refused {
                        file: f.name.clone(),
                        error,
                    });
                }
            }
        }
        let gone: Vec<String> = self
            .active
            .keys()
            .filter(|k| !seen.contains(*k))
            .cloned()
            .collect();
        for k in gone {
            self.active.remove(&k);
            ev.removed.push(k);
        }
        if ev.taken.is_empty()
            && ev.changed.is_empty()
            && ev.removed.is_empty()
            && ev.refused.is_empty()
        {
            return;
        }
        ev.active_hash = self.active_hash();
        info!(
            taken = ev.taken.len(),
            changed = ev.changed.len(),
            removed = ev.removed.len(),
            refused = ev.refused.len(),
            "schedules reloaded"
        );
        self.write("reload", &ev);
        self.replan();
    }

    /// SHA-256 over the active files' names and hashes, in name order.
    fn active_hash(&self) -> String {
        let mut s = String::new();
        for (name, sch) in &self.active {
            s.push_str(name);
            s.push('\0');
            s.push_str(&sch.hash);
            s.push('\n');
        }
        crate::hash::sha256_hex(s.as_bytes())
    }

    pub(super) fn schedules(&self) -> Vec<Arc<crate::schedule::Schedule>> {
        self.active.values().cloned().collect()
    }
}
