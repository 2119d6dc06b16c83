//! What a file that does not decode really is, from its first bytes: a
//! document, a picture, a video, an archive, a compressed WAV.

use std::fs::File;
use std::path::Path;

use super::AudioError;

/// Audio formats loa recognises but does not play.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Foreign {
    /// Ogg Opus (Zalo, WhatsApp and Telegram voice notes).
    Opus,
    /// Windows Media Audio (ASF container).
    Wma,
    /// A WAV whose samples are compressed (ADPCM, A-law, μ-law, ...).
    CompressedWav,
    /// AMR, from phone call and voice recorders.
    Amr,
}

impl std::fmt::Display for Foreign {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Foreign::Opus => "Opus",
            Foreign::Wma => "WMA",
            Foreign::CompressedWav => "WAV (ADPCM)",
            Foreign::Amr => "AMR",
        })
    }
}

/// What the first bytes of a file say it is, when it is a format loa knows
/// it does not play.
pub fn sniff(head: &[u8]) -> Option<Foreign> {
    const ASF: [u8; 8] = [0x30, 0x26, 0xB2, 0x75, 0x8E, 0x66, 0xCF, 0x11];
    if head.starts_with(b"OggS") && head.windows(8).any(|w| w == b"OpusHead") {
        return Some(Foreign::Opus);
    }
    if head.starts_with(&ASF) {
        return Some(Foreign::Wma);
    }
    if head.starts_with(b"#!AMR") {
        return Some(Foreign::Amr);
    }
    if head.len() >= 22 && head.starts_with(b"RIFF") && &head[8..12] == b"WAVE" {
        // The first chunk is `fmt ` in every WAV writer seen; its format
        // tag: 1 PCM, 3 float, 0xFFFE extensible are played.
        if &head[12..16] == b"fmt " {
            let tag = u16::from_le_bytes([head[20], head[21]]);
            if ![1, 3, 0xFFFE].contains(&tag) {
                return Some(Foreign::CompressedWav);
            }
        }
    }
    None
}

/// Why `path` did not decode, as precisely as its first bytes tell.
pub(super) fn why_undecodable(path: &Path, detail: String) -> AudioError {
    let mut head = [0u8; 64];
    let n = File::open(path)
        .and_then(|mut f| std::io::Read::read(&mut f, &mut head))
        .unwrap_or(0);
    match sniff(&head[..n]) {
        Some(kind) => AudioError::Foreign(kind),
        None => AudioError::Undecodable(detail),
    }
}
