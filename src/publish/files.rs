//! The files publish writes into the portal's folder: copied once by
//! content, removed only when its manifest says publish wrote them, with
//! names and addresses safe on any web server.

use std::path::{Component, Path};

use super::{Entry, MANIFEST, Manifest};
use crate::address::BaseUrlFault;

/// The error's text when --out holds a page or feed publish did not write.
pub(super) const NOT_OURS: &str = "not written by loa publish";

/// Whether publish may write `name` in `out`: nothing is there, or the
/// plain file publish wrote last (its manifest's bytes). A link, a folder
/// or a file of the portal's own is not publish's.
pub(super) fn ours(out: &Path, name: &str, manifest: &Manifest) -> bool {
    let path = out.join(name);
    match std::fs::symlink_metadata(&path) {
        Err(e) => e.kind() == std::io::ErrorKind::NotFound,
        Ok(m) if !m.is_file() => false,
        Ok(_) => manifest
            .files
            .get(name)
            .is_some_and(|entry| crate::hash::sha256_file(&path).is_ok_and(|h| h == entry.sha256)),
    }
}

/// Whether a folder on the way to `rel` inside `out` is a symbolic link
/// (or not a folder): writing there would leave `out`.
pub(super) fn through_link(out: &Path, rel: &str) -> bool {
    let mut at = out.to_path_buf();
    let parts: Vec<&str> = rel.split('/').collect();
    for part in &parts[..parts.len().saturating_sub(1)] {
        at.push(part);
        match std::fs::symlink_metadata(&at) {
            Err(_) => return false,
            Ok(m) if m.file_type().is_symlink() || !m.is_dir() => return true,
            Ok(_) => {}
        }
    }
    // The file itself: a link there is never replaced or followed.
    std::fs::symlink_metadata(out.join(rel)).is_ok_and(|m| m.file_type().is_symlink())
}

pub(super) enum Placed {
    Copied,
    /// The same bytes were there already.
    There,
    /// The source does not hold the logged bytes.
    Differs,
    /// Something else is at the destination: never overwritten.
    Occupied,
}

/// Copies `source` to `dest` through a temporary name when its bytes hash
/// to `sha`.
pub(super) fn place(source: &Path, dest: &Path, sha: &str) -> std::io::Result<Placed> {
    if dest.exists() {
        return Ok(
            if dest.is_file() && crate::hash::sha256_file(dest)? == sha {
                Placed::There
            } else {
                Placed::Occupied
            },
        );
    }
    let dir = dest.parent().unwrap_or(Path::new("."));
    let name = dest
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    // Hash the copy, not the source: what is renamed into place is exactly
    // what was checked, even if the source changes meanwhile.
    let tmp = dir.join(format!(".{name}.{}.tmp", std::process::id()));
    if crate::hash::sha256_file(source)? != sha {
        return Ok(Placed::Differs);
    }
    std::fs::create_dir_all(dir)?;
    let done = std::fs::copy(source, &tmp).and_then(|_| crate::hash::sha256_file(&tmp));
    match done {
        Ok(h) if h == sha => std::fs::rename(&tmp, dest).map(|()| Placed::Copied),
        Ok(_) => {
            let _ = std::fs::remove_file(&tmp);
            Ok(Placed::Differs)
        }
        Err(e) => {
            let _ = std::fs::remove_file(&tmp);
            Err(e)
        }
    }
}

/// Removes a file publish wrote, if it still holds what publish wrote;
/// then its `audio/<hash>/` folder if that is left empty. `Ok(false)`: it
/// was gone already. An error: it holds something else, or cannot go.
pub(super) fn remove(out: &Path, rel: &str, entry: &Entry) -> std::io::Result<bool> {
    let p = Path::new(rel);
    if !p.components().all(|c| matches!(c, Component::Normal(_))) {
        return Err(std::io::Error::other("not a path publish writes"));
    }
    let path = out.join(p);
    match std::fs::symlink_metadata(&path) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(false),
        Err(e) => return Err(e),
        Ok(m) if !m.is_file() => return Err(std::io::Error::other("not a plain file")),
        Ok(_) => {}
    }
    if crate::hash::sha256_file(&path)? != entry.sha256 {
        return Err(std::io::Error::other("changed since publish wrote it"));
    }
    std::fs::remove_file(&path)?;
    if rel.starts_with("audio/")
        && let Some(parent) = path.parent()
    {
        // Fails, harmlessly, when the folder still holds something.
        let _ = std::fs::remove_dir(parent);
    }
    Ok(true)
}

pub(super) fn read_manifest(out: &Path) -> Manifest {
    std::fs::read(out.join(MANIFEST))
        .ok()
        .and_then(|b| serde_json::from_slice(&b).ok())
        .unwrap_or_default()
}

/// A file name safe in a URL path and on any server: control characters
/// and separators replaced.
pub(super) fn clean_name(n: &str) -> String {
    let s: String = n
        .chars()
        .map(|c| {
            if c.is_control() || matches!(c, '/' | '\\') {
                '_'
            } else {
                c
            }
        })
        .collect();
    match s.trim_start_matches('.') {
        "" => "audio".to_string(),
        t => t.to_string(),
    }
}

/// The MIME type of a recording, by its ending.
pub fn mime(name: &str) -> &'static str {
    let ext = name.rsplit('.').next().unwrap_or("").to_ascii_lowercase();
    match ext.as_str() {
        "mp3" => "audio/mpeg",
        "ogg" | "oga" | "opus" => "audio/ogg",
        "wav" => "audio/wav",
        "flac" => "audio/flac",
        "m4a" | "aac" | "mp4" => "audio/mp4",
        _ => "application/octet-stream",
    }
}

/// A relative path with each segment percent-encoded, for a URL.
pub fn url_path(rel: &str) -> String {
    let mut s = String::new();
    for (k, seg) in rel.split('/').enumerate() {
        if k > 0 {
            s.push('/');
        }
        for b in seg.bytes() {
            if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
                s.push(char::from(b));
            } else {
                s.push_str(&format!("%{b:02X}"));
            }
        }
    }
    s
}

/// Checks a `--base-url`: http(s), a host, no query or fragment, nothing
/// that breaks out of an attribute. Returns it ending with `/`, or what is
/// wrong with it.
pub fn base_url(s: &str) -> Result<String, BaseUrlFault> {
    let lower = s.to_ascii_lowercase();
    let rest = lower
        .strip_prefix("https://")
        .or_else(|| lower.strip_prefix("http://"))
        .ok_or(BaseUrlFault::Scheme)?;
    if let Some(c) = s
        .chars()
        .find(|c| c.is_whitespace() || c.is_control() || matches!(c, '"' | '<' | '>' | '\\'))
    {
        return Err(BaseUrlFault::Char(c));
    }
    let host = rest.split(['/', '?', '#']).next().unwrap_or("");
    if host.is_empty() {
        return Err(BaseUrlFault::Host);
    }
    if s.contains(['?', '#']) {
        return Err(BaseUrlFault::Query);
    }
    Ok(if s.ends_with('/') {
        s.to_string()
    } else {
        format!("{s}/")
    })
}
