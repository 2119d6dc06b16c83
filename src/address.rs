//! Where a relay (tiếp âm) takes its programme from, as an operator writes
//! it after `relay:`: a stream's `http(s)://` address or the line input's
//! `alsa:<capture PCM>`. A value checked without connecting to anything, so
//! schedules, messages and the relay itself share it.

/// Where a relay takes its programme from, as written after `relay:`.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Source {
    /// An `http://` or `https://` URL: a stream, or an HLS playlist.
    Url(String),
    /// `alsa:<pcm>`: an ALSA capture PCM (the line input).
    Alsa(String),
}

/// Why a `relay:` value is not a source loa can take.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SourceError {
    /// Not `http://`, `https://` or `alsa:`.
    Scheme,
    /// A URL with no host, or with a space or control character in it.
    Url,
    /// `alsa:` with no PCM name, or one no ALSA PCM can have.
    Pcm,
}

impl Source {
    /// Reads a `relay:` value (trimmed). Validation only: nothing is
    /// connected to.
    ///
    /// Errors: see [`SourceError`].
    pub fn parse(s: &str) -> Result<Source, SourceError> {
        let s = s.trim();
        if let Some(pcm) = strip_prefix_ci(s, "alsa:") {
            let pcm = pcm.trim();
            return match crate::device::sink_for(pcm) {
                Some(crate::device::SinkKind::Alsa) => Ok(Source::Alsa(pcm.to_string())),
                _ => Err(SourceError::Pcm),
            };
        }
        let rest = strip_prefix_ci(s, "http://").or_else(|| strip_prefix_ci(s, "https://"));
        let Some(rest) = rest else {
            return Err(SourceError::Scheme);
        };
        let host = rest.split(['/', '?', '#']).next().unwrap_or("");
        let host = host.rsplit('@').next().unwrap_or("");
        let name = match host.strip_prefix('[') {
            Some(v6) => v6.split(']').next().unwrap_or(""),
            None => host.split(':').next().unwrap_or(""),
        };
        if name.is_empty() || s.chars().any(|c| c.is_whitespace() || c.is_control()) {
            return Err(SourceError::Url);
        }
        Ok(Source::Url(s.to_string()))
    }

    /// As the play log's `source` records it: the URL, or `alsa:<pcm>`.
    pub fn as_record(&self) -> String {
        match self {
            Source::Url(u) => u.clone(),
            Source::Alsa(p) => format!("alsa:{p}"),
        }
    }
}

fn strip_prefix_ci<'a>(s: &'a str, prefix: &str) -> Option<&'a str> {
    let head = s.get(..prefix.len())?;
    head.eq_ignore_ascii_case(prefix)
        .then(|| &s[prefix.len()..])
}
