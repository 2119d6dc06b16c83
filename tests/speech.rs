//! Speech (issue 12): `say:` and `.txt` notices spoken by the real
//! espeak-ng, through the real daemon; on air through real ALSA into the
//! paced capture (SPEC §8); rendered once and cached; any engine through
//! the generic `command` interface.

mod common;

use std::path::Path;
use std::process::Command;
use std::time::{Duration, SystemTime};

use common::capture::{self, Capture};
use common::daemon::{Daemon, in_secs};
use serde_json::Value;

const SAY: &str = "Thông báo: UBND xã họp dân lúc 7h30 tại nhà văn hóa.";
const NOTICE: &str = "Lịch tiêm phòng dại ngày 5/12/2026,\nliên hệ 0912 345 678.";

fn scheduled(s: &Value) -> SystemTime {
    let t = chrono::DateTime::parse_from_rfc3339(s["scheduled"].as_str().unwrap_or(""))
        .unwrap_or_else(|e| panic!("{s}: {e}"));
    SystemTime::UNIX_EPOCH + Duration::from_millis(t.timestamp_millis() as u64)
}

/// The rendered WAVs in the station's speech cache.
fn rendered(st: &Path) -> Vec<std::path::PathBuf> {
    let mut v: Vec<_> = std::fs::read_dir(st.join("state/tts"))
        .map(|rd| rd.flatten().map(|e| e.path()).collect())
        .unwrap_or_default();
    v.sort();
    v
}

fn sha256(path: &Path) -> String {
    let out = Command::new("sha256sum")
        .arg(path)
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    String::from_utf8_lossy(&out.stdout)
        .split_whitespace()
        .next()
        .unwrap_or("")
        .to_string()
}

#[test]
fn a_say_broadcast_and_a_txt_notice_are_spoken_at_their_second_with_their_text_on_record() {
    let st = common::station(
        "station: Speech test\noutput:\n  device: default\n  loudness: off\nquiet_hours: []\nlate_limit: 1m\n",
    );
    common::write(&st.path().join("audio/thong-bao.txt"), NOTICE);
    let (t1, t2) = (in_secs(5), in_secs(14));
    common::write(
        &st.path().join("schedules/speech.yaml"),
        &format!(
            "title: speech\nbroadcasts:\n  - name: say\n    say: \"{}\"\n    on: [\"{t1}\"]\n  - name: txt\n    audio: thong-bao.txt\n    on: [\"{t2}\"]\n",
            SAY.replace('"', "\\\"")
        ),
    );
    let cap = Capture::new(st.path());
    let mut child = Command::new(env!("CARGO_BIN_EXE_loa"))
        .args([
            "--config",
            &st.path().join("config.yaml").display().to_string(),
            "run",
        ])
        .env("ALSA_CONFIG_PATH", cap.alsa_config_path())
        .env("LOA_LOG", "warn")
        .spawn()
        .unwrap_or_else(|e| panic!("spawn: {e}"));
    let began = std::time::Instant::now();
    let log = loop {
        let l = common::read_log(&st.path().join("playlog"));
        if common::events(&l, "finish").len() >= 2 || began.elapsed() > Duration::from_secs(40) {
            break l;
        }
        std::thread::sleep(Duration::from_millis(100));
    };
    std::thread::sleep(Duration::from_millis(400));
    let _ = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status();
    let status = child.wait().unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(status.code(), Some(0));
    let chunks = cap.finish();

    let finishes = common::events(&log, "finish");
    assert_eq!(finishes.len(), 2, "{log:#?}");
    for f in &finishes {
        assert_eq!(f["outcome"], "played", "{f}");
    }
    let starts = common::events(&log, "start");
    assert_eq!(starts.len(), 2, "{log:#?}");
    // Pauses between phrases are shorter than a second; the broadcasts
    // are nine seconds apart.
    let runs = capture::runs(&chunks, Duration::from_millis(1200));
    assert_eq!(runs.len(), 2, "{runs:#?}");
    for ((s, text), run) in starts.iter().zip([SAY, NOTICE.trim()]).zip(&runs) {
        let a = &s["audio"][0];
        // The exact text, before normalisation, and what spoke it.
        assert_eq!(a["text"], text, "{s}");
        assert_eq!(a["engine"], "espeak-ng", "{s}");
        assert_eq!(a["voice"], "vi", "{s}");
        // The hash is of the sound that was rendered and played.
        let wav = rendered(st.path())
            .into_iter()
            .find(|p| sha256(p) == a["sha256"].as_str().unwrap_or(""));
        assert!(wav.is_some(), "no rendered WAV hashes to {a}");
        // On its second.
        let late = capture::heard_late(&runs, scheduled(s));
        assert!(late.is_some_and(|ms| ms.abs() < 60.0), "{late:?} ms: {s}");
        // As long as the text: about 2 to 4 syllables a second at 150
        // words a minute, and the sound heard is the rendered one.
        let words = text.split_whitespace().count() as f64;
        let length = a["length_s"].as_f64().unwrap_or(0.0);
        assert!(
            length > words / 4.5 && length < words / 1.5 + 1.5,
            "{words} words spoken in {length} s"
        );
        assert!(
            run.seconds > length - 1.0 && run.seconds <= length + 0.05,
            "heard {} s of {length} s",
            run.seconds
        );
        assert!(run.rms > 0.01, "{run:?}");
    }
    // The longer notice sounds longer.
    assert!(runs[1].seconds > runs[0].seconds, "{runs:#?}");
}

#[test]
fn speech_is_rendered_once_and_an_edited_notice_again() {
    let st = common::daemon::null_station();
    common::write(&st.path().join("audio/notice.txt"), "Bản tin số 1.");
    // Short texts, well apart: each sounds at its own time.
    const SHORT: &str = "Họp dân lúc 7h30.";
    let at = [3, 7, 11, 18].map(in_secs);
    common::write(
        &st.path().join("schedules/speech.yaml"),
        &format!(
            "title: cache\nbroadcasts:\n  - name: a\n    say: \"{SHORT}\"\n    on: [\"{}\"]\n  - name: b\n    say: \"{SHORT}\"\n    on: [\"{}\"]\n  - name: notice\n    audio: notice.txt\n    on: [\"{}\", \"{}\"]\n",
            at[0], at[1], at[2], at[3]
        ),
    );
    let d = Daemon::start(st.path());
    d.wait("the first say", Duration::from_secs(15), |l| {
        !common::events(l, "finish").is_empty()
    });
    let first = rendered(st.path());
    let modified = |p: &Path| std::fs::metadata(p).and_then(|m| m.modified()).ok();
    let times: Vec<_> = first.iter().map(|p| modified(p)).collect();
    d.wait("the first notice", Duration::from_secs(15), |l| {
        common::events(l, "finish").len() >= 3
    });
    // The second play of the same text rendered nothing: the same files,
    // untouched.
    let mid = rendered(st.path());
    assert_eq!(mid.len(), 2, "{mid:?}");
    for (p, t) in first.iter().zip(&times) {
        assert_eq!(modified(p), *t, "{} was written again", p.display());
    }
    common::write(&st.path().join("audio/notice.txt"), "Bản tin số 2, đã sửa.");
    d.wait("the edited notice", Duration::from_secs(25), |l| {
        common::events(l, "finish").len() >= 4
    });
    let l = d.log();
    let starts = common::events(&l, "start");
    let audio = |i: usize| &starts[i]["audio"][0];
    assert_eq!(audio(0)["sha256"], audio(1)["sha256"]);
    assert_eq!(audio(0)["text"], SHORT);
    assert_eq!(audio(1)["text"], SHORT);
    assert_eq!(audio(2)["text"], "Bản tin số 1.");
    assert_eq!(audio(3)["text"], "Bản tin số 2, đã sửa.", "{l:#?}");
    assert_ne!(audio(2)["sha256"], audio(3)["sha256"]);
    assert_eq!(rendered(st.path()).len(), 3);
    for f in common::events(&l, "finish") {
        assert_eq!(f["outcome"], "played", "{f}");
    }
}

#[test]
fn a_command_engine_speaks_through_the_generic_interface_and_a_missing_one_is_located() {
    let config = "station: Command engine\noutput:\n  device: \"null\"\ntts:\n  engine: command\n  voice: vi-VN-x-south\n  command: [espeak-ng, -v, \"{voice}\", -s, \"{rate}\", -w, \"{out}\", --stdin]\n";
    let st = common::station(config);
    common::write(
        &st.path().join("schedules/s.yaml"),
        "broadcasts:\n  - name: s\n    say: \"Xin chào 21 người.\"\n    at: \"12:00\"\n",
    );
    let (code, out, err) = common::loa_in(st.path(), &["--lang", "en", "check"]);
    assert_eq!(code, Some(0), "{out}\n{err}");
    // check lists the spoken item with its length and loudness.
    let row = out
        .lines()
        .find(|l| l.contains("say \"Xin chào 21 người.\""))
        .unwrap_or_else(|| panic!("{out}"));
    assert!(row.contains("LUFS"), "{row}");
    // Rendered by the command, into the cache, as a WAV espeak-ng wrote.
    let wavs = rendered(st.path());
    assert_eq!(wavs.len(), 1, "{wavs:?}");
    let head = std::fs::read(&wavs[0]).unwrap_or_default();
    assert!(
        head.starts_with(b"RIFF") && head.len() > 10_000,
        "{}",
        head.len()
    );
    let out_wav = st.path().join("x.wav");
    let (code, _, err) = common::loa_in(
        st.path(),
        &[
            "say",
            "Xin chào 21 người.",
            "-o",
            &out_wav.display().to_string(),
        ],
    );
    assert_eq!(code, Some(0), "{err}");
    assert_eq!(sha256(&out_wav), sha256(&wavs[0]));

    // The same station with a command that is not installed.
    let missing = config.replace("command: [espeak-ng,", "command: [piper-not-installed,");
    common::write(&st.path().join("config.yaml"), &missing);
    let (code, _, err) = common::loa_in(st.path(), &["--lang", "en", "check"]);
    assert_eq!(code, Some(1), "{err}");
    assert!(
        err.contains("config.yaml:7:") && err.contains("\"piper-not-installed\" is not installed"),
        "{err}"
    );
    let (code, _, err) = common::loa_in(
        st.path(),
        &["--lang", "en", "say", "xin chào", "-o", "y.wav"],
    );
    assert_eq!(code, Some(1), "{err}");
    assert!(err.contains("piper-not-installed"), "{err}");
}

#[test]
fn announce_say_and_a_txt_notice_write_a_spoken_schedule_that_checks_clean() {
    let st = common::daemon::null_station();
    let text = "Mất điện từ 8h đến 11h30 ngày mai, thôn Đông.";
    let (later, latest) = (in_secs(7200), in_secs(7300));
    let (code, out, err) = common::loa_in(
        st.path(),
        &[
            "--lang",
            "en",
            "announce",
            "--say",
            text,
            "--at",
            &later,
            "--name",
            "Mất điện",
        ],
    );
    assert_eq!(code, Some(0), "{out}\n{err}");
    let file = std::fs::read_dir(st.path().join("schedules"))
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| e.path())
        .find(|p| p.extension().is_some_and(|e| e == "yaml"))
        .unwrap_or_else(|| panic!("no schedule written: {out}"));
    let yaml = std::fs::read_to_string(&file).unwrap_or_default();
    assert!(yaml.contains(&format!("say: \"{text}\"")), "{yaml}");
    assert!(!yaml.contains("audio:"), "{yaml}");
    // A .txt notice given by name is referenced like a recording.
    common::write(
        &st.path().join("audio/thong-bao.txt"),
        "Họp dân lúc 19h, mang theo giấy XYZ.\n",
    );
    let (code, out, err) = common::loa_in(
        st.path(),
        &["--lang", "en", "announce", "thong-bao.txt", "--at", &latest],
    );
    assert_eq!(code, Some(0), "{out}\n{err}");
    let (code, out, err) = common::loa_in(st.path(), &["--lang", "en", "check"]);
    assert_eq!(code, Some(0), "{out}\n{err}");
    assert!(
        out.contains("say \"Mất điện từ 8h đến 11h30 ngày mai, thôn…\""),
        "{out}"
    );
    assert!(out.contains("thong-bao.txt ("), "{out}");
    // What the normaliser could not read is warned about, where it is used.
    assert!(
        err.contains("warning: schedules/announce-")
            && err
                .contains("the reader does not know \"XYZ\": it will be spelled letter by letter"),
        "{err}"
    );
    // Nothing left over to speak: two renders, one per text.
    assert_eq!(rendered(st.path()).len(), 2);
}

/// A station whose engine is espeak-ng behind a wrapper that first sleeps
/// `secs`: speech that renders slowly.
/// A null-output station whose speech engine is the shell script
/// `engine.sh` with `script` in it (called as `sh engine.sh {out}`).
fn engine_station(script: &str) -> tempfile::TempDir {
    let st = common::daemon::null_station();
    let config = st.path().join("config.yaml");
    let base = std::fs::read_to_string(&config).unwrap_or_default();
    common::write(
        &config,
        &format!("{base}tts:\n  engine: command\n  command: [sh, engine.sh, \"{{out}}\"]\n"),
    );
    common::write(&st.path().join("engine.sh"), script);
    st
}

fn slow_engine_station(secs: u32) -> tempfile::TempDir {
    let st = common::daemon::null_station();
    let config = st.path().join("config.yaml");
    let mut c = std::fs::read_to_string(&config).unwrap_or_default();
    c.push_str("tts:\n  engine: command\n  command: [sh, slow.sh, -v, \"{voice}\", -w, \"{out}\", --stdin]\n");
    common::write(&config, &c);
    common::write(
        &st.path().join("slow.sh"),
        &format!("sleep {secs}\nexec espeak-ng \"$@\"\n"),
    );
    st
}

#[test]
fn speech_not_rendered_at_its_time_waits_for_the_render_and_then_plays() {
    // The render takes 3 s and the broadcast is due 2 s after the daemon
    // starts: it waits for its speech (late_limit 30 s), then plays.
    let st = slow_engine_station(3);
    common::write(
        &st.path().join("schedules/s.yaml"),
        &format!(
            "broadcasts:\n  - name: slow\n    say: \"Họp dân lúc 7h30.\"\n    on: [\"{}\"]\n",
            in_secs(2)
        ),
    );
    let d = Daemon::start(st.path());
    d.wait("the held broadcast", Duration::from_secs(20), |l| {
        !common::events(l, "finish").is_empty()
    });
    let l = d.log();
    let f = &common::events(&l, "finish")[0];
    assert_eq!(f["outcome"], "played", "{l:#?}");
    let s = &common::events(&l, "start")[0];
    assert_eq!(s["audio"][0]["text"], "Họp dân lúc 7h30.", "{s}");
    // The engine that spoke: the wrapper script, not "sh"; no model file
    // is named, so the configured voice.
    assert_eq!(s["audio"][0]["engine"], "command:slow.sh", "{s}");
    assert_eq!(s["audio"][0]["voice"], "vi", "{s}");
    // Late by the wait, not by more than the render and a few retries.
    let late = f["start_error_ms"].as_f64().unwrap_or(-1.0);
    assert!(late > 0.0 && late < 5000.0, "{f}");
}

#[test]
fn speech_rendered_by_loa_say_is_measured_by_the_daemon_before_it_plays() {
    let st = common::daemon::null_station();
    let config = st.path().join("config.yaml");
    let c = std::fs::read_to_string(&config).unwrap_or_default();
    common::write(&config, &c.replace("loudness: off", "loudness: -16"));
    const TEXT: &str = "Khẩn cấp: nước lên, sơ tán ngay.";
    let out = st.path().join("x.wav");
    let (code, _, err) =
        common::loa_in(st.path(), &["say", TEXT, "-o", &out.display().to_string()]);
    assert_eq!(code, Some(0), "{err}");
    assert_eq!(rendered(st.path()).len(), 1);
    common::write(
        &st.path().join("schedules/s.yaml"),
        &format!(
            "broadcasts:\n  - name: e\n    say: \"{TEXT}\"\n    on: [\"{}\"]\n",
            in_secs(6)
        ),
    );
    let d = Daemon::start(st.path());
    d.wait("the broadcast", Duration::from_secs(20), |l| {
        !common::events(l, "finish").is_empty()
    });
    let l = d.log();
    let a = &common::events(&l, "start")[0]["audio"][0];
    assert_eq!(a["text"], TEXT, "{a}");
    assert_ne!(a["unmeasured"], true, "{a}");
    assert!(a["gain_db"].is_number(), "{a}");
    // Speech reaches the station's -16 LUFS like a recording: its peaks
    // were levelled when it was rendered, so the -1 dBTP ceiling does not
    // hold it 2-3 LU under (espeak-ng's own peaks reach 0 dBFS).
    let wav = rendered(st.path());
    let played = wav_lufs(&wav[0]) + a["gain_db"].as_f64().unwrap_or(-99.0);
    assert!(
        (played + 16.0).abs() < 1.0,
        "played at {played:.1} LUFS: {a}"
    );
}

/// The integrated loudness of a 16-bit PCM WAV (what the engines write).
fn wav_lufs(path: &std::path::Path) -> f64 {
    let b = std::fs::read(path).unwrap_or_default();
    let channels = u16::from_le_bytes([b[22], b[23]]);
    let rate = u32::from_le_bytes([b[24], b[25], b[26], b[27]]);
    let data = b.windows(4).position(|w| w == b"data").unwrap_or(36) + 8;
    let samples: Vec<i16> = b[data..]
        .chunks_exact(2)
        .map(|c| i16::from_le_bytes([c[0], c[1]]))
        .collect();
    let mut m = ebur128::EbuR128::new(u32::from(channels), rate, ebur128::Mode::I)
        .unwrap_or_else(|e| panic!("{e}"));
    m.add_frames_i16(&samples).unwrap_or_else(|e| panic!("{e}"));
    m.loudness_global().unwrap_or_else(|e| panic!("{e}"))
}

#[test]
fn a_failing_engine_is_asked_once_per_text_by_check_and_never_by_next() {
    // Counts each call, then fails.
    let st = engine_station("echo call >> calls.txt\necho engine broken >&2\nexit 1\n");
    for (file, at) in [("a.yaml", in_secs(3600)), ("b.yaml", in_secs(7200))] {
        common::write(
            &st.path().join("schedules").join(file),
            &format!("broadcasts:\n  - name: s\n    say: \"Họp dân.\"\n    on: [\"{at}\"]\n"),
        );
    }
    let calls = || {
        std::fs::read_to_string(st.path().join("calls.txt"))
            .unwrap_or_default()
            .lines()
            .count()
    };
    let (code, out, err) = common::loa_in(st.path(), &["--lang", "en", "next"]);
    assert_eq!(code, Some(0), "{out}\n{err}");
    assert_eq!(calls(), 0, "next rendered: {out}");
    // An estimated length, marked.
    assert!(out.contains('~'), "{out}");
    let (code, out, err) = common::loa_in(st.path(), &["--lang", "en", "check"]);
    assert_eq!(code, Some(1), "{out}\n{err}");
    assert!(err.contains("engine broken"), "{err}");
    assert_eq!(calls(), 1, "{out}\n{err}");
}

#[test]
fn an_empty_or_broken_rendered_wav_is_rendered_again_and_old_part_files_go() {
    let st = common::daemon::null_station();
    const TEXT: &str = "Mời bà con đi họp.";
    let (code, _, err) = common::loa_in(st.path(), &["say", TEXT, "-o", "a.wav"]);
    assert_eq!(code, Some(0), "{err}");
    let wavs = rendered(st.path());
    assert_eq!(wavs.len(), 1, "{wavs:?}");
    let good = std::fs::read(&wavs[0]).unwrap_or_default();
    // A part file a render left a while ago, and one being written now.
    let tts = st.path().join("state/tts");
    let (stale, fresh) = (tts.join("x.part1.wav"), tts.join("y.part2.wav"));
    common::write(&stale, "half");
    common::write(&fresh, "half");
    let hour_ago = SystemTime::now() - Duration::from_secs(3600);
    std::fs::File::options()
        .write(true)
        .open(&stale)
        .and_then(|f| f.set_modified(hour_ago))
        .unwrap_or_else(|e| panic!("{e}"));
    // As a power cut leaves it: empty; then as garbage.
    for broken in [&b""[..], &[7u8; 400][..]] {
        std::fs::write(&wavs[0], broken).unwrap_or_else(|e| panic!("{e}"));
        let (code, _, err) = common::loa_in(st.path(), &["say", TEXT, "-o", "b.wav"]);
        assert_eq!(code, Some(0), "{err}");
        assert_eq!(std::fs::read(&wavs[0]).unwrap_or_default(), good);
        assert_eq!(
            std::fs::read(st.path().join("b.wav")).unwrap_or_default(),
            good
        );
    }
    assert!(!stale.exists());
    assert!(fresh.exists());
}

#[test]
fn announce_say_with_only_spaces_is_a_usage_error_and_writes_nothing() {
    let st = common::daemon::null_station();
    let (code, out, err) = common::loa_in(
        st.path(),
        &["--lang", "en", "announce", "--say", "   ", "--at", "now"],
    );
    assert_eq!(code, Some(2), "{out}\n{err}");
    assert!(err.contains("--say: there are no words to speak"), "{err}");
    let written: Vec<_> = std::fs::read_dir(st.path().join("schedules"))
        .into_iter()
        .flatten()
        .flatten()
        .collect();
    assert!(written.is_empty(), "{written:?}");
}

#[test]
fn loa_say_with_no_words_is_the_same_usage_error_and_renders_nothing() {
    let st = common::daemon::null_station();
    for text in ["", "   "] {
        for lang in ["en", "vi"] {
            let (code, out, err) =
                common::loa_in(st.path(), &["--lang", lang, "say", text, "-o", "x.wav"]);
            assert_eq!(code, Some(2), "{text:?}: {out}\n{err}");
            let (_, _, said) = common::loa_in(
                st.path(),
                &["--lang", lang, "announce", "--say", "  ", "--at", "now"],
            );
            // The same words as `announce --say`, with its own name.
            let words = said.lines().next().unwrap_or("").replace("--say", "TEXT");
            assert!(!words.is_empty() && err.contains(&words), "{err}\n{said}");
            assert!(out.is_empty(), "{out}");
        }
    }
    assert!(!st.path().join("x.wav").exists());
    assert!(rendered(st.path()).is_empty());
}

#[test]
fn a_voice_espeak_ng_does_not_have_is_located_at_voice_with_the_vietnamese_voices() {
    // espeak-ng takes "vi-north" without a word and speaks with "vi".
    let config = "station: Voice\noutput:\n  device: \"null\"\ntts:\n  engine: espeak-ng\n  voice:   vi-north\n";
    let st = common::station(config);
    let (code, out, err) = common::loa_in(st.path(), &["--lang", "en", "check"]);
    assert_eq!(code, Some(1), "{out}\n{err}");
    assert!(
        err.contains("config.yaml:6:12")
            && err.contains("espeak-ng has no voice \"vi-north\"")
            && err.contains("vi (Northern), vi-VN-x-central (Central) or vi-VN-x-south (Southern)"),
        "{err}"
    );
    let (code, _, err) = common::loa_in(st.path(), &["--lang", "vi", "check"]);
    assert_eq!(code, Some(1), "{err}");
    assert!(
        err.contains("config.yaml:6:12")
            && err.contains("espeak-ng không có giọng đọc \"vi-north\"")
            && err.contains("vi-VN-x-south (miền Nam)"),
        "{err}"
    );
    // The voices it has, in any case, with a variant; no speech needed.
    for voice in ["vi", "vi-VN-x-central", "VI-VN-X-SOUTH", "vi+f3"] {
        common::write(
            &st.path().join("config.yaml"),
            &config.replace("vi-north", voice),
        );
        let (code, out, err) = common::loa_in(st.path(), &["--lang", "en", "check"]);
        assert_eq!(code, Some(0), "{voice}: {out}\n{err}");
        assert!(!err.contains("voice"), "{voice}: {err}");
    }
}

#[test]
fn a_voice_model_the_command_names_is_checked_at_its_place_in_config_yaml() {
    // A model by its extension (no '/'), one as an --opt=value, one by its
    // folder; the script itself is not a model.
    let config = "station: Model\noutput:\n  device: \"null\"\ntts:\n  engine: command\n  command: [sh, voice.sh, vi_VN-vais1000-medium.onnx, --config=voices/vi.json, \"{out}\"]\n";
    let st = common::station(config);
    common::write(
        &st.path().join("voice.sh"),
        "exec espeak-ng -v vi -w \"$3\" --stdin\n",
    );
    common::write(
        &st.path().join("schedules/s.yaml"),
        "broadcasts:\n  - name: s\n    say: \"Mời bà con đi họp.\"\n    at: \"12:00\"\n",
    );
    let (code, out, err) = common::loa_in(st.path(), &["--lang", "en", "check"]);
    assert_eq!(code, Some(1), "{out}\n{err}");
    assert!(
        err.contains("error: config.yaml:6:27: the file \"vi_VN-vais1000-medium.onnx\" the speech command needs (its voice model) is not there")
            && err.contains("error: config.yaml:6:64: the file \"voices/vi.json\"")
            && err.contains("paths start at the folder of config.yaml"),
        "{err}"
    );
    assert!(!err.contains("\"voice.sh\""), "{err}");
    let (code, _, err) = common::loa_in(st.path(), &["--lang", "vi", "check"]);
    assert_eq!(code, Some(1), "{err}");
    assert!(
        err.contains("config.yaml:6:27: không tìm thấy tệp \"vi_VN-vais1000-medium.onnx\""),
        "{err}"
    );
    // With the models there, it checks clean and speaks.
    common::write(&st.path().join("vi_VN-vais1000-medium.onnx"), "model");
    common::write(&st.path().join("voices/vi.json"), "{}");
    let (code, out, err) = common::loa_in(st.path(), &["--lang", "en", "check"]);
    assert_eq!(code, Some(0), "{out}\n{err}");
    assert_eq!(rendered(st.path()).len(), 1, "{out}");
}

#[test]
fn an_edited_lexicon_reaches_the_running_daemon() {
    let st = common::daemon::null_station();
    let config = st.path().join("config.yaml");
    let mut c = std::fs::read_to_string(&config).unwrap_or_default();
    c.push_str("tts:\n  lexicon: tu-dien.yaml\n");
    common::write(&config, &c);
    let lexicon = st.path().join("tu-dien.yaml");
    common::write(&lexicon, "XYZ: ích\n");
    const TEXT: &str = "XYZ họp.";
    common::write(
        &st.path().join("schedules/s.yaml"),
        &format!(
            "broadcasts:\n  - name: s\n    say: \"{TEXT}\"\n    on: [\"{}\"]\n",
            in_secs(8)
        ),
    );
    let d = Daemon::start(st.path());
    // Rendered with the first lexicon, ahead of time.
    let began = std::time::Instant::now();
    while rendered(st.path()).is_empty() && began.elapsed() < Duration::from_secs(5) {
        std::thread::sleep(Duration::from_millis(50));
    }
    assert_eq!(rendered(st.path()).len(), 1);
    common::write(&lexicon, "XYZ: hợp tác xã\n");
    d.signal("-HUP");
    d.wait("the config reload", Duration::from_secs(5), |l| {
        common::events(l, "reload")
            .iter()
            .any(|r| r["config"]["taken"] == true)
    });
    d.wait("the broadcast", Duration::from_secs(20), |l| {
        !common::events(l, "finish").is_empty()
    });
    let l = d.log();
    let a = &common::events(&l, "start")[0]["audio"][0];
    let out = st.path().join("new.wav");
    let (code, _, err) =
        common::loa_in(st.path(), &["say", TEXT, "-o", &out.display().to_string()]);
    assert_eq!(code, Some(0), "{err}");
    assert_eq!(a["sha256"].as_str(), Some(sha256(&out).as_str()), "{a}");
}

#[test]
fn a_replaced_voice_file_is_a_new_voice_and_an_unused_command_is_warned_about() {
    let st = common::daemon::null_station();
    let config = st.path().join("config.yaml");
    let plain = std::fs::read_to_string(&config).unwrap_or_default();
    common::write(
        &config,
        &format!("{plain}tts:\n  engine: command\n  command: [sh, voice.sh, \"{{out}}\"]\n"),
    );
    let voice = st.path().join("voice.sh");
    common::write(&voice, "exec espeak-ng -v vi -w \"$1\" --stdin\n");
    let say = |out: &str| {
        let (code, _, err) = common::loa_in(st.path(), &["say", "Mời bà con đi họp.", "-o", out]);
        assert_eq!(code, Some(0), "{err}");
        sha256(&st.path().join(out))
    };
    let first = say("a.wav");
    // The same command, another voice file: rendered anew, not the old WAV.
    common::write(&voice, "exec espeak-ng -v vi -s 220 -w \"$1\" --stdin\n");
    let second = say("b.wav");
    assert_ne!(first, second);
    assert_eq!(rendered(st.path()).len(), 2);

    // command: without engine: command is not used, and check says where.
    common::write(
        &config,
        &format!("{plain}tts:\n  command: [sh, voice.sh, \"{{out}}\"]\n"),
    );
    let (code, out, err) = common::loa_in(st.path(), &["--lang", "en", "check"]);
    assert_eq!(code, Some(0), "{out}\n{err}");
    let line = plain.lines().count() + 2;
    assert!(
        err.contains(&format!("warning: config.yaml:{line}:"))
            && err.contains("the command is not used"),
        "{err}"
    );
}

#[test]
fn speech_still_not_rendered_at_late_limit_fails_with_a_clear_detail() {
    // The render takes 8 s, the broadcast is due in 2 s and may start
    // at most 2 s late.
    let st = slow_engine_station(8);
    let config = st.path().join("config.yaml");
    let c = std::fs::read_to_string(&config).unwrap_or_default();
    common::write(&config, &c.replace("late_limit: 30s", "late_limit: 2s"));
    common::write(
        &st.path().join("schedules/s.yaml"),
        &format!(
            "broadcasts:\n  - name: slow\n    say: \"Họp dân.\"\n    on: [\"{}\"]\n",
            in_secs(2)
        ),
    );
    let d = Daemon::start(st.path());
    d.wait("the failed broadcast", Duration::from_secs(15), |l| {
        !common::events(l, "finish").is_empty()
    });
    let l = d.log();
    let f = &common::events(&l, "finish")[0];
    assert_eq!(f["outcome"], "failed", "{f}");
    let detail = f["detail"].as_str().unwrap_or("");
    assert!(
        detail.contains("speech still not rendered 2 s after its time (late_limit)"),
        "{f}"
    );
    assert!(common::events(&l, "start").is_empty(), "{l:#?}");
}

#[test]
fn loa_say_print_shows_the_exact_words_and_warns_of_an_unknown_abbreviation() {
    let st = common::daemon::null_station();
    let (code, out, err) = common::loa_in(
        st.path(),
        &[
            "--lang",
            "en",
            "say",
            "UBND xã họp lúc 7h30 ngày 5/12/2026, gọi 0912 345 678, mang CCCD.",
            "--print",
        ],
    );
    assert_eq!(code, Some(0), "{err}");
    assert_eq!(
        out,
        "ủy ban nhân dân xã họp lúc bảy giờ ba mươi phút ngày năm tháng mười hai \
         năm hai nghìn không trăm hai mươi sáu, gọi không chín một hai, ba bốn năm, \
         sáu bảy tám, mang căn cước công dân.\n"
    );
    assert!(err.is_empty(), "{err}");
    // Nothing is rendered for --print alone.
    assert!(rendered(st.path()).is_empty());
    let (code, out, err) =
        common::loa_in(st.path(), &["--lang", "en", "say", "Gửi XYZQ.", "--print"]);
    assert_eq!(code, Some(0), "{err}");
    assert_eq!(out, "Gửi ích i dét quy.\n");
    assert!(
        err.contains(
            "warning: the reader does not know \"XYZQ\": it will be spelled letter by letter"
        ),
        "{err}"
    );
}

#[test]
fn check_warns_of_an_unknown_abbreviation_at_the_say_and_lists_its_length() {
    let st = common::daemon::null_station();
    const TEXT: &str =
        "Mời bà con thôn Đông đến nhà văn hóa họp lúc 7h30 sáng mai, mang theo giấy tờ.";
    common::write(
        &st.path().join("schedules/s.yaml"),
        &format!(
            "title: s\nbroadcasts:\n  - name: hop\n    say: \"{TEXT}\"\n    at: \"12:00\"\n  - name: xyz\n    at: \"13:00\"\n    say:   \"Gửi XYZQ.\"\n"
        ),
    );
    let (code, out, err) = common::loa_in(st.path(), &["--lang", "en", "check"]);
    assert_eq!(code, Some(0), "{out}\n{err}");
    assert!(
        err.contains("warning: schedules/s.yaml:8:12: the reader does not know \"XYZQ\""),
        "{err}"
    );
    assert_eq!(err.matches("XYZQ").count(), 2, "{err}");
    // The spoken item's row: its length, from the real engine's WAV, near
    // what its words take at 150 a minute.
    let row = out
        .lines()
        .find(|l| l.contains("say \"Mời bà con thôn Đông"))
        .unwrap_or_else(|| panic!("{out}"));
    let secs: u64 = row
        .split_whitespace()
        .find_map(|w| w.strip_suffix('s')?.parse().ok())
        .unwrap_or_else(|| panic!("{row}"));
    let (_, words, _) = common::loa_in(st.path(), &["say", TEXT, "--print"]);
    let at_rate = words.split_whitespace().count() as f64 * 60.0 / 150.0;
    assert!(
        secs as f64 >= at_rate * 0.5 && secs as f64 <= at_rate * 2.0,
        "{secs} s for {at_rate:.1} s of words: {row}"
    );
}

/// check's voice check (issue 12, third round): a language code espeak-ng
/// resolves ("vi-vn", "vi_VN") is taken, and speaks; a name that is no
/// voice is refused, also when the command-ignored warning was given.
#[test]
fn check_takes_a_language_code_and_checks_the_voice_beside_a_warning() {
    let base =
        "station: Voice\noutput:\n  device: \"null\"\ntts:\n  engine: espeak-ng\n  voice: VOICE\n";
    let st = common::station(&base.replace("VOICE", "vi"));
    common::write(
        &st.path().join("schedules/s.yaml"),
        "broadcasts:\n  - name: s\n    say: \"Mời bà con đi họp.\"\n    at: \"12:00\"\n",
    );
    let config = st.path().join("config.yaml");
    for voice in ["vi-vn", "vi_VN", "VI-VN"] {
        common::write(&config, &base.replace("VOICE", voice));
        let (code, out, err) = common::loa_in(st.path(), &["--lang", "en", "check"]);
        assert_eq!(code, Some(0), "{voice}: {out}\n{err}");
        assert!(!err.contains("voice"), "{voice}: {err}");
        assert!(out.contains("say \"Mời bà con đi họp.\""), "{voice}: {out}");
    }
    for voice in ["zz", "vi-north-xx"] {
        common::write(&config, &base.replace("VOICE", voice));
        let (code, out, err) = common::loa_in(st.path(), &["--lang", "en", "check"]);
        assert_eq!(code, Some(1), "{voice}: {out}\n{err}");
        assert!(
            err.contains(&format!(
                "error: config.yaml:6:10: espeak-ng has no voice \"{voice}\""
            )),
            "{voice}: {err}"
        );
    }
    // Beside the warning that the command is not used, still checked.
    common::write(
        &config,
        &format!(
            "{}  command: [sh, x.sh, \"{{out}}\"]\n",
            base.replace("VOICE", "zz")
        ),
    );
    let (code, out, err) = common::loa_in(st.path(), &["--lang", "en", "check"]);
    assert_eq!(code, Some(1), "{out}\n{err}");
    assert!(
        err.contains("the command is not used")
            && err.contains("error: config.yaml:6:10: espeak-ng has no voice \"zz\""),
        "{err}"
    );
}

/// A station that speaks nothing is only warned that espeak-ng is missing,
/// even with a `voice:` (issue 12, third round); one that speaks is told
/// as an error. espeak-ng is missing for `loa` run with an empty PATH.
#[test]
fn a_station_without_speech_is_only_warned_that_the_engine_is_missing() {
    let config = "station: No speech\noutput:\n  device: \"null\"\ntts:\n  voice: vi-VN-x-south\n";
    let st = common::station(config);
    let empty = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let check = || {
        let out = Command::new(env!("CARGO_BIN_EXE_loa"))
            .current_dir(st.path())
            .env("LOA_LOG", "warn")
            .env("PATH", empty.path())
            .args(["--lang", "en", "check"])
            .output()
            .unwrap_or_else(|e| panic!("{e}"));
        (
            out.status.code(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    };
    let missing = "config.yaml:4:1: the speech engine \"espeak-ng\" is not installed";
    let (code, err) = check();
    assert_eq!(code, Some(0), "{err}");
    assert!(err.contains(&format!("warning: {missing}")), "{err}");
    common::write(
        &st.path().join("schedules/s.yaml"),
        "broadcasts:\n  - name: s\n    say: \"Mời bà con đi họp.\"\n    at: \"12:00\"\n",
    );
    let (code, err) = check();
    assert_eq!(code, Some(1), "{err}");
    assert!(err.contains(&format!("error: {missing}")), "{err}");
}

/// Issue 25 item 9: a `.txt` notice holding a terminal escape is refused by
/// `check` at its line and column, like a schedule's text; and no escape a
/// log line carries (a forged or old one) reaches the text or CSV report.
#[test]
fn a_notice_with_a_terminal_escape_is_refused_at_its_place_and_none_reaches_a_report() {
    let st = common::station("station: Escapes\nlanguage: en\noutput:\n  device: \"null\"\n");
    common::write(
        &st.path().join("audio/canh-bao.txt"),
        "Thông báo\nhọp \u{1b}]0;hacked\u{7} dân\n",
    );
    common::write(
        &st.path().join("schedules/s.yaml"),
        "broadcasts:\n  - name: n\n    audio: canh-bao.txt\n    at: \"12:00\"\n",
    );
    let (code, out, err) = common::loa_in(st.path(), &["--lang", "en", "check"]);
    let said = format!("{out}{err}");
    assert_eq!(code, Some(1), "{said}");
    assert!(said.contains("canh-bao.txt:2:5"), "{said}");
    assert!(said.contains("U+001B"), "{said}");
    assert!(!said.contains('\u{1b}'), "{said:?}");

    // A log line whose names hold escapes (written by hand: loa refuses
    // them in schedules).
    let dir = st.path().join("playlog");
    let state = loa::playlog::read_state(&dir, true).unwrap_or_else(|e| panic!("{e}"));
    let mut log = loa::playlog::PlayLog::new(&dir, chrono_tz::Asia::Ho_Chi_Minh, &state);
    let finish = loa::playlog::Finish {
        id: "s.yaml#x@2025-03-03T12:00:00+07:00".into(),
        info: Some(loa::playlog::Description {
            schedule: "s.yaml".into(),
            broadcast: "tin \u{1b}[2J\u{1b}]0;owned\u{7}".into(),
            topic: "CCHC\u{7}".into(),
            priority: loa::kinds::Priority::Normal,
            scheduled: "2025-03-03T12:00:00+07:00".into(),
            approved_by: None,
        }),
        output: None,
        outcome: loa::kinds::Outcome::Missed,
        reason: Some(loa::kinds::Reason::Other("x\u{1b}[5m".into())),
        played_s: 0.0,
        start_error_ms: None,
        rms_db: None,
        peak_db: None,
        detail: None,
        received_s: None,
        dropouts: None,
        silent_s: None,
    };
    let at = chrono::DateTime::parse_from_rfc3339("2025-03-03T12:00:01+07:00")
        .map(|t| t.with_timezone(&chrono::Utc))
        .unwrap_or_default();
    log.append(at, loa::kinds::Event::Finish, &finish)
        .unwrap_or_else(|e| panic!("{e}"));
    for format in ["text", "csv"] {
        let out = Command::new(env!("CARGO_BIN_EXE_loa"))
            .current_dir(st.path())
            .env_remove("LOA_CONFIG")
            .args([
                "--config",
                "config.yaml",
                "report",
                "--month",
                "2025-03",
                "--format",
                format,
            ])
            .output()
            .unwrap_or_else(|e| panic!("{e}"));
        let text = String::from_utf8_lossy(&out.stdout);
        assert!(text.contains("tin "), "{format}: {text}");
        assert!(
            !text
                .chars()
                .any(|c| c == '\u{1b}' || c == '\u{7}' || c == '\u{9b}'),
            "{format}: {text:?}"
        );
    }
}

/// Issue 25 item 8: an engine that fails at once is a failure at once. The
/// spoken broadcast is `failed` with the engine's own words, not held for
/// its late limit (30 s here), and a recording due a second later on the
/// same output plays.
#[test]
fn a_failing_engine_fails_its_broadcast_at_once_and_frees_the_output() {
    let st = engine_station("echo call >> calls.txt\necho engine broken >&2\nexit 1\n");
    common::write(
        &st.path().join("schedules/s.yaml"),
        &format!(
            "broadcasts:\n  - name: spoken\n    say: \"Họp dân.\"\n    on: [\"{}\"]\n  - name: tone\n    audio: tone.wav\n    on: [\"{}\"]\n",
            in_secs(4),
            in_secs(5)
        ),
    );
    let d = Daemon::start(st.path());
    d.wait("both closed", Duration::from_secs(25), |l| {
        common::events(l, "finish").len() >= 2
    });
    let l = d.log();
    let finishes = common::events(&l, "finish");
    let spoken = finishes
        .iter()
        .find(|f| f["id"].as_str().is_some_and(|i| i.contains("#spoken@")))
        .unwrap_or_else(|| panic!("{l:#?}"));
    assert_eq!(spoken["outcome"], "failed", "{spoken}");
    assert!(
        spoken["detail"]
            .as_str()
            .is_some_and(|d| d.contains("engine broken")),
        "{spoken}"
    );
    let tone = finishes
        .iter()
        .find(|f| f["id"].as_str().is_some_and(|i| i.contains("#tone@")))
        .unwrap_or_else(|| panic!("{l:#?}"));
    assert_eq!(tone["outcome"], "played", "{tone}");
    // Closed at its time, not at its late limit.
    let due = scheduled(spoken);
    let at = common::events(&l, "finish")
        .iter()
        .find(|f| f["id"] == spoken["id"])
        .and_then(|f| f["at"].as_str())
        .and_then(|t| chrono::DateTime::parse_from_rfc3339(t).ok())
        .map(SystemTime::from)
        .unwrap_or(SystemTime::UNIX_EPOCH);
    let after = at.duration_since(due).unwrap_or_default();
    assert!(
        after < Duration::from_secs(3),
        "closed {after:?} after its time"
    );
}

/// Issue 25 item 8: `loa say` asks a failing engine once (it used to try
/// again straight into the output file), and an engine that writes bytes
/// that are not a WAV is an error that leaves nothing in the speech cache.
#[test]
fn say_asks_a_failing_engine_once_and_a_non_wav_is_an_error() {
    let st = engine_station("echo call >> calls.txt\necho engine broken >&2\nexit 1\n");
    let (code, out, err) = common::loa_in(
        st.path(),
        &["--lang", "en", "say", "-o", "out.wav", "Họp dân."],
    );
    assert_eq!(code, Some(1), "{out}\n{err}");
    assert!(err.contains("engine broken"), "{err}");
    let calls = std::fs::read_to_string(st.path().join("calls.txt")).unwrap_or_default();
    assert_eq!(calls.lines().count(), 1, "{calls}");
    assert!(!st.path().join("out.wav").exists());

    // Succeeds, but writes text where a WAV belongs.
    common::write(
        &st.path().join("engine.sh"),
        "printf 'RIFF....this is not sound at all, only words ......................' > \"$1\"\n",
    );
    common::write(
        &st.path().join("schedules/s.yaml"),
        "broadcasts:\n  - name: s\n    say: \"Thông báo mới.\"\n    at: \"12:00\"\n",
    );
    let (code, out, err) = common::loa_in(st.path(), &["--lang", "en", "check"]);
    assert_eq!(code, Some(1), "{out}\n{err}");
    assert!(err.contains("not a WAV"), "{err}");
    assert!(rendered(st.path()).is_empty(), "{:?}", rendered(st.path()));
}

/// Issue 25 item 7: no engine outlives the loa that started it. Stopped
/// (SIGTERM), the daemon kills the engine's whole group, a child of a
/// wrapper script too; killed (SIGKILL), the engine itself dies with it.
#[test]
fn no_speech_engine_outlives_the_loa_that_started_it() {
    // Running, not a zombie waiting for a parent to reap it.
    let alive = |pid: &str| {
        let stat = std::fs::read_to_string(Path::new("/proc").join(pid.trim()).join("stat"))
            .unwrap_or_default();
        let state = stat.rsplit_once(") ").and_then(|(_, r)| r.chars().next());
        state.is_some_and(|c| c != 'Z' && c != 'X')
    };
    let pid_of = |st: &Path, name: &str| {
        let began = std::time::Instant::now();
        loop {
            let p = std::fs::read_to_string(st.join(name)).unwrap_or_default();
            if p.ends_with('\n') || began.elapsed() > Duration::from_secs(20) {
                return p;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    };
    // Under the daemon: a wrapper whose own child sleeps.
    let st = engine_station("sleep 120 &\necho $! > child.txt\nwait\n");
    common::write(
        &st.path().join("schedules/s.yaml"),
        &format!(
            "broadcasts:\n  - name: s\n    say: \"Họp dân.\"\n    on: [\"{}\"]\n",
            in_secs(600)
        ),
    );
    let d = Daemon::start(st.path());
    let child = pid_of(st.path(), "child.txt");
    assert!(
        alive(&child),
        "the engine's child is not running: {child:?}"
    );
    drop(d);
    std::thread::sleep(Duration::from_millis(300));
    assert!(!alive(&child), "the engine's child outlived the daemon");

    // Killed: `loa say` with an engine that is the sleep itself.
    common::write(
        &st.path().join("engine.sh"),
        "echo $$ > engine.txt\nexec sleep 120\n",
    );
    let mut say = Command::new(env!("CARGO_BIN_EXE_loa"))
        .current_dir(st.path())
        .env_remove("LOA_CONFIG")
        .args(["--config", "config.yaml", "say", "-o", "x.wav", "Xin chào."])
        .spawn()
        .unwrap_or_else(|e| panic!("{e}"));
    let engine = pid_of(st.path(), "engine.txt");
    assert!(alive(&engine), "the engine is not running: {engine:?}");
    let _ = say.kill();
    let _ = say.wait();
    std::thread::sleep(Duration::from_millis(300));
    assert!(!alive(&engine), "the engine outlived loa say");
}

/// Issue 25 item 7: a notice longer than loa speaks is refused at its file
/// by `check` (and so never rendered), with how to fix it.
#[test]
fn a_notice_longer_than_loa_speaks_is_refused_at_its_file() {
    let st = common::station("station: Long\nlanguage: en\noutput:\n  device: \"null\"\n");
    let long = "Thông báo về việc tiêm phòng cho trẻ em trong xã. ".repeat(120);
    assert!(long.chars().count() > loa::sound::speech::MAX_CHARS);
    common::write(&st.path().join("audio/dai.txt"), &long);
    common::write(
        &st.path().join("schedules/s.yaml"),
        "broadcasts:\n  - name: n\n    audio: dai.txt\n    at: \"12:00\"\n",
    );
    let (code, out, err) = common::loa_in(st.path(), &["--lang", "en", "check"]);
    let said = format!("{out}{err}");
    assert_eq!(code, Some(1), "{said}");
    assert!(
        said.contains("dai.txt") && said.contains("characters long"),
        "{said}"
    );
    assert!(said.contains("split the notice"), "{said}");
    assert!(rendered(st.path()).is_empty());
}

#[test]
fn loa_say_refused_an_output_suggests_a_wav_not_a_report() {
    let st = common::daemon::null_station();
    for (lang, wav) in [("en", "voice-test.wav"), ("vi", "thu-giong.wav")] {
        for out in ["playlog/x.wav", "config.yaml"] {
            let (code, _, err) =
                common::loa_in(st.path(), &["--lang", lang, "say", "xin chào", "-o", out]);
            assert_eq!(code, Some(2), "{err}");
            assert!(err.contains(wav) && !err.contains(".csv"), "{err}");
        }
    }
    assert!(rendered(st.path()).is_empty());
}
