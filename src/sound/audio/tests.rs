use super::cache::Stored;
use super::*;

#[test]
fn resolve_refuses_escapes_and_symlinks_out() -> std::io::Result<()> {
    let dir = tempfile::tempdir()?;
    let audio = dir.path().join("audio");
    std::fs::create_dir_all(audio.join("sub"))?;
    std::fs::write(audio.join("sub/a.mp3"), b"x")?;
    std::fs::write(dir.path().join("outside.mp3"), b"x")?;
    std::os::unix::fs::symlink(dir.path().join("outside.mp3"), audio.join("link.mp3"))?;
    std::os::unix::fs::symlink(audio.join("sub/a.mp3"), audio.join("inside.mp3"))?;
    assert!(resolve(&audio, "sub/a.mp3").is_ok());
    assert!(resolve(&audio, "inside.mp3").is_ok());
    assert_eq!(resolve(&audio, "../outside.mp3"), Err(AudioError::Escapes));
    assert_eq!(resolve(&audio, "link.mp3"), Err(AudioError::Escapes));
    assert_eq!(resolve(&audio, "nope.mp3"), Err(AudioError::Missing));
    assert_eq!(resolve(&audio, "sub"), Err(AudioError::Missing));
    Ok(())
}

#[test]
fn a_text_file_named_mp3_is_undecodable_and_txt_unsupported() -> std::io::Result<()> {
    let dir = tempfile::tempdir()?;
    let fake = dir.path().join("fake.mp3");
    std::fs::write(&fake, "this is not audio\n".repeat(50))?;
    assert!(matches!(probe(&fake), Err(AudioError::Undecodable(_))));
    let txt = dir.path().join("notes.txt");
    std::fs::write(&txt, "x")?;
    assert_eq!(probe(&txt).err(), Some(AudioError::Unsupported));
    Ok(())
}

#[test]
fn measuring_apart_takes_known_content_without_decoding() -> std::io::Result<()> {
    let dir = tempfile::tempdir()?;
    // Not audio at all: decoding it would fail.
    let path = dir.path().join("copy.wav");
    std::fs::write(&path, b"the same bytes as a file measured before")?;
    let sha = crate::hash::sha256_file(&path)?;
    let stored = Stored {
        length_s: 7.0,
        loudness: None,
    };
    let known = Known([(sha.clone(), stored)].into_iter().collect());
    let m = measure_apart(path.clone(), &known).map(|m| m.result);
    let want = AudioInfo {
        sha256: sha,
        length: Duration::from_secs(7),
        loudness: None,
        unmeasured: false,
    };
    assert_eq!(m, Some(Ok(want)));
    // Unknown content is decoded, and this is no recording.
    let m = measure_apart(path, &Known::default()).map(|m| m.result);
    assert!(matches!(m, Some(Err(AudioError::Undecodable(_)))), "{m:?}");
    Ok(())
}

#[test]
fn a_quick_cache_answers_unmeasured_content_from_its_header_and_keeps_it_to_measure()
-> std::io::Result<()> {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let tone = root.join("tests/fixtures/tones/tone.wav");
    let dir = tempfile::tempdir()?;
    let path = dir.path().join("tone.wav");
    std::fs::copy(&tone, &path)?;
    let path = path.canonicalize()?;
    let measured = probe(&path).map_err(std::io::Error::other)?;

    let mut quick = AudioCache::persistent(dir.path().join("audio.json")).quick();
    let first = quick.info(&path).map_err(std::io::Error::other)?;
    assert!(first.unmeasured, "{first:?}");
    assert_eq!(first.sha256, measured.sha256);
    assert_eq!(first.loudness, None, "unity gain until measured");
    let off = (first.length.as_secs_f64() - measured.length.as_secs_f64()).abs();
    assert!(off < 0.01, "a WAV header gives the length: {first:?}");
    assert_eq!(
        quick.unmeasured(dir.path()),
        vec![path.clone()],
        "still to measure"
    );

    // Measured apart and taken: answered as measured from then on.
    let m = measure_apart(path.clone(), &quick.known());
    quick.take(m.ok_or_else(|| std::io::Error::other("changed"))?);
    assert_eq!(quick.info(&path).map_err(std::io::Error::other)?, measured);
    assert!(quick.unmeasured(dir.path()).is_empty());
    Ok(())
}

#[test]
fn formats_loa_does_not_play_are_named_by_their_first_bytes() -> std::io::Result<()> {
    let wav = |tag: u16| {
        let mut b = b"RIFF\0\0\0\0WAVEfmt \x10\0\0\0".to_vec();
        b.extend_from_slice(&tag.to_le_bytes());
        b.extend_from_slice(&[0; 14]);
        b
    };
    let opus = std::fs::read(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/bad-station/audio/ghi-am-zalo.ogg"),
    )?;
    let asf = [0x30, 0x26, 0xB2, 0x75, 0x8E, 0x66, 0xCF, 0x11, 0xA6, 0xD9];
    assert_eq!(sniff(&opus), Some(Foreign::Opus));
    assert_eq!(sniff(&asf), Some(Foreign::Wma));
    assert_eq!(sniff(b"#!AMR\n"), Some(Foreign::Amr));
    assert_eq!(sniff(&wav(2)), Some(Foreign::CompressedWav), "MS ADPCM");
    assert_eq!(sniff(&wav(0x11)), Some(Foreign::CompressedWav), "IMA ADPCM");
    assert_eq!(sniff(&wav(1)), None, "PCM plays");
    assert_eq!(sniff(&wav(3)), None, "float plays");
    let vorbis =
        std::fs::read(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/tones/tone.ogg"))?;
    assert_eq!(sniff(&vorbis[..64]), None, "Vorbis plays");
    // An empty file is named as such before any decoder runs.
    let dir = tempfile::tempdir()?;
    let empty = dir.path().join("rong.mp3");
    std::fs::write(&empty, b"")?;
    assert_eq!(probe(&empty).err(), Some(AudioError::Empty));
    Ok(())
}

#[test]
fn inventory_lists_audio_in_subfolders_only() -> std::io::Result<()> {
    let dir = tempfile::tempdir()?;
    std::fs::create_dir_all(dir.path().join("cchc"))?;
    std::fs::write(dir.path().join("cchc/a.mp3"), b"x")?;
    std::fs::write(dir.path().join("b.WAV"), b"x")?;
    std::fs::write(dir.path().join("readme.txt"), b"x")?;
    assert_eq!(inventory(dir.path()), ["b.WAV", "cchc/a.mp3"]);
    Ok(())
}
