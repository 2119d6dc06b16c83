//! A small MPEG-TS demuxer for HLS segments: PAT → PMT → the first audio
//! stream that is ADTS AAC (stream_type 0x0F) or MPEG audio (0x03, 0x04),
//! and that stream's PES payloads joined into the elementary stream that
//! symphonia's ADTS or MP3 reader takes.

pub(super) const PACKET: usize = 188;
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

/// The audio elementary stream in a whole segment.
///
/// Errors: no PAT or PMT, or no audio stream loa decodes (with what the
/// PMT listed).
#[cfg(test)]
pub(super) fn demux(data: &[u8]) -> Result<(Audio, Vec<u8>), String> {
    let mut d = Demux::default();
    let mut es = Vec::new();
    for packet in data.chunks_exact(PACKET) {
        d.packet(packet, &mut es);
    }
    d.audio().map(|a| (a, es))
}

/// A segment taken apart a packet at a time, as it arrives: no segment is
/// ever held whole.
#[derive(Debug, Default)]
pub(super) struct Demux {
    pmt_pid: Option<u16>,
    audio: Option<(u16, Audio)>,
    listed: Vec<u8>,
    in_pes: bool,
}

impl Demux {
    /// Takes one 188-byte packet; its audio payload goes to `es`.
    pub fn packet(&mut self, packet: &[u8], es: &mut Vec<u8>) {
        if packet.len() != PACKET || packet[0] != SYNC {
            return;
        }
        let start = packet[1] & 0x40 != 0;
        let pid = u16::from(packet[1] & 0x1F) << 8 | u16::from(packet[2]);
        let Some(payload) = payload(packet) else {
            return;
        };
        if pid == 0 && start {
            self.pmt_pid = section(payload).and_then(pat);
        } else if Some(pid) == self.pmt_pid && start && self.audio.is_none() {
            if let Some(body) = section(payload) {
                self.audio = pmt(body, &mut self.listed);
            }
        } else if let Some((apid, _)) = self.audio
            && pid == apid
        {
            if start {
                self.in_pes = match pes_payload(payload) {
                    Some(p) => {
                        es.extend_from_slice(p);
                        true
                    }
                    None => false,
                };
            } else if self.in_pes {
                es.extend_from_slice(payload);
            }
        }
    }

    /// The audio stream found so far, or why there is none.
    pub fn audio(&self) -> Result<Audio, String> {
        match self.audio {
            Some((_, kind)) => Ok(kind),
            None if self.pmt_pid.is_none() => Err("MPEG-TS segment without a PAT".into()),
            None => Err(format!(
                "MPEG-TS segment without AAC or MP3 audio (stream types {:02x?})",
                self.listed
            )),
        }
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

    /// A real MPEG-TS written by ffmpeg (as HLS servers make them) with
    /// 2 s of a 440 Hz sine in `codec`.
    fn ffmpeg_ts(codec: &str) -> Vec<u8> {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("seg.ts");
        let ok = std::process::Command::new("ffmpeg")
            .args(["-nostdin", "-loglevel", "error", "-f", "lavfi"])
            .args(["-i", "sine=frequency=440:sample_rate=44100:duration=2"])
            .args(["-c:a", codec, "-f", "mpegts"])
            .arg(&out)
            .status()
            .is_ok_and(|s| s.success());
        assert!(ok, "ffmpeg (scripts/setup.sh installs it) failed");
        std::fs::read(out).unwrap()
    }

    /// Decodes an elementary stream and counts its frames, and the upward
    /// zero crossings (left channel) from 0.25 s to 1.75 s (past the
    /// codec's start, whose near-silence crosses zero at random).
    fn decode_es(kind: Audio, es: Vec<u8>) -> (u64, u64, u32) {
        use symphonia::core::audio::SampleBuffer;
        let hint = super::super::decode::hint("", Some(kind.extension()));
        let mss = symphonia::core::io::MediaSourceStream::new(
            Box::new(std::io::Cursor::new(es)),
            Default::default(),
        );
        let mut format = symphonia::default::get_probe()
            .format(&hint, mss, &Default::default(), &Default::default())
            .unwrap()
            .format;
        let track = format.default_track().unwrap();
        let rate = track.codec_params.sample_rate.unwrap_or(0);
        let mut dec = symphonia::default::get_codecs()
            .make(&track.codec_params, &Default::default())
            .unwrap();
        let (mut frames, mut ups, mut last) = (0u64, 0u64, 0.0f32);
        while let Ok(p) = format.next_packet() {
            let Ok(d) = dec.decode(&p) else { continue };
            let mut b = SampleBuffer::<f32>::new(d.capacity() as u64, *d.spec());
            let ch = d.spec().channels.count();
            b.copy_interleaved_ref(d);
            for s in b.samples().iter().step_by(ch) {
                let inside = (11_025..77_175).contains(&frames);
                ups += u64::from(inside && last < 0.0 && *s >= 0.0);
                last = *s;
                frames += 1;
            }
        }
        (frames, ups, rate)
    }

    #[test]
    fn ffmpeg_transport_streams_give_their_aac_or_mp3() {
        for (codec, kind) in [("aac", Audio::Adts), ("libmp3lame", Audio::Mpeg)] {
            let data = ffmpeg_ts(codec);
            assert!(is_ts(&data));
            let (got, es) = demux(&data).unwrap();
            assert_eq!(got, kind, "{codec}");
            match kind {
                Audio::Adts => assert_eq!(es[..2], [0xFF, 0xF1]),
                Audio::Mpeg => assert_eq!(es[0], 0xFF),
            }
            let (frames, ups, rate) = decode_es(kind, es);
            assert_eq!(rate, 44_100);
            let secs = frames as f64 / f64::from(rate);
            assert!((1.9..2.2).contains(&secs), "{codec}: {secs} s");
            let f = ups as f64 / 1.5;
            assert!((f - 440.0).abs() < 3.0, "{codec}: {f} Hz");
        }
    }

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
