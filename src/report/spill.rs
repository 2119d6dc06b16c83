//! The detail rows of a streamed report, kept on disk between its first
//! pass and the writing (issue 14).
//!
//! The first read of the log makes every row anyway (to count, sum and
//! measure it); writing it to an unnamed temporary file in a compact form
//! lets the rows be written without reading, parsing and checking the log a
//! second time, which was a third of a report's time. The file holds the
//! rows in the order their occurrences closed; memory holds only a buffer.

use std::fs::File;
use std::io::{BufReader, BufWriter, Read, Seek, SeekFrom, Write};

use chrono::{DateTime, FixedOffset, NaiveDate};

use super::OccRow;
use crate::kinds::{Outcome, Priority, Reason};

/// An unnamed file in a temporary folder on disk: removed as soon as it is
/// made, so nothing is left behind, whatever happens to the process.
///
/// `$TMPDIR` when set, else `/var/tmp`, else the system's temporary folder.
/// Not `/tmp` first: Debian 13 mounts it in memory (tmpfs), where five
/// years of rows (about 100 MB) would take the RAM this file is here to
/// spare.
pub fn file() -> std::io::Result<File> {
    let chosen = std::env::var_os("TMPDIR").map(std::path::PathBuf::from);
    let mut last = None;
    for dir in chosen
        .into_iter()
        .chain([std::path::PathBuf::from("/var/tmp"), std::env::temp_dir()])
    {
        match file_in(&dir) {
            Ok(f) => return Ok(f),
            Err(e) => last = Some(e),
        }
    }
    Err(last.unwrap_or_else(|| std::io::Error::other("no temporary folder")))
}

fn file_in(dir: &std::path::Path) -> std::io::Result<File> {
    let stamp = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos());
    let mut k = 0u32;
    loop {
        let path = dir.join(format!(".loa-report-{}-{stamp}-{k}", std::process::id()));
        match std::fs::OpenOptions::new()
            .read(true)
            .write(true)
            .create_new(true)
            .open(&path)
        {
            Ok(f) => {
                std::fs::remove_file(&path)?;
                return Ok(f);
            }
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists && k < 100 => k += 1,
            Err(e) => return Err(e),
        }
    }
}

/// Writes rows with their sort key (the scheduled instant).
pub struct Out {
    w: BufWriter<File>,
    /// One row's bytes, its room reused.
    row: Vec<u8>,
}

impl Out {
    pub fn new(f: File) -> Out {
        Out {
            w: BufWriter::with_capacity(1 << 16, f),
            row: Vec::with_capacity(512),
        }
    }

    pub fn put(&mut self, at: DateTime<FixedOffset>, o: &OccRow) -> std::io::Result<()> {
        let w = &mut self.row;
        w.clear();
        instant(w, at);
        text(w, &o.id);
        num(w, chrono::Datelike::num_days_from_ce(&o.date) as u32 as u64);
        text(w, &o.scheduled);
        maybe(w, o.started.as_deref());
        maybe(w, o.ended.as_deref());
        num(w, o.played_s.to_bits());
        text(w, &o.schedule);
        text(w, &o.broadcast);
        text(w, &o.topic);
        text(w, o.priority.as_str());
        text(w, &o.output);
        list(w, &o.audio);
        list(w, &o.audio_hash);
        maybe(w, o.outcome.map(Outcome::as_str));
        maybe(w, o.reason.as_ref().map(Reason::as_str));
        num(w, u64::from(o.attempts));
        num(w, u64::from(o.verified));
        num(w, o.spoken_s.to_bits());
        maybe(w, o.text.as_deref());
        maybe(w, o.source.as_deref());
        match o.received_s {
            Some(x) => {
                w.push(1);
                num(w, x.to_bits());
            }
            None => w.push(0),
        }
        num(w, u64::from(o.unsynced_starts));
        num(w, u64::from(o.unrecorded_clock_starts));
        num(w, u64::from(o.synced_starts));
        match o.sounded_at {
            Some(t) => {
                w.push(1);
                instant(w, t);
            }
            None => w.push(0),
        }
        self.w.write_all(&(self.row.len() as u32).to_le_bytes())?;
        self.w.write_all(&self.row)
    }

    /// The file, all written.
    pub fn done(self) -> std::io::Result<File> {
        self.w.into_inner().map_err(|e| e.into_error())
    }
}

/// Reads the rows back in the order they were put.
pub struct In<'f> {
    r: BufReader<&'f File>,
}

impl<'f> In<'f> {
    /// From the file's first row.
    pub fn new(mut f: &'f File) -> std::io::Result<In<'f>> {
        f.seek(SeekFrom::Start(0))?;
        Ok(In {
            r: BufReader::with_capacity(1 << 16, f),
        })
    }

    /// The next row, as it was put, added to `held`.
    pub fn take_into(&mut self, held: &mut Held) -> std::io::Result<()> {
        let mut len = [0; 4];
        self.r.read_exact(&mut len)?;
        let start = held.bytes.len();
        let len = u32::from_le_bytes(len) as usize;
        held.bytes.resize(start + len, 0);
        self.r.read_exact(&mut held.bytes[start..])?;
        let at = key_of(&held.bytes[start..]).ok_or_else(unreadable)?;
        held.rows.push((at, start, len));
        Ok(())
    }

    /// The next row decoded (tests).
    #[cfg(test)]
    fn take(&mut self) -> std::io::Result<(DateTime<FixedOffset>, OccRow)> {
        let mut held = Held::default();
        self.take_into(&mut held)?;
        let mut o = OccRow::default();
        decode_into(&held.bytes, &mut o).ok_or_else(unreadable)?;
        Ok((held.rows[0].0, o))
    }
}

/// The error for a row that does not decode.
pub fn unreadable() -> std::io::Error {
    std::io::Error::other("unreadable row in the spill file")
}

/// Rows read back and not yet written, as they were put: their bytes one
/// after another, and each one's scheduled instant and place in them.
#[derive(Default)]
pub struct Held {
    bytes: Vec<u8>,
    /// Sorted by (instant, id) after each [`Held::release`].
    rows: Vec<(DateTime<FixedOffset>, usize, usize)>,
}

impl Held {
    /// Hands `send` each row held that is scheduled before `limit` (all of
    /// them without one) in order of scheduled instant, then id, and keeps
    /// the rest. True when `send` returned false (stop).
    pub fn release(
        &mut self,
        limit: Option<DateTime<FixedOffset>>,
        mut send: impl FnMut(&[u8]) -> Result<bool, String>,
    ) -> Result<bool, String> {
        let bytes = &self.bytes;
        let id = |start: usize, len: usize| id_of(&bytes[start..start + len]);
        // Rows come mostly in order: the sort finds the runs.
        self.rows
            .sort_by(|a, b| a.0.cmp(&b.0).then_with(|| id(a.1, a.2).cmp(id(b.1, b.2))));
        let ready = match limit {
            Some(m) => self.rows.partition_point(|r| r.0 < m),
            None => self.rows.len(),
        };
        for &(_, start, len) in &self.rows[..ready] {
            if !send(&self.bytes[start..start + len])? {
                return Ok(true);
            }
        }
        // What waits moves to the front of a fresh buffer.
        let mut bytes = Vec::new();
        let mut rows = Vec::with_capacity(self.rows.len() - ready);
        for &(at, start, len) in &self.rows[ready..] {
            rows.push((at, bytes.len(), len));
            bytes.extend_from_slice(&self.bytes[start..start + len]);
        }
        self.bytes = bytes;
        self.rows = rows;
        Ok(false)
    }
}

/// A row's sort key: its scheduled instant, first in its bytes.
fn key_of(mut b: &[u8]) -> Option<DateTime<FixedOffset>> {
    get_instant(&mut b)
}

/// A row's id, right after the instant; empty if the bytes are short.
fn id_of(mut b: &[u8]) -> &[u8] {
    let _ = get_instant(&mut b);
    get_str(&mut b).map(str::as_bytes).unwrap_or_default()
}

/// An instant with its offset.
fn instant(w: &mut Vec<u8>, at: DateTime<FixedOffset>) {
    num(w, at.timestamp() as u64);
    num(w, u64::from(at.timestamp_subsec_nanos()));
    num(w, at.offset().local_minus_utc() as u32 as u64);
}

fn get_instant(b: &mut &[u8]) -> Option<DateTime<FixedOffset>> {
    let secs = get_num(b)? as i64;
    let nanos = u32::try_from(get_num(b)?).ok()?;
    let offset = FixedOffset::east_opt(get_num(b)? as u32 as i32)?;
    Some(DateTime::from_timestamp(secs, nanos)?.with_timezone(&offset))
}

/// A tag byte: 0 for none, else what follows.
fn get_tag(b: &mut &[u8]) -> Option<bool> {
    let (tag, rest) = b.split_first()?;
    *b = rest;
    Some(*tag != 0)
}

fn num(w: &mut Vec<u8>, n: u64) {
    w.extend_from_slice(&n.to_le_bytes());
}

fn text(w: &mut Vec<u8>, s: &str) {
    num(w, s.len() as u64);
    w.extend_from_slice(s.as_bytes());
}

fn maybe(w: &mut Vec<u8>, s: Option<&str>) {
    match s {
        Some(s) => {
            w.push(1);
            text(w, s);
        }
        None => w.push(0),
    }
}

fn list(w: &mut Vec<u8>, v: &[String]) {
    num(w, v.len() as u64);
    for s in v {
        text(w, s);
    }
}

fn get_num(b: &mut &[u8]) -> Option<u64> {
    let (n, rest) = b.split_first_chunk::<8>()?;
    *b = rest;
    Some(u64::from_le_bytes(*n))
}

fn get_str<'b>(b: &mut &'b [u8]) -> Option<&'b str> {
    let n = usize::try_from(get_num(b)?).ok()?;
    let (s, rest) = b.split_at_checked(n)?;
    *b = rest;
    std::str::from_utf8(s).ok()
}

/// Into `to`, reusing its room.
fn get_text(b: &mut &[u8], to: &mut String) -> Option<()> {
    let s = get_str(b)?;
    to.clear();
    to.push_str(s);
    Some(())
}

fn get_maybe(b: &mut &[u8], to: &mut Option<String>) -> Option<()> {
    if get_tag(b)? {
        get_text(b, to.get_or_insert_with(String::new))
    } else {
        *to = None;
        Some(())
    }
}

fn get_list(b: &mut &[u8], to: &mut Vec<String>) -> Option<()> {
    let n = usize::try_from(get_num(b)?).ok()?;
    to.truncate(n);
    for k in 0..n {
        match to.get_mut(k) {
            Some(s) => get_text(b, s)?,
            None => to.push(get_str(b)?.to_string()),
        }
    }
    Some(())
}

fn get_u32(b: &mut &[u8]) -> Option<u32> {
    u32::try_from(get_num(b)?).ok()
}

/// A row as [`Out::put`] wrote it, into `o` (whose strings' room is
/// reused: no allocation once the room is there).
pub fn decode_into(mut bytes: &[u8], o: &mut OccRow) -> Option<()> {
    let b = &mut bytes;
    get_instant(b)?;
    get_text(b, &mut o.id)?;
    o.date = NaiveDate::from_num_days_from_ce_opt(get_num(b)? as u32 as i32)?;
    get_text(b, &mut o.scheduled)?;
    get_maybe(b, &mut o.started)?;
    get_maybe(b, &mut o.ended)?;
    o.played_s = f64::from_bits(get_num(b)?);
    get_text(b, &mut o.schedule)?;
    get_text(b, &mut o.broadcast)?;
    get_text(b, &mut o.topic)?;
    o.priority = Priority::parse(get_str(b)?)?;
    get_text(b, &mut o.output)?;
    get_list(b, &mut o.audio)?;
    get_list(b, &mut o.audio_hash)?;
    o.outcome = match get_tag(b)? {
        true => Some(Outcome::parse(get_str(b)?)?),
        false => None,
    };
    o.reason = match get_tag(b)? {
        true => Some(Reason::parse(get_str(b)?)),
        false => None,
    };
    o.attempts = get_u32(b)?;
    o.verified = get_num(b)? != 0;
    o.spoken_s = f64::from_bits(get_num(b)?);
    get_maybe(b, &mut o.text)?;
    get_maybe(b, &mut o.source)?;
    o.received_s = match get_tag(b)? {
        true => Some(f64::from_bits(get_num(b)?)),
        false => None,
    };
    o.unsynced_starts = get_u32(b)?;
    o.unrecorded_clock_starts = get_u32(b)?;
    o.synced_starts = get_u32(b)?;
    o.sounded_at = match get_tag(b)? {
        true => Some(get_instant(b)?),
        false => None,
    };
    Some(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A row and its key come back as they went in, both kinds of each
    /// optional field.
    #[test]
    fn rows_come_back_as_written() {
        let at = DateTime::parse_from_rfc3339("2025-03-04T05:06:07.089+07:00").unwrap();
        let full = OccRow {
            id: "a:b:2025-03-04T05:06:07+07:00".into(),
            date: NaiveDate::from_ymd_opt(2025, 3, 4).unwrap(),
            scheduled: "05:06:07".into(),
            started: Some("05:06:07.012".into()),
            ended: Some("05:16:07".into()),
            played_s: 600.125,
            schedule: "tin-tuc".into(),
            broadcast: "sáng".into(),
            topic: "Tin tức".into(),
            priority: Priority::Normal,
            output: "loa".into(),
            audio: vec!["a.mp3".into(), "b: «xin chào»".into()],
            audio_hash: vec!["0123456789ab".into(), "ba9876543210".into()],
            outcome: Some(Outcome::Played),
            reason: Some(Reason::Other("late".into())),
            attempts: 2,
            verified: true,
            spoken_s: 1.5,
            text: Some("xin chào".into()),
            source: Some("http://stream.example.vn/vov1".into()),
            received_s: Some(1700.25),
            unsynced_starts: 1,
            unrecorded_clock_starts: 2,
            synced_starts: 3,
            sounded_at: Some(at + chrono::TimeDelta::milliseconds(12)),
        };
        let bare = OccRow {
            started: None,
            ended: None,
            audio: vec![],
            audio_hash: vec![],
            reason: None,
            verified: false,
            text: None,
            source: None,
            received_s: None,
            sounded_at: None,
            ..full.clone()
        };
        let mut out = Out::new(file().unwrap());
        out.put(at, &full).unwrap();
        out.put(at, &bare).unwrap();
        let f = out.done().unwrap();
        let mut back = In::new(&f).unwrap();
        for want in [&full, &bare] {
            let (t, o) = back.take().unwrap();
            assert_eq!(t, at);
            assert_eq!(t.offset(), at.offset());
            assert_eq!(&o, want);
        }
        assert!(back.take().is_err(), "nothing after the last row");
    }

    /// Held rows go out by scheduled instant, then id, only those before
    /// the limit; the others wait for the next release.
    #[test]
    fn held_rows_go_in_order_up_to_the_limit() {
        let t = |h: u32| {
            DateTime::parse_from_rfc3339(&format!("2025-03-04T{h:02}:00:00+07:00")).unwrap()
        };
        let row = |id: &str| OccRow {
            id: id.into(),
            ..OccRow::default()
        };
        let mut out = Out::new(file().unwrap());
        for (h, id) in [(9, "b"), (7, "z"), (9, "a"), (12, "c"), (8, "y")] {
            out.put(t(h), &row(id)).unwrap();
        }
        let f = out.done().unwrap();
        let mut back = In::new(&f).unwrap();
        let mut held = Held::default();
        let mut got = Vec::new();
        let mut o = OccRow::default();
        let mut send = |b: &[u8]| {
            decode_into(b, &mut o).unwrap();
            got.push(o.id.clone());
            Ok(true)
        };
        for _ in 0..3 {
            back.take_into(&mut held).unwrap();
        }
        assert!(!held.release(Some(t(9)), &mut send).unwrap());
        for _ in 0..2 {
            back.take_into(&mut held).unwrap();
        }
        assert!(!held.release(None, &mut send).unwrap());
        assert_eq!(got, ["z", "y", "a", "b", "c"]);
    }
}
