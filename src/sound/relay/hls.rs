//! HLS: a playlist followed from near its live edge, its segments fetched
//! in order and joined into one elementary stream (ADTS AAC or MP3, taken
//! out of MPEG-TS where they come in it) that one decoder reads, paced so
//! the ring holds live sound instead of dropping it.
//!
//! One decoder for the whole stream, not one per segment: an MP3 frame may
//! take bits from the frame before it (the bit reservoir), so a decoder
//! started afresh at every segment loses a frame each time.

use std::io::{self, Read};
use std::time::{Duration, Instant};

use symphonia::core::io::ReadOnlySource;
use tracing::debug;

use super::decode::{self, Convert};
use super::m3u8::{self, Media, Playlist};
use super::receive::extension;
use super::{Feeder, http, ts};

/// Segments taken back from the live edge when starting.
const EDGE: u64 = 3;
/// While the ring holds more than this, decoding waits.
const PACE: Duration = Duration::from_secs(2);
/// Segments in a row that may fail (gone from the server, not audio)
/// before the source counts as lost.
const BAD_SEGMENTS: u32 = 3;
/// Target durations with no new segment before the source counts as lost.
const STALE: u32 = 3;
/// The largest playlist read: thousands of segment lines.
pub(super) const MAX_PLAYLIST: u64 = 1 << 20;
/// Bytes a segment may hold per second of its target duration: 512 KiB/s
/// is some thirteen times 320 kbit/s audio in MPEG-TS.
const SEGMENT_BYTES_PER_S: f64 = 512.0 * 1024.0;
/// The most any one segment may hold, whatever its duration says.
const MAX_SEGMENT: u64 = 16 << 20;
/// Packets read into a segment to find its audio stream (its PAT and PMT
/// come first) before it counts as holding none.
const FIND_AUDIO: usize = 512;

/// Follows the playlist `first` until it is stopped (Ok) or lost (why).
pub(super) fn play(
    agent: &ureq::Agent,
    first: http::Reply,
    feeder: &Feeder,
    sent: &mut bool,
) -> Result<(), String> {
    let (url, media) = media_playlist(agent, first, feeder)?;
    let mut segments = Segments {
        agent: agent.clone(),
        feeder: feeder.share(),
        url,
        media,
        next: None,
        fresh: Instant::now(),
        body: None,
        data: Vec::new(),
        at: 0,
        kind: None,
        failed: Default::default(),
        cut_short: 0,
    };
    // The first segment tells what the stream is, for the probe.
    segments.fill().map_err(|e| e.to_string())?;
    let hint = decode::hint("", segments.kind.as_deref());
    let failed = std::sync::Arc::clone(&segments.failed);
    let source = Box::new(ReadOnlySource::new(segments));
    // What went wrong reading the segments says more than what the
    // decoder made of it ("no suitable format reader").
    decode::decode(
        source,
        &hint,
        feeder,
        &mut Convert::default(),
        sent,
        Some(PACE),
    )
    .map_err(|e| failed.lock().ok().and_then(|mut f| f.take()).unwrap_or(e))
}

/// The media playlist behind `first`: itself, or its chosen variant's.
fn media_playlist(
    agent: &ureq::Agent,
    first: http::Reply,
    feeder: &Feeder,
) -> Result<(String, Media), String> {
    let url = first.url.clone();
    match m3u8::parse(&text(first)?)? {
        Playlist::Media(m) => Ok((url, m)),
        Playlist::Master(variants) => {
            let chosen = m3u8::choose(&variants).ok_or("HLS master playlist with no variant")?;
            let reply = http::get(agent, &m3u8::resolve(&url, chosen), feeder)?;
            let url = reply.url.clone();
            match m3u8::parse(&text(reply)?)? {
                Playlist::Media(m) => Ok((url, m)),
                Playlist::Master(_) => Err("HLS variant is another master playlist".into()),
            }
        }
    }
}

fn text(reply: http::Reply) -> Result<String, String> {
    let mut data = Vec::new();
    let mut body = reply.body.take(MAX_PLAYLIST + 1);
    body.read_to_end(&mut data).map_err(|e| e.to_string())?;
    if data.len() as u64 > MAX_PLAYLIST {
        return Err(format!(
            "the HLS playlist {} is larger than {} KiB",
            reply.url,
            MAX_PLAYLIST / 1024
        ));
    }
    Ok(String::from_utf8_lossy(&data).into_owned())
}

/// The most a segment may hold for a playlist's target duration.
fn segment_cap(target: f64) -> u64 {
    let by_duration = (target.clamp(0.5, 30.0) * SEGMENT_BYTES_PER_S) as u64;
    by_duration.clamp(1 << 20, MAX_SEGMENT)
}

/// A segment's body, read as it arrives and never past its cap: a
/// segment that goes on past what its duration can hold is an error.
struct Capped {
    inner: Box<dyn Read + Send + Sync>,
    left: u64,
    cap: u64,
    url: String,
}

impl Read for Capped {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let want = buf
            .len()
            .min(usize::try_from(self.left + 1).unwrap_or(usize::MAX));
        let n = self.inner.read(&mut buf[..want])?;
        if n as u64 > self.left {
            return Err(io::Error::new(
                io::ErrorKind::FileTooLarge,
                format!(
                    "HLS segment {} holds more than {} KiB, more than its duration can",
                    self.url,
                    self.cap / 1024
                ),
            ));
        }
        self.left -= n as u64;
        Ok(n)
    }
}

/// Reads into `buf` until it is full or the body ends; how much came.
fn read_up_to(r: &mut impl Read, buf: &mut [u8]) -> io::Result<usize> {
    let mut got = 0;
    while got < buf.len() {
        match r.read(&mut buf[got..])? {
            0 => break,
            n => got += n,
        }
    }
    Ok(got)
}

/// The segment being read, and how its audio is taken out of it.
struct Body {
    reader: Capped,
    /// An MPEG-TS segment's demuxer; None for packed audio.
    ts: Option<ts::Demux>,
}

/// The segments' audio as one stream: reading past a segment's end
/// fetches the next, reloading the playlist as it grows.
struct Segments {
    agent: ureq::Agent,
    feeder: Feeder,
    /// The media playlist's URL (after redirects).
    url: String,
    media: Media,
    /// The sequence number of the next segment to take.
    next: Option<u64>,
    /// When a new segment was last taken.
    fresh: Instant,
    /// The segment being read, until its end.
    body: Option<Body>,
    /// Audio taken out of the segment and not yet read.
    data: Vec<u8>,
    at: usize,
    /// The extension the elementary stream is known by (`aac`, `mp3`).
    kind: Option<String>,
    /// The error that ended reading, for the record.
    failed: std::sync::Arc<std::sync::Mutex<Option<String>>>,
    /// Segments in a row cut off part-way.
    cut_short: u32,
}

impl Segments {
    /// Opens the next segment, waiting for it if need be; its first audio
    /// is in `data`.
    fn fill(&mut self) -> io::Result<()> {
        let mut bad = 0;
        loop {
            if self.feeder.stopped() {
                return Err(io::Error::other(http::STOPPED));
            }
            let end = self.media.sequence + self.media.segments.len() as u64;
            let seq = match self.next {
                Some(n) if n >= self.media.sequence && n <= end => n,
                // First look, fell behind, or the sequence started over.
                _ => end.saturating_sub(EDGE).max(self.media.sequence),
            };
            if seq < end {
                self.next = Some(seq + 1);
                self.fresh = Instant::now();
                let uri = &self.media.segments[(seq - self.media.sequence) as usize];
                let segment = m3u8::resolve(&self.url, uri);
                match self.segment(&segment) {
                    Ok(()) => return Ok(()),
                    Err(e) => {
                        debug!(segment = %segment, error = %e, "relay: segment skipped");
                        bad += 1;
                        if bad >= BAD_SEGMENTS {
                            return Err(io::Error::other(format!("segment {segment}: {e}")));
                        }
                        continue;
                    }
                }
            }
            self.next = Some(end);
            if self.media.ended {
                return Err(io::Error::other("the HLS playlist ended"));
            }
            let target = Duration::from_secs_f64(self.media.target.clamp(0.5, 30.0));
            if self.fresh.elapsed() > target * STALE {
                return Err(io::Error::other(format!(
                    "no new HLS segment for {} s",
                    self.fresh.elapsed().as_secs()
                )));
            }
            if !self.feeder.sleep(target / 2) {
                return Err(io::Error::other(http::STOPPED));
            }
            self.reload().map_err(io::Error::other)?;
        }
    }

    fn reload(&mut self) -> Result<(), String> {
        let reply = http::get(&self.agent, &self.url, &self.feeder)?;
        self.url = reply.url.clone();
        self.media = match m3u8::parse(&text(reply)?)? {
            Playlist::Media(m) => m,
            Playlist::Master(_) => return Err("the media playlist became a master playlist".into()),
        };
        Ok(())
    }

    /// Opens one segment: what it is (MPEG-TS or packed audio) from its
    /// first bytes, and its first audio into `data`. The rest is read as
    /// the decoder asks for it.
    fn segment(&mut self, url: &str) -> Result<(), String> {
        let reply = http::get(&self.agent, url, &self.feeder)?;
        let cap = segment_cap(self.media.target);
        let mut reader = Capped {
            inner: reply.body,
            left: cap,
            cap,
            url: url.to_string(),
        };
        let io = |e: io::Error| e.to_string();
        let mut head = vec![0u8; ts::PACKET * 2];
        let n = read_up_to(&mut reader, &mut head).map_err(io)?;
        head.truncate(n);
        self.data.clear();
        self.at = 0;
        let (kind, ts) = if ts::is_ts(&head) {
            // Read on until the PMT names the audio stream.
            let mut demux = ts::Demux::default();
            let mut packet = [0u8; ts::PACKET];
            for p in head.chunks_exact(ts::PACKET) {
                demux.packet(p, &mut self.data);
            }
            let mut read = head.len() / ts::PACKET;
            while demux.audio().is_err() && read < FIND_AUDIO {
                if read_up_to(&mut reader, &mut packet).map_err(io)? < ts::PACKET {
                    break;
                }
                demux.packet(&packet, &mut self.data);
                read += 1;
            }
            (demux.audio()?.extension().to_string(), Some(demux))
        } else {
            let kind = match decode::hint_extension(&reply.mime) {
                Some(k) => k.to_string(),
                None => extension(url).unwrap_or_default(),
            };
            let skip = id3_len(&head);
            match head.get(skip..) {
                Some(rest) => self.data.extend_from_slice(rest),
                None => {
                    // The tag goes on past the first bytes: read past it.
                    let more = (skip - head.len()) as u64;
                    io::copy(&mut (&mut reader).take(more), &mut io::sink()).map_err(io)?;
                }
            }
            (kind, None)
        };
        self.kind.get_or_insert(kind);
        self.body = Some(Body { reader, ts });
        Ok(())
    }

    /// More audio from the segment being read into `data`; false at its
    /// end.
    fn more(&mut self) -> io::Result<bool> {
        let Some(body) = self.body.as_mut() else {
            return Ok(false);
        };
        self.data.clear();
        self.at = 0;
        let mut chunk = [0u8; ts::PACKET * 64];
        let n = match read_up_to(&mut body.reader, &mut chunk) {
            Ok(n) => n,
            // Too big, or the relay stopped: the stream ends here.
            Err(e) if e.kind() == io::ErrorKind::FileTooLarge || e.to_string() == http::STOPPED => {
                return Err(e);
            }
            // Cut off part-way (a reset, a stall): the rest of this
            // segment is skipped, as a segment that cannot be fetched is,
            // and a few in a row lose the source.
            Err(e) => {
                debug!(segment = %body.reader.url, error = %e, "relay: rest of segment skipped");
                self.body = None;
                self.cut_short += 1;
                if self.cut_short >= BAD_SEGMENTS {
                    return Err(e);
                }
                return Ok(true);
            }
        };
        match &mut body.ts {
            Some(demux) => {
                for p in chunk[..n].chunks_exact(ts::PACKET) {
                    demux.packet(p, &mut self.data);
                }
            }
            None => self.data.extend_from_slice(&chunk[..n]),
        }
        if n < chunk.len() {
            self.body = None;
            self.cut_short = 0;
        }
        Ok(true)
    }
}

impl Read for Segments {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        while self.at >= self.data.len() {
            let next = match self.more() {
                Ok(true) => Ok(()),
                Ok(false) => self.fill(),
                Err(e) => Err(e),
            };
            if let Err(e) = next {
                if let Ok(mut f) = self.failed.lock() {
                    *f = Some(e.to_string());
                }
                return Err(e);
            }
        }
        let n = buf.len().min(self.data.len() - self.at);
        buf[..n].copy_from_slice(&self.data[self.at..self.at + n]);
        self.at += n;
        Ok(n)
    }
}

/// The length of the ID3v2 tag a packed audio segment starts with (its
/// timestamp, RFC 8216 §3.4), 0 when it has none: in the middle of a
/// joined stream it would be taken for audio.
fn id3_len(data: &[u8]) -> usize {
    if data.len() < 10 || &data[..3] != b"ID3" {
        return 0;
    }
    let size = data[6..10]
        .iter()
        .fold(0usize, |n, &b| n << 7 | usize::from(b & 0x7F));
    let footer = if data[5] & 0x10 != 0 { 10 } else { 0 };
    10 + size + footer
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_id3_tag_before_packed_audio_is_skipped() {
        // "ID3", version 4.0, no flags, size 00 00 01 01 syncsafe: 129 bytes.
        let mut seg = b"ID3\x04\x00\x00\x00\x00\x01\x01".to_vec();
        seg.extend(vec![b'x'; 129]);
        seg.extend([0xFF, 0xF1, 0x50]);
        assert_eq!(&seg[id3_len(&seg)..], [0xFF, 0xF1, 0x50]);
        assert_eq!(id3_len(&[0xFF, 0xFB, 0x90]), 0);
        // A tag longer than what was read: its whole length, to read past.
        assert_eq!(id3_len(b"ID3\x04\x00\x00\x00\x00\x7f\x7f"), 10 + 16383);
    }
}
