use super::*;
use chrono::TimeZone;

const TZ: Tz = chrono_tz::Asia::Ho_Chi_Minh;

fn at(h: u32, m: u32) -> DateTime<Utc> {
    TZ.with_ymd_and_hms(2025, 3, 3, h, m, 0)
        .single()
        .map(|t| t.with_timezone(&Utc))
        .unwrap_or_default()
}

fn daemon(reason: &str) -> Daemon {
    Daemon {
        version: "t".into(),
        pid: 1,
        config_hash: "c".into(),
        reason: reason.into(),
        clock_synced: None,
    }
}

#[test]
fn a_body_that_ends_with_an_object_stays_whole_json() -> std::io::Result<()> {
    let dir = tempfile::tempdir()?;
    let st = read_state(dir.path(), true)?;
    let mut log = PlayLog::new(dir.path(), TZ, &st);
    let body = Reload {
        config: Some(ConfigReload {
            file: "config.yaml".into(),
            hash: "h".into(),
            taken: true,
            ..ConfigReload::default()
        }),
        ..Reload::default()
    };
    log.append(at(6, 0), crate::kinds::Event::Reload, &body)?;
    let text = std::fs::read_to_string(dir.path().join("2025-03.jsonl"))?;
    let v: serde_json::Value =
        serde_json::from_str(text.trim_end()).map_err(std::io::Error::other)?;
    assert_eq!(v["config"]["taken"], true, "{text}");
    Ok(())
}

#[test]
fn lines_are_chained_numbered_and_ordered() -> std::io::Result<()> {
    let dir = tempfile::tempdir()?;
    let st = read_state(dir.path(), true)?;
    assert_eq!(st.seq, 0);
    assert_eq!(st.head, GENESIS);
    let mut log = PlayLog::new(dir.path(), TZ, &st);
    log.append(at(6, 0), crate::kinds::Event::DaemonStart, &daemon("start"))?;
    log.append(at(6, 1), crate::kinds::Event::DaemonStop, &daemon("signal"))?;
    let text = std::fs::read_to_string(dir.path().join("2025-03.jsonl"))?;
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 2);
    assert_eq!(
        lines[0],
        format!(
            "{{\"v\":1,\"seq\":1,\"at\":\"2025-03-03T06:00:00.000+07:00\",\"event\":\"daemon_start\",\"prev\":\"{GENESIS}\",\"version\":\"t\",\"pid\":1,\"config_hash\":\"c\",\"reason\":\"start\",\"clock_synced\":null}}"
        )
    );
    let link = crate::hash::sha256_hex(lines[0].as_bytes());
    assert!(lines[1].contains("\"seq\":2,"));
    assert!(lines[1].contains(&format!("\"prev\":\"{link}\"")));
    let again = read_state(dir.path(), true)?;
    assert_eq!(again.seq, 2);
    assert_eq!(again.head, crate::hash::sha256_hex(lines[1].as_bytes()));
    assert_eq!(again.head, log.head());
    Ok(())
}

#[test]
fn month_files_follow_local_time() -> std::io::Result<()> {
    let dir = tempfile::tempdir()?;
    let mut log = PlayLog::new(dir.path(), TZ, &read_state(dir.path(), true)?);
    // 2025-03-31 23:30 UTC is already April 1st in Vietnam.
    let t = Utc
        .with_ymd_and_hms(2025, 3, 31, 23, 30, 0)
        .single()
        .unwrap_or_default();
    log.append(t, crate::kinds::Event::DaemonStart, &daemon("start"))?;
    assert!(dir.path().join("2025-04.jsonl").exists());
    Ok(())
}

#[test]
fn a_refused_write_is_kept_and_written_later_with_the_chain_intact() -> std::io::Result<()> {
    let dir = tempfile::tempdir()?;
    let logdir = dir.path().join("playlog");
    // A file where the folder should be makes every write fail.
    std::fs::write(&logdir, b"")?;
    let mut log = PlayLog::new(
        &logdir,
        TZ,
        &LogState {
            head: GENESIS.into(),
            ..Default::default()
        },
    );
    assert!(
        log.append(at(6, 0), crate::kinds::Event::DaemonStart, &daemon("a"))
            .is_err()
    );
    assert!(
        log.append(at(6, 1), crate::kinds::Event::DaemonStop, &daemon("b"))
            .is_err()
    );
    assert_eq!(log.pending(), 2);
    assert!(log.trouble.is_some());
    std::fs::remove_file(&logdir)?;
    log.flush()?;
    assert_eq!(log.pending(), 0);
    let st = read_state(&logdir, true)?;
    assert_eq!(st.seq, 2);
    assert_eq!(st.head, log.head());
    let text = std::fs::read_to_string(logdir.join("2025-03.jsonl"))?;
    let first = text.lines().next().unwrap_or_default();
    assert!(
        text.lines()
            .nth(1)
            .unwrap_or_default()
            .contains(&crate::hash::sha256_hex(first.as_bytes()))
    );
    Ok(())
}

#[test]
fn a_torn_last_line_is_found_and_moved_aside_whole() -> std::io::Result<()> {
    let dir = tempfile::tempdir()?;
    let mut log = PlayLog::new(dir.path(), TZ, &read_state(dir.path(), true)?);
    log.append(at(6, 0), crate::kinds::Event::DaemonStart, &daemon("start"))?;
    let file = dir.path().join("2025-03.jsonl");
    let good = std::fs::read(&file)?;
    let mut torn = good.clone();
    torn.extend_from_slice(b"{\"v\":1,\"seq\":2,\"at\":\"2025-03-0");
    std::fs::write(&file, &torn)?;
    let st = read_state(dir.path(), true)?;
    assert_eq!(st.seq, 1);
    let (path, offset) = st.torn.clone().unwrap_or_default();
    assert_eq!(offset as usize, good.len());
    let name = move_torn(dir.path(), &path, offset)?;
    assert_eq!(std::fs::read(&file)?, good);
    assert_eq!(
        std::fs::read(dir.path().join(name))?,
        b"{\"v\":1,\"seq\":2,\"at\":\"2025-03-0"
    );
    Ok(())
}

#[test]
fn open_starts_and_finished_ids_are_tracked() -> std::io::Result<()> {
    let dir = tempfile::tempdir()?;
    let mut log = PlayLog::new(dir.path(), TZ, &read_state(dir.path(), true)?);
    let occ = |id: &str| OccurrenceInfo {
        id: id.into(),
        desc: Description {
            schedule: "s.yaml".into(),
            broadcast: "b".into(),
            topic: "T".into(),
            priority: crate::kinds::Priority::Normal,
            scheduled: "2025-03-03T06:00:00+07:00".into(),
            approved_by: None,
        },
    };
    let start = |id: &str| Start {
        occ: occ(id),
        audio: vec![],
        chime: None,
        repeat: 1,
        dropped_repeats: 0,
        dropped_reason: None,
        device: "null".into(),
        output: None,
        attempt: 1,
        clock_synced: None,
        source: None,
        fallback: false,
    };
    log.append(at(6, 0), crate::kinds::Event::Start, &start("a"))?;
    log.append(
        at(6, 1),
        crate::kinds::Event::Finish,
        &Finish {
            id: "a".into(),
            info: None,
            output: None,
            outcome: crate::kinds::Outcome::Played,
            reason: None,
            played_s: 60.0,
            start_error_ms: Some(1.0),
            rms_db: None,
            peak_db: None,
            detail: None,
            received_s: None,
            dropouts: None,
            silent_s: None,
        },
    )?;
    log.append(at(6, 2), crate::kinds::Event::Start, &start("b"))?;
    let st = read_state(dir.path(), false)?;
    assert!(st.finished.contains_key("a"));
    assert!(!st.finished.contains_key("b"));
    assert_eq!(st.open.keys().collect::<Vec<_>>(), ["b"]);
    Ok(())
}

#[test]
fn dropped_repeats_are_written_only_when_there_are_some_and_old_lines_still_read() {
    let old = r#"{"id":"s.yaml#b@2025-03-03T21:29:00+07:00","schedule":"s.yaml","broadcast":"b","topic":"T","priority":"normal","scheduled":"2025-03-03T21:29:00+07:00","audio":[],"repeat":3,"device":"null"}"#;
    let mut s: Start = serde_json::from_str(old).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!((s.dropped_repeats, s.dropped_reason.clone()), (0, None));
    let text = serde_json::to_string(&s).unwrap_or_default();
    assert!(!text.contains("dropped"), "{text}");
    s.dropped_repeats = 2;
    s.dropped_reason = Some(crate::kinds::Reason::QuietHours);
    let text = serde_json::to_string(&s).unwrap_or_default();
    assert!(
        text.contains(r#""repeat":3,"dropped_repeats":2,"dropped_reason":"quiet_hours","#),
        "{text}"
    );
    let back: Start = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(back, s);
}
