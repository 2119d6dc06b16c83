//! HLS playlists (RFC 8216), as much as a radio needs: a master playlist's
//! variants, a media playlist's segments with their sequence numbers, the
//! target duration and the end marker; and relative URIs resolved.

/// A playlist, read.
#[derive(Debug, PartialEq)]
pub(super) enum Playlist {
    /// Variants: (BANDWIDTH, URI), in the file's order.
    Master(Vec<(u64, String)>),
    Media(Media),
}

#[derive(Debug, Default, PartialEq)]
pub(super) struct Media {
    /// `#EXT-X-TARGETDURATION`, seconds.
    pub target: f64,
    /// The sequence number of `segments[0]`.
    pub sequence: u64,
    /// URIs, oldest first.
    pub segments: Vec<String>,
    /// `#EXT-X-ENDLIST`: no segment will be added.
    pub ended: bool,
}

/// Reads a playlist.
///
/// Errors: no `#EXTM3U` first line, or neither variants nor segments.
pub(super) fn parse(text: &str) -> Result<Playlist, String> {
    let text = text.trim_start_matches('\u{feff}');
    let mut lines = text.lines().map(str::trim).filter(|l| !l.is_empty());
    if lines.next() != Some("#EXTM3U") {
        return Err("not an HLS playlist (no #EXTM3U)".into());
    }
    let mut media = Media {
        target: 6.0,
        ..Media::default()
    };
    let mut variants = Vec::new();
    let mut bandwidth: Option<u64> = None;
    for line in lines {
        if let Some(attrs) = line.strip_prefix("#EXT-X-STREAM-INF:") {
            bandwidth = Some(attribute(attrs, "BANDWIDTH").unwrap_or(u64::MAX));
        } else if let Some(v) = line.strip_prefix("#EXT-X-TARGETDURATION:") {
            media.target = v.trim().parse().unwrap_or(media.target);
        } else if let Some(v) = line.strip_prefix("#EXT-X-MEDIA-SEQUENCE:") {
            media.sequence = v.trim().parse().unwrap_or(0);
        } else if line == "#EXT-X-ENDLIST" {
            media.ended = true;
        } else if !line.starts_with('#') {
            match bandwidth.take() {
                Some(b) => variants.push((b, line.to_string())),
                None => media.segments.push(line.to_string()),
            }
        }
    }
    if !variants.is_empty() {
        Ok(Playlist::Master(variants))
    } else if media.segments.is_empty() && !media.ended {
        Err("HLS playlist with no segment".into())
    } else {
        Ok(Playlist::Media(media))
    }
}

/// The variant a relay takes: the lowest bandwidth (a radio's audio-only
/// rendition; the loudspeakers gain nothing from more).
pub(super) fn choose(variants: &[(u64, String)]) -> Option<&str> {
    variants
        .iter()
        .min_by_key(|(b, _)| *b)
        .map(|(_, u)| u.as_str())
}

/// A numeric attribute of an attribute list (`BANDWIDTH=128000,…`).
fn attribute(attrs: &str, name: &str) -> Option<u64> {
    attrs.split(',').find_map(|kv| {
        let (k, v) = kv.split_once('=')?;
        (k.trim() == name).then(|| v.trim().parse().ok())?
    })
}

/// `uri` resolved against the playlist at `base` (RFC 3986).
pub(super) fn resolve(base: &str, uri: &str) -> String {
    match url::Url::parse(base).and_then(|b| b.join(uri)) {
        Ok(u) => u.to_string(),
        Err(_) => uri.to_string(),
    }
}

/// Whether a URL names a playlist by its path (`….m3u8`, any query).
pub(super) fn is_playlist_url(url: &str) -> bool {
    let path = url.split(['?', '#']).next().unwrap_or("");
    path.to_ascii_lowercase().ends_with(".m3u8")
}

/// Whether a Content-Type is a playlist's.
pub(super) fn is_playlist_mime(mime: &str) -> bool {
    matches!(
        mime,
        "application/vnd.apple.mpegurl"
            | "application/x-mpegurl"
            | "audio/mpegurl"
            | "audio/x-mpegurl"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_media_playlist_as_ffmpeg_writes_it() {
        let text = "#EXTM3U\r\n#EXT-X-VERSION:3\r\n#EXT-X-TARGETDURATION:2\r\n#EXT-X-MEDIA-SEQUENCE:41\r\n#EXTINF:1.984000,\r\nlive41.ts\r\n#EXTINF:2.005333,\r\nlive42.ts\r\n\r\n#EXTINF:2.005333,\r\nseg/live43.ts?t=9\r\n";
        assert_eq!(
            parse(text),
            Ok(Playlist::Media(Media {
                target: 2.0,
                sequence: 41,
                segments: vec![
                    "live41.ts".into(),
                    "live42.ts".into(),
                    "seg/live43.ts?t=9".into()
                ],
                ended: false,
            }))
        );
        let ended = parse("#EXTM3U\n#EXTINF:1,\na.aac\n#EXT-X-ENDLIST\n");
        assert!(matches!(
            ended,
            Ok(Playlist::Media(Media {
                ended: true,
                target: 6.0,
                ..
            }))
        ));
    }

    #[test]
    fn a_master_playlist_gives_its_lowest_variant() {
        let text = "#EXTM3U\n#EXT-X-STREAM-INF:BANDWIDTH=128000,CODECS=\"mp4a.40.2\"\nhi/index.m3u8\n#EXT-X-STREAM-INF:CODECS=\"mp4a.40.5\",BANDWIDTH=48000\nlo/index.m3u8\n";
        let Ok(Playlist::Master(v)) = parse(text) else {
            panic!("not a master playlist");
        };
        assert_eq!(v.len(), 2);
        assert_eq!(choose(&v), Some("lo/index.m3u8"));
    }

    #[test]
    fn what_is_not_a_playlist_is_said() {
        assert!(parse("<html>").is_err());
        // A page that happens to have a line like a URI is no playlist.
        assert!(parse("<html>\nindex.ts\n").is_err());
        assert!(parse("#EXTM3U\n#EXT-X-TARGETDURATION:2\n").is_err());
    }

    #[test]
    fn uris_resolve_against_the_playlist() {
        let base = "https://radio.example.vn/live/vov1/index.m3u8?token=a";
        for (uri, want) in [
            ("seg1.ts", "https://radio.example.vn/live/vov1/seg1.ts"),
            ("../x/seg2.aac", "https://radio.example.vn/live/x/seg2.aac"),
            ("/abs/seg3.ts", "https://radio.example.vn/abs/seg3.ts"),
            ("//cdn.example.vn/s4.ts", "https://cdn.example.vn/s4.ts"),
            ("http://other.vn/s5.mp3", "http://other.vn/s5.mp3"),
            (
                "seg6.ts?k=1",
                "https://radio.example.vn/live/vov1/seg6.ts?k=1",
            ),
        ] {
            assert_eq!(resolve(base, uri), want, "{uri}");
        }
        assert!(is_playlist_url("http://h/a/INDEX.M3U8?x=1"));
        assert!(!is_playlist_url("http://h/a.m3u8.mp3"));
        assert!(is_playlist_mime("application/vnd.apple.mpegurl"));
    }
}
