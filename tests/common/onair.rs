//! The real daemon on a station whose output is a paced capture (SPEC §8):
//! started with the capture's ALSA configuration, waited for by its play
//! log, stopped with SIGTERM, and what the capture heard.

use std::path::Path;
use std::process::{Child, Command};
use std::time::{Duration, Instant};

use serde_json::Value;

use super::capture::{self, Capture};

/// `loa run` on the station in `st`, its ALSA configuration `alsa` (the
/// capture's, and any other PCM a test adds), logging warnings only.
pub fn run_with_alsa(st: &Path, alsa: &str) -> Child {
    Command::new(env!("CARGO_BIN_EXE_loa"))
        .args([
            "--config",
            &st.join("config.yaml").display().to_string(),
            "run",
        ])
        .env("ALSA_CONFIG_PATH", alsa)
        .env("LOA_LOG", "warn")
        .spawn()
        .unwrap_or_else(|e| panic!("spawn: {e}"))
}

/// `loa run` on the station in `st`, playing into `cap`.
pub fn start_daemon(st: &Path, cap: &Capture) -> Child {
    run_with_alsa(st, &cap.alsa_config_path())
}

/// The station's play log.
pub fn log(st: &Path) -> Vec<Value> {
    super::read_log(&st.join("playlog"))
}

/// Waits until the play log has `n` finish lines.
pub fn wait_finishes(st: &Path, n: usize, limit: Duration) -> Vec<Value> {
    let began = Instant::now();
    loop {
        let l = log(st);
        if super::events(&l, "finish").len() >= n || began.elapsed() > limit {
            return l;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
}

/// Lets the last sound drain, stops the daemon (which must exit 0) and
/// returns what the capture heard.
pub fn stop_and_capture(child: &mut Child, cap: Capture) -> Vec<capture::Chunk> {
    std::thread::sleep(Duration::from_millis(400));
    let (code, _) = terminate(child);
    assert_eq!(code, Some(0));
    cap.finish()
}

pub fn terminate(child: &mut Child) -> (Option<i32>, Duration) {
    let began = Instant::now();
    let _ = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status();
    let status = child.wait().unwrap_or_else(|e| panic!("{e}"));
    (status.code(), began.elapsed())
}
