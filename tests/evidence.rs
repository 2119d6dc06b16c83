//! Issue 13, evidence: the sound on record. `check` points out recordings
//! that would go on air as silence (the daemon's side, the level logged in
//! `finish` and `failed`/`silent`, is in tests/alsa.rs, through the capture).

mod common;

use common::loa_in as loa;

fn sine(amplitude: f64) -> Vec<u8> {
    common::wav(1.0, move |t| {
        amplitude * (2.0 * std::f64::consts::PI * 440.0 * t).sin()
    })
}

#[test]
fn check_warns_at_each_use_of_a_silent_or_nearly_silent_recording() {
    let st = common::station("station: x\nlanguage: en\noutput:\n  device: \"null\"\n");
    let audio = st.path().join("audio");
    std::fs::write(audio.join("lang.wav"), common::wav(1.0, |_| 0.0))
        .unwrap_or_else(|e| panic!("{e}"));
    // Peak 0.002: −54 dBFS, which loudness normalisation would lift by
    // about 40 dB, noise and all.
    std::fs::write(audio.join("nho.wav"), sine(0.002)).unwrap_or_else(|e| panic!("{e}"));
    std::fs::write(audio.join("ro.wav"), sine(0.25)).unwrap_or_else(|e| panic!("{e}"));
    common::write(
        &st.path().join("schedules/a.yaml"),
        "title: a\nbroadcasts:\n  - name: im\n    audio: lang.wav\n    at: \"06:00\"\n  - name: nho\n    audio: nho.wav\n    at: \"07:00\"\n  - name: ro\n    audio: ro.wav\n    at: \"08:00\"\n",
    );
    let (code, out, err) = loa(st.path(), &["check"]);
    let all = format!("{out}{err}");
    // Warnings only: the schedule is valid.
    assert_eq!(code, Some(0), "{all}");
    assert!(
        all.contains("a.yaml:4:12")
            && all.contains("\"lang.wav\" is silent: nothing will be heard"),
        "{all}"
    );
    assert!(
        all.contains("a.yaml:7:12")
            && all.contains("\"nho.wav\" is nearly silent (-57.8 LUFS, -54.0 dBTP)"),
        "{all}"
    );
    assert!(!all.contains("\"ro.wav\" is"), "{all}");
    assert!(all.contains("record it again"), "{all}");
}
