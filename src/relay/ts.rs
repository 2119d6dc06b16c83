//! A small MPEG-TS demuxer for HLS segments: PAT → PMT → the first audio
//! stream that is ADTS AAC (stream_type 0x0F) or MPEG audio (0x03, 0x04),
//! and that stream's PES payloads joined into the elementary stream that
//! symphonia's ADTS or MP3 reader takes.

const PACKET: usize = 188;
const SYNC: u8 = 0x47;

/// What the elementary stream is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Audio {
    Adts,
    Mpeg,
}

impl Audio {
    /// The extension symphonia's probe knows it by.
    pub fn extension(self) -> &'static str {
        match self {
            Audio::Adts => "aac",
            Audio::Mpeg => "mp3",
        }
    }
}

/// Whether `data` looks like a transport stream.
pub(super) fn is_ts(data: &[u8]) -> bool {
    data.first() == Some(&SYNC) && data.get(PACKET).is_none_or(|&b| b == SYNC)
}

/// The audio elementary stream in a segment.
///
/// Errors: no PAT or PMT, or no audio stream loa decodes (with what the
/// PMT listed).
pub(super) fn demux(data: &[u8]) -> Result<(Audio, Vec<u8>), String> {
    let mut pmt_pid = None;
    let mut audio: Option<(u16, Audio)> = None;
    let mut listed = Vec::new();
    let mut es = Vec::new();
    let mut in_pes = false;
    for packet in data.chunks_exact(PACKET) {
        if packet[0] != SYNC {
            continue;
        }
        let start = packet[1] & 0x40 != 0;
        let pid = u16::from(packet[1] & 0x1F) << 8 | u16::from(packet[2]);
        let Some(payload) = payload(packet) else {
            continue;
        };
        if pid == 0 && start {
            pmt_pid = section(payload).and_then(pat);
        } else if Some(pid) == pmt_pid && start && audio.is_none() {
            if let Some(body) = section(payload) {
                audio = pmt(body, &mut listed);
            }
        } else if let Some((apid, _)) = audio
            && pid == apid
        {
            if start {
                in_pes = match pes_payload(payload) {
                    Some(p) => {
                        es.extend_from_slice(p);
                        true
                    }
                    None => false,
                };
            } else if in_pes {
                es.extend_from_slice(payload);
            }
        }
    }
    match audio {
        Some((_, kind)) => Ok((kind, es)),
        None if pmt_pid.is_none() => Err("MPEG-TS segment without a PAT".into()),
        None => Err(format!(
            "MPEG-TS segment without AAC or MP3 audio (stream types {listed:02x?})"
        )),
    }
}

/// A packet's payload, after its adaptation field.
fn payload(packet: &[u8]) -> Option<&[u8]> {
    let control = (packet[3] >> 4) & 0x3;
    match control {
        1 => Some(&packet[4..]),
        3 => {
            let skip = 5 + usize::from(packet[4]);
            packet.get(skip..)
        }
        _ => None,
    }
}

/// A PSI section's body (after the pointer field and the 8-byte header),
/// up to its CRC.
fn section(payload: &[u8]) -> Option<&[u8]> {
    let pointer = usize::from(*payload.first()?);
    let s = payload.get(1 + pointer..)?;
    let len = usize::from(*s.get(1)? & 0x0F) << 8 | usize::from(*s.get(2)?);
    // Header (3) + len; the body starts after 8 bytes, the CRC is 4.
    s.get(8..(3 + len).checked_sub(4)?)
}

/// The first program's PMT PID.
fn pat(body: &[u8]) -> Option<u16> {
    body.chunks_exact(4).find_map(|e| {
        let program = u16::from(e[0]) << 8 | u16::from(e[1]);
        (program != 0).then(|| u16::from(e[2] & 0x1F) << 8 | u16::from(e[3]))
    })
}

/// The first AAC or MPEG audio stream's PID; every stream type is noted
/// in `listed`.
fn pmt(body: &[u8], listed: &mut Vec<u8>) -> Option<(u16, Audio)> {
    let info = usize::from(*body.get(2)? & 0x0F) << 8 | usize::from(*body.get(3)?);
    let mut rest = body.get(4 + info..)?;
    while rest.len() >= 5 {
        let kind = rest[0];
        let pid = u16::from(rest[1] & 0x1F) << 8 | u16::from(rest[2]);
        let es_info = usize::from(rest[3] & 0x0F) << 8 | usize::from(rest[4]);
        listed.push(kind);
        match kind {
            0x0F => return Some((pid, Audio::Adts)),
            0x03 | 0x04 => return Some((pid, Audio::Mpeg)),
            _ => {}
        }
        rest = rest.get(5 + es_info..)?;
    }
    None
}

/// The data of a PES packet's first TS payload, after its header.
fn pes_payload(p: &[u8]) -> Option<&[u8]> {
    if p.get(..3)? != [0, 0, 1] {
        return None;
    }
    let header = usize::from(*p.get(8)?);
    p.get(9 + header..)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn not_a_transport_stream_is_told_apart() {
        assert!(!is_ts(b"ID3\x04"));
        assert!(!is_ts(&[0xFF, 0xF1, 0x50]));
        let mut two = vec![0u8; 2 * PACKET];
        two[0] = SYNC;
        two[PACKET] = SYNC;
        assert!(is_ts(&two));
        assert_eq!(
            demux(&two).err().as_deref(),
            Some("MPEG-TS segment without a PAT")
        );
    }
}
