//! The real binary on real folders: `check` and `next`.

mod common;

use assert_cmd::Command;
use serde_json::Value;

fn loa() -> Command {
    Command::cargo_bin("loa").unwrap_or_else(|e| panic!("{e}"))
}

const NOW: &str = "2025-03-03T05:00:00+07:00";

#[test]
fn the_shipped_station_passes_check() {
    let out = loa()
        .current_dir(common::repo())
        .args(["--now", NOW, "check"])
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert!(!stderr.contains("lỗi:"), "{stderr}");
    assert_eq!(
        String::from_utf8_lossy(&out.stdout).lines().next(),
        Some("Hợp lệ: 2 tệp lịch, 19 bản tin, 10 tệp âm thanh.")
    );
}

#[test]
fn the_shipped_station_warns_once_its_2025_campaign_has_ended() {
    let out = loa()
        .current_dir(common::repo())
        .args(["--now", "2026-03-02T05:00:00+07:00", "check"])
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(out.status.code(), Some(0));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr
            .contains("cảnh báo: schedules/cchc-2025.yaml: chiến dịch đã kết thúc ngày 2025-12-31"),
        "{stderr}"
    );
}

fn bad_station_check(lang: &str) -> (Option<i32>, String) {
    let out = loa()
        .current_dir(common::repo().join("tests/fixtures/bad-station"))
        .args(["--lang", lang, "--now", NOW, "check"])
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn every_bad_input_is_named_by_file_line_and_column() {
    let (code, stderr) = bad_station_check("en");
    assert_eq!(code, Some(1), "{stderr}");
    for place in [
        "schedules/tabs.yaml:3:2",
        "schedules/bad-time.yaml:5:19",
        "schedules/unknown-key.yaml:6:5",
        "schedules/at-and-cron.yaml:6:11",
        "schedules/missing-audio.yaml:4:12",
        "schedules/fake-mp3.yaml:4:12",
        "schedules/escape.yaml:4:12",
        "schedules/empty.yaml",
        "schedules/bomb.yaml:6:18",
        "schedules/quiet.yaml:3:5",
        "schedules/quiet-repeats.yaml:3:5",
        // Each stage at once: a refused file still has its audio checked.
        "schedules/hides.yaml:6:13",
        "schedules/hides.yaml:8:12",
        "schedules/opus.yaml:4:12",
        "schedules/empty-audio.yaml:4:12",
        "schedules/except-outside.yaml:4:1",
        "schedules/sang-2.yaml:3:5",
    ] {
        assert!(stderr.contains(place), "{place} not named in:\n{stderr}");
    }
    // Used only by a refused file: not "unused".
    assert!(!stderr.contains("\"chi-tep-loi.mp3\""), "{stderr}");
    insta::assert_snapshot!("bad_station_en", stderr);
}

#[test]
fn bad_input_messages_in_vietnamese() {
    let (code, stderr) = bad_station_check("vi");
    assert_eq!(code, Some(1));
    insta::assert_snapshot!("bad_station_vi", stderr);
}

#[test]
fn a_broken_config_is_located_and_fatal() {
    let st = common::station("station: x\ntimezone: Mars/Olympus\noutput:\n  volume: 3\n");
    let out = loa()
        .current_dir(st.path())
        .args(["--lang", "en", "check"])
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("config.yaml:2:11: unknown time zone \"Mars/Olympus\""),
        "{stderr}"
    );
    assert!(
        stderr.contains("config.yaml:4:11: invalid volume \"3\""),
        "{stderr}"
    );
}

#[test]
fn usage_errors_exit_2() {
    let out = loa()
        .args(["next", "--days", "many"])
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(out.status.code(), Some(2));
    let out = loa()
        .args(["frobnicate"])
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn next_json_has_the_spec_fields_and_conflicts() {
    let st = common::station(
        "station: x\noutput:\n  device: \"null\"\nquiet_hours: [\"21:30-05:00\"]\n",
    );
    common::copy_dir(&common::repo().join("audio"), &st.path().join("audio"));
    common::write(
        &st.path().join("schedules/a.yaml"),
        "title: A\ntopic: CCHC\nbroadcasts:\n  - name: long\n    audio: cchc/chu-de-nam-2025.mp3\n    at: \"07:00\"\n  - name: short\n    audio: [cchc/iso-9001.mp3]\n    at: \"07:00:05\"\n  - name: night\n    audio: cchc/iso-9001.mp3\n    at: \"22:00\"\n",
    );
    let out = loa()
        .current_dir(st.path())
        .args([
            "next",
            "--from",
            "2025-03-03 00:00",
            "--days",
            "1",
            "--json",
        ])
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let lines: Vec<serde_json::Value> = String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_default())
        .collect();
    assert_eq!(lines.len(), 3);
    let first = &lines[0];
    assert_eq!(first["time"], "2025-03-03T07:00:00+07:00");
    assert_eq!(first["id"], "a.yaml#long@2025-03-03T07:00:00+07:00");
    assert_eq!(first["schedule"], "a.yaml");
    assert_eq!(first["broadcast"], "long");
    assert_eq!(first["priority"], "normal");
    assert_eq!(first["topic"], "CCHC");
    assert_eq!(
        first["audio"],
        serde_json::json!(["cchc/chu-de-nam-2025.mp3"])
    );
    assert!((first["length_s"].as_f64().unwrap_or(0.0) - 12.226).abs() < 0.05);
    assert_eq!(first["conflict"], serde_json::Value::Null);
    assert_eq!(lines[1]["conflict"]["with"], "long");
    assert_eq!(lines[1]["conflict"]["outcome"], "waits");
    let delay = lines[1]["conflict"]["delay_s"].as_f64().unwrap_or(0.0);
    assert!((delay - 7.226).abs() < 0.05, "{delay}");
    assert_eq!(
        lines[2]["conflict"],
        serde_json::json!({"with": "quiet_hours", "outcome": "skipped"})
    );
}

/// A Vietnamese station read with `--lang en` speaks English only (and the
/// other way round): the overlap warnings came in the station's language
/// whatever `--lang` said.
#[test]
fn check_and_next_speak_the_language_asked_for_not_the_stations() {
    let st = common::station(
        "station: Xã\nlanguage: vi\noutput:\n  device: \"null\"\n  loudness: off\nquiet_hours: []\n",
    );
    let tone = common::wav(30.0, |t| 0.3 * (t * 2600.0).sin());
    std::fs::write(st.path().join("audio/a.wav"), tone).unwrap_or_else(|e| panic!("{e}"));
    common::write(
        &st.path().join("schedules/day.yaml"),
        "title: Ngày\nbroadcasts:\n  - name: Dài\n    audio: a.wav\n    chime: false\n    at: \"07:00\"\n  - name: Sau\n    audio: a.wav\n    chime: false\n    at: \"07:00:10\"\n  - name: Khẩn\n    audio: a.wav\n    chime: false\n    priority: emergency\n    at: \"07:00:20\"\n",
    );
    for (lang, want, not) in [
        (
            "en",
            ["overlaps", "waits for", "Mon"],
            ["trùng giờ", "chờ", "T2"],
        ),
        (
            "vi",
            ["trùng giờ", "chờ", "T2"],
            ["overlaps", "waits for", "Mon"],
        ),
    ] {
        let check = loa()
            .current_dir(st.path())
            .args(["--now", NOW, "--lang", lang, "check"])
            .output()
            .unwrap_or_else(|e| panic!("{e}"));
        let next = loa()
            .current_dir(st.path())
            .args(["--now", NOW, "--lang", lang, "next"])
            .output()
            .unwrap_or_else(|e| panic!("{e}"));
        let text = format!(
            "{}{}{}",
            String::from_utf8_lossy(&check.stderr),
            String::from_utf8_lossy(&check.stdout),
            String::from_utf8_lossy(&next.stdout)
        );
        for w in want {
            assert!(text.contains(w), "{lang}: no \"{w}\" in\n{text}");
        }
        for w in not {
            assert!(!text.contains(w), "{lang}: \"{w}\" in\n{text}");
        }
    }
}

/// `next` and `check` read one view of what happens (`preview::Happens`):
/// a broadcast that waits exactly one second behind another is a wait in
/// both (they once drew the line at `>=` and `>` one second).
#[test]
fn next_and_check_agree_on_a_wait_of_exactly_one_second() {
    let st = common::daemon::null_station();
    common::write(
        &st.path().join("schedules/a.yaml"),
        "broadcasts:\n  - name: Một\n    audio: tone.wav\n    chime: false\n    at: \"08:00\"\n  \
         - name: Hai\n    audio: tone.wav\n    chime: false\n    at: \"08:00\"\n",
    );
    let (code, out, err) = common::loa_in(
        st.path(),
        &["--lang", "en", "next", "--days", "2", "--json"],
    );
    assert_eq!(code, Some(0), "{err}");
    let waits: Vec<Value> = out
        .lines()
        .filter_map(|l| serde_json::from_str::<Value>(l).ok())
        .filter(|v| v["broadcast"] == "Hai")
        .collect();
    assert!(!waits.is_empty(), "{out}");
    for v in &waits {
        assert_eq!(v["conflict"]["outcome"], "waits", "{v}");
        assert_eq!(v["conflict"]["delay_s"], 1.0, "{v}");
    }
    let (code, out, err) = common::loa_in(st.path(), &["--lang", "en", "check"]);
    assert_eq!(code, Some(0), "{out}{err}");
    assert!(
        err.contains("\"Hai\" overlaps \"Một\"") && err.contains("waits for \"Một\""),
        "check does not say what next says:\n{err}"
    );
}
