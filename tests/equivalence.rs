//! The preview is what happens: seeded random dense days on one and on two
//! outputs, with mixed priorities, emergencies, quiet hours (that repeats
//! run into) and late limits.
//! For every occurrence, what `next` predicts (start, end, outcome) must be
//! what the daemon, in-process on a fake clock, writes in its play log.
//!
//! `LOA_EQUIV_CASES` sets the number of cases (default 300); a failing
//! case prints its seed, and `LOA_EQUIV_SEED` runs that one alone.

mod common;

use std::collections::HashMap;
use std::path::Path;
use std::sync::Arc;

use chrono::{DateTime, TimeDelta, TimeZone, Utc};
use loa::clock::FakeClock;
use loa::config::Config;
use loa::daemon::{Daemon, Shutdown};
use loa::i18n::Lang;
use loa::player::NullOutput;

/// Lengths of the recordings, in ms. Odd milliseconds: an end never falls
/// on the whole second when something else is due, where the order of two
/// simultaneous events would be a coin toss in the real loop.
const CLIPS: [u64; 5] = [1_237, 2_411, 3_093, 4_659, 6_871];

/// A small deterministic generator, so a seed names a case.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        self.0 >> 33
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }
}

/// 07:00:00 local on 2025-03-03.
fn t0() -> DateTime<Utc> {
    chrono_tz::Asia::Ho_Chi_Minh
        .with_ymd_and_hms(2025, 3, 3, 7, 0, 0)
        .single()
        .map(|t| t.with_timezone(&Utc))
        .unwrap_or_default()
}

/// Writes a random dense station for `seed` into `dir`.
fn station(dir: &Path, seed: u64) {
    let mut r = Lcg(seed);
    let two = r.below(2) == 1;
    let late = [3, 8, 20, 60, 600][r.below(5) as usize];
    // Short quiet hours inside the dense minutes, so that repeats run into
    // them (and are dropped) as often as broadcasts fall due in them.
    let quiet = match r.below(3) {
        0 => "[\"07:01-07:02\"]",
        1 => "[\"07:00:40-07:01:05\", \"07:02:10-07:03\"]",
        _ => "[]",
    };
    let outputs = if two {
        "outputs:\n  - name: trung-tam\n    device: \"null\"\n    loudness: off\n  - name: thon-dong\n    device: \"null\"\n    loudness: off\n"
    } else {
        "output:\n  device: \"null\"\n  loudness: off\n"
    };
    let config = format!(
        "station: Equivalence {seed}\n{outputs}late_limit: {late}s\nquiet_hours: {quiet}\n"
    );
    common::write(&dir.join("config.yaml"), &config);
    std::fs::create_dir_all(dir.join("audio")).unwrap_or_else(|e| panic!("{e}"));
    for (k, ms) in CLIPS.iter().enumerate() {
        let bytes = common::wav(*ms as f64 / 1000.0, |t| 0.3 * (t * 2600.0).sin());
        std::fs::write(dir.join(format!("audio/c{k}.wav")), bytes)
            .unwrap_or_else(|e| panic!("{e}"));
    }
    let n = 6 + r.below(14);
    let mut text = String::from("title: Dày\nbroadcasts:\n");
    for k in 0..n {
        let at = r.below(150);
        let prio = ["normal", "normal", "priority", "emergency"][r.below(4) as usize];
        let clip = r.below(CLIPS.len() as u64);
        let repeat = 1 + r.below(3);
        let outs = match (two, r.below(3)) {
            (true, 0) => "    outputs: [trung-tam]\n",
            (true, 1) => "    outputs: [thon-dong]\n",
            _ => "",
        };
        text.push_str(&format!(
            "  - name: B{k}\n    audio: c{clip}.wav\n    chime: false\n    at: \"07:{:02}:{:02}\"\n    priority: {prio}\n    repeat: {repeat}\n    gap: 1s\n{outs}",
            at / 60,
            at % 60
        ));
    }
    common::write(&dir.join("schedules/day.yaml"), &text);
}

/// What happened to one occurrence: first sample, end, final outcome, and
/// the repeats its last attempt dropped.
#[derive(Debug, PartialEq)]
struct Seen {
    start: Option<DateTime<Utc>>,
    end: Option<DateTime<Utc>>,
    outcome: String,
    dropped: u64,
}

fn at(v: &serde_json::Value, key: &str) -> Option<DateTime<Utc>> {
    v[key]
        .as_str()
        .and_then(|s| DateTime::parse_from_rfc3339(s).ok())
        .map(|t| t.with_timezone(&Utc))
}

/// Each occurrence in the play log.
fn from_log(log: &[serde_json::Value]) -> HashMap<String, Seen> {
    let mut out: HashMap<String, Seen> = HashMap::new();
    let mut scheduled: HashMap<String, DateTime<Utc>> = HashMap::new();
    let mut dropped: HashMap<String, u64> = HashMap::new();
    for v in log {
        let id = v["id"].as_str().unwrap_or("").to_string();
        match v["event"].as_str() {
            Some("start") => {
                dropped.insert(id.clone(), v["dropped_repeats"].as_u64().unwrap_or(0));
                if let Some(t) = at(v, "scheduled") {
                    scheduled.insert(id, t);
                }
            }
            Some("finish") => {
                let e = out.entry(id.clone()).or_insert(Seen {
                    start: None,
                    end: None,
                    outcome: String::new(),
                    dropped: 0,
                });
                e.dropped = dropped.get(&id).copied().unwrap_or(0);
                e.outcome = v["outcome"].as_str().unwrap_or("").to_string();
                if let (Some(ms), Some(s)) = (v["start_error_ms"].as_f64(), scheduled.get(&id))
                    && e.start.is_none()
                {
                    e.start = Some(*s + TimeDelta::microseconds((ms * 1000.0).round() as i64));
                }
                if e.start.is_some() {
                    e.end = at(v, "at");
                }
            }
            _ => {}
        }
    }
    out
}

fn close(a: Option<DateTime<Utc>>, b: Option<DateTime<Utc>>) -> bool {
    match (a, b) {
        (Some(a), Some(b)) => (a - b).num_milliseconds().abs() <= 5,
        (None, None) => true,
        _ => false,
    }
}

/// Runs one case; returns the number of occurrences compared, and how many
/// of them dropped repeats.
async fn case(seed: u64) -> (usize, usize) {
    // Memory-backed when the machine has it: a case writes and syncs some
    // sixty log lines, and hundreds of cases run.
    let shm = Path::new("/dev/shm");
    let dir = if shm.is_dir() {
        tempfile::tempdir_in(shm)
    } else {
        tempfile::tempdir()
    }
    .unwrap_or_else(|e| panic!("{e}"));
    station(dir.path(), seed);
    let config = Config::load(&dir.path().join("config.yaml")).unwrap_or_else(|e| panic!("{e:?}"));
    let from = t0() - TimeDelta::seconds(60);
    let mut cache = loa::sound::audio::AudioCache::new();
    let schedules: Vec<_> = loa::station::read_all(&config)
        .into_iter()
        .filter_map(|f| f.schedule)
        .collect();
    assert!(
        !schedules.is_empty(),
        "seed {seed}: the schedule was refused"
    );
    let predicted = loa::preview::span(
        &config,
        &mut cache,
        &schedules,
        from,
        t0() + TimeDelta::seconds(150),
    );

    let clock = Arc::new(FakeClock::new(from));
    let d = Daemon::start(config.clone(), Lang::En, clock, &|_| {
        Box::new(NullOutput::new())
    })
    .unwrap_or_else(|e| panic!("{e}"));
    d.run(async {
        tokio::time::sleep(std::time::Duration::from_secs(9 * 60)).await;
        Shutdown::Signal
    })
    .await;
    let seen = from_log(&common::read_log(&config.playlog_dir));
    assert_eq!(
        seen.len(),
        predicted.len(),
        "seed {seed}: the log closes {} occurrences, the preview has {}",
        seen.len(),
        predicted.len()
    );
    for x in &predicted {
        let got = seen
            .get(&x.occ.id)
            .unwrap_or_else(|| panic!("seed {seed}: {} never closed", x.occ.id));
        let want = Seen {
            start: x.p.start,
            end: x.p.end,
            outcome: x.p.outcome.as_str().to_string(),
            dropped: x.p.dropped.as_ref().map_or(0, |d| u64::from(d.repeats)),
        };
        assert!(
            got.outcome == want.outcome
                && got.dropped == want.dropped
                && close(got.start, want.start)
                && close(got.end, want.end),
            "seed {seed} (LOA_EQUIV_SEED={seed}): {}\n  daemon:  {got:?}\n  preview: {want:?}",
            x.occ.id
        );
    }
    let dropped = predicted.iter().filter(|x| x.p.dropped.is_some()).count();
    (predicted.len(), dropped)
}

#[tokio::test(start_paused = true)]
async fn the_preview_is_what_the_daemon_does_on_random_dense_days() {
    let seeds: Vec<u64> = match std::env::var("LOA_EQUIV_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
    {
        Some(s) => vec![s],
        None => {
            let n: u64 = std::env::var("LOA_EQUIV_CASES")
                .ok()
                .and_then(|s| s.parse().ok())
                .unwrap_or(300);
            (1..=n)
                .map(|k| k.wrapping_mul(0x9E37_79B9_7F4A_7C15))
                .collect()
        }
    };
    let mut occurrences = 0;
    let mut several = 0;
    let mut dropped = 0;
    for seed in &seeds {
        let (n, d) = case(*seed).await;
        occurrences += n;
        dropped += d;
        several += usize::from(n > 0);
    }
    println!(
        "{} cases, {occurrences} occurrences compared ({dropped} dropping repeats in quiet hours), every start, end and outcome equal",
        seeds.len()
    );
    assert_eq!(several, seeds.len(), "a case planned nothing");
    if seeds.len() >= 50 {
        assert!(dropped > 0, "no case had repeats run into quiet hours");
    }
}
