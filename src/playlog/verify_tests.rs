//! Tamper tests: each kind of change to a written log is caught, and the
//! line it names is the one that was touched.

use chrono::{DateTime, TimeZone, Utc};
use chrono_tz::Tz;

use super::*;

const TZ: Tz = chrono_tz::Asia::Ho_Chi_Minh;

fn at(day: u32, h: u32, m: u32) -> DateTime<Utc> {
    TZ.with_ymd_and_hms(2025, 3, day, h, m, 0)
        .single()
        .map(|t| t.with_timezone(&Utc))
        .unwrap_or_default()
}

fn start(id: &str, attempt: u32) -> Start {
    Start {
        occ: OccurrenceInfo {
            id: id.into(),
            desc: Description {
                schedule: "s.yaml".into(),
                broadcast: "b".into(),
                topic: "CCHC".into(),
                priority: crate::kinds::Priority::Normal,
                scheduled: "2025-03-03T06:00:00+07:00".into(),
                approved_by: None,
            },
        },
        audio: vec![],
        chime: None,
        repeat: 1,
        dropped_repeats: 0,
        dropped_reason: None,
        device: "null".into(),
        output: None,
        attempt,
        clock_synced: None,
        source: None,
        fallback: false,
    }
}

fn finish(id: &str, out: &str, why: Option<&str>) -> Finish {
    Finish {
        id: id.into(),
        info: None,
        output: None,
        outcome: crate::kinds::Outcome::parse(out).unwrap_or_else(|| panic!("{out}")),
        reason: why.map(crate::kinds::Reason::parse),
        played_s: 30.0,
        start_error_ms: Some(0.5),
        rms_db: None,
        peak_db: None,
        detail: None,
        received_s: None,
        dropouts: None,
        silent_s: None,
    }
}

/// Ten lines over two month files: a start/finish pair per occurrence.
fn sample(dir: &std::path::Path) -> std::io::Result<()> {
    let mut log = PlayLog::new(dir, TZ, &read_state(dir, true)?);
    for k in 0..5u32 {
        let id = format!("s.yaml#b@{k}");
        let (t1, t2) = if k < 3 {
            (at(3 + k, 6, 0), at(3 + k, 6, 1))
        } else {
            let t = TZ
                .with_ymd_and_hms(2025, 4, k, 6, 0, 0)
                .single()
                .map(|t| t.with_timezone(&Utc))
                .unwrap_or_default();
            (t, t + chrono::TimeDelta::minutes(1))
        };
        log.append(t1, crate::kinds::Event::Start, &start(&id, 1))?;
        log.append(
            t2,
            crate::kinds::Event::Finish,
            &finish(&id, "played", None),
        )?;
    }
    Ok(())
}

fn lines(path: &std::path::Path) -> std::io::Result<Vec<String>> {
    Ok(std::fs::read_to_string(path)?
        .lines()
        .map(str::to_string)
        .collect())
}

fn write_lines(path: &std::path::Path, lines: &[String]) -> std::io::Result<()> {
    std::fs::write(path, lines.join("\n") + "\n")
}

fn first(scan: &Scan) -> (String, usize, &'static str) {
    scan.first_fault()
        .map(|f| (f.at.file.clone(), f.at.line, f.problem.kind()))
        .unwrap_or_default()
}

#[test]
fn an_untouched_log_verifies_and_its_head_is_the_last_line() -> std::io::Result<()> {
    let dir = tempfile::tempdir()?;
    sample(dir.path())?;
    let scan = scan(dir.path());
    assert!(scan.is_intact(), "{:?}", scan.faults);
    assert_eq!(scan.files.len(), 2);
    assert_eq!(scan.lines.len(), 10);
    let last = lines(&dir.path().join("2025-04.jsonl"))?;
    let last = last.last().cloned().unwrap_or_default();
    assert_eq!(scan.head, crate::hash::sha256_hex(last.as_bytes()));
    assert_eq!(scan.trusted_until(), 10);
    Ok(())
}

#[test]
fn an_edited_field_names_the_edited_line() -> std::io::Result<()> {
    let dir = tempfile::tempdir()?;
    sample(dir.path())?;
    let f = dir.path().join("2025-03.jsonl");
    let mut l = lines(&f)?;
    assert!(l[3].contains("\"played_s\":30.0"));
    l[3] = l[3].replace("\"played_s\":30.0", "\"played_s\":90.0");
    write_lines(&f, &l)?;
    let scan = scan(dir.path());
    assert_eq!(first(&scan), ("2025-03.jsonl".into(), 4, "edited"));
    assert_eq!(scan.faults.len(), 1);
    assert_eq!(scan.trusted_until(), 3);
    Ok(())
}

#[test]
fn an_edit_across_the_month_boundary_is_caught() -> std::io::Result<()> {
    let dir = tempfile::tempdir()?;
    sample(dir.path())?;
    let f = dir.path().join("2025-03.jsonl");
    let mut l = lines(&f)?;
    l[5] = l[5].replace("played", "failed");
    write_lines(&f, &l)?;
    assert_eq!(
        first(&scan(dir.path())),
        ("2025-03.jsonl".into(), 6, "edited")
    );
    Ok(())
}

#[test]
fn a_deleted_line_is_named_as_removed() -> std::io::Result<()> {
    let dir = tempfile::tempdir()?;
    sample(dir.path())?;
    let f = dir.path().join("2025-03.jsonl");
    let mut l = lines(&f)?;
    l.remove(2);
    write_lines(&f, &l)?;
    let scan = scan(dir.path());
    assert_eq!(first(&scan), ("2025-03.jsonl".into(), 3, "removed"));
    assert_eq!(
        scan.first_fault().map(|f| f.problem.clone()),
        Some(Problem::Removed { count: 1 })
    );
    Ok(())
}

#[test]
fn swapped_lines_are_named_as_reordered() -> std::io::Result<()> {
    let dir = tempfile::tempdir()?;
    sample(dir.path())?;
    let f = dir.path().join("2025-03.jsonl");
    let mut l = lines(&f)?;
    l.swap(1, 2);
    write_lines(&f, &l)?;
    let scan = scan(dir.path());
    assert_eq!(first(&scan), ("2025-03.jsonl".into(), 2, "reordered"));
    assert!(
        scan.faults.iter().all(|f| f.problem.kind() == "reordered"),
        "{:?}",
        scan.faults
    );
    Ok(())
}

#[test]
fn a_line_cut_mid_way_is_torn_at_the_end_and_tampering_elsewhere() -> std::io::Result<()> {
    let dir = tempfile::tempdir()?;
    sample(dir.path())?;
    let f = dir.path().join("2025-04.jsonl");
    let bytes = std::fs::read(&f)?;
    std::fs::write(&f, &bytes[..bytes.len() - 40])?;
    let s = scan(dir.path());
    assert_eq!(first(&s), ("2025-04.jsonl".into(), 4, "torn"));
    assert_eq!(s.lines.len(), 9);

    // The same cut in an older month file cannot be a crash.
    let dir = tempfile::tempdir()?;
    sample(dir.path())?;
    let f = dir.path().join("2025-03.jsonl");
    let bytes = std::fs::read(&f)?;
    std::fs::write(&f, &bytes[..bytes.len() - 40])?;
    let s = scan(dir.path());
    assert_eq!(first(&s), ("2025-03.jsonl".into(), 6, "edited"));
    Ok(())
}

#[test]
fn garbage_in_a_line_is_unreadable() -> std::io::Result<()> {
    let dir = tempfile::tempdir()?;
    sample(dir.path())?;
    let f = dir.path().join("2025-03.jsonl");
    let mut l = lines(&f)?;
    l[0] = "hello".into();
    write_lines(&f, &l)?;
    assert_eq!(
        first(&scan(dir.path())),
        ("2025-03.jsonl".into(), 1, "unreadable")
    );
    Ok(())
}

#[test]
fn a_second_final_outcome_is_a_duplicate_but_an_emergency_retry_is_not() -> std::io::Result<()> {
    let dir = tempfile::tempdir()?;
    let mut log = PlayLog::new(dir.path(), TZ, &read_state(dir.path(), true)?);
    // Cut by an emergency, started again, played: three lines, one occurrence.
    log.append(at(3, 6, 0), crate::kinds::Event::Start, &start("a", 1))?;
    log.append(
        at(3, 6, 1),
        crate::kinds::Event::Finish,
        &finish("a", "interrupted", Some("emergency")),
    )?;
    log.append(at(3, 6, 2), crate::kinds::Event::Start, &start("a", 2))?;
    log.append(
        at(3, 6, 3),
        crate::kinds::Event::Finish,
        &finish("a", "played", None),
    )?;
    let s = scan(dir.path());
    assert!(s.is_intact(), "{:?}", s.faults);
    // The streamed check (reports, `log verify`) folds the same way.
    assert!(super::verify(dir.path()).is_some());
    // Any record for it after that is a duplicate, chained or not.
    log.append(
        at(3, 6, 4),
        crate::kinds::Event::Finish,
        &finish("a", "missed", Some("busy")),
    )?;
    log.append(at(3, 6, 5), crate::kinds::Event::Start, &start("a", 3))?;
    let s = scan(dir.path());
    assert!(super::verify(dir.path()).is_none());
    assert_eq!(first(&s), ("2025-03.jsonl".into(), 5, "duplicate"));
    assert_eq!(s.faults.len(), 2);
    // The report reads the broken log whole and folds it by the same rule:
    // the second outcome adds nothing to the figures.
    let period = crate::period::Period::month("2025-03").map_err(std::io::Error::other)?;
    let r = crate::report::build(&s, period, Default::default(), crate::i18n::Lang::En);
    assert_eq!(r.occurrences.len(), 1);
    assert_eq!(
        r.occurrences[0].outcome,
        Some(crate::kinds::Outcome::Played)
    );
    assert_eq!((r.total.played, r.total.missed), (1, 0));
    assert_eq!(
        s.first_fault().map(|f| f.problem.clone()),
        Some(Problem::Duplicate {
            id: "a".into(),
            first: Place {
                file: "2025-03.jsonl".into(),
                line: 4
            }
        })
    );
    Ok(())
}

#[test]
fn a_start_without_finish_at_the_end_is_open_not_a_fault() -> std::io::Result<()> {
    let dir = tempfile::tempdir()?;
    let mut log = PlayLog::new(dir.path(), TZ, &read_state(dir.path(), true)?);
    log.append(at(3, 6, 0), crate::kinds::Event::Start, &start("a", 1))?;
    let s = scan(dir.path());
    assert!(s.is_intact());
    assert_eq!(s.open.len(), 1);
    assert_eq!(s.open[0].0, "a");
    Ok(())
}

/// The 2025-03 file with `line` put in before its line `at` (0-based).
fn insert(dir: &std::path::Path, at: usize, line: &str) -> std::io::Result<()> {
    let f = dir.join("2025-03.jsonl");
    let mut l = lines(&f)?;
    l.insert(at, line.to_string());
    write_lines(&f, &l)
}

#[test]
fn an_inserted_line_is_named_as_inserted_not_as_the_next_one_moved() -> std::io::Result<()> {
    // A forger who copies the chain link of the line before, and one who
    // does not: either way the line after still links to the line before.
    for linked in [true, false] {
        let dir = tempfile::tempdir()?;
        sample(dir.path())?;
        let l = lines(&dir.path().join("2025-03.jsonl"))?;
        let prev = if linked {
            crate::hash::sha256_hex(l[1].as_bytes())
        } else {
            "ab".repeat(32)
        };
        // Line 3 again, with another link and another figure.
        let k = l[2].find("\"prev\":\"").map_or(0, |k| k + 8);
        let forged = format!("{}{prev}{}", &l[2][..k], &l[2][k + 64..]);
        let forged = forged.replace("\"repeat\":1", "\"repeat\":2");
        assert_ne!(forged, l[2]);
        insert(dir.path(), 2, &forged)?;
        let scan = scan(dir.path());
        assert_eq!(
            first(&scan),
            ("2025-03.jsonl".into(), 3, "inserted"),
            "{linked}"
        );
        assert_eq!(scan.faults.len(), 1, "{linked}: {:?}", scan.faults);
        assert_eq!(scan.faults[0].problem, Problem::Inserted { count: 1 });
    }
    Ok(())
}

#[test]
fn swapping_the_last_two_lines_is_not_an_insertion() -> std::io::Result<()> {
    let dir = tempfile::tempdir()?;
    sample(dir.path())?;
    let f = dir.path().join("2025-04.jsonl");
    let mut l = lines(&f)?;
    let n = l.len();
    l.swap(n - 2, n - 1);
    write_lines(&f, &l)?;
    let scan = scan(dir.path());
    assert_eq!(first(&scan), ("2025-04.jsonl".into(), 3, "reordered"));
    assert!(
        scan.faults.iter().all(|f| f.problem.kind() != "inserted"),
        "{:?}",
        scan.faults
    );
    Ok(())
}

#[test]
fn a_bom_and_binary_garbage_are_named_with_their_column() -> std::io::Result<()> {
    let dir = tempfile::tempdir()?;
    sample(dir.path())?;
    let f = dir.path().join("2025-03.jsonl");
    let mut bytes = b"\xEF\xBB\xBF".to_vec();
    bytes.extend(std::fs::read(&f)?);
    std::fs::write(&f, &bytes)?;
    let s = scan(dir.path());
    let got = s.first_fault().map(|f| (f.location(), f.problem.clone()));
    assert_eq!(got, Some(("2025-03.jsonl:1:1".into(), Problem::Bom)));

    let dir = tempfile::tempdir()?;
    sample(dir.path())?;
    insert(dir.path(), 2, "{\"v\":1,\u{0}\u{0}\u{1}")?;
    let s = scan(dir.path());
    let got = s.first_fault().map(|f| (f.location(), f.problem.clone()));
    assert_eq!(
        got,
        Some(("2025-03.jsonl:3:8".into(), Problem::Binary { col: 8 }))
    );
    assert_eq!(s.faults.len(), 1, "{:?}", s.faults);

    // A JSON error is placed in the file's line, in characters.
    let dir = tempfile::tempdir()?;
    sample(dir.path())?;
    let f = dir.path().join("2025-03.jsonl");
    let mut l = lines(&f)?;
    l[4] = "{\"v\":1,\"ý\":x}".into();
    write_lines(&f, &l)?;
    let s = scan(dir.path());
    let fault = s.first_fault().map(|f| (f.location(), f.problem.kind()));
    assert_eq!(fault, Some(("2025-03.jsonl:5:12".into(), "unreadable")));
    Ok(())
}

/// The byte scan that rules out control characters agrees with decoding
/// every character, for each character up to U+02FF (the C0 and C1 ones,
/// DEL, and 0xC2 lead bytes that are not control) after Vietnamese text.
#[test]
fn control_characters_are_found_by_the_byte_scan_as_by_decoding() {
    for n in 0..=0x2FF_u32 {
        let Some(c) = char::from_u32(n) else { continue };
        let line = format!("{{\"ở\":\"ệ{c}\"}}");
        let got = super::problem::parse_line(line.as_bytes()).err();
        let expected = c.is_control().then_some(Problem::Binary { col: 8 });
        match (&got, &expected) {
            (Some(Problem::Binary { .. }), _) | (_, Some(_)) => {
                assert_eq!(got, expected, "U+{n:04X}")
            }
            _ => {}
        }
    }
}

/// A stream read takes exactly the lines a whole read takes, and keeps
/// the fields it says as the whole read reads them (escapes included).
#[test]
fn a_stream_read_accepts_the_lines_a_whole_read_does() {
    use super::problem::{Fields, parse_fields, parse_line};
    let ok = r#"{"v":1,"seq":7,"at":"2025-03-01T06:00:00.000+07:00","event":"start","prev":"ab","id":"x.yaml#B\"ản\" tin@2025-03-01T06:00:00+07:00","schedule":"x.yaml","broadcast":"B\"ản\" tin \u00e1","topic":"CCHC","priority":"normal","scheduled":"2025-03-01T06:00:00+07:00","audio":[{"path":"a\\b.mp3","sha256":"00ff","length_s":95.5,"gain_db":-2.5}],"attempt":2,"output":"loa","detail":"d","station":"s","extra":[1,{"k":null}]}"#;
    let lines = [
        ok.to_string(),
        ok.replace(r#""attempt":2"#, r#""attempt":"2""#),
        ok.replace(r#""length_s":95.5"#, r#""length_s":"95.5""#),
        ok.replace(r#""path":"a\\b.mp3","#, ""),
        ok.replace(r#""sha256":"00ff""#, r#""sha256":255"#),
        ok.replace(r#""topic":"CCHC""#, r#""topic":null"#),
        ok.replace(r#""topic":"CCHC""#, r#""topic":4"#),
        ok.replace(r#""detail":"d""#, r#""detail":[1]"#),
        ok.replace(r#""station":"s""#, r#""station":true"#),
        ok.replace(r#""prev":"ab""#, r#""prev":null"#),
        ok.replace(r#""at":"2025-03-01T06:00:00.000+07:00","#, ""),
        ok.replace(r#""v":1"#, r#""v":2"#),
        ok.replace(r#""seq":7"#, r#""seq":-7"#),
        ok.replace(r#""audio":[{"#, r#""audio":[null,{"#),
        ok.replace(r#""gain_db":-2.5"#, r#""gain_db":-2.5,"unmeasured":1"#),
        ok.replace(r#""gain_db":-2.5"#, r#""gain_db":-2.5,"unmeasured":true"#),
        ok.replace(r#""topic":"CCHC","topic":"CCHC""#, ""),
        ok.replace(r#""topic":"CCHC""#, r#""topic":"CCHC","topic":"X""#),
        format!("{ok} "),
        ok.replace('}', ""),
        r#"{"v":1,"seq":1,"at":"","event":"finish","prev":"","outcome":"played","reason":"x\n"}"#
            .into(),
    ];
    for line in &lines {
        let whole = parse_line(line.as_bytes()).ok();
        for fields in [Fields::Check, Fields::Report] {
            let lean = parse_fields(line.as_bytes(), fields);
            assert_eq!(lean.is_some(), whole.is_some(), "{fields:?} {line}");
            let (Some(l), Some(w)) = (lean, &whole) else {
                continue;
            };
            let check = (&l.prev, l.seq, &l.event, &l.id, &l.outcome, &l.reason);
            assert_eq!(
                check,
                (&w.prev, w.seq, &w.event, &w.id, &w.outcome, &w.reason)
            );
            if fields == Fields::Report {
                let report = |r: &Record| {
                    format!(
                        "{} {:?} {:?} {:?} {:?} {:?} {:?} {:?} {:?} {:?} {:?} {:?}",
                        r.at,
                        r.schedule,
                        r.broadcast,
                        r.topic,
                        r.priority,
                        r.scheduled,
                        r.audio,
                        r.attempt,
                        r.played_s,
                        r.start_error_ms,
                        r.output,
                        r.v
                    )
                };
                assert_eq!(report(&l), report(w), "{line}");
            }
        }
    }
    assert!(parse_fields(ok.as_bytes(), Fields::Report).is_some());
}
