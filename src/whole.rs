//! Files written whole or not at all: the bytes go to a hidden temporary
//! file beside the target (`.<name>.<pid>.tmp`, which the schedule watcher
//! ignores), then are renamed over it. A reader, or loa's own watcher, sees
//! the old file or the new one, never half of one.

use std::path::{Path, PathBuf};

fn temporary(path: &Path) -> PathBuf {
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    dir.join(format!(".{name}.{}.tmp", std::process::id()))
}

/// Writes `bytes` to `path` whole.
pub fn write(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let tmp = temporary(path);
    std::fs::write(&tmp, bytes)
        .and_then(|()| std::fs::rename(&tmp, path))
        .inspect_err(|_| {
            let _ = std::fs::remove_file(&tmp);
        })
}

/// Copies `from` to `to` whole.
pub fn copy(from: &Path, to: &Path) -> std::io::Result<()> {
    let tmp = temporary(to);
    std::fs::copy(from, &tmp)
        .and_then(|_| std::fs::rename(&tmp, to))
        .inspect_err(|_| {
            let _ = std::fs::remove_file(&tmp);
        })
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_whole_write_replaces_the_file_and_leaves_no_temporary() -> std::io::Result<()> {
        let dir = tempfile::tempdir()?;
        let f = dir.path().join("a.yaml");
        std::fs::write(&f, "old")?;
        super::write(&f, b"new")?;
        assert_eq!(std::fs::read_to_string(&f)?, "new");
        assert_eq!(std::fs::read_dir(dir.path())?.count(), 1);
        // Into a folder that does not exist: an error, and nothing left.
        assert!(super::write(&dir.path().join("no/b.yaml"), b"x").is_err());
        assert_eq!(std::fs::read_dir(dir.path())?.count(), 1);
        Ok(())
    }
}
