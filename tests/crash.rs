//! `kill -9` of the real binary at random moments across many short
//! broadcasts, and a torn write as a power cut leaves it. After the last
//! restart the log must verify, every due occurrence must have exactly one
//! final outcome, nothing may have sounded twice, and the torn bytes must be
//! kept whole. Real time, bounded to about half a minute.

mod common;

use std::collections::HashMap;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use chrono::{SubsecRound, TimeDelta, Utc};

fn loa_bin() -> std::path::PathBuf {
    assert_cmd::cargo::cargo_bin("loa")
}

fn spawn(station: &std::path::Path) -> Child {
    Command::new(loa_bin())
        .current_dir(station)
        .args(["--lang", "en", "run"])
        .env("LOA_LOG", "warn")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap_or_else(|e| panic!("{e}"))
}

/// A small deterministic generator: the seed is printed, so a failing run
/// can be repeated with `LOA_CRASH_SEED`.
struct Lcg(u64);

impl Lcg {
    fn next_ms(&mut self, lo: u64, hi: u64) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        lo + (self.0 >> 33) % (hi - lo)
    }
}

#[test]
fn kill_9_at_random_moments_loses_nothing_and_plays_nothing_twice() {
    let seed = std::env::var("LOA_CRASH_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| {
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map(|d| d.as_nanos() as u64)
                .unwrap_or(1)
        });
    println!("LOA_CRASH_SEED={seed}");
    let mut rng = Lcg(seed);

    let st = common::station(
        "station: Crash test\noutput:\n  device: \"null\"\n  loudness: off\nlate_limit: 3s\nquiet_hours: []\n",
    );
    std::fs::copy(
        common::repo().join("tests/fixtures/tones/tone.wav"),
        st.path().join("audio/tone.wav"),
    )
    .unwrap_or_else(|e| panic!("{e}"));
    // Twelve one-second broadcasts two seconds apart, from 5 s from now.
    // In the station's time zone (the default, Asia/Ho_Chi_Minh).
    let first = Utc::now()
        .with_timezone(&chrono_tz::Asia::Ho_Chi_Minh)
        .naive_local()
        .trunc_subsecs(0)
        + TimeDelta::seconds(5);
    let times: Vec<String> = (0..12)
        .map(|k| {
            (first + TimeDelta::seconds(2 * k))
                .format("%Y-%m-%d %H:%M:%S")
                .to_string()
        })
        .collect();
    let on = times
        .iter()
        .map(|t| format!("\"{t}\""))
        .collect::<Vec<_>>()
        .join(", ");
    common::write(
        &st.path().join("schedules/crash.yaml"),
        &format!(
            "title: Crash\ntopic: Test\nbroadcasts:\n  - name: Tone\n    audio: tone.wav\n    on: [{on}]\n"
        ),
    );
    let end = Instant::now() + Duration::from_secs(5 + 2 * 12);

    // Kill it again and again while the first two thirds fall due; the
    // last run plays the rest.
    let mut kills = 0;
    let mut torn = Vec::new();
    while Instant::now() + Duration::from_secs(10) < end {
        let mut child = spawn(st.path());
        std::thread::sleep(Duration::from_millis(rng.next_ms(150, 2500)));
        let _ = child.kill();
        let _ = child.wait();
        kills += 1;
        if kills == 3 {
            // A power cut in the middle of a write: half a line, no newline.
            let files = loa::playlog::month_files(&st.path().join("playlog"));
            let last = files.last().cloned().unwrap_or_default();
            torn = b"{\"v\":1,\"seq\":999,\"at\":\"2025-03-03T06:0".to_vec();
            let mut bytes = std::fs::read(&last).unwrap_or_default();
            bytes.extend_from_slice(&torn);
            std::fs::write(&last, bytes).unwrap_or_else(|e| panic!("{e}"));
        }
    }
    assert!(kills >= 5, "only {kills} kills");

    // The last run outlives every broadcast and its late limit.
    let mut child = spawn(st.path());
    let wait = end.saturating_duration_since(Instant::now()) + Duration::from_secs(5);
    std::thread::sleep(wait);
    let _ = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status();
    let status = child.wait().unwrap_or_else(|e| panic!("{e}"));
    assert!(status.success(), "final run: {status}");

    // The chain verifies through the real command.
    let out = Command::new(loa_bin())
        .current_dir(st.path())
        .args(["--lang", "en", "log", "verify"])
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(
        out.status.success(),
        "seed {seed}: {}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );

    let log = common::read_log(&st.path().join("playlog"));
    let mut finishes: HashMap<String, Vec<String>> = HashMap::new();
    let mut starts: HashMap<String, usize> = HashMap::new();
    for v in &log {
        let id = v["id"].as_str().unwrap_or("");
        let when = id.rsplit_once('@').map(|(_, t)| t[..19].replace('T', " "));
        match v["event"].as_str() {
            Some("finish") => finishes
                .entry(when.unwrap_or_default())
                .or_default()
                .push(format!("{}/{}", v["outcome"], v["reason"])),
            Some("start") => *starts.entry(when.unwrap_or_default()).or_default() += 1,
            _ => {}
        }
    }
    for t in &times {
        let f = finishes.get(t).cloned().unwrap_or_default();
        assert_eq!(
            f.len(),
            1,
            "seed {seed}: {t} has {f:?}\n{}",
            log.iter()
                .map(|v| format!(
                    "{} {} {} {} {}",
                    v["at"], v["event"], v["id"], v["outcome"], v["reason"]
                ))
                .collect::<Vec<_>>()
                .join("\n")
        );
        assert!(
            starts.get(t).copied().unwrap_or(0) <= 1,
            "seed {seed}: {t} sounded twice"
        );
    }
    assert_eq!(finishes.len(), times.len(), "seed {seed}: {finishes:?}");
    // Something actually sounded, and something was cut by a kill or missed.
    let outcomes: Vec<String> = finishes.values().flatten().cloned().collect();
    assert!(
        outcomes.iter().any(|o| o.starts_with("\"played\"")),
        "{outcomes:?}"
    );

    // The torn bytes are kept whole beside the log.
    let kept: Vec<Vec<u8>> = std::fs::read_dir(st.path().join("playlog"))
        .map(|rd| {
            rd.flatten()
                .filter(|e| e.file_name().to_string_lossy().starts_with("torn-"))
                .filter_map(|e| std::fs::read(e.path()).ok())
                .collect()
        })
        .unwrap_or_default();
    assert_eq!(kept, vec![torn], "seed {seed}");
    let recovered = common::events(&log, "recovered");
    assert!(
        recovered
            .iter()
            .any(|r| r["torn"].as_array().is_some_and(|a| !a.is_empty())),
        "seed {seed}: no recovered event names the torn file"
    );
}
