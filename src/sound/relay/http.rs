//! HTTP for the relay: one agent (rustls, short reads, a few redirects),
//! and the readers a response body goes through: [`Stall`] turns the
//! socket's short read timeouts into "stopped" or "no data for
//! [`STALL`]", and [`Icy`] takes the ICY metadata blocks out of a stream.

use std::io::{self, Read};
use std::time::{Duration, Instant};

use tracing::debug;

use super::Feeder;

/// How long connecting may take.
const CONNECT: Duration = Duration::from_secs(3);
/// One socket read waits at most this long, so a dropped [`super::Live`]
/// is noticed this soon even while the source sends nothing.
const READ: Duration = Duration::from_millis(500);
/// A source that sends nothing for this long is lost.
pub(super) const STALL: Duration = Duration::from_secs(5);

/// A response that came with status 200.
pub(super) struct Reply {
    /// The `Content-Type`, lowercase, without parameters ("" if none).
    pub mime: String,
    /// The URL it came from (after redirects), to resolve relative URIs.
    pub url: String,
    pub body: Box<dyn Read + Send + Sync>,
}

pub(super) fn agent() -> ureq::Agent {
    ureq::AgentBuilder::new()
        .timeout_connect(CONNECT)
        .timeout_read(READ)
        .timeout_write(CONNECT)
        .redirects(5)
        .user_agent(concat!("loa/", env!("CARGO_PKG_VERSION")))
        .build()
}

/// GETs `url`, asking for ICY metadata and taking it out of the body.
///
/// Errors: the transport's error, or the status of a non-200 answer.
pub(super) fn get(agent: &ureq::Agent, url: &str, feeder: &Feeder) -> Result<Reply, String> {
    let resp = match agent.get(url).set("Icy-MetaData", "1").call() {
        Ok(r) => r,
        Err(ureq::Error::Status(code, r)) => {
            return Err(format!("HTTP {code} {}", r.status_text()));
        }
        Err(e) => return Err(e.to_string()),
    };
    if resp.status() != 200 {
        return Err(format!("HTTP {} {}", resp.status(), resp.status_text()));
    }
    let mime = resp.content_type().to_ascii_lowercase();
    let metaint = resp
        .header("icy-metaint")
        .and_then(|v| v.trim().parse::<usize>().ok())
        .filter(|&n| n > 0);
    let url = resp.get_url().to_string();
    let stall = Stall {
        inner: resp.into_reader(),
        feeder: feeder.share(),
        last: Instant::now(),
    };
    let body: Box<dyn Read + Send + Sync> = match metaint {
        Some(n) => Box::new(Icy::new(stall, n)),
        None => Box::new(stall),
    };
    Ok(Reply { mime, url, body })
}

/// The error a [`Stall`] gives once the [`super::Live`] is dropped.
pub(super) const STOPPED: &str = "relay stopped";

/// Retries reads that timed out, until data comes, the [`super::Live`] is
/// dropped, or [`STALL`] passed with no data.
pub(super) struct Stall<R> {
    pub inner: R,
    pub feeder: Feeder,
    pub last: Instant,
}

impl<R: Read> Read for Stall<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        loop {
            if self.feeder.stopped() {
                return Err(io::Error::other(STOPPED));
            }
            match self.inner.read(buf) {
                Ok(n) => {
                    self.last = Instant::now();
                    return Ok(n);
                }
                Err(e)
                    if matches!(
                        e.kind(),
                        io::ErrorKind::TimedOut | io::ErrorKind::WouldBlock
                    ) =>
                {
                    if self.last.elapsed() >= STALL {
                        return Err(io::Error::new(
                            io::ErrorKind::TimedOut,
                            format!("no data for {} s", STALL.as_secs()),
                        ));
                    }
                }
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) => return Err(e),
            }
        }
    }
}

/// Takes the ICY metadata out of a stream sent with `icy-metaint`: after
/// every `metaint` bytes of audio, one length byte (× 16) and that much
/// metadata. The last `StreamTitle` is logged at debug level.
pub(super) struct Icy<R> {
    inner: R,
    metaint: usize,
    /// Audio bytes left before the next metadata block.
    left: usize,
    pub title: Option<String>,
}

impl<R: Read> Icy<R> {
    pub fn new(inner: R, metaint: usize) -> Icy<R> {
        Icy {
            inner,
            metaint,
            left: metaint,
            title: None,
        }
    }

    fn skip_meta(&mut self) -> io::Result<()> {
        let mut len = [0u8; 1];
        self.inner.read_exact(&mut len)?;
        let mut meta = vec![0u8; usize::from(len[0]) * 16];
        self.inner.read_exact(&mut meta)?;
        if let Some(title) = stream_title(&meta)
            && self.title.as_deref() != Some(title.as_str())
        {
            debug!(title = %title, "relay: stream title");
            self.title = Some(title);
        }
        self.left = self.metaint;
        Ok(())
    }
}

impl<R: Read> Read for Icy<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if buf.is_empty() {
            return Ok(0);
        }
        if self.left == 0 {
            self.skip_meta()?;
        }
        let n = buf.len().min(self.left);
        let got = self.inner.read(&mut buf[..n])?;
        self.left -= got;
        Ok(got)
    }
}

/// `StreamTitle='…';` from an ICY metadata block.
fn stream_title(meta: &[u8]) -> Option<String> {
    let text = String::from_utf8_lossy(meta);
    let text = text.trim_end_matches('\0');
    let start = text.find("StreamTitle='")? + "StreamTitle='".len();
    let rest = &text[start..];
    let end = rest.find("';").unwrap_or(rest.len());
    Some(rest[..end].to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A reader that gives at most `step` bytes a read, as a socket may.
    struct Dribble<'a>(&'a [u8], usize);

    impl Read for Dribble<'_> {
        fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
            let n = buf.len().min(self.1).min(self.0.len());
            buf[..n].copy_from_slice(&self.0[..n]);
            self.0 = &self.0[n..];
            Ok(n)
        }
    }

    #[test]
    fn icy_metadata_is_taken_out_and_the_title_kept() {
        let meta = b"StreamTitle='Thoi su 6h';StreamUrl='';";
        let blocks = meta.len().div_ceil(16);
        let mut padded = meta.to_vec();
        padded.resize(blocks * 16, 0);
        let mut wire = Vec::new();
        let audio: Vec<u8> = (0..40u8).collect();
        // 16 bytes of audio, a metadata block, 16 more, an empty block, 8.
        wire.extend(&audio[..16]);
        wire.push(blocks as u8);
        wire.extend(&padded);
        wire.extend(&audio[16..32]);
        wire.push(0);
        wire.extend(&audio[32..40]);
        for step in [1, 3, 7, 100] {
            let mut icy = Icy::new(Dribble(&wire, step), 16);
            let mut out = Vec::new();
            icy.read_to_end(&mut out).unwrap();
            assert_eq!(out, audio, "reads of {step}");
            assert_eq!(icy.title.as_deref(), Some("Thoi su 6h"));
        }
    }

    #[test]
    fn a_title_is_read_from_a_padded_block() {
        assert_eq!(
            stream_title(b"StreamTitle='VOV1 - Ban tin';\0\0\0").as_deref(),
            Some("VOV1 - Ban tin")
        );
        assert_eq!(stream_title(b"StreamUrl='x';"), None);
    }
}
