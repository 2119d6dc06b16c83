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

/// Why a `--base-url` is not the address of a folder on a portal.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BaseUrlFault {
    /// Not `http://` or `https://`.
    Scheme,
    /// No host after the scheme.
    Host,
    /// A query (`?`) or a fragment (`#`): a folder's address has neither.
    Query,
    /// A space, a control character, or `"`, `<`, `>`, `\\`.
    Char(char),
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

    /// As the play log's `source` records it, and as status, `next` and the
    /// system log show it: the URL without its password (the user stays:
    /// `http://tiepam@host/…`), or `alsa:<pcm>`. The password is read from
    /// the schedule only to connect.
    pub fn as_record(&self) -> String {
        match self {
            Source::Url(u) => match userinfo(u) {
                Some((start, end)) => {
                    let user = u[start..end].split(':').next().unwrap_or("");
                    let at = if user.is_empty() { "" } else { "@" };
                    format!("{}{user}{at}{}", &u[..start], &u[end + 1..])
                }
                None => u.clone(),
            },
            Source::Alsa(p) => format!("alsa:{p}"),
        }
    }

    /// `text` (an error that may quote the URL) with this source's password
    /// taken out.
    pub fn scrub(&self, text: &str) -> String {
        let Source::Url(u) = self else {
            return text.to_string();
        };
        let Some(password) = userinfo(u)
            .and_then(|(start, end)| u[start..end].split_once(':'))
            .map(|(_, p)| p)
            .filter(|p| !p.is_empty())
        else {
            return text.to_string();
        };
        text.replace(u.as_str(), &self.as_record())
            .replace(password, "***")
    }
}

/// Where the `user:password` of a URL is (`start..end`, the `@` at `end`).
fn userinfo(url: &str) -> Option<(usize, usize)> {
    let start = url.find("://")? + 3;
    let authority_end = url[start..]
        .find(['/', '?', '#'])
        .map_or(url.len(), |i| start + i);
    let at = url[start..authority_end].rfind('@')?;
    Some((start, start + at))
}

fn strip_prefix_ci<'a>(s: &'a str, prefix: &str) -> Option<&'a str> {
    let head = s.get(..prefix.len())?;
    head.eq_ignore_ascii_case(prefix)
        .then(|| &s[prefix.len()..])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_source_is_recorded_and_quoted_without_its_password() {
        let url = |u: &str| Source::Url(u.to_string());
        assert_eq!(
            url("http://tiepam:s3cret@radio.example.vn:8000/vov1?a=b@c").as_record(),
            "http://tiepam@radio.example.vn:8000/vov1?a=b@c"
        );
        assert_eq!(
            url("https://:s3cret@radio.example.vn/live").as_record(),
            "https://radio.example.vn/live"
        );
        assert_eq!(
            url("http://tiepam@radio.example.vn/x").as_record(),
            "http://tiepam@radio.example.vn/x"
        );
        assert_eq!(
            url("http://radio.example.vn/a@b").as_record(),
            "http://radio.example.vn/a@b"
        );
        let s = url("http://u:p4ss@h/x");
        assert_eq!(
            s.scrub("http://u:p4ss@h/x: connection refused (p4ss)"),
            "http://u@h/x: connection refused (***)"
        );
        assert_eq!(Source::Alsa("linein".into()).as_record(), "alsa:linein");
    }
}
