use std::path::Path;

use super::*;
use crate::i18n::Lang;
use crate::i18n::Msg;

fn parse_ok(text: &str) -> Schedule {
    let (s, diags) = parse("cchc.yaml", Path::new("schedules/cchc.yaml"), text);
    match s {
        Some(s) => s,
        None => panic!("expected a valid schedule, got {diags:#?}"),
    }
}

/// The errors of `text`, as (line, col, English message).
fn errors(text: &str) -> Vec<(u64, u64, String)> {
    let (s, diags) = parse("x.yaml", Path::new("schedules/x.yaml"), text);
    assert!(s.is_none(), "expected errors");
    diags
        .iter()
        .filter(|d| d.is_error())
        .map(|d| {
            let p = d.pos.unwrap_or_default();
            (p.line, p.col, d.msg.text(Lang::En))
        })
        .collect()
}

const SPEC_EXAMPLE: &str = r#"title: Tuyên truyền cải cách hành chính năm 2025
topic: CCHC
basis: "Kế hoạch tuyên truyền CCHC năm 2025 của UBND xã Xuân Đám"
approved_by: "Trần Quang Hướng"
approved_on: 2025-02-20
from: 2025-01-01
until: 2025-12-31
except: [2025-04-30, 2025-05-01, 2025-09-02]
broadcasts:
  - name: Hướng dẫn dịch vụ công trực tuyến
    audio: cchc/dich-vu-cong-truc-tuyen.mp3
    at: ["06:15", "17:30"]
    days: [mon, wed, fri]
    repeat: 2
    gap: 3s
  - name: Chủ đề năm 2025
    audio: cchc/chu-de-nam.mp3
    cron: "0 45 6 * * Tue,Thu"
    priority: priority
    chime: false
    volume: 0.8
  - name: Ngày Pháp luật
    audio: phap-luat/ngay-phap-luat.mp3
    on: ["2025-11-09 07:00"]
"#;

#[test]
fn the_spec_example_parses_with_every_field() {
    let s = parse_ok(SPEC_EXAMPLE);
    assert_eq!(s.file, "cchc.yaml");
    assert_eq!(s.topic, "CCHC");
    assert_eq!(s.approved_by.as_deref(), Some("Trần Quang Hướng"));
    assert_eq!(s.approved_on, NaiveDate::from_ymd_opt(2025, 2, 20));
    assert_eq!(s.broadcasts.len(), 3);
    let b = &s.broadcasts[0];
    assert_eq!(b.repeat, 2);
    assert_eq!(b.gap, Duration::from_secs(3));
    assert_eq!(b.except.len(), 3);
    assert_eq!(b.audio[0].path, "cchc/dich-vu-cong-truc-tuyen.mp3");
    match &b.when {
        When::At { times, days } => {
            assert_eq!(times.len(), 2);
            assert!(days.contains(Weekday::Mon) && days.contains(Weekday::Fri));
            assert!(!days.contains(Weekday::Tue) && !days.contains(Weekday::Sun));
        }
        other => panic!("{other:?}"),
    }
    let c = &s.broadcasts[1];
    assert!(matches!(c.when, When::Cron(_)));
    assert_eq!(c.priority, Priority::Priority);
    assert_eq!(c.chime, Chime::Off);
    assert_eq!(c.volume, 0.8);
    assert!(matches!(&s.broadcasts[2].when, When::On(v) if v.len() == 1));
    assert_eq!(s.last_date(), NaiveDate::from_ymd_opt(2025, 12, 31));
}

#[test]
fn day_groups_and_vietnamese_day_names() {
    let cases: [(&str, &[Weekday], &[Weekday]); 4] = [
        ("daily", &[Weekday::Mon, Weekday::Sun], &[]),
        (
            "weekdays",
            &[Weekday::Mon, Weekday::Fri],
            &[Weekday::Sat, Weekday::Sun],
        ),
        ("weekends", &[Weekday::Sat, Weekday::Sun], &[Weekday::Mon]),
        ("[t2, cn]", &[Weekday::Mon, Weekday::Sun], &[Weekday::Tue]),
    ];
    for (days, yes, no) in cases {
        let text = format!(
            "title: t\nbroadcasts:\n  - name: a\n    audio: a.mp3\n    at: \"06:00\"\n    days: {days}\n"
        );
        let s = parse_ok(&text);
        let When::At { days: d, .. } = s.broadcasts[0].when else {
            panic!("at expected")
        };
        for w in yes {
            assert!(d.contains(*w), "{days} should contain {w}");
        }
        for w in no {
            assert!(!d.contains(*w), "{days} should not contain {w}");
        }
    }
}

#[test]
fn broadcast_overrides_file_window_priority_and_topic() {
    let s = parse_ok(
        "title: t\ntopic: A\npriority: priority\nfrom: 2025-01-01\nexcept: [2025-01-05]\nbroadcasts:\n  - name: a\n    audio: a.mp3\n    at: \"06:00\"\n  - name: b\n    audio: b.mp3\n    at: \"07:00\"\n    topic: B\n    priority: normal\n    from: 2025-03-01\n    except: [2025-03-02]\n",
    );
    let (a, b) = (&s.broadcasts[0], &s.broadcasts[1]);
    assert_eq!((a.topic.as_str(), a.priority), ("A", Priority::Priority));
    assert_eq!((b.topic.as_str(), b.priority), ("B", Priority::Normal));
    let d = |m, d| NaiveDate::from_ymd_opt(2025, m, d).unwrap_or_default();
    assert!(a.runs_on(d(1, 2)) && !a.runs_on(d(1, 5)));
    assert!(!b.runs_on(d(2, 1)) && b.runs_on(d(3, 1)) && !b.runs_on(d(3, 2)));
    // A broadcast's own `except` replaces the file's list.
    assert_eq!(b.except.iter().copied().collect::<Vec<_>>(), [d(3, 2)]);
    assert_eq!(a.except.iter().copied().collect::<Vec<_>>(), [d(1, 5)]);
}

#[test]
fn topic_defaults_to_the_file_name() {
    let s = parse_ok("title: t\nbroadcasts:\n  - name: a\n    audio: a.mp3\n    at: \"06:00\"\n");
    assert_eq!(s.topic, "cchc");
    assert_eq!(s.broadcasts[0].topic, "cchc");
}

#[test]
fn every_error_in_a_file_is_reported_with_its_place() {
    let text = "title: t
from: 2025-13-01
broadcasts:
  - name: a
    audio: ../secret.mp3
    at: [\"06:15\", \"25:00\"]
    days: [mon, funday]
  - name: a
    audio: /etc/passwd.mp3
    at: \"07:00\"
    cron: \"0 7 * * *\"
  - name: c
    audio: c.mp3
    cron: \"0 61 * * *\"
    repeat: 0
    gap: soon
    priority: urgent
    volume: 2
  - name: d
    audio: d.mp3
    on: [\"2025-11-31 07:00\"]
  - name: e
    audio: e.mp3
    days: daily
";
    let got = errors(text);
    let want: Vec<(u64, u64, &str)> = vec![
        (2, 7, "invalid date \"2025-13-01\""),
        (5, 12, "the path \"../secret.mp3\" leaves the audio folder"),
        (6, 19, "invalid time \"25:00\""),
        (7, 17, "invalid day of the week \"funday\""),
        (8, 11, "duplicate broadcast name \"a\""),
        (9, 12, "absolute path \"/etc/passwd.mp3\""),
        (11, 11, "the broadcast sets its time in more than one way"),
        (14, 11, "invalid cron expression \"0 61 * * *\""),
        (15, 13, "repeat must be between 1 and 20"),
        (16, 10, "invalid duration \"soon\""),
        (17, 15, "invalid priority \"urgent\""),
        (18, 13, "invalid volume \"2\""),
        (21, 10, "invalid date and time \"2025-11-31 07:00\""),
        (22, 11, "the broadcast has no time"),
        (24, 11, "`days` only goes with `at`"),
    ];
    let got_short: Vec<(u64, u64, String)> = got
        .iter()
        .map(|(l, c, m)| (*l, *c, m.split(" (").next().unwrap_or(m).to_string()))
        .collect();
    let want: Vec<(u64, u64, String)> = want
        .into_iter()
        .map(|(l, c, m)| (l, c, m.to_string()))
        .collect();
    assert_eq!(got_short, want);
}

#[test]
fn cron_with_and_without_seconds() {
    assert!(parse_cron("45 6 * * Tue,Thu").is_ok());
    assert!(parse_cron("0 45 6 * * Tue,Thu").is_ok());
    assert!(parse_cron("6 * *").is_err());
    assert!(parse_cron("0 0 45 6 * * Tue").is_err());
}

#[test]
fn both_at_and_cron_is_refused() {
    let got = errors(
        "title: t\nbroadcasts:\n  - name: a\n    audio: a.mp3\n    at: \"06:00\"\n    cron: \"0 6 * * *\"\n",
    );
    assert_eq!(
        got,
        [(
            6,
            11,
            "the broadcast sets its time in more than one way".to_string()
        )]
    );
}

#[test]
fn approved_on_without_approver_is_a_warning_only() {
    let (s, diags) = parse(
        "a.yaml",
        Path::new("a.yaml"),
        "title: t\napproved_on: 2025-01-01\nbroadcasts:\n  - name: a\n    audio: a.mp3\n    at: \"06:00\"\n",
    );
    assert!(s.is_some());
    assert_eq!(diags.len(), 1);
    assert!(!diags[0].is_error());
    assert_eq!(diags[0].msg, Msg::ApprovedOnWithoutBy);
}

#[test]
fn say_is_a_spoken_segment_and_a_txt_audio_is_one_too() {
    let s = parse_ok(
        "broadcasts:\n  - name: a\n    say: \"UBND xã thông báo\\nlúc 7h30.\"\n    at: \"17:00\"\n  - name: b\n    say: |\n      Dòng một.\n      Dòng hai.\n    at: \"17:10\"\n  - name: c\n    audio: thong-bao.txt\n    at: \"17:20\"\n",
    );
    let a = &s.broadcasts[0].audio;
    assert_eq!(a.len(), 1);
    assert_eq!(a[0].say.as_deref(), Some("UBND xã thông báo\nlúc 7h30."));
    assert_eq!(a[0].path, SAY);
    assert!(a[0].is_speech());
    // A block scalar keeps its line breaks, not its last one.
    assert_eq!(
        s.broadcasts[1].audio[0].say.as_deref(),
        Some("Dòng một.\nDòng hai.")
    );
    let c = &s.broadcasts[2].audio[0];
    assert!(c.is_speech() && c.say.is_none());
    assert!(!s.broadcasts[2].audio.is_empty());
}

#[test]
fn say_with_audio_empty_or_with_an_escape_is_refused_where_written() {
    assert_eq!(
        errors(
            "broadcasts:\n  - name: a\n    audio: x.mp3\n    say: \"xin chào\"\n    at: \"17:00\"\n"
        ),
        [(
            4,
            10,
            "a broadcast has either audio or say, not both".to_string()
        )]
    );
    assert_eq!(
        errors("broadcasts:\n  - name: a\n    say: \"  \"\n    at: \"17:00\"\n"),
        [(3, 10, "say is empty: nothing to speak".to_string())]
    );
    let e = errors("broadcasts:\n  - name: a\n    say: \"xin \\e[31mchào\"\n    at: \"17:00\"\n");
    assert_eq!(e.len(), 1, "{e:?}");
    assert_eq!((e[0].0, e[0].1), (3, 10));
}

#[test]
fn a_relay_is_a_source_for_a_length_with_an_optional_fallback() {
    let s = parse_ok(
        "broadcasts:\n  - name: Tiếp âm thời sự VOV1\n    relay: \"http://stream.example.vn/vov1\"\n    for: 30m\n    fallback: du-phong/ban-tin.mp3\n    at: \"06:00\"\n  - name: Thu thanh\n    relay: alsa:plughw:1,0\n    for: 1h\n    at: \"18:00\"\n",
    );
    let r = s.broadcasts[0]
        .relay
        .as_ref()
        .unwrap_or_else(|| panic!("no relay"));
    assert_eq!(
        r.source,
        crate::sound::relay::Source::Url("http://stream.example.vn/vov1".into())
    );
    assert_eq!(r.length, Duration::from_secs(1800));
    assert_eq!(
        r.fallback.as_ref().map(|f| f.path.as_str()),
        Some("du-phong/ban-tin.mp3")
    );
    assert!(s.broadcasts[0].audio.is_empty());
    let line = s.broadcasts[1].relay.as_ref().map(|r| r.source.clone());
    assert_eq!(
        line,
        Some(crate::sound::relay::Source::Alsa("plughw:1,0".into()))
    );
}

#[test]
fn a_relay_without_for_or_with_a_bad_source_is_refused_where_written() {
    let e = errors("broadcasts:\n  - name: a\n    relay: \"http://x/vov1\"\n    at: \"06:00\"\n");
    assert_eq!(
        e,
        [(3, 12, "a relay needs for: how long to relay".to_string())]
    );
    let e = errors(
        "broadcasts:\n  - name: a\n    relay: \"rtsp://x/vov1\"\n    for: 30m\n    at: \"06:00\"\n",
    );
    assert_eq!(e.len(), 1, "{e:?}");
    assert_eq!((e[0].0, e[0].1), (3, 12));
    assert!(e[0].2.contains("http://, https:// or alsa:"), "{e:?}");
    let e =
        errors("broadcasts:\n  - name: a\n    relay: \"alsa:\"\n    for: 30m\n    at: \"06:00\"\n");
    assert!(e[0].2.contains("capture device"), "{e:?}");
    let e = errors(
        "broadcasts:\n  - name: a\n    relay: \"http://x/\"\n    for: 13h\n    at: \"06:00\"\n",
    );
    assert_eq!((e[0].0, e[0].1), (4, 10), "{e:?}");
    let e = errors(
        "broadcasts:\n  - name: a\n    relay: \"http://x/\"\n    for: 10m\n    audio: a.mp3\n    at: \"06:00\"\n",
    );
    assert_eq!(e.len(), 1, "{e:?}");
    assert_eq!(e[0].0, 5, "{e:?}");
    let e = errors("broadcasts:\n  - name: a\n    audio: a.mp3\n    for: 10m\n    at: \"06:00\"\n");
    assert_eq!(e, [(4, 10, "for goes only with relay".to_string())]);
    let e = errors(
        "broadcasts:\n  - name: a\n    relay: \"http://x/\"\n    for: 10m\n    repeat: 2\n    at: \"06:00\"\n",
    );
    assert_eq!(e[0].0, 5, "{e:?}");
}
