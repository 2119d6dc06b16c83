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
    let second = again.child.id();
    again.wait("the second daemon's start", Duration::from_secs(5), |l| {
        common::events(l, "daemon_start")
            .iter()
            .any(|s| s["pid"] == second)
    });
}

/// A null-output station whose config.yaml sets `chime: <chime>`.
fn station_with_chime(chime: &str) -> tempfile::TempDir {
    let st = null_station();
    let config = st.path().join("config.yaml");
    let text = std::fs::read_to_string(&config).unwrap_or_else(|e| panic!("{e}"));
    common::write(&config, &format!("{text}chime: {chime}\n"));
    st
}

#[test]
fn a_chime_that_cannot_play_is_warned_about_and_broadcasts_play_without_it() {
    // A chime that is missing, and one that is not audio.
    for (chime, bytes) in [
        ("audio/nhac-hieu.mp3", None),
        ("audio/hong.mp3", Some(&b"not audio at all"[..])),
    ] {
        let st = station_with_chime(chime);
        if let Some(b) = bytes {
            std::fs::write(st.path().join(chime), b.repeat(100)).unwrap_or_else(|e| panic!("{e}"));
        }
        // check keeps the error.
        let (code, err, _) = run_for(st.path(), &["check"], Duration::from_secs(20));
        assert_eq!(code, Some(1), "{chime}: check must refuse it: {err}");

        // A normal broadcast of four repeats, cut by an emergency.
        let text = schedule("prog", &[in_secs(3)])
            .replace("    on:", "    repeat: 10\n    gap: 1s\n    on:");
        common::write(&st.path().join("schedules/prog.yaml"), &text);
        let d = Daemon::start(st.path());
        let status = d.loa(&["status", "--json"]);
        let json: serde_json::Value =
            serde_json::from_slice(&status.stdout).unwrap_or_else(|e| panic!("{e}: {status:?}"));
        let warned = json["warnings"].as_array().is_some_and(|w| {
            w.iter()
                .any(|x| x["code"] == "chime_unusable" && x["path"] == chime)
        });
        assert!(warned, "{chime}: status names the chime: {json:#}");
        let text = String::from_utf8_lossy(&d.loa(&["status"]).stdout).to_string();
        assert!(text.contains("CHIME CANNOT BE PLAYED"), "{text}");

        d.wait("prog on air", Duration::from_secs(6), |l| {
            !common::events(l, "start").is_empty()
        });
        let out = d.loa(&[
            "announce",
            "tone.wav",
            "--priority",
            "emergency",
            "--name",
            "Bão",
        ]);
        assert!(out.status.success(), "{out:?}");
        d.wait("both played", Duration::from_secs(45), |l| {
            let played = |name: &str| {
                common::events(l, "finish").iter().any(|f| {
                    f["outcome"] == "played"
                        && f["id"]
                            .as_str()
                            .is_some_and(|id| id.contains(&format!("#{name}@")))
                })
            };
            played("prog") && played("Bão")
        });
        let log = d.log();
        for s in common::events(&log, "start") {
            assert!(s.get("chime").is_none(), "{chime}: played without it: {s}");
        }
        let cut = common::events(&log, "finish")
            .iter()
            .any(|f| f["outcome"] == "interrupted" && f["reason"] == "emergency");
        assert!(cut, "{chime}: the emergency cut in: {log:#?}");
    }
}

/// Local "HH:MM-HH:MM" from a minute ago to ten minutes from now.
fn quiet_now() -> String {
    let now = chrono::Utc::now().with_timezone(&chrono_tz::Asia::Ho_Chi_Minh);
    let from = now - chrono::TimeDelta::minutes(1);
    let to = now + chrono::TimeDelta::minutes(10);
    format!("{}-{}", from.format("%H:%M"), to.format("%H:%M"))
}

fn sha256(bytes: &[u8]) -> String {
    use sha2::Digest as _;
    format!("{:x}", sha2::Sha256::digest(bytes))
}

/// The `config` part of the reload lines.
fn config_reloads(log: &[serde_json::Value]) -> Vec<serde_json::Value> {
    common::events(log, "reload")
        .iter()
        .filter_map(|r| r.get("config").cloned())
        .collect()
}

#[test]
fn config_changes_are_taken_or_refused_never_ignored() {
    let st = null_station();
    let config = st.path().join("config.yaml");
    let good = std::fs::read_to_string(&config).unwrap_or_else(|e| panic!("{e}"));
    let d = Daemon::start(st.path());

    // Quiet hours edited to cover now, then SIGHUP: taken once, by hash.
    let quiet = good.replace(
        "quiet_hours: []",
        &format!("quiet_hours: [\"{}\"]", quiet_now()),
    );
    assert_ne!(quiet, good);
    common::write(&config, &quiet);
    d.signal("-HUP");
    d.wait("config taken", Duration::from_secs(3), |l| {
        config_reloads(l)
            .iter()
            .any(|c| c["taken"] == true && c["hash"] == sha256(quiet.as_bytes()).as_str())
    });
    common::write(
        &st.path().join("schedules/prog.yaml"),
        &schedule("prog", &[in_secs(3)]),
    );
    d.wait(
        "skipped by the new quiet hours",
        Duration::from_secs(8),
        |l| {
            common::events(l, "finish")
                .iter()
                .any(|f| f["outcome"] == "skipped" && f["reason"] == "quiet_hours")
        },
    );

    // An invalid change is refused with check's message; the last good
    // config stays in force.
    let bad = quiet.replace("late_limit: 30s", "late_limit: một lúc");
    assert_ne!(bad, quiet);
    common::write(&config, &bad);
    d.wait("config refused", Duration::from_secs(3), |l| {
        config_reloads(l).iter().any(|c| {
            c["taken"] == false
                && c["diagnostics"][0]["pos"]["line"] == 6
                && c["diagnostics"][0]["file"] == "config.yaml"
                && c["hash"] == sha256(bad.as_bytes()).as_str()
        })
    });
    let status = String::from_utf8_lossy(&d.loa(&["status"]).stdout).to_string();
    assert!(
        status.contains("config.yaml"),
        "status names the refused file: {status}"
    );
    common::write(
        &st.path().join("schedules/late.yaml"),
        &schedule("late", &[in_secs(3)]),
    );
    d.wait(
        "still skipped under the last good config",
        Duration::from_secs(8),
        |l| {
            common::events(l, "finish").iter().any(|f| {
                f["id"].as_str().is_some_and(|id| id.contains("#late@"))
                    && f["outcome"] == "skipped"
                    && f["reason"] == "quiet_hours"
            })
        },
    );

    // A folder changed: taken, but the daemon says it needs a restart.
    let moved = good.replace("late_limit: 30s", "late_limit: 30s\naudio: am-thanh");
    common::write(&config, &moved);
    d.wait("restart needed", Duration::from_secs(3), |l| {
        config_reloads(l)
            .iter()
            .any(|c| c["taken"] == true && c["restart_needed"][0] == "audio")
    });
    // status.json is rewritten at most about once a second.
    let began = Instant::now();
    loop {
        let json = d.loa(&["status", "--json"]);
        let json: serde_json::Value =
            serde_json::from_slice(&json.stdout).unwrap_or_else(|e| panic!("{e}"));
        let warned = json["warnings"].as_array().is_some_and(|w| {
            w.iter()
                .any(|x| x["code"] == "restart_needed" && x["keys"][0] == "audio")
        });
        let refused = json["refused"].as_array().is_some_and(|r| !r.is_empty());
        if warned && !refused {
            break;
        }
        assert!(began.elapsed() < Duration::from_secs(3), "{json:#}");
        std::thread::sleep(Duration::from_millis(50));
    }
    let log = d.log();
    assert_eq!(config_reloads(&log).len(), 3, "each change once: {log:#?}");
}
