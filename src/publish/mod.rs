//! `loa publish` (SPEC §4): a folder the commune's web portal serves as it
//! is: `index.html` (the coming week and what aired), `feed.xml` (an RSS
//! 2.0 podcast of the recordings that aired) and the recordings themselves,
//! copied under `audio/<first 12 hex of sha256>/<name>`.
//!
//! A recording is copied only when its bytes are the ones the log names
//! (same SHA-256), through a temporary name and a rename, and never over a
//! different file. Once copied, the copy is the recording that aired even
//! if the station's file changes later. What publish wrote is listed in
//! `.loa-publish.json`; a rerun removes only files on that list that left
//! the window (and only while they still hold what publish wrote), and
//! never touches anything else in the folder.

pub mod aired;
mod feed;
mod files;
mod page;

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use serde::{Deserialize, Serialize};

use crate::config::Config;
use crate::i18n::Lang;
pub use aired::{Aired, Attempt};
use files::{NOT_OURS, Placed, clean_name, ours, place, read_manifest, remove, through_link};
pub use files::{base_url, mime, url_path};

/// The list of what publish wrote, kept in the output folder.
pub const MANIFEST: &str = ".loa-publish.json";

/// What to publish, and where.
#[derive(Clone, Debug)]
pub struct Options {
    pub out: PathBuf,
    /// Ends with `/`; enclosure URLs are this plus the relative path.
    /// `None`: relative paths.
    pub base_url: Option<String>,
    /// How many weeks back the page and the feed show what aired.
    pub weeks: u32,
}

/// One occurrence of the coming week, as the page shows it.
#[derive(Clone, Debug)]
pub struct Coming {
    pub local: DateTime<Tz>,
    pub broadcast: String,
    pub topic: String,
    pub output: String,
    /// Whether it will sound at all.
    pub sounds: bool,
    /// What will happen to it, in words (quiet hours, waits, ...).
    pub notes: Vec<String>,
}

/// Where a recording of what aired stands in the published folder.
#[derive(Clone, Debug, PartialEq)]
pub enum Copy {
    /// Published at `rel` (relative to the folder, `/`-separated).
    At {
        rel: String,
        bytes: u64,
        mime: &'static str,
    },
    /// The station's file no longer holds what aired.
    Changed,
    /// The file is gone (or the speech was never kept).
    Missing,
}

/// One audio entry of an attempt, with its copy.
#[derive(Clone, Debug)]
pub struct Piece {
    pub path: String,
    /// Spoken text, exactly as written.
    pub text: Option<String>,
    pub copy: Copy,
}

/// One attempt that aired, with its pieces.
#[derive(Clone, Debug)]
pub struct Item {
    pub a: Attempt,
    pub pieces: Vec<Piece>,
}

/// Everything the page and the feed say.
pub struct Site<'a> {
    pub station: &'a str,
    pub tz: Tz,
    pub lang: Lang,
    pub now: DateTime<Utc>,
    pub weeks: u32,
    pub base_url: Option<&'a str>,
    /// Show the output names (the station has several).
    pub several: bool,
    pub coming: &'a [Coming],
    /// Newest first.
    pub items: &'a [Item],
    pub lines: u64,
    pub skipped: u64,
    pub head: Option<&'a str>,
}

/// What a run did.
#[derive(Debug, Default, PartialEq)]
pub struct Summary {
    pub aired: usize,
    pub copied: usize,
    pub kept: usize,
    pub removed: usize,
    /// Recordings whose file changed since they aired (no copy).
    pub changed: usize,
    pub skipped_lines: u64,
    /// Files publish wrote before that now hold something else: left alone.
    pub foreign: Vec<String>,
}

#[derive(Clone, Debug, Default, Serialize, Deserialize, PartialEq)]
struct Manifest {
    /// By path relative to the folder.
    files: BTreeMap<String, Entry>,
}

#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
struct Entry {
    sha256: String,
    bytes: u64,
}

/// The lock file in the state folder that keeps publishes apart.
pub const LOCK_FILE: &str = "publish.lock";

/// Waits for, then holds, the station's publish lock (released when the
/// file is dropped or the process ends, however it ends).
fn one_at_a_time(state_dir: &Path) -> std::io::Result<std::fs::File> {
    std::fs::create_dir_all(state_dir)?;
    let (f, _) = crate::lock::open(&state_dir.join(LOCK_FILE))?;
    f.lock()?;
    Ok(f)
}

/// Publishes into `opts.out`. `coming` is the coming week, already
/// previewed by the caller.
pub fn run(
    config: &Config,
    lang: Lang,
    now: DateTime<Utc>,
    opts: &Options,
    coming: &[Coming],
) -> std::io::Result<Summary> {
    // One publish at a time per station (the hourly timer and an operator's
    // own run): the second waits for the first instead of both copying and
    // pruning the same folder at once.
    // Each error names the path it is about: the state folder's lock is
    // not the portal's folder.
    let at = |p: &Path| {
        let shown = p.display().to_string();
        move |e: std::io::Error| std::io::Error::new(e.kind(), format!("{shown}: {e}"))
    };
    let _one = one_at_a_time(&config.state_dir).map_err(at(&config.state_dir.join(LOCK_FILE)))?;
    std::fs::create_dir_all(&opts.out).map_err(at(&opts.out))?;
    let old = read_manifest(&opts.out);
    // The page and the feed replace only what publish wrote: a portal's own
    // index.html in --out stays, and publish says where to point it.
    for name in ["index.html", "feed.xml"] {
        if !ours(&opts.out, name, &old) {
            let path = opts.out.join(name);
            return Err(std::io::Error::new(
                std::io::ErrorKind::AlreadyExists,
                format!("{}: {NOT_OURS}", path.display()),
            ));
        }
    }
    let from = now - chrono::TimeDelta::weeks(i64::from(opts.weeks));
    let aired = aired::read(&config.playlog_dir, config.timezone, from, now)?;
    let mut pub_ = Publisher {
        out: &opts.out,
        config,
        old: &old,
        new: Manifest::default(),
        by_sha: HashMap::new(),
        tts: None,
        summary: Summary::default(),
    };
    let mut items: Vec<Item> = aired
        .attempts
        .iter()
        .map(|a| Item {
            pieces: a
                .audio
                .iter()
                .map(|e| Piece {
                    path: e.path.clone(),
                    text: e.speech.as_ref().map(|s| s.text.clone()),
                    copy: pub_.copy(e),
                })
                .collect(),
            a: a.clone(),
        })
        .collect();
    items.reverse();
    let mut summary = std::mem::take(&mut pub_.summary);
    let mut new = std::mem::take(&mut pub_.new);
    summary.aired = items.len();
    summary.skipped_lines = aired.skipped;
    let site = Site {
        station: &config.station,
        tz: config.timezone,
        lang,
        now,
        weeks: opts.weeks,
        base_url: opts.base_url.as_deref(),
        several: config.outputs().len() > 1,
        coming,
        items: &items,
        lines: aired.lines,
        skipped: aired.skipped,
        head: aired.head.as_deref(),
    };
    for (name, bytes) in [
        ("index.html", page::render(&site)),
        ("feed.xml", feed::render(&site)),
    ] {
        let bytes = bytes.into_bytes();
        let path = opts.out.join(name);
        if std::fs::read(&path).ok().as_deref() != Some(&bytes[..]) {
            crate::whole::write(&path, &bytes)?;
        }
        new.files.insert(
            name.to_string(),
            Entry {
                sha256: crate::hash::sha256_hex(&bytes),
                bytes: bytes.len() as u64,
            },
        );
    }
    for (rel, entry) in &old.files {
        if new.files.contains_key(rel) {
            continue;
        }
        match remove(&opts.out, rel, entry) {
            Ok(true) => summary.removed += 1,
            Ok(false) => {}
            Err(_) => summary.foreign.push(rel.clone()),
        }
    }
    if new != old {
        let json = serde_json::to_vec_pretty(&new).map_err(std::io::Error::other)?;
        crate::whole::write(&opts.out.join(MANIFEST), &json)?;
    }
    Ok(summary)
}

struct Publisher<'a> {
    out: &'a Path,
    config: &'a Config,
    old: &'a Manifest,
    new: Manifest,
    /// What became of each recording (by logged SHA-256) in this run.
    by_sha: HashMap<String, Copy>,
    /// The rendered speech in `state/tts/`, by SHA-256 (read when needed).
    tts: Option<HashMap<String, PathBuf>>,
    summary: Summary,
}

impl Publisher<'_> {
    fn copy(&mut self, e: &crate::playlog::AudioEntry) -> Copy {
        if let Some(c) = self.by_sha.get(&e.sha256) {
            return c.clone();
        }
        let c = self.copy_new(e);
        if c == Copy::Changed {
            self.summary.changed += 1;
        }
        self.by_sha.insert(e.sha256.clone(), c.clone());
        c
    }

    fn copy_new(&mut self, e: &crate::playlog::AudioEntry) -> Copy {
        let sha = e.sha256.to_ascii_lowercase();
        if sha.len() != 64 || !sha.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Copy::Missing;
        }
        let dir = format!("audio/{}/", &sha[..12]);
        // Published before: the copy is what aired, whatever the source is now.
        let before = self
            .old
            .files
            .iter()
            .find(|(rel, x)| rel.starts_with(&dir) && x.sha256 == sha)
            .filter(|(rel, x)| {
                std::fs::metadata(self.out.join(rel.as_str()))
                    .is_ok_and(|m| m.is_file() && m.len() == x.bytes)
            });
        if let Some((rel, x)) = before {
            self.summary.kept += 1;
            self.new.files.insert(rel.clone(), x.clone());
            return Copy::At {
                rel: rel.clone(),
                bytes: x.bytes,
                mime: mime(rel),
            };
        }
        let source = if e.speech.is_some() {
            match self.tts_file(&sha) {
                Some(p) => p,
                None => return Copy::Missing,
            }
        } else {
            // Only a file inside the audio folder, whatever a log line says
            // (a line edited to name /etc/... must not reach the public site).
            match crate::sound::audio::resolve(&self.config.audio_dir, &e.path) {
                Ok(p) => p,
                Err(_) => return Copy::Missing,
            }
        };
        let Some(name) = source.file_name().and_then(|n| n.to_str()).map(clean_name) else {
            return Copy::Missing;
        };
        if !source.is_file() {
            return Copy::Missing;
        }
        let rel = format!("{dir}{name}");
        if through_link(self.out, &rel) {
            // A link inside --out would carry the copy out of it.
            self.summary.foreign.push(rel);
            return Copy::Missing;
        }
        let dest = self.out.join(&rel);
        let fresh = match place(&source, &dest, &sha) {
            Ok(Placed::Copied) => true,
            Ok(Placed::There) => false,
            Ok(Placed::Differs) => return Copy::Changed,
            Ok(Placed::Occupied) => {
                self.summary.foreign.push(rel);
                return Copy::Missing;
            }
            Err(_) => return Copy::Missing,
        };
        let bytes = std::fs::metadata(&dest).map(|m| m.len()).unwrap_or(0);
        if fresh {
            self.summary.copied += 1;
        } else {
            self.summary.kept += 1;
        }
        self.new.files.insert(
            rel.clone(),
            Entry {
                sha256: sha.clone(),
                bytes,
            },
        );
        Copy::At {
            mime: mime(&rel),
            rel,
            bytes,
        }
    }

    fn tts_file(&mut self, sha: &str) -> Option<PathBuf> {
        let dir = self.config.state_dir.join(crate::sound::speech::TTS_DIR);
        let map = self.tts.get_or_insert_with(|| {
            let mut m = HashMap::new();
            for e in std::fs::read_dir(&dir).into_iter().flatten().flatten() {
                let p = e.path();
                if p.extension().is_some_and(|x| x == "wav")
                    && let Ok(h) = crate::hash::sha256_file(&p)
                {
                    m.insert(h, p);
                }
            }
            m
        });
        map.get(sha).cloned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::address::BaseUrlFault;
    use crate::escape::esc;

    #[test]
    fn urls_names_and_escapes() {
        assert_eq!(
            url_path("audio/0123456789ab/bản tin&1.mp3"),
            "audio/0123456789ab/b%E1%BA%A3n%20tin%261.mp3"
        );
        assert_eq!(
            esc("<a href=\"x\">&'"),
            "&lt;a href=&quot;x&quot;&gt;&amp;&#39;"
        );
        assert_eq!(
            base_url("https://xa.example.vn/loa").as_deref(),
            Ok("https://xa.example.vn/loa/")
        );
        assert_eq!(
            base_url("https://xa.example.vn/a&b").as_deref(),
            Ok("https://xa.example.vn/a&b/")
        );
        assert_eq!(base_url("ftp://xa.example.vn/"), Err(BaseUrlFault::Scheme));
        assert_eq!(base_url("https:///loa/"), Err(BaseUrlFault::Host));
        assert_eq!(
            base_url("https://x.vn/\"onload=1"),
            Err(BaseUrlFault::Char('"'))
        );
        assert_eq!(
            base_url("https://x.vn/loa?a=1&b=2"),
            Err(BaseUrlFault::Query)
        );
        assert_eq!(clean_name("..an"), "an");
        assert_eq!(mime("A.MP3"), "audio/mpeg");
    }
}
