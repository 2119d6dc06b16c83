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
        data: Vec::new(),
        at: 0,
        kind: None,
    };
    // The first segment tells what the stream is, for the probe.
    segments.fill().map_err(|e| e.to_string())?;
    let hint = decode::hint("", segments.kind.as_deref());
    let source = Box::new(ReadOnlySource::new(segments));
    decode::decode(
        source,
        &hint,
        feeder,
        &mut Convert::default(),
        sent,
        Some(PACE),
    )
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
    let data = http::read_all(reply.body)?;
    Ok(String::from_utf8_lossy(&data).into_owned())
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
    data: Vec<u8>,
    at: usize,
    /// The extension the elementary stream is known by (`aac`, `mp3`).
    kind: Option<String>,
}

impl Segments {
    /// Takes the next segment into `data`, waiting for it if need be.
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

    /// Fetches one segment; its audio goes to `data`.
    fn segment(&mut self, url: &str) -> Result<(), String> {
        let reply = http::get(&self.agent, url, &self.feeder)?;
        let data = http::read_all(reply.body)?;
        let (kind, data) = if ts::is_ts(&data) {
            let (kind, es) = ts::demux(&data)?;
            (kind.extension().to_string(), es)
        } else {
            let kind = match decode::hint_extension(&reply.mime) {
                Some(k) => k.to_string(),
                None => extension(url).unwrap_or_default(),
            };
            (kind, skip_id3(&data).to_vec())
        };
        self.kind.get_or_insert(kind);
        self.data = data;
        self.at = 0;
        Ok(())
    }
}

impl Read for Segments {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        while self.at >= self.data.len() {
            self.fill()?;
        }
        let n = buf.len().min(self.data.len() - self.at);
        buf[..n].copy_from_slice(&self.data[self.at..self.at + n]);
        self.at += n;
        Ok(n)
    }
}

/// `data` without the ID3v2 tag a packed audio segment starts with (its
/// timestamp, RFC 8216 §3.4): in the middle of a joined stream it would be
/// taken for audio.
fn skip_id3(data: &[u8]) -> &[u8] {
    if data.len() < 10 || &data[..3] != b"ID3" {
        return data;
    }
    let size = data[6..10]
        .iter()
        .fold(0usize, |n, &b| n << 7 | usize::from(b & 0x7F));
    let footer = if data[5] & 0x10 != 0 { 10 } else { 0 };
    data.get(10 + size + footer..).unwrap_or(&[])
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
        assert_eq!(skip_id3(&seg), [0xFF, 0xF1, 0x50]);
        assert_eq!(skip_id3(&[0xFF, 0xFB, 0x90]), [0xFF, 0xFB, 0x90]);
        assert_eq!(skip_id3(b"ID3\x04\x00\x00\x00\x00\x7f\x7f"), [0u8; 0]);
    }
}
