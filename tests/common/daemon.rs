//! A real `loa run` in a station folder, for tests that drive it from
//! outside: its play log, its signals, and other `loa` commands beside it.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use chrono::{TimeDelta, Utc};
use serde_json::Value;

pub fn bin() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_loa"))
}

/// A station on the null output with a one-second tone in `audio/`.
pub fn null_station() -> tempfile::TempDir {
    let st = super::station(
        "station: Live test\noutput:\n  device: \"null\"\n  loudness: off\nquiet_hours: []\nlate_limit: 30s\n",
    );
    std::fs::copy(
        super::repo().join("tests/fixtures/tones/tone.wav"),
        st.path().join("audio/tone.wav"),
    )
    .unwrap_or_else(|e| panic!("{e}"));
    st
}

/// A daemon process; dropped, it gets SIGTERM and is waited for.
pub struct Daemon {
    pub child: Child,
    pub dir: PathBuf,
}

/// `loa --lang en run` in `dir` as a bare child process, with `env` added
/// (a NOTIFY_SOCKET, say); nothing is waited for.
pub fn spawn_run(dir: &Path, env: &[(&str, &std::ffi::OsStr)]) -> Child {
    Command::new(bin())
        .current_dir(dir)
        .args(["--lang", "en", "run"])
        .env("LOA_LOG", "warn")
        .envs(env.iter().copied())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap_or_else(|e| panic!("{e}"))
}

/// Waits for `READY=1` on the notify socket `sock` (bound with a short read
/// timeout); how long after `since` it came. Panics after `limit`.
pub fn wait_ready(
    sock: &std::os::unix::net::UnixDatagram,
    since: Instant,
    limit: Duration,
) -> Duration {
    let mut buf = [0u8; 4096];
    loop {
        if let Ok(n) = sock.recv(&mut buf)
            && String::from_utf8_lossy(&buf[..n])
                .lines()
                .any(|l| l == "READY=1")
        {
            return since.elapsed();
        }
        assert!(since.elapsed() < limit, "no READY in {limit:?}");
    }
}

impl Daemon {
    pub fn start(dir: &Path) -> Daemon {
        let child = spawn_run(dir, &[]);
        let d = Daemon {
            child,
            dir: dir.to_path_buf(),
        };
        // Ready once its first status file is there.
        d.wait("status file", Duration::from_secs(10), |_| {
            dir.join("state/status.json").exists()
        });
        d
    }

    pub fn log(&self) -> Vec<Value> {
        super::read_log(&self.dir.join("playlog"))
    }

    /// Polls the play log every 10 ms until `ok` holds; panics after `limit`.
    pub fn wait(&self, what: &str, limit: Duration, ok: impl Fn(&[Value]) -> bool) -> Duration {
        let began = Instant::now();
        loop {
            let l = self.log();
            if ok(&l) {
                return began.elapsed();
            }
            assert!(
                began.elapsed() < limit,
                "waited {limit:?} for {what}:\n{l:#?}"
            );
            std::thread::sleep(Duration::from_millis(10));
        }
    }

    pub fn signal(&self, sig: &str) {
        let _ = Command::new("kill")
            .args([sig, &self.child.id().to_string()])
            .status();
    }

    pub fn loa(&self, args: &[&str]) -> std::process::Output {
        Command::new(bin())
            .current_dir(&self.dir)
            .arg("--lang")
            .arg("en")
            .args(args)
            .output()
            .unwrap_or_else(|e| panic!("{e}"))
    }
}

impl Drop for Daemon {
    fn drop(&mut self) {
        self.signal("-TERM");
        let _ = self.child.wait();
    }
}

/// A local date-time `secs` from now, for an `on:` entry.
pub fn in_secs(secs: i64) -> String {
    (Utc::now() + TimeDelta::seconds(secs))
        .with_timezone(&chrono_tz::Asia::Ho_Chi_Minh)
        .format("%Y-%m-%d %H:%M:%S")
        .to_string()
}

pub fn schedule(name: &str, at: &[String]) -> String {
    let on = at
        .iter()
        .map(|t| format!("\"{t}\""))
        .collect::<Vec<_>>()
        .join(", ");
    format!(
        "title: {name}\ntopic: Test\nbroadcasts:\n  - name: {name}\n    audio: tone.wav\n    on: [{on}]\n"
    )
}
