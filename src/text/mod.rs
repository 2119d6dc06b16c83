//! Reading a text file an operator wrote: config.yaml, the schedules.
//!
//! Operators save with whatever their editor does (SPEC §2.2): Notepad's
//! UTF-8 with a byte order mark, its "Unicode" (UTF-16 LE with a mark),
//! CRLF line ends. All of these read as the same text, with the mark
//! dropped and CRLF made LF, so a parser's line and column numbers are
//! those the operator sees. Text that is not Unicode is never converted by
//! guesswork: it is refused, naming the legacy Vietnamese encoding it looks
//! like (see [`legacy`]) so the operator knows what to save it as instead.

mod legacy;
#[cfg(test)]
mod tests;

use std::path::Path;

use crate::i18n::Msg;
use crate::i18n::diag::{Diagnostic, Pos};

pub use crate::chars::Encoding;

/// Why a file's text could not be read.
#[derive(Debug, thiserror::Error)]
pub enum TextError {
    #[error("{0}")]
    Io(#[from] std::io::Error),
    #[error("not Unicode text ({:?})", .0.encoding)]
    NotUnicode(NotUnicode),
}

/// Bytes that are not Unicode text, with what they look like and where the
/// first byte that is not UTF-8 is.
#[derive(Clone, Debug, PartialEq)]
pub struct NotUnicode {
    pub encoding: Encoding,
    pub pos: Option<Pos>,
    /// The line at `pos`, with the bytes that are not UTF-8 shown as �.
    pub source_line: Option<String>,
}

impl TextError {
    /// The located diagnostic for `shown` (the file as the operator knows it).
    pub fn diagnostic(&self, shown: &Path) -> Diagnostic {
        match self {
            TextError::Io(e) => Diagnostic::file(
                shown,
                Msg::ReadFailed {
                    detail: e.to_string(),
                },
            ),
            TextError::NotUnicode(n) => {
                let mut d = Diagnostic::file(
                    shown,
                    Msg::NotUnicode {
                        encoding: n.encoding,
                    },
                );
                d.pos = n.pos;
                d.source_line.clone_from(&n.source_line);
                d
            }
        }
    }
}

/// Reads the text file at `path` (see [`decode`]).
pub fn read_text(path: &Path) -> Result<String, TextError> {
    let bytes = std::fs::read(path)?;
    decode(&bytes).map_err(TextError::NotUnicode)
}

/// The text of a file's bytes: UTF-8 with or without a byte order mark, or
/// UTF-16 LE/BE with one; CRLF line ends read as LF. Anything else is
/// refused with the encoding it looks like.
pub fn decode(bytes: &[u8]) -> Result<String, NotUnicode> {
    let text = if let Some(rest) = bytes.strip_prefix(b"\xEF\xBB\xBF") {
        utf8(rest)?
    } else if let Some(rest) = bytes.strip_prefix(b"\xFF\xFE") {
        utf16(rest, u16::from_le_bytes)?
    } else if let Some(rest) = bytes.strip_prefix(b"\xFE\xFF") {
        utf16(rest, u16::from_be_bytes)?
    } else if legacy::looks_utf16(bytes) {
        return Err(NotUnicode {
            encoding: Encoding::Utf16NoBom,
            pos: None,
            source_line: None,
        });
    } else {
        utf8(bytes)?
    };
    Ok(text.replace("\r\n", "\n"))
}

fn utf8(bytes: &[u8]) -> Result<String, NotUnicode> {
    match std::str::from_utf8(bytes) {
        Ok(s) => Ok(s.to_string()),
        Err(e) => Err(not_unicode(bytes, e.valid_up_to(), legacy::guess(bytes))),
    }
}

fn utf16(bytes: &[u8], unit: fn([u8; 2]) -> u16) -> Result<String, NotUnicode> {
    let units = bytes.chunks(2).map(|c| match c {
        [a, b] => unit([*a, *b]),
        // An odd last byte: not a whole code unit.
        _ => 0xDC00,
    });
    char::decode_utf16(units)
        .collect::<Result<String, _>>()
        .map_err(|_| NotUnicode {
            encoding: Encoding::Unknown,
            pos: None,
            source_line: None,
        })
}

/// Where the first byte that is not UTF-8 is (`at`), as a line and column.
fn not_unicode(bytes: &[u8], at: usize, encoding: Encoding) -> NotUnicode {
    let start = bytes[..at]
        .iter()
        .rposition(|&b| b == b'\n')
        .map_or(0, |i| i + 1);
    let end = bytes[at..]
        .iter()
        .position(|&b| b == b'\n')
        .map_or(bytes.len(), |i| at + i);
    let line = bytes[..start].iter().filter(|&&b| b == b'\n').count() as u64 + 1;
    let col = String::from_utf8_lossy(&bytes[start..at]).chars().count() as u64 + 1;
    let shown = String::from_utf8_lossy(&bytes[start..end]);
    NotUnicode {
        encoding,
        pos: Some(Pos::new(line, col)),
        source_line: Some(shown.trim_end_matches('\r').to_string()),
    }
}
