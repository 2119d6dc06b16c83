//! The receiving thread of a [`super::Live`]: connects to its source,
//! decodes, and feeds the ring, again and again while it is held.

use std::time::{Duration, Instant};

use symphonia::core::io::ReadOnlySource;
use tracing::{info, warn};

use super::decode::{self, Convert};
use super::{Feeder, Source, capture, hls, http, m3u8};

/// The first wait before trying again; it doubles up to [`BACKOFF_MAX`],
/// and starts over after a connection that brought sound.
const BACKOFF_FIRST: Duration = Duration::from_millis(250);
const BACKOFF_MAX: Duration = Duration::from_secs(2);
/// For this long after the last sound, retries come at most
/// [`BACKOFF_RECENT`] apart: a source back after a short outage (a
/// restarted encoder, a dropped link) is reached again within half a
/// second, and the longer waits are for a source that stays away.
const RECENT: Duration = Duration::from_secs(10);
const BACKOFF_RECENT: Duration = Duration::from_millis(500);

/// Receives `source` into `feeder` until the [`super::Live`] is dropped.
pub(super) fn run(source: &Source, feeder: &Feeder) {
    let agent = http::agent();
    let mut backoff = BACKOFF_FIRST;
    let mut sounded: Option<Instant> = None;
    while !feeder.stopped() {
        let mut sent = false;
        let result = match source {
            Source::Url(url) => stream(&agent, url, feeder, &mut sent),
            Source::Alsa(pcm) => capture::run(pcm, feeder, &mut sent),
        };
        if feeder.stopped() {
            return;
        }
        let why = match result {
            Ok(()) => "the source ended the stream".to_string(),
            // An error may quote the URL, password and all.
            Err(e) => source.scrub(&e),
        };
        if sent {
            sounded = Some(Instant::now());
            info!(source = %source.as_record(), why = %why, "{}", crate::i18n::journal::say(crate::i18n::journal::Note::RelayReconnecting));
            backoff = BACKOFF_FIRST;
        } else {
            warn!(source = %source.as_record(), why = %why, "{}", crate::i18n::journal::say(crate::i18n::journal::Note::RelayCannotReceive));
        }
        feeder.lost(sent, why);
        if !feeder.sleep(backoff) {
            return;
        }
        if !sent {
            let recent = sounded.is_some_and(|t| t.elapsed() < RECENT);
            let cap = if recent { BACKOFF_RECENT } else { BACKOFF_MAX };
            backoff = (backoff * 2).min(cap);
        }
    }
}

/// One connection to a URL: a stream decoded as it comes, or an HLS
/// playlist followed.
fn stream(agent: &ureq::Agent, url: &str, feeder: &Feeder, sent: &mut bool) -> Result<(), String> {
    let reply = http::get(agent, url, feeder)?;
    if m3u8::is_playlist_url(&reply.url) || m3u8::is_playlist_mime(&reply.mime) {
        return hls::play(agent, reply, feeder, sent);
    }
    let ext = extension(&reply.url);
    let hint = decode::hint(&reply.mime, ext.as_deref());
    let source = Box::new(ReadOnlySource::new(reply.body));
    decode::decode(source, &hint, feeder, &mut Convert::default(), sent, None)
}

/// A URL path's extension, lowercase (`mp3`, `aac`, `ts`, …).
pub(super) fn extension(url: &str) -> Option<String> {
    let path = url.split(['?', '#']).next()?;
    let name = path.rsplit('/').next()?;
    let (_, ext) = name.rsplit_once('.')?;
    Some(ext.to_ascii_lowercase())
}
