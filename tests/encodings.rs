//! A station written the way operators write it: config.yaml and schedules
//! saved by Notepad (UTF-8 with a BOM and CRLF, or UTF-16), a recording
//! named on a Mac (NFD) and referenced as typed on Windows (NFC).

mod common;

use std::path::Path;

use assert_cmd::Command;

fn loa() -> Command {
    Command::cargo_bin("loa").unwrap_or_else(|e| panic!("{e}"))
}

const NOW: &str = "2025-03-03T05:00:00+07:00";

fn utf8_bom_crlf(text: &str) -> Vec<u8> {
    let mut out = b"\xEF\xBB\xBF".to_vec();
    out.extend_from_slice(text.replace('\n', "\r\n").as_bytes());
    out
}

fn utf16_le(text: &str) -> Vec<u8> {
    let mut out = vec![0xFF, 0xFE];
    out.extend(
        text.replace('\n', "\r\n")
            .encode_utf16()
            .flat_map(u16::to_le_bytes),
    );
    out
}

fn put(path: &Path, bytes: &[u8]) {
    if let Some(p) = path.parent() {
        std::fs::create_dir_all(p).unwrap_or_else(|e| panic!("{e}"));
    }
    std::fs::write(path, bytes).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
}

fn tone(name: &str) -> Vec<u8> {
    let path = common::repo().join("tests/fixtures/tones").join(name);
    std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// "Thông báo.wav" as a Mac names it: decomposed.
const NFD_NAME: &str = "Tho\u{302}ng ba\u{301}o.wav";

fn station() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let root = dir.path();
    put(
        &root.join("config.yaml"),
        &utf16_le("station: \"Đài truyền thanh xã\"\noutput:\n  device: \"null\"\n"),
    );
    put(&root.join("audio").join(NFD_NAME), &tone("tone.wav"));
    put(&root.join("audio/nhac-hieu.mp3"), &tone("tone.mp3"));
    put(
        &root.join("schedules/thong-bao.yaml"),
        &utf8_bom_crlf(
            "title: Thông báo\nbroadcasts:\n  - name: Thông báo sáng\n    audio: Thông báo.wav\n    at: \"06:00\"\n    days: [mon, wed]\n",
        ),
    );
    put(
        &root.join("schedules/nhac-hieu.yaml"),
        &utf16_le(
            "title: Nhạc hiệu\nbroadcasts:\n  - name: Nhạc hiệu chiều\n    audio: nhac-hieu.mp3\n    at: \"17:30\"\n",
        ),
    );
    dir
}

#[test]
fn a_station_saved_by_notepad_with_a_mac_recording_checks_clean() {
    let st = station();
    let out = loa()
        .current_dir(st.path())
        .args(["--now", NOW, "check"])
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    // No "not used by any schedule" for the NFD recording either.
    assert_eq!(stderr, "", "{stderr}");
}

#[test]
fn next_lists_exactly_the_intended_occurrences() {
    let st = station();
    let out = loa()
        .current_dir(st.path())
        .args([
            "next",
            "--from",
            "2025-03-03 00:00",
            "--days",
            "3",
            "--json",
        ])
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    let lines: Vec<serde_json::Value> = String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}")))
        .collect();
    let got: Vec<(&str, Option<f64>)> = lines
        .iter()
        .map(|l| (l["id"].as_str().unwrap_or(""), l["length_s"].as_f64()))
        .collect();
    let ids: Vec<&str> = got.iter().map(|(id, _)| *id).collect();
    assert_eq!(
        ids,
        [
            "thong-bao.yaml#Thông báo sáng@2025-03-03T06:00:00+07:00",
            "nhac-hieu.yaml#Nhạc hiệu chiều@2025-03-03T17:30:00+07:00",
            "nhac-hieu.yaml#Nhạc hiệu chiều@2025-03-04T17:30:00+07:00",
            "thong-bao.yaml#Thông báo sáng@2025-03-05T06:00:00+07:00",
            "nhac-hieu.yaml#Nhạc hiệu chiều@2025-03-05T17:30:00+07:00",
        ]
    );
    // The NFD recording was found and measured.
    assert!(
        got.iter().all(|(_, len)| len.is_some_and(|l| l > 0.5)),
        "{got:?}"
    );
}

fn check_misspelt(lang: &str) -> String {
    let st = station();
    put(
        &st.path().join("schedules/sai-ten.yaml"),
        "title: Sai tên\nbroadcasts:\n  - name: Gõ sai\n    audio: thong bao.mp3\n    at: \"07:00\"\n  - name: Xa lạ\n    audio: du-bao-thoi-tiet.mp3\n    at: \"08:00\"\n"
            .as_bytes(),
    );
    let out = loa()
        .current_dir(st.path())
        .args(["--now", NOW, "--lang", lang, "check"])
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(out.status.code(), Some(1));
    String::from_utf8_lossy(&out.stderr).into_owned()
}

#[test]
fn a_misspelt_recording_gets_the_closest_names_in_the_folder() {
    let vi = check_misspelt("vi");
    assert!(vi.contains("có phải là: Thông báo.wav?"), "{vi}");
    insta::assert_snapshot!("misspelt_vi", vi);
    insta::assert_snapshot!("misspelt_en", check_misspelt("en"));
}

#[test]
fn a_schedule_in_a_legacy_encoding_is_refused_naming_it() {
    let st = station();
    let tcvn3 = std::fs::read(common::repo().join("tests/fixtures/encodings/tcvn3.yaml"))
        .unwrap_or_else(|e| panic!("{e}"));
    put(&st.path().join("schedules/abc.yaml"), &tcvn3);
    let out = loa()
        .current_dir(st.path())
        .args(["--now", NOW, "check"])
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains(
            "lỗi: schedules/abc.yaml:1:10: tệp được lưu bằng bảng mã TCVN3 (ABC), không phải UTF-8"
        ),
        "{stderr}"
    );
    assert!(
        stderr.contains("Lưu lại bằng Notepad: File → Save As → Encoding: UTF-8"),
        "{stderr}"
    );
}
