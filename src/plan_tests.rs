use std::path::Path;

use super::*;

fn schedule(text: &str) -> Arc<Schedule> {
    let (s, d) = crate::schedule::parse("s.yaml", Path::new("s.yaml"), text);
    Arc::new(s.unwrap_or_else(|| panic!("{d:#?}")))
}

fn one(when: &str) -> Arc<Schedule> {
    schedule(&format!(
        "title: t\nbroadcasts:\n  - name: b\n    audio: a.mp3\n{when}"
    ))
}

fn utc(s: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(s)
        .map(|t| t.with_timezone(&Utc))
        .unwrap_or_else(|e| panic!("{s}: {e}"))
}

/// The RFC 3339 local times planned in [from, to).
fn times(s: &Arc<Schedule>, tz: Tz, from: &str, to: &str) -> Vec<String> {
    occurrences(std::slice::from_ref(s), tz, utc(from), utc(to))
        .iter()
        .map(|o| o.time.to_rfc3339_opts(SecondsFormat::Secs, false))
        .collect()
}

const HCM: Tz = chrono_tz::Asia::Ho_Chi_Minh;
const BERLIN: Tz = chrono_tz::Europe::Berlin;

#[test]
fn ho_chi_minh_table() {
    // 2025-03-03 is a Monday.
    let cases: [(&str, &str, &str, &[&str]); 6] = [
        (
            "    at: [\"06:15\", \"17:30\"]\n    days: [mon, wed]\n",
            "2025-03-03T00:00:00+07:00",
            "2025-03-06T00:00:00+07:00",
            &[
                "2025-03-03T06:15:00+07:00",
                "2025-03-03T17:30:00+07:00",
                "2025-03-05T06:15:00+07:00",
                "2025-03-05T17:30:00+07:00",
            ],
        ),
        (
            "    at: \"06:00:30\"\n    days: weekends\n",
            "2025-03-03T00:00:00+07:00",
            "2025-03-10T00:00:00+07:00",
            &["2025-03-08T06:00:30+07:00", "2025-03-09T06:00:30+07:00"],
        ),
        (
            "    cron: \"0 45 6 * * Tue,Thu\"\n",
            "2025-03-03T00:00:00+07:00",
            "2025-03-08T00:00:00+07:00",
            &["2025-03-04T06:45:00+07:00", "2025-03-06T06:45:00+07:00"],
        ),
        (
            "    cron: \"30 18 1 * *\"\n",
            "2025-01-15T00:00:00+07:00",
            "2025-03-15T00:00:00+07:00",
            &["2025-02-01T18:30:00+07:00", "2025-03-01T18:30:00+07:00"],
        ),
        (
            "    on: [\"2025-11-09 07:00\", \"2025-11-10 07:00\"]\n",
            "2025-11-09T07:00:00+07:00",
            "2025-11-10T07:00:00+07:00",
            // `from` is inclusive, `to` exclusive.
            &["2025-11-09T07:00:00+07:00"],
        ),
        (
            "    at: \"06:00\"\n    from: 2025-03-04\n    until: 2025-03-06\n    except: [2025-03-05]\n",
            "2025-03-01T00:00:00+07:00",
            "2025-03-10T00:00:00+07:00",
            &["2025-03-04T06:00:00+07:00", "2025-03-06T06:00:00+07:00"],
        ),
    ];
    for (when, from, to, want) in cases {
        assert_eq!(times(&one(when), HCM, from, to), want, "{when}");
    }
}

#[test]
fn berlin_spring_forward_shifts_by_the_gap() {
    // 2025-03-30: 02:00 CET jumps to 03:00 CEST.
    let s = one("    at: [\"01:30\", \"02:15\", \"02:45\", \"03:30\"]\n");
    assert_eq!(
        times(
            &s,
            BERLIN,
            "2025-03-30T00:00:00+01:00",
            "2025-03-31T00:00:00+02:00"
        ),
        [
            "2025-03-30T01:30:00+01:00",
            "2025-03-30T03:15:00+02:00",
            "2025-03-30T03:30:00+02:00",
            "2025-03-30T03:45:00+02:00"
        ]
    );
}

#[test]
fn berlin_fall_back_plays_once_at_the_first_instance() {
    // 2025-10-26: 03:00 CEST falls back to 02:00 CET; 02:30 happens twice.
    let s = one("    at: [\"02:30\", \"03:30\"]\n");
    assert_eq!(
        times(
            &s,
            BERLIN,
            "2025-10-26T00:00:00+02:00",
            "2025-10-27T00:00:00+01:00"
        ),
        ["2025-10-26T02:30:00+02:00", "2025-10-26T03:30:00+01:00"]
    );
}

#[test]
fn berlin_cron_across_both_transitions() {
    let s = one("    cron: \"30 2 * * *\"\n");
    let spring = times(
        &s,
        BERLIN,
        "2025-03-29T12:00:00+01:00",
        "2025-03-31T12:00:00+02:00",
    );
    assert_eq!(
        spring,
        ["2025-03-30T03:30:00+02:00", "2025-03-31T02:30:00+02:00"]
    );
    let fall = times(
        &s,
        BERLIN,
        "2025-10-25T12:00:00+02:00",
        "2025-10-27T12:00:00+01:00",
    );
    assert_eq!(fall.len(), 2, "fall back must not play twice: {fall:?}");
    assert_eq!(fall[0], "2025-10-26T02:30:00+02:00");
}

#[test]
fn ids_follow_the_spec_and_are_stable() {
    let s = one("    at: \"06:15\"\n");
    let a = occurrences(
        std::slice::from_ref(&s),
        HCM,
        utc("2025-03-03T00:00:00+07:00"),
        utc("2025-03-04T00:00:00+07:00"),
    );
    let b = occurrences(
        std::slice::from_ref(&s),
        HCM,
        utc("2025-03-03T06:00:00+07:00"),
        utc("2025-03-03T07:00:00+07:00"),
    );
    assert_eq!(a.len(), 1);
    assert_eq!(a[0].id, "s.yaml#b@2025-03-03T06:15:00+07:00");
    assert_eq!(a[0].id, b[0].id);
}

#[test]
fn equal_times_put_higher_priority_first() {
    let s = schedule(
        "title: t\nbroadcasts:\n  - name: n\n    audio: a.mp3\n    at: \"06:00\"\n  - name: e\n    audio: a.mp3\n    at: \"06:00\"\n    priority: emergency\n",
    );
    let o = occurrences(
        &[s],
        HCM,
        utc("2025-03-03T00:00:00+07:00"),
        utc("2025-03-04T00:00:00+07:00"),
    );
    let names: Vec<&str> = o.iter().map(|o| o.broadcast().name.as_str()).collect();
    assert_eq!(names, ["e", "n"]);
}

#[test]
fn every_second_cron_is_capped() {
    let s = one("    cron: \"* * * * * *\"\n");
    let o = occurrences(
        &[s],
        HCM,
        utc("2025-03-03T00:00:00+07:00"),
        utc("2025-03-04T00:00:00+07:00"),
    );
    // A day has 86,400 seconds; the cap keeps planning bounded.
    assert!(!o.is_empty() && o.len() <= MAX_PER_BROADCAST, "{}", o.len());
}

#[test]
fn ids_carry_over_a_change_of_outputs() {
    let one = "s.yaml#B@2025-03-03T07:00:00+07:00";
    assert_eq!(base_id("s.yaml", "B", "2025-03-03T07:00:00+07:00"), one);
    let two = ["a", "b"];
    let on =
        |id: &str, output: Option<&str>, outputs: &[&str]| ids_on(id, Some(one), output, outputs);
    // Same arrangement: only itself.
    assert_eq!(on(one, Some("main"), &["main"]), vec![one.to_string()]);
    assert_eq!(
        on(&format!("{one}/a"), Some("a"), &two),
        vec![format!("{one}/a")]
    );
    // One output became two: closed on both.
    assert_eq!(
        on(one, Some("main"), &two),
        vec![format!("{one}/a"), format!("{one}/b")]
    );
    assert_eq!(
        on(one, None, &two),
        vec![format!("{one}/a"), format!("{one}/b")]
    );
    // Two became one, or an output was renamed.
    assert_eq!(
        on(&format!("{one}/a"), Some("a"), &["main"]),
        vec![one.to_string()]
    );
    assert_eq!(
        on(&format!("{one}/old"), Some("old"), &two),
        vec![format!("{one}/a"), format!("{one}/b")]
    );
    // A line that names no schedule or time: only its own id.
    assert_eq!(ids_on("x", None, Some("a"), &two), vec!["x".to_string()]);
}
