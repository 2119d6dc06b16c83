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

/// Refuses a target that is not a plain file: a rename would put a plain
/// file in place of a device (`/dev/null` for root), a pipe or a socket.
fn plain(path: &Path) -> std::io::Result<()> {
    match std::fs::metadata(path) {
        Ok(m) if !m.is_file() => Err(std::io::Error::new(
            std::io::ErrorKind::InvalidInput,
            "not a plain file",
        )),
        _ => Ok(()),
    }
}

/// Writes `bytes` to `path` whole. Errors with `InvalidInput` when `path`
/// is a device, a folder or anything else that is not a plain file.
pub fn write(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    plain(path)?;
    let tmp = temporary(path);
    std::fs::write(&tmp, bytes)
        .and_then(|()| std::fs::rename(&tmp, path))
        .inspect_err(|_| {
            let _ = std::fs::remove_file(&tmp);
        })
}

/// A file being written whole: to its temporary beside it until
/// [`Pending::commit`] renames it into place. Dropped without a commit, the
/// temporary is removed and the target left as it was.
pub struct Pending {
    path: PathBuf,
    tmp: PathBuf,
    file: Option<std::io::BufWriter<std::fs::File>>,
}

/// Starts writing `path` whole (see [`write`] for what it refuses).
pub fn create(path: &Path) -> std::io::Result<Pending> {
    plain(path)?;
    let tmp = temporary(path);
    let file = std::fs::File::create(&tmp)?;
    Ok(Pending {
        path: path.to_path_buf(),
        tmp,
        file: Some(std::io::BufWriter::with_capacity(1 << 16, file)),
    })
}

impl Pending {
    /// The temporary file, to write (and seek) in.
    pub fn file(&mut self) -> std::io::Result<&mut std::io::BufWriter<std::fs::File>> {
        self.file
            .as_mut()
            .ok_or_else(|| std::io::Error::other("already committed"))
    }

    /// Puts the file in place.
    pub fn commit(mut self) -> std::io::Result<()> {
        let Some(mut f) = self.file.take() else {
            return Err(std::io::Error::other("already committed"));
        };
        std::io::Write::flush(&mut f)?;
        drop(f);
        std::fs::rename(&self.tmp, &self.path)
    }
}

impl std::io::Write for Pending {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.file()?.write(buf)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.file()?.flush()
    }
}

impl Drop for Pending {
    fn drop(&mut self) {
        // Committed: the temporary is the target now, or the rename failed.
        let _ = std::fs::remove_file(&self.tmp);
    }
}

/// Copies `from` to `to` whole.
pub fn copy(from: &Path, to: &Path) -> std::io::Result<()> {
    plain(to)?;
    let tmp = temporary(to);
    std::fs::copy(from, &tmp)
        .and_then(|_| std::fs::rename(&tmp, to))
        .inspect_err(|_| {
            let _ = std::fs::remove_file(&tmp);
        })
}

/// Copies what `from` reads into `to`, whole, with `mode`: a recording
/// brought into the station, readable and writable by the station's group
/// whatever the source's mode was (a `0600` copy in a home folder).
pub fn copy_from(from: &mut impl std::io::Read, to: &Path, mode: u32) -> std::io::Result<()> {
    use std::os::unix::fs::PermissionsExt as _;
    plain(to)?;
    let tmp = temporary(to);
    let written = (|| {
        let mut f = std::fs::File::create(&tmp)?;
        std::io::copy(from, &mut f)?;
        f.set_permissions(std::fs::Permissions::from_mode(mode))?;
        std::fs::rename(&tmp, to)
    })();
    if written.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    written
}

#[cfg(test)]
mod tests {
    use std::os::unix::fs::FileTypeExt as _;

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

    #[test]
    fn a_whole_write_never_replaces_a_device_or_a_folder() -> std::io::Result<()> {
        // A socket stands for a device: a test run as root with this
        // guard broken must not replace the real /dev/null.
        let dir = tempfile::tempdir()?;
        let special = dir.path().join("device");
        let _listener = std::os::unix::net::UnixListener::bind(&special)?;
        let err = super::write(&special, b"x").err().map(|e| e.kind());
        assert_eq!(err, Some(std::io::ErrorKind::InvalidInput));
        assert!(std::fs::metadata(&special)?.file_type().is_socket());
        let err = super::write(dir.path(), b"x").err().map(|e| e.kind());
        assert_eq!(err, Some(std::io::ErrorKind::InvalidInput));
        Ok(())
    }
}
