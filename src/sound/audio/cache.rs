//! Recordings measured once and kept in an [`AudioCache`] keyed by path,
//! size, modification time and permissions; measured apart on a thread of
//! their own so the daemon never waits for a long file.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use super::decode::{contain, decoder, probe_decoded};
use super::files::{inventory, perm_from, perm_of, resolve};
use super::{AudioError, AudioInfo, Loudness, io_error};

/// A probe result with the size and mtime it was made for.
pub(super) struct Entry {
    size: u64,
    mtime: Option<SystemTime>,
    /// Mode and status-change time: a `chmod g+r` (or `chgrp`, `setfacl`)
    /// that lets the daemon read a file it could not is a change to look
    /// at again.
    perm: (u32, i64, i64),
    result: Result<AudioInfo, AudioError>,
}

/// Remembers probe results while a file's size and mtime stay the same,
/// and, when given a file, keeps length and loudness by content hash there
/// across runs: a recording is decoded and measured once.
#[derive(Default)]
pub struct AudioCache {
    entries: HashMap<PathBuf, Entry>,
    file: Option<PathBuf>,
    by_hash: std::collections::BTreeMap<String, Stored>,
    dirty: bool,
    /// Never decode a file through on a lookup (see [`AudioCache::quick`]).
    quick: bool,
    /// What a quick lookup answered from a header, while the file waits to
    /// be measured: hashed once, not at every lookup.
    estimates: HashMap<PathBuf, Entry>,
    /// Speech not rendered yet is given a length estimated from its words
    /// instead of being rendered (the preview: `next`, check's plan).
    estimate_speech: bool,
    /// How many such estimates were made.
    speech_estimates: usize,
}

/// What the cache file keeps per content hash.
#[derive(Clone, Debug, serde::Serialize, serde::Deserialize)]
pub(super) struct Stored {
    pub(super) length_s: f64,
    pub(super) loudness: Option<Loudness>,
}

impl Stored {
    fn info(&self, sha256: String) -> AudioInfo {
        AudioInfo {
            sha256,
            length: Duration::from_secs_f64(self.length_s),
            loudness: self.loudness,
            unmeasured: false,
        }
    }
}

impl AudioCache {
    pub fn new() -> Self {
        Self::default()
    }

    /// A cache kept in `file` (e.g. `state/audio.json`); an unreadable file
    /// starts it empty.
    pub fn persistent(file: PathBuf) -> Self {
        let by_hash = std::fs::read(&file)
            .ok()
            .and_then(|b| serde_json::from_slice(&b).ok())
            .unwrap_or_default();
        AudioCache {
            file: Some(file),
            by_hash,
            ..Default::default()
        }
    }

    /// A cache that never decodes a whole file when asked: content not
    /// measured yet is hashed and answered from its header, as
    /// `unmeasured`, and left for [`measure_apart`] on another thread. The
    /// daemon's loop uses one, so a broadcast starts on its second even
    /// while its recording waits to be measured.
    pub fn quick(mut self) -> Self {
        self.quick = true;
        self
    }

    /// Sets whether speech not rendered yet is estimated instead of
    /// rendered; returns the setting it had.
    pub fn set_estimate_speech(&mut self, on: bool) -> bool {
        std::mem::replace(&mut self.estimate_speech, on)
    }

    /// Whether speech not rendered yet is estimated instead of rendered.
    pub fn estimates_speech(&self) -> bool {
        self.estimate_speech
    }

    /// Counts one length of speech estimated.
    pub fn note_speech_estimate(&mut self) {
        self.speech_estimates += 1;
    }

    /// How many lengths of speech were estimated so far.
    pub fn speech_estimates(&self) -> usize {
        self.speech_estimates
    }

    /// Whether it is a [`quick`](AudioCache::quick) cache: one that must
    /// never block on decoding (or rendering speech).
    pub fn is_quick(&self) -> bool {
        self.quick
    }

    /// Writes the cache file if something new was measured. Best effort:
    /// a read-only state folder only costs a new measurement next time.
    pub fn save(&mut self) {
        let Some(file) = &self.file else { return };
        if !self.dirty {
            return;
        }
        let Ok(bytes) = serde_json::to_vec_pretty(&self.by_hash) else {
            return;
        };
        let ok = file
            .parent()
            .is_some_and(|d| std::fs::create_dir_all(d).is_ok())
            && crate::whole::write(file, &bytes).is_ok();
        if ok {
            self.dirty = false;
        }
    }

    /// Every file probed so far, with its result, by path.
    pub fn probed(&self) -> Vec<(&Path, &Result<AudioInfo, AudioError>)> {
        let mut v: Vec<_> = self
            .entries
            .iter()
            .map(|(p, e)| (p.as_path(), &e.result))
            .collect();
        v.sort_by_key(|(p, _)| *p);
        v
    }

    fn measure(&mut self, path: &Path) -> Result<AudioInfo, AudioError> {
        let info = measure_known(path, &self.by_hash)?;
        if self.file.is_some() && !self.by_hash.contains_key(&info.sha256) {
            self.remember(&info);
        }
        Ok(info)
    }

    /// A copy of the measurements kept by content hash, for
    /// [`measure_apart`] on another thread.
    pub fn known(&self) -> Known {
        Known(self.by_hash.clone())
    }

    /// Keeps a measurement by content hash, for the cache file.
    fn remember(&mut self, info: &AudioInfo) {
        self.by_hash.insert(
            info.sha256.clone(),
            Stored {
                length_s: info.length.as_secs_f64(),
                loudness: info.loudness,
            },
        );
        self.dirty = true;
    }

    /// The recordings under `root` not measured as they are now: new,
    /// replaced or changed since their last measurement.
    pub fn unmeasured(&self, root: &Path) -> Vec<PathBuf> {
        inventory(root)
            .iter()
            .filter_map(|rel| resolve(root, rel).ok())
            .filter(|path| self.unmeasured_file(path))
            .collect()
    }

    /// Whether the file at `path` (resolved) is not measured as it is now.
    pub fn unmeasured_file(&self, path: &Path) -> bool {
        let Ok(meta) = std::fs::metadata(path) else {
            return false;
        };
        !self
            .entries
            .get(path)
            .is_some_and(|e| e.size == meta.len() && e.mtime == meta.modified().ok())
    }

    /// Takes a measurement made away from the cache (see [`measure_apart`]).
    pub fn take(&mut self, m: Measured) {
        self.estimates.remove(&m.path);
        if let Ok(info) = &m.result
            && !self.by_hash.contains_key(&info.sha256)
        {
            self.remember(info);
        }
        self.entries.insert(
            m.path.clone(),
            Entry {
                size: m.size,
                mtime: m.mtime,
                perm: perm_of(&m.path),
                result: m.result,
            },
        );
    }

    /// The probe result for an already resolved path.
    pub fn info(&mut self, path: &Path) -> Result<AudioInfo, AudioError> {
        let meta = std::fs::metadata(path).map_err(|e| io_error(&e, path))?;
        let (size, mtime) = (meta.len(), meta.modified().ok());
        let perm = perm_from(&meta);
        if let Some(e) = self.entries.get(path)
            && e.size == size
            && e.mtime == mtime
            && e.perm == perm
        {
            return e.result.clone();
        }
        if self.quick {
            if let Some(e) = self.estimates.get(path)
                && e.size == size
                && e.mtime == mtime
                && e.perm == perm
            {
                return e.result.clone();
            }
            let result = crate::hash::sha256_file(path)
                .map_err(|e| io_error(&e, path))
                .and_then(|sha256| match self.by_hash.get(&sha256) {
                    Some(s) => Ok(s.info(sha256)),
                    None => estimate(path, sha256),
                });
            let entry = Entry {
                size,
                mtime,
                perm,
                result: result.clone(),
            };
            // An estimate is kept apart: the file is still to be measured.
            if result.as_ref().is_ok_and(|i| i.unmeasured) {
                self.estimates.insert(path.to_path_buf(), entry);
            } else {
                self.entries.insert(path.to_path_buf(), entry);
            }
            return result;
        }
        let result = self.measure(path);
        self.entries.insert(
            path.to_path_buf(),
            Entry {
                size,
                mtime,
                perm,
                result: result.clone(),
            },
        );
        result
    }

    /// Resolves `rel` under `root` and probes it.
    pub fn lookup(&mut self, root: &Path, rel: &str) -> Result<(PathBuf, AudioInfo), AudioError> {
        let path = resolve(root, rel)?;
        let info = self.info(&path)?;
        Ok((path, info))
    }
}

/// What the header of a recording not measured yet says: its length when
/// the header gives one (else zero), no loudness.
pub(super) fn estimate(path: &Path, sha256: String) -> Result<AudioInfo, AudioError> {
    use rodio::Source;
    let dec = decoder(path)?;
    Ok(AudioInfo {
        sha256,
        length: contain(|| dec.total_duration())?.unwrap_or_default(),
        loudness: None,
        unmeasured: true,
    })
}

/// Measurements kept by content hash (see [`AudioCache::known`]).
#[derive(Clone, Debug, Default)]
pub struct Known(pub(super) std::collections::BTreeMap<String, Stored>);

/// Hashes `path`; the kept measurement for that content if there is one,
/// else decodes and measures it.
pub(super) fn measure_known(
    path: &Path,
    by_hash: &std::collections::BTreeMap<String, Stored>,
) -> Result<AudioInfo, AudioError> {
    let sha256 = crate::hash::sha256_file(path).map_err(|e| io_error(&e, path))?;
    match by_hash.get(&sha256) {
        Some(s) => Ok(s.info(sha256)),
        None => probe_decoded(path, sha256),
    }
}

/// A recording measured on another thread, with the size and modification
/// time it had.
#[derive(Debug)]
pub struct Measured {
    pub path: PathBuf,
    size: u64,
    mtime: Option<SystemTime>,
    pub result: Result<AudioInfo, AudioError>,
}

/// Measures `path` as the cache does (decoding only content not in
/// `known`), for a thread other than the daemon's loop. None if the file
/// changed meanwhile (still being copied in): it is measured again once it
/// has settled.
pub fn measure_apart(path: PathBuf, known: &Known) -> Option<Measured> {
    let before = std::fs::metadata(&path).ok()?;
    let result = measure_known(&path, &known.0);
    let after = std::fs::metadata(&path).ok()?;
    let same = before.len() == after.len() && before.modified().ok() == after.modified().ok();
    same.then(|| Measured {
        path,
        size: after.len(),
        mtime: after.modified().ok(),
        result,
    })
}
