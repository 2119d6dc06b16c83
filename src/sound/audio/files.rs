//! Where a recording is: a reference resolved inside the audio folder,
//! the files loa plays, and what of a file's status says it changed.

use std::path::{Path, PathBuf};

use super::{AudioError, EXTENSIONS, io_error};

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

/// Mode and status-change time: chmod, chown and setfacl all move the
/// latter, which the modification time does not see.
pub(super) fn perm_from(m: &std::fs::Metadata) -> (u32, i64, i64) {
    use std::os::unix::fs::MetadataExt as _;
    (m.mode(), m.ctime(), m.ctime_nsec())
}

pub(super) fn perm_of(path: &Path) -> (u32, i64, i64) {
    std::fs::metadata(path)
        .map(|m| perm_from(&m))
        .unwrap_or_default()
}
