//! Issue 13, evidence: the sound on record. `check` points out recordings
//! that would go on air as silence (the daemon's side, the level logged in
//! `finish` and `failed`/`silent`, is in tests/alsa.rs, through the capture).

mod common;

use common::loa_in as loa;

fn sine(amplitude: f64) -> Vec<u8> {
    common::wav(1.0, move |t| {
        amplitude * (2.0 * std::f64::consts::PI * 440.0 * t).sin()
    })
}

#[test]
fn check_warns_at_each_use_of_a_silent_or_nearly_silent_recording() {
    let st = common::station("station: x\nlanguage: en\noutput:\n  device: \"null\"\n");
    let audio = st.path().join("audio");
    std::fs::write(audio.join("lang.wav"), common::wav(1.0, |_| 0.0))
        .unwrap_or_else(|e| panic!("{e}"));
    // Peak 0.002: −54 dBFS, which loudness normalisation would lift by
    // about 40 dB, noise and all.
    std::fs::write(audio.join("nho.wav"), sine(0.002)).unwrap_or_else(|e| panic!("{e}"));
    std::fs::write(audio.join("ro.wav"), sine(0.25)).unwrap_or_else(|e| panic!("{e}"));
    common::write(
        &st.path().join("schedules/a.yaml"),
        "title: a\nbroadcasts:\n  - name: im\n    audio: lang.wav\n    at: \"06:00\"\n  - name: nho\n    audio: nho.wav\n    at: \"07:00\"\n  - name: ro\n    audio: ro.wav\n    at: \"08:00\"\n",
    );
    let (code, out, err) = loa(st.path(), &["check"]);
    let all = format!("{out}{err}");
    // Warnings only: the schedule is valid.
    assert_eq!(code, Some(0), "{all}");
    assert!(
        all.contains("a.yaml:4:12")
            && all.contains("\"lang.wav\" is silent: nothing will be heard"),
        "{all}"
    );
    assert!(
        all.contains("a.yaml:7:12")
            && all.contains("\"nho.wav\" is nearly silent (-57.8 LUFS, -54.0 dBTP)"),
        "{all}"
    );
    assert!(!all.contains("\"ro.wav\" is"), "{all}");
    assert!(all.contains("record it again"), "{all}");
}

/// `limits` in config: `check` warns about each day of the coming week that
/// breaks them, as the daemon will play it, at `limits` in config.yaml.
#[test]
fn check_warns_about_days_of_the_coming_week_that_break_the_limits() {
    let st = common::station(
        "station: x\nlanguage: en\noutput:\n  device: \"null\"\nlimits:\n  max_minutes_per_day: 45\n  max_sessions_per_day: 2\n  min_minutes_per_day: 5\n",
    );
    std::fs::copy(
        common::repo().join("tests/fixtures/tones/tone.wav"),
        st.path().join("audio/tone.wav"),
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let today = chrono::Utc::now()
        .with_timezone(&chrono_tz::Asia::Ho_Chi_Minh)
        .date_naive();
    let day = |n: u64| {
        today
            .checked_add_days(chrono::Days::new(n))
            .unwrap_or_default()
    };
    // Two days of a campaign, each with three sessions: 06:00 and 17:00
    // last 28.5 minutes each (20 one-second repeats, 89 s apart), 11:00 one
    // second. 57.1 minutes and 3 sessions a day.
    common::write(
        &st.path().join("schedules/chien-dich.yaml"),
        &format!(
            "title: c\nfrom: {}\nuntil: {}\nbroadcasts:\n  - name: sang\n    audio: tone.wav\n    at: [\"06:00\", \"17:00\"]\n    repeat: 20\n    gap: 89s\n  - name: trua\n    audio: tone.wav\n    at: \"11:00\"\n",
            day(2),
            day(3)
        ),
    );
    let (code, out, err) = loa(st.path(), &["check"]);
    let all = format!("{out}{err}");
    assert_eq!(code, Some(0), "{all}");
    let warned = |what: &str, n: u64| {
        let date = day(n).format("%d/%m/%Y").to_string();
        all.lines()
            .any(|l| l.contains("config.yaml:6:") && l.contains(&date) && l.contains(what))
    };
    for n in [2, 3] {
        assert!(
            warned("57.1 minutes, over the limit of 45", n),
            "day +{n}: {all}"
        );
        assert!(
            warned("3 sessions, over the limit of 2", n),
            "day +{n}: {all}"
        );
        assert!(!warned("under the minimum", n), "day +{n}: {all}");
    }
    for n in [1, 4, 5, 6] {
        assert!(
            warned("only 0 minutes, under the minimum of 5", n),
            "day +{n}: {all}"
        );
    }
    // Today is half gone: not short of minutes; the week ends at day +6.
    assert!(!warned("under the minimum", 0), "{all}");
    assert!(!warned("under the minimum", 7), "{all}");
    assert_eq!(all.matches("a day (limits.").count(), 8, "{all}");
}

#[test]
fn limits_that_cannot_both_be_met_are_refused_where_they_are() {
    let st = common::station(
        "station: x\nlanguage: en\nlimits:\n  min_minutes_per_day: 60\n  max_minutes_per_day: 45\n",
    );
    let (code, out, err) = loa(st.path(), &["--lang", "en", "check"]);
    let all = format!("{out}{err}");
    assert_eq!(code, Some(1), "{all}");
    assert!(
        all.contains("config.yaml:4:") && all.contains("min_minutes_per_day (60) is more than"),
        "{all}"
    );
}
