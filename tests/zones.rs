//! A station with several outputs (zones), through the real binary:
//! config, schedules naming outputs, `check`, `next`, `announce`, `status`
//! and the play log. The sound itself is in tests/alsa.rs.

mod common;

use std::path::Path;
use std::process::Command;
use std::time::Duration;

use serde_json::Value;

const NOW: &str = "2025-03-03T05:00:00+07:00";

fn loa(dir: &Path, args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_loa"))
        .current_dir(dir)
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("{e}"))
}

/// What a command that must succeed printed.
fn said(out: &std::process::Output) -> String {
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

const TWO: &str = "station: Hai vùng\nlanguage: en\noutputs:\n  - name: trung-tam\n    device: \"null\"\n    loudness: off\n  - name: thon-dong\n    device: \"null\"\n    volume: 0.5\n    loudness: off\nquiet_hours: []\n";

fn station(schedule: &str) -> tempfile::TempDir {
    let st = common::station(TWO);
    let tone = common::wav(2.0, |t| 0.3 * (t * 2600.0).sin());
    std::fs::write(st.path().join("audio/a.wav"), tone).unwrap_or_else(|e| panic!("{e}"));
    common::write(&st.path().join("schedules/s.yaml"), schedule);
    st
}

#[test]
fn each_occurrence_is_planned_once_per_output_it_names() {
    let st = station(
        "title: s\nbroadcasts:\n  - name: All\n    audio: a.wav\n    chime: false\n    at: \"07:00\"\n  - name: East\n    audio: a.wav\n    chime: false\n    at: \"07:00\"\n    outputs: [thon-dong]\n",
    );
    let out = loa(st.path(), &["--now", NOW, "next", "--json"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let items: Vec<Value> = String::from_utf8_lossy(&out.stdout)
        .lines()
        .filter_map(|l| serde_json::from_str(l).ok())
        .collect();
    let got: Vec<(String, String, String)> = items
        .iter()
        .map(|v| {
            (
                v["broadcast"].as_str().unwrap_or("").to_string(),
                v["output"].as_str().unwrap_or("").to_string(),
                v["id"].as_str().unwrap_or("").to_string(),
            )
        })
        .collect();
    let id = |b: &str, o: &str| format!("s.yaml#{b}@2025-03-03T07:00:00+07:00/{o}");
    assert_eq!(
        got,
        vec![
            ("All".into(), "trung-tam".into(), id("All", "trung-tam")),
            ("All".into(), "thon-dong".into(), id("All", "thon-dong")),
            ("East".into(), "thon-dong".into(), id("East", "thon-dong")),
        ]
    );
    // Each output has its own one-at-a-time rule: on thon-dong East waits
    // for All; on trung-tam All starts on time.
    let start = |k: usize| items[k]["start"].as_str().unwrap_or("").to_string();
    assert!(
        start(0).starts_with("2025-03-03T07:00:00.000"),
        "{}",
        start(0)
    );
    assert!(
        start(1).starts_with("2025-03-03T07:00:00.000"),
        "{}",
        start(1)
    );
    assert!(
        start(2).starts_with("2025-03-03T07:00:02.000"),
        "{}",
        start(2)
    );
    assert_eq!(items[2]["conflict"]["with"], "All");
    let check = loa(st.path(), &["--now", NOW, "check"]);
    let said = String::from_utf8_lossy(&check.stdout);
    assert!(
        said.contains("Outputs: trung-tam (null), thon-dong (null)."),
        "{said}"
    );
    // The table names the output when there are several.
    let text = String::from_utf8_lossy(&loa(st.path(), &["--now", NOW, "next"]).stdout).to_string();
    assert!(
        text.contains("Output") && text.contains("thon-dong"),
        "{text}"
    );
}

#[test]
fn a_schedule_naming_outputs_wrongly_is_refused_at_the_place() {
    for (list, place, want) in [
        (
            "[trung-tam, thon-tay]",
            "schedules/s.yaml:6:26",
            "no output called \"thon-tay\"",
        ),
        ("[]", "schedules/s.yaml:6:14", "play nowhere"),
    ] {
        let st = station(&format!(
            "title: s\nbroadcasts:\n  - name: X\n    audio: a.wav\n    at: \"07:00\"\n    outputs: {list}\n"
        ));
        let out = loa(st.path(), &["--now", NOW, "check"]);
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{err}");
        assert!(err.contains(place) && err.contains(want), "{list}: {err}");
        if list.contains("thon-tay") {
            assert!(
                err.contains("trung-tam, thon-dong"),
                "the hint lists the outputs: {err}"
            );
        }
    }
}

#[test]
fn config_refuses_unknown_devices_and_unnamed_or_twice_named_outputs() {
    for (config, want) in [
        (
            "station: x\noutput:\n  device: nul\n",
            "config.yaml:3:11: no audio output is called \"nul\"",
        ),
        (
            "station: x\noutputs:\n  - device: default\n",
            "config.yaml:3:5: an output in outputs: has no name",
        ),
        (
            "station: x\noutputs:\n  - name: a\n  - name: a\n",
            "config.yaml:4:11: two outputs are called \"a\"",
        ),
        (
            "station: x\noutput:\n  device: default\noutputs:\n  - name: a\n",
            "both output: and outputs: are given",
        ),
    ] {
        let st = common::station(config);
        let out = loa(st.path(), &["--lang", "en", "check"]);
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{config}: {err}");
        assert!(err.contains(want), "{config}: want {want:?} in\n{err}");
    }
}

#[test]
fn announce_names_outputs_and_refuses_unknown_ones() {
    let st = station("title: s\nbroadcasts: []\n");
    let out = loa(
        st.path(),
        &["announce", "a.wav", "--at", "now", "--outputs", "thon-tay"],
    );
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("no output called \"thon-tay\"") && err.contains("trung-tam, thon-dong"),
        "{err}"
    );
    let out = loa(
        st.path(),
        &[
            "announce",
            "a.wav",
            "--at",
            "now",
            "--outputs",
            "thon-dong",
            "--name",
            "Loa",
        ],
    );
    let said = said(&out);
    assert!(
        said.contains("[thon-dong]") && !said.contains("[trung-tam]"),
        "{said}"
    );
    let file = std::fs::read_dir(st.path().join("schedules"))
        .unwrap_or_else(|e| panic!("{e}"))
        .flatten()
        .find(|e| e.file_name().to_string_lossy().starts_with("announce-"))
        .map(|e| e.path())
        .unwrap_or_else(|| panic!("no announce file"));
    let text = std::fs::read_to_string(file).unwrap_or_default();
    assert!(text.contains("outputs: [\"thon-dong\"]"), "{text}");
}

#[test]
fn the_daemon_plays_each_output_on_its_own_and_logs_which() {
    let st = station("title: s\nbroadcasts: []\n");
    let mut child = Command::new(env!("CARGO_BIN_EXE_loa"))
        .current_dir(st.path())
        .args(["run"])
        .env("LOA_LOG", "warn")
        .spawn()
        .unwrap_or_else(|e| panic!("{e}"));
    let at = chrono::Utc::now() + chrono::TimeDelta::seconds(3);
    let at = at
        .with_timezone(&chrono_tz::Asia::Ho_Chi_Minh)
        .format("%Y-%m-%d %H:%M:%S")
        .to_string();
    common::write(
        &st.path().join("schedules/s.yaml"),
        &format!(
            "title: s\nbroadcasts:\n  - name: Both\n    audio: a.wav\n    chime: false\n    on: [\"{at}\"]\n"
        ),
    );
    std::thread::sleep(Duration::from_millis(3500));
    let status = loa(st.path(), &["status", "--json"]);
    let v: Value = serde_json::from_slice(&status.stdout).unwrap_or_default();
    std::thread::sleep(Duration::from_secs(3));
    let _ = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status();
    assert!(child.wait().map(|s| s.success()).unwrap_or(false));

    // Both sounded together, one on each output.
    let on_air: Vec<&str> = v["on_air"]
        .as_array()
        .map(|a| a.iter().filter_map(|p| p["output"].as_str()).collect())
        .unwrap_or_default();
    assert_eq!(on_air, vec!["trung-tam", "thon-dong"], "{v}");
    assert_eq!(v["outputs"][1]["name"], "thon-dong");
    let log = common::read_log(&st.path().join("playlog"));
    for kind in ["start", "finish"] {
        let outputs: Vec<&str> = common::events(&log, kind)
            .iter()
            .filter_map(|l| l["output"].as_str())
            .collect();
        assert_eq!(outputs.len(), 2, "{kind}: {log:?}");
        assert!(
            outputs.contains(&"trung-tam") && outputs.contains(&"thon-dong"),
            "{kind}"
        );
    }
    for f in common::events(&log, "finish") {
        assert_eq!(f["outcome"], "played", "{f}");
        assert!(
            f["id"]
                .as_str()
                .is_some_and(|i| i.ends_with(f["output"].as_str().unwrap_or("?")))
        );
    }
    let verify = loa(st.path(), &["log", "verify"]);
    assert!(
        verify.status.success(),
        "{}",
        String::from_utf8_lossy(&verify.stderr)
    );
}

#[test]
fn announce_says_when_the_rules_keep_it_silent() {
    let st = common::station(
        "station: x\nlanguage: en\noutput:\n  device: \"null\"\n  loudness: off\nquiet_hours: [\"00:00-23:59\"]\n",
    );
    let tone = common::wav(1.0, |t| 0.3 * (t * 2600.0).sin());
    std::fs::write(st.path().join("audio/a.wav"), tone).unwrap_or_else(|e| panic!("{e}"));
    let out = loa(st.path(), &["announce", "a.wav", "--name", "Họp"]);
    let said = said(&out);
    assert!(
        said.contains("\"Họp\" will NOT sound: quiet hours"),
        "{said}"
    );
    // An emergency sounds in quiet hours, and says when.
    let out = loa(
        st.path(),
        &[
            "announce",
            "a.wav",
            "--priority",
            "emergency",
            "--name",
            "Bão",
        ],
    );
    let said = String::from_utf8_lossy(&out.stdout);
    assert!(!said.contains("NOT") && said.contains("Bão"), "{said}");
}

#[test]
fn announce_says_what_it_waits_for_and_what_it_cuts_as_next_does() {
    let st =
        common::station("station: x\nlanguage: en\noutput:\n  device: \"null\"\n  loudness: off\n");
    let long = common::wav(120.0, |t| 0.3 * (t * 2600.0).sin());
    std::fs::write(st.path().join("audio/tone.wav"), long).unwrap_or_else(|e| panic!("{e}"));
    let short = common::wav(1.0, |t| 0.3 * (t * 2600.0).sin());
    std::fs::write(st.path().join("audio/a.wav"), short).unwrap_or_else(|e| panic!("{e}"));
    common::write(
        &st.path().join("schedules/long.yaml"),
        &common::daemon::schedule("Dài", &[common::daemon::in_secs(120)]),
    );
    let at = (chrono::Utc::now() + chrono::TimeDelta::seconds(150)).to_rfc3339();
    let out = loa(
        st.path(),
        &["announce", "a.wav", "--at", &at, "--name", "Họp"],
    );
    let told = said(&out);
    assert!(told.contains("⚠ waits for \"Dài\", starts about"), "{told}");
    // The same sentence `next` writes under it.
    let next = said(&loa(st.path(), &["next", "--days", "1"]));
    let note = told.lines().find(|l| l.contains("⚠")).unwrap_or_default();
    assert!(next.contains(note.trim()), "{next}\n---\n{told}");
    let out = loa(
        st.path(),
        &[
            "announce",
            "a.wav",
            "--at",
            &at,
            "--priority",
            "emergency",
            "--name",
            "Bão",
        ],
    );
    let told = said(&out);
    assert!(told.contains("⚠ the emergency cuts \"Dài\""), "{told}");
}
