//! The recordings: where a reference points on disk, whether it may be
//! played, what it hashes to and how long it sounds.
//!
//! Hashing and decoding a file costs real time on a small box, so results are
//! kept in an [`AudioCache`] keyed by path, size and modification time.

use std::collections::HashMap;
use std::fs::File;
use std::io::BufReader;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use crate::i18n::Msg;

/// File endings loa plays (SPEC §2.4).
pub const EXTENSIONS: &[&str] = &["mp3", "wav", "ogg", "oga", "flac", "m4a", "aac", "mp4"];

/// What is known about one recording.
#[derive(Clone, Debug, PartialEq)]
pub struct AudioInfo {
    pub sha256: String,
    pub length: Duration,
    /// EBU R128 measurement; None for a silent file, or one not measured yet.
    pub loudness: Option<Loudness>,
    /// Not decoded through yet: the length is the file header's estimate
    /// (zero when it has none) and the loudness is unknown.
    pub unmeasured: bool,
}

/// Below this loudness or true peak a recording counts as nearly silent for
/// `check`: 10 dB above the −60 dBFS under which a broadcast is logged
/// `failed`/`silent`, so a recording that only loudness normalisation
/// would lift into hearing (raising its noise as much) is pointed out too.
pub const NEARLY_SILENT_DB: f64 = -50.0;

impl AudioInfo {
    /// Measured, and silence or nearly: no loudness the meter could gate
    /// (digital silence, or all of it under −70 LUFS), or under
    /// [`NEARLY_SILENT_DB`].
    pub fn nearly_silent(&self) -> bool {
        !self.unmeasured
            && self
                .loudness
                .is_none_or(|l| l.lufs < NEARLY_SILENT_DB || l.true_peak_db < NEARLY_SILENT_DB)
    }
}

/// EBU R128 integrated loudness and true peak of a recording.
#[derive(Clone, Copy, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Loudness {
    pub lufs: f64,
    pub true_peak_db: f64,
}

impl Loudness {
    /// The gain in dB that brings the recording to `target` LUFS without
    /// its true peak going above −1 dBTP.
    pub fn gain_db(&self, target: f64) -> f64 {
        (target - self.lufs).min(-1.0 - self.true_peak_db)
    }
}

/// Linear amplitude of a gain in dB.
pub fn db_to_linear(db: f64) -> f32 {
    10f64.powf(db / 20.0) as f32
}

/// Why a recording cannot be used.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum AudioError {
    #[error("file not found")]
    Missing,
    /// The file is there, but `user` (the daemon's, or whoever loa acts
    /// as) may not read it: its mode or group keep loa out.
    #[error("{user} may not read {}", path.display())]
    Permission { user: String, path: PathBuf },
    #[error("path leaves the audio folder")]
    Escapes,
    #[error("unsupported format")]
    Unsupported,
    #[error("cannot decode: {0}")]
    Undecodable(String),
    /// 0 bytes: a copy that did not finish, or a recorder that saved nothing.
    #[error("empty file")]
    Empty,
    /// A format loa does not play, recognised by its first bytes, whatever
    /// the file's name says (an Opus file named .ogg, say).
    #[error("{0} is not played")]
    Foreign(Foreign),
    /// Speech whose sound is not rendered yet (it is, in the background,
    /// before its time).
    #[error("speech not rendered yet")]
    NotRendered,
    /// The tts engine could not render the speech.
    #[error("speech: {0}")]
    Speech(String),
}

/// Audio formats loa recognises but does not play.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Foreign {
    /// Ogg Opus (Zalo, WhatsApp and Telegram voice notes).
    Opus,
    /// Windows Media Audio (ASF container).
    Wma,
    /// A WAV whose samples are compressed (ADPCM, A-law, μ-law, ...).
    CompressedWav,
    /// AMR, from phone call and voice recorders.
    Amr,
}

impl std::fmt::Display for Foreign {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Foreign::Opus => "Opus",
            Foreign::Wma => "WMA",
            Foreign::CompressedWav => "WAV (ADPCM)",
            Foreign::Amr => "AMR",
        })
    }
}

/// What the first bytes of a file say it is, when it is a format loa knows
/// it does not play.
pub fn sniff(head: &[u8]) -> Option<Foreign> {
    const ASF: [u8; 8] = [0x30, 0x26, 0xB2, 0x75, 0x8E, 0x66, 0xCF, 0x11];
    if head.starts_with(b"OggS") && head.windows(8).any(|w| w == b"OpusHead") {
        return Some(Foreign::Opus);
    }
    if head.starts_with(&ASF) {
        return Some(Foreign::Wma);
    }
    if head.starts_with(b"#!AMR") {
        return Some(Foreign::Amr);
    }
    if head.len() >= 22 && head.starts_with(b"RIFF") && &head[8..12] == b"WAVE" {
        // The first chunk is `fmt ` in every WAV writer seen; its format
        // tag: 1 PCM, 3 float, 0xFFFE extensible are played.
        if &head[12..16] == b"fmt " {
            let tag = u16::from_le_bytes([head[20], head[21]]);
            if ![1, 3, 0xFFFE].contains(&tag) {
                return Some(Foreign::CompressedWav);
            }
        }
    }
    None
}

/// Mode and status-change time: chmod, chown and setfacl all move the
/// latter, which the modification time does not see.
fn perm_from(m: &std::fs::Metadata) -> (u32, i64, i64) {
    use std::os::unix::fs::MetadataExt as _;
    (m.mode(), m.ctime(), m.ctime_nsec())
}

fn perm_of(path: &Path) -> (u32, i64, i64) {
    std::fs::metadata(path)
        .map(|m| perm_from(&m))
        .unwrap_or_default()
}

/// A file that could not be opened: missing, or there but not readable by
/// the user this process runs (or acts) as.
pub fn io_error(e: &std::io::Error, path: &Path) -> AudioError {
    match e.kind() {
        std::io::ErrorKind::PermissionDenied => AudioError::Permission {
            // SAFETY: geteuid has no preconditions.
            user: crate::owner::user_name(unsafe { libc::geteuid() })
                .unwrap_or_else(|| "loa".into()),
            path: path.to_path_buf(),
        },
        _ => AudioError::Missing,
    }
}

/// Why `path` did not decode, as precisely as its first bytes tell.
fn why_undecodable(path: &Path, detail: String) -> AudioError {
    let mut head = [0u8; 64];
    let n = File::open(path)
        .and_then(|mut f| std::io::Read::read(&mut f, &mut head))
        .unwrap_or(0);
    match sniff(&head[..n]) {
        Some(kind) => AudioError::Foreign(kind),
        None => AudioError::Undecodable(detail),
    }
}

impl AudioError {
    /// The message for the operator about `path`.
    pub fn msg(&self, path: &str) -> Msg {
        let path = path.to_string();
        match self {
            AudioError::Missing => Msg::AudioMissing {
                path,
                near: Vec::new(),
            },
            AudioError::Escapes => Msg::AudioEscapes { path },
            AudioError::Permission { user, path: full } => Msg::AudioPermission {
                path: full.display().to_string(),
                user: user.clone(),
            },
            AudioError::Unsupported => Msg::AudioUnsupported { path },
            AudioError::Undecodable(detail) => Msg::AudioUndecodable {
                path,
                detail: detail.clone(),
            },
            AudioError::Empty => Msg::AudioEmpty { path },
            AudioError::Foreign(kind) => Msg::AudioForeign {
                path,
                format: kind.to_string(),
            },
            AudioError::NotRendered | AudioError::Speech(_) => Msg::TtsFailed {
                detail: format!("{path}: {self}"),
            },
        }
    }

    /// The machine-readable reason recorded in the play log.
    pub fn reason(&self) -> crate::kinds::Reason {
        use crate::kinds::Reason;
        match self {
            AudioError::Missing | AudioError::Escapes => Reason::FileMissing,
            AudioError::Permission { .. } => Reason::Permission,
            AudioError::Unsupported
            | AudioError::Undecodable(_)
            | AudioError::Empty
            | AudioError::Foreign(_)
            | AudioError::NotRendered
            | AudioError::Speech(_) => Reason::DecodeError,
        }
    }
}

/// The real file for `rel` under `root`, refusing anything that ends up
/// outside the folder (including through a symlink). The name matches in
/// whichever Unicode form (NFC/NFD) it was saved in (see [`on_disk`]).
pub fn resolve(root: &Path, rel: &str) -> Result<PathBuf, AudioError> {
    if rel.split('/').any(|c| c == "..") || Path::new(rel).is_absolute() {
        return Err(AudioError::Escapes);
    }
    let joined = root.join(on_disk(root, rel));
    let real = joined.canonicalize().map_err(|e| io_error(&e, &joined))?;
    let real_root = root.canonicalize().map_err(|e| io_error(&e, root))?;
    if !real.starts_with(&real_root) {
        return Err(AudioError::Escapes);
    }
    if !real.is_file() {
        return Err(AudioError::Missing);
    }
    Ok(real)
}

/// `rel` as it is named on disk under `root`: itself, or the same name
/// saved in another Unicode form. What the play log records.
pub fn on_disk(root: &Path, rel: &str) -> String {
    crate::names::on_disk(root, rel).unwrap_or_else(|| rel.to_string())
}

/// Whether the file ending is one loa plays.
pub fn supported(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| EXTENSIONS.contains(&e.to_ascii_lowercase().as_str()))
}

/// Opens a decoder for a recording. Used for probing and for playback.
pub fn decoder(path: &Path) -> Result<rodio::Decoder<BufReader<File>>, AudioError> {
    if !supported(path) {
        return Err(AudioError::Unsupported);
    }
    let file = File::open(path).map_err(|e| io_error(&e, path))?;
    let len = file
        .metadata()
        .map(|m| m.len())
        .map_err(|e| io_error(&e, path))?;
    if len == 0 {
        return Err(AudioError::Empty);
    }
    let mut b = rodio::Decoder::builder()
        .with_data(BufReader::new(file))
        .with_byte_len(len);
    if let Some(ext) = path.extension().and_then(|e| e.to_str()) {
        b = b.with_hint(&ext.to_ascii_lowercase());
    }
    match contain(|| b.build()) {
        Ok(Ok(d)) => Ok(d),
        Ok(Err(e)) => Err(why_undecodable(path, e.to_string())),
        Err(AudioError::Undecodable(why)) => Err(why_undecodable(path, why)),
        Err(e) => Err(e),
    }
}

thread_local! {
    /// Set while a decoder runs inside [`contain`], whose panics become
    /// errors: the panic hook then prints nothing.
    static CONTAINED: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Runs decoder code that may panic on a malformed file (the decoding
/// crates assert on, e.g., a sample rate of 0) and turns a panic into
/// [`AudioError::Undecodable`], so a bad recording can never take the
/// daemon or its audio thread down. Needs `panic = "unwind"`, the default:
/// never build loa with `panic = "abort"`.
pub fn contain<T>(f: impl FnOnce() -> T) -> Result<T, AudioError> {
    let outer = CONTAINED.with(|c| c.replace(true));
    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(f));
    CONTAINED.with(|c| c.set(outer));
    result.map_err(|payload| {
        let why = payload
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| payload.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "the decoder failed".into());
        AudioError::Undecodable(why)
    })
}

/// Keeps the standard panic message for real bugs, and silences panics that
/// [`contain`] turns into errors (they are reported as such).
pub fn install_panic_hook() {
    let standard = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        if !CONTAINED.with(|c| c.get()) {
            standard(info);
        }
    }));
}

/// Hashes and fully decodes a recording to learn its exact length and its
/// EBU R128 loudness, in one pass.
pub fn probe(path: &Path) -> Result<AudioInfo, AudioError> {
    let sha256 = crate::hash::sha256_file(path).map_err(|e| io_error(&e, path))?;
    probe_decoded(path, sha256)
}

fn probe_decoded(path: &Path, sha256: String) -> Result<AudioInfo, AudioError> {
    contain(|| measure(path, sha256))?
}

fn measure(path: &Path, sha256: String) -> Result<AudioInfo, AudioError> {
    use rodio::Source;
    let mut dec = decoder(path)?;
    let rate = dec.sample_rate().get();
    let channels = u32::from(dec.channels().get());
    let mut meter =
        ebur128::EbuR128::new(channels, rate, ebur128::Mode::I | ebur128::Mode::TRUE_PEAK).ok();
    let mut samples: u64 = 0;
    let mut buf: Vec<f32> = Vec::with_capacity(4096 * channels as usize);
    for s in dec.by_ref() {
        samples += 1;
        buf.push(s);
        if buf.len() == buf.capacity() {
            if let Some(m) = meter.as_mut() {
                let _ = m.add_frames_f32(&buf);
            }
            buf.clear();
        }
    }
    let whole = buf.len() - buf.len() % channels.max(1) as usize;
    if let Some(m) = meter.as_mut() {
        let _ = m.add_frames_f32(&buf[..whole]);
    }
    if samples == 0 {
        return Err(why_undecodable(path, "no audio".into()));
    }
    let length = Duration::from_secs_f64(samples as f64 / (f64::from(rate) * f64::from(channels)));
    let loudness = meter.and_then(|m| {
        let lufs = m.loudness_global().ok().filter(|l| l.is_finite())?;
        let peak = (0..channels)
            .filter_map(|c| m.true_peak(c).ok())
            .fold(0.0f64, f64::max);
        (peak > 0.0).then(|| Loudness {
            lufs: (lufs * 100.0).round() / 100.0,
            true_peak_db: (20.0 * peak.log10() * 100.0).round() / 100.0,
        })
    });
    Ok(AudioInfo {
        sha256,
        length,
        loudness,
        unmeasured: false,
    })
}

/// A probe result with the size and mtime it was made for.
struct Entry {
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
struct Stored {
    length_s: f64,
    loudness: Option<Loudness>,
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
fn estimate(path: &Path, sha256: String) -> Result<AudioInfo, AudioError> {
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
pub struct Known(std::collections::BTreeMap<String, Stored>);

/// Hashes `path`; the kept measurement for that content if there is one,
/// else decodes and measures it.
fn measure_known(
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

/// Every playable-looking file under `root`, as `/`-separated relative paths.
pub fn inventory(root: &Path) -> Vec<String> {
    let mut out = Vec::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        let Ok(rd) = std::fs::read_dir(&dir) else {
            continue;
        };
        for e in rd.flatten() {
            let p = e.path();
            let Ok(ft) = e.file_type() else { continue };
            if ft.is_dir() {
                stack.push(p);
            } else if supported(&p)
                && let Ok(rel) = p.strip_prefix(root)
            {
                let parts: Vec<String> = rel
                    .components()
                    .map(|c| c.as_os_str().to_string_lossy().into_owned())
                    .collect();
                out.push(parts.join("/"));
            }
        }
    }
    out.sort();
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resolve_refuses_escapes_and_symlinks_out() -> std::io::Result<()> {
        let dir = tempfile::tempdir()?;
        let audio = dir.path().join("audio");
        std::fs::create_dir_all(audio.join("sub"))?;
        std::fs::write(audio.join("sub/a.mp3"), b"x")?;
        std::fs::write(dir.path().join("outside.mp3"), b"x")?;
        std::os::unix::fs::symlink(dir.path().join("outside.mp3"), audio.join("link.mp3"))?;
        std::os::unix::fs::symlink(audio.join("sub/a.mp3"), audio.join("inside.mp3"))?;
        assert!(resolve(&audio, "sub/a.mp3").is_ok());
        assert!(resolve(&audio, "inside.mp3").is_ok());
        assert_eq!(resolve(&audio, "../outside.mp3"), Err(AudioError::Escapes));
        assert_eq!(resolve(&audio, "link.mp3"), Err(AudioError::Escapes));
        assert_eq!(resolve(&audio, "nope.mp3"), Err(AudioError::Missing));
        assert_eq!(resolve(&audio, "sub"), Err(AudioError::Missing));
        Ok(())
    }

    #[test]
    fn a_text_file_named_mp3_is_undecodable_and_txt_unsupported() -> std::io::Result<()> {
        let dir = tempfile::tempdir()?;
        let fake = dir.path().join("fake.mp3");
        std::fs::write(&fake, "this is not audio\n".repeat(50))?;
        assert!(matches!(probe(&fake), Err(AudioError::Undecodable(_))));
        let txt = dir.path().join("notes.txt");
        std::fs::write(&txt, "x")?;
        assert_eq!(probe(&txt).err(), Some(AudioError::Unsupported));
        Ok(())
    }

    #[test]
    fn measuring_apart_takes_known_content_without_decoding() -> std::io::Result<()> {
        let dir = tempfile::tempdir()?;
        // Not audio at all: decoding it would fail.
        let path = dir.path().join("copy.wav");
        std::fs::write(&path, b"the same bytes as a file measured before")?;
        let sha = crate::hash::sha256_file(&path)?;
        let stored = Stored {
            length_s: 7.0,
            loudness: None,
        };
        let known = Known([(sha.clone(), stored)].into_iter().collect());
        let m = measure_apart(path.clone(), &known).map(|m| m.result);
        let want = AudioInfo {
            sha256: sha,
            length: Duration::from_secs(7),
            loudness: None,
            unmeasured: false,
        };
        assert_eq!(m, Some(Ok(want)));
        // Unknown content is decoded, and this is no recording.
        let m = measure_apart(path, &Known::default()).map(|m| m.result);
        assert!(matches!(m, Some(Err(AudioError::Undecodable(_)))), "{m:?}");
        Ok(())
    }

    #[test]
    fn a_quick_cache_answers_unmeasured_content_from_its_header_and_keeps_it_to_measure()
    -> std::io::Result<()> {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let tone = root.join("tests/fixtures/tones/tone.wav");
        let dir = tempfile::tempdir()?;
        let path = dir.path().join("tone.wav");
        std::fs::copy(&tone, &path)?;
        let path = path.canonicalize()?;
        let measured = probe(&path).map_err(std::io::Error::other)?;

        let mut quick = AudioCache::persistent(dir.path().join("audio.json")).quick();
        let first = quick.info(&path).map_err(std::io::Error::other)?;
        assert!(first.unmeasured, "{first:?}");
        assert_eq!(first.sha256, measured.sha256);
        assert_eq!(first.loudness, None, "unity gain until measured");
        let off = (first.length.as_secs_f64() - measured.length.as_secs_f64()).abs();
        assert!(off < 0.01, "a WAV header gives the length: {first:?}");
        assert_eq!(
            quick.unmeasured(dir.path()),
            vec![path.clone()],
            "still to measure"
        );

        // Measured apart and taken: answered as measured from then on.
        let m = measure_apart(path.clone(), &quick.known());
        quick.take(m.ok_or_else(|| std::io::Error::other("changed"))?);
        assert_eq!(quick.info(&path).map_err(std::io::Error::other)?, measured);
        assert!(quick.unmeasured(dir.path()).is_empty());
        Ok(())
    }

    #[test]
    fn formats_loa_does_not_play_are_named_by_their_first_bytes() -> std::io::Result<()> {
        let wav = |tag: u16| {
            let mut b = b"RIFF\0\0\0\0WAVEfmt \x10\0\0\0".to_vec();
            b.extend_from_slice(&tag.to_le_bytes());
            b.extend_from_slice(&[0; 14]);
            b
        };
        let opus = std::fs::read(
            Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("tests/fixtures/bad-station/audio/ghi-am-zalo.ogg"),
        )?;
        let asf = [0x30, 0x26, 0xB2, 0x75, 0x8E, 0x66, 0xCF, 0x11, 0xA6, 0xD9];
        assert_eq!(sniff(&opus), Some(Foreign::Opus));
        assert_eq!(sniff(&asf), Some(Foreign::Wma));
        assert_eq!(sniff(b"#!AMR\n"), Some(Foreign::Amr));
        assert_eq!(sniff(&wav(2)), Some(Foreign::CompressedWav), "MS ADPCM");
        assert_eq!(sniff(&wav(0x11)), Some(Foreign::CompressedWav), "IMA ADPCM");
        assert_eq!(sniff(&wav(1)), None, "PCM plays");
        assert_eq!(sniff(&wav(3)), None, "float plays");
        let vorbis = std::fs::read(
            Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/tones/tone.ogg"),
        )?;
        assert_eq!(sniff(&vorbis[..64]), None, "Vorbis plays");
        // An empty file is named as such before any decoder runs.
        let dir = tempfile::tempdir()?;
        let empty = dir.path().join("rong.mp3");
        std::fs::write(&empty, b"")?;
        assert_eq!(probe(&empty).err(), Some(AudioError::Empty));
        Ok(())
    }

    #[test]
    fn inventory_lists_audio_in_subfolders_only() -> std::io::Result<()> {
        let dir = tempfile::tempdir()?;
        std::fs::create_dir_all(dir.path().join("cchc"))?;
        std::fs::write(dir.path().join("cchc/a.mp3"), b"x")?;
        std::fs::write(dir.path().join("b.WAV"), b"x")?;
        std::fs::write(dir.path().join("readme.txt"), b"x")?;
        assert_eq!(inventory(dir.path()), ["b.WAV", "cchc/a.mp3"]);
        Ok(())
    }
}
