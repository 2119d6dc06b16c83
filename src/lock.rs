//! One station, one daemon: `loa run` holds an exclusive lock on
//! `state/loa.lock` for its whole life, taken before anything is written.
//! A second daemon on the same station finds it held and stops at once,
//! naming the running one's pid. The kernel drops the lock when the process
//! ends, however it ends, so a crash never leaves a stale lock behind.

use std::fs::{File, OpenOptions};
use std::io::{Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

/// The lock file's name in the state folder.
pub const LOCK_FILE: &str = "loa.lock";

/// Opens a lock file, making it if need be, for `File::lock`: read and
/// write, not truncated (what is in it belongs to the holder until the
/// lock is taken). One left by another user (`sudo loa …` once) is opened
/// read-only, which locks as well; the flag says whether it is writable.
pub(crate) fn open(path: &Path) -> std::io::Result<(File, bool)> {
    let opened = OpenOptions::new()
        .read(true)
        .write(true)
        .create(true)
        .truncate(false)
        .open(path);
    match opened {
        Ok(f) => Ok((f, true)),
        Err(e) if e.kind() == std::io::ErrorKind::PermissionDenied => {
            File::open(path).map(|f| (f, false)).map_err(|_| e)
        }
        Err(e) => Err(e),
    }
}

/// The held lock; dropping it (or the process ending) releases it.
#[derive(Debug)]
pub struct StationLock {
    _file: File,
}

/// Why the lock could not be taken.
#[derive(Debug)]
pub enum LockError {
    /// Another process holds it: its pid, as it wrote it (None if unreadable).
    Held { pid: Option<u32>, path: PathBuf },
    /// The state folder or the lock file cannot be made or opened.
    Io {
        path: PathBuf,
        error: std::io::Error,
    },
}

impl StationLock {
    /// Takes the station's lock in `state_dir` without waiting, and writes
    /// this process's pid into it.
    pub fn take(state_dir: &Path) -> Result<StationLock, LockError> {
        let path = state_dir.join(LOCK_FILE);
        let io = |error| LockError::Io {
            path: path.clone(),
            error,
        };
        std::fs::create_dir_all(state_dir).map_err(io)?;
        // Only the pid goes unwritten through a read-only descriptor.
        let (mut file, writable) = open(&path).map_err(io)?;
        match file.try_lock() {
            Ok(()) => {}
            Err(std::fs::TryLockError::WouldBlock) => {
                let mut text = String::new();
                let pid = file
                    .read_to_string(&mut text)
                    .ok()
                    .and_then(|_| text.trim().parse().ok());
                return Err(LockError::Held { pid, path });
            }
            Err(std::fs::TryLockError::Error(e)) => return Err(io(e)),
        }
        if !writable {
            return Ok(StationLock { _file: file });
        }
        let pid = format!("{}\n", std::process::id());
        file.set_len(0)
            .and_then(|()| file.seek(SeekFrom::Start(0)))
            .and_then(|_| file.write_all(pid.as_bytes()))
            .and_then(|()| file.flush())
            .map_err(io)?;
        Ok(StationLock { _file: file })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_second_lock_on_the_same_station_is_refused_with_the_holders_pid() -> std::io::Result<()> {
        let dir = tempfile::tempdir()?;
        let state = dir.path().join("state");
        let first = StationLock::take(&state);
        assert!(first.is_ok(), "{first:?}");
        match StationLock::take(&state) {
            Err(LockError::Held { pid, .. }) => assert_eq!(pid, Some(std::process::id())),
            other => panic!("expected the lock to be held, got {other:?}"),
        }
        drop(first);
        let again = StationLock::take(&state);
        assert!(again.is_ok(), "released with its holder: {again:?}");
        Ok(())
    }
}
