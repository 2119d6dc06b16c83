//! Operator slips on a running station (issue "Never two daemons, never
//! silently wrong"): a second `loa run`, a missing chime, a change to
//! config.yaml. Real daemons on the null output, real time.

mod common;

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use common::daemon::{Daemon, bin, in_secs, null_station, schedule};

/// Runs `loa` in `dir` and gives up after `limit`: returns the exit code,
/// stderr and how long it took.
fn run_for(
    dir: &std::path::Path,
    args: &[&str],
    limit: Duration,
) -> (Option<i32>, String, Duration) {
    let began = Instant::now();
    let mut child = Command::new(bin())
        .current_dir(dir)
        .args(["--lang", "en"])
        .args(args)
        .env("LOA_LOG", "warn")
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("{e}"));
    loop {
        if let Ok(Some(status)) = child.try_wait() {
            let mut err = String::new();
            if let Some(mut s) = child.stderr.take() {
                let _ = std::io::Read::read_to_string(&mut s, &mut err);
            }
            return (status.code(), err, began.elapsed());
        }
        if began.elapsed() > limit {
            let _ = child.kill();
            let _ = child.wait();
            return (None, String::new(), began.elapsed());
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

#[test]
fn a_second_daemon_on_the_same_station_stops_at_once_naming_the_first() {
    let st = null_station();
    common::write(
        &st.path().join("schedules/prog.yaml"),
        &schedule("prog", &[in_secs(3)]),
    );
    let first = Daemon::start(st.path());
    let pid = first.child.id();

    let (code, err, took) = run_for(st.path(), &["run"], Duration::from_secs(10));
    assert_eq!(code, Some(1), "the second run must exit 1: {err}");
    assert!(took < Duration::from_secs(3), "took {took:?}");
    assert!(
        err.contains(&format!("pid {pid}")),
        "names the running pid: {err}"
    );

    // The other commands work beside the running daemon.
    for args in [&["check"][..], &["status"], &["next"], &["log", "verify"]] {
        let out = first.loa(args);
        assert!(out.status.success(), "{args:?}: {out:?}");
    }
    let status = String::from_utf8_lossy(&first.loa(&["status"]).stdout).to_string();
    assert!(status.contains(&pid.to_string()), "{status}");

    first.wait("played once", Duration::from_secs(8), |l| {
        common::events(l, "finish")
            .iter()
            .any(|f| f["outcome"] == "played")
    });
    drop(first);
    let log = common::read_log(&st.path().join("playlog"));
    let starts = common::events(&log, "daemon_start");
    assert_eq!(starts.len(), 1, "one daemon wrote: {starts:?}");
    assert_eq!(starts[0]["pid"], pid, "{starts:?}");
    assert_eq!(common::events(&log, "start").len(), 1, "played once");
    let verify = Command::new(bin())
        .current_dir(st.path())
        .args(["log", "verify"])
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(verify.status.success(), "{verify:?}");

    // Once the first has stopped, the station can be run again.
    let again = Daemon::start(st.path());
    assert!(matches!(again.child.id(), p if p != pid));
}
