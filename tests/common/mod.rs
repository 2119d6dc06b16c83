//! Helpers shared by the integration tests: temporary stations and reading
//! the play log back.
#![allow(dead_code)]

pub mod browser;
pub mod capture;
pub mod daemon;
pub mod icecast;
pub mod linein;
pub mod onair;
pub mod sandbox;

use std::path::{Path, PathBuf};

use serde_json::Value;

/// The repository root.
pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A copy of the sample station in a temporary folder, with `config.yaml`
/// edited by `edit` (applied to its text).
pub fn sample_station(edit: impl Fn(String) -> String) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("tempdir: {e}"));
    copy_dir(&repo().join("audio"), &dir.path().join("audio"));
    copy_dir(&repo().join("chimes"), &dir.path().join("chimes"));
    copy_dir(&repo().join("schedules"), &dir.path().join("schedules"));
    let config = std::fs::read_to_string(repo().join("config.yaml")).unwrap_or_default();
    write(&dir.path().join("config.yaml"), &edit(config));
    dir
}

/// An empty station with the given config text.
pub fn station(config: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("tempdir: {e}"));
    std::fs::create_dir_all(dir.path().join("schedules")).unwrap_or_else(|e| panic!("{e}"));
    std::fs::create_dir_all(dir.path().join("audio")).unwrap_or_else(|e| panic!("{e}"));
    write(&dir.path().join("config.yaml"), config);
    dir
}

pub fn write(path: &Path, text: &str) {
    if let Some(p) = path.parent() {
        std::fs::create_dir_all(p).unwrap_or_else(|e| panic!("{e}"));
    }
    std::fs::write(path, text).unwrap_or_else(|e| panic!("write {}: {e}", path.display()));
}

pub fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap_or_else(|e| panic!("{e}"));
    for e in std::fs::read_dir(from)
        .unwrap_or_else(|e| panic!("{}: {e}", from.display()))
        .flatten()
    {
        let p = e.path();
        if p.is_dir() {
            copy_dir(&p, &to.join(e.file_name()));
        } else {
            std::fs::copy(&p, to.join(e.file_name())).unwrap_or_else(|e| panic!("{e}"));
        }
    }
}

/// Every play-log line in order, parsed, after checking the chain and seq.
pub fn read_log(dir: &Path) -> Vec<Value> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|rd| {
            rd.flatten()
                .map(|e| e.path())
                .filter(|p| p.extension().is_some_and(|x| x == "jsonl"))
                .collect()
        })
        .unwrap_or_default();
    files.sort();
    let mut prev = "0".repeat(64);
    let mut out = Vec::new();
    for f in files {
        let text = std::fs::read_to_string(&f).unwrap_or_default();
        assert!(
            text.is_empty() || text.ends_with('\n'),
            "{} must end with a newline",
            f.display()
        );
        for line in text.lines() {
            let v: Value =
                serde_json::from_str(line).unwrap_or_else(|e| panic!("bad line {line}: {e}"));
            assert_eq!(v["v"], 1);
            assert_eq!(
                v["prev"].as_str(),
                Some(prev.as_str()),
                "chain broken at {line}"
            );
            assert_eq!(
                v["seq"].as_u64(),
                Some(out.len() as u64 + 1),
                "seq out of order at {line}"
            );
            prev = loa::hash::sha256_hex(line.as_bytes());
            out.push(v);
        }
    }
    out
}

/// The lines of one event kind.
pub fn events<'a>(log: &'a [Value], event: &str) -> Vec<&'a Value> {
    log.iter().filter(|v| v["event"] == event).collect()
}

/// A mono 16-bit 48 kHz WAV file of `secs` seconds whose sample at time
/// `t` (seconds) is `signal(t)`, in -1..1.
pub fn wav(secs: f64, signal: impl Fn(f64) -> f64) -> Vec<u8> {
    let n = (48_000.0 * secs) as u32;
    let mut b = Vec::with_capacity(44 + 2 * n as usize);
    b.extend_from_slice(b"RIFF");
    b.extend_from_slice(&(36 + n * 2).to_le_bytes());
    b.extend_from_slice(b"WAVEfmt ");
    b.extend_from_slice(&16u32.to_le_bytes());
    b.extend_from_slice(&1u16.to_le_bytes()); // PCM
    b.extend_from_slice(&1u16.to_le_bytes()); // mono
    b.extend_from_slice(&48_000u32.to_le_bytes());
    b.extend_from_slice(&96_000u32.to_le_bytes()); // bytes per second
    b.extend_from_slice(&2u16.to_le_bytes()); // bytes per frame
    b.extend_from_slice(&16u16.to_le_bytes());
    b.extend_from_slice(b"data");
    b.extend_from_slice(&(n * 2).to_le_bytes());
    for k in 0..n {
        let x = signal(f64::from(k) / 48_000.0).clamp(-1.0, 1.0);
        b.extend_from_slice(&((x * 32767.0) as i16).to_le_bytes());
    }
    b
}

/// Runs the `loa` binary in `dir` with `args`: its exit code, stdout and
/// stderr.
pub fn loa_in(dir: &Path, args: &[&str]) -> (Option<i32>, String, String) {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_loa"))
        .current_dir(dir)
        .env("LOA_LOG", "warn")
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}
