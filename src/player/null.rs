//! The `null` sink: takes the program's samples as a device would, in real
//! time on tokio timers, and makes no sound. It decodes through the same
//! [`ProgramSource`] as the ALSA sink, so a rehearsal meets the same decode
//! errors and plays the same length; on a paused tokio clock it runs days
//! of schedule in seconds.

use tokio::time::Instant;

use super::source::frames_time;
use super::{Ending, Output, Program, Report, Stop};

/// The format `null` takes a program in when it has no recording: what a
/// typical device takes. Otherwise it takes that of the first recording,
/// which then needs no conversion (decoding is the same either way, and on
/// a paused clock converting every sample to 48 kHz stereo doubled the time
/// of days of simulated schedule).
const FALLBACK: (u16, u32) = (2, 48_000);
/// How often `null` takes a buffer.
const TICK: std::time::Duration = std::time::Duration::from_millis(100);

/// See the module docs.
#[derive(Debug, Default)]
pub struct NullOutput;

impl NullOutput {
    pub fn new() -> Self {
        NullOutput
    }
}

impl Output for NullOutput {
    fn start(&self, program: Program, report: Report) -> Stop {
        let stop = Stop::default();
        tokio::spawn(play(program, report, stop.clone()));
        stop
    }

    fn device(&self) -> &str {
        "null"
    }
}

async fn play(program: Program, report: Report, stop: Stop) {
    let (channels, rate) = program.preferred_format().unwrap_or(FALLBACK);
    let mut source = match program.samples(channels, rate, &stop, false) {
        Ok((s, _)) => s,
        Err(ending) => return report.failed(ending),
    };
    report.opened();
    tokio::select! {
        _ = program.gate.opened() => {}
        _ = stop.stopped() => return report.failed(Ending::Stopped),
    }
    let began = Instant::now();
    let tick = (u64::from(rate) * TICK.as_millis() as u64 / 1000).max(1);
    let mut buf = vec![0.0f32; tick as usize * usize::from(channels)];
    let mut taken: u64 = 0;
    let ending = loop {
        let at = began + frames_time(taken, rate);
        let r = source.render(&mut buf, at.into_std());
        if let Some(t) = r.started {
            report.started(t);
        }
        if let Some((ending, end)) = r.ended {
            // Sound until the last frame has gone, as a device would.
            tokio::select! {
                _ = tokio::time::sleep_until(Instant::from_std(end)) => {}
                _ = stop.stopped() => break Ending::Stopped,
            }
            break ending;
        }
        taken += tick;
        tokio::select! {
            _ = tokio::time::sleep_until(began + frames_time(taken, rate)) => {}
            // Taken up by the next render, as the ALSA sink does.
            _ = stop.stopped() => {}
        }
    };
    let played = frames_time(
        source.played().load(std::sync::atomic::Ordering::Relaxed),
        rate,
    )
    .min(began.elapsed());
    report.finished(played, ending, source.meter().levels());
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::player::{Event, Gate, Segment};
    use std::path::PathBuf;
    use std::time::Duration;
    use tokio::sync::mpsc;

    fn tone() -> Segment {
        Segment::File {
            path: PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/tones/tone.mp3"),
            gain: 1.0,
            // Not the file's: null must keep to what it decodes.
            length: Duration::from_secs(3),
        }
    }

    async fn events_of(program: Program, stop_after: Option<Duration>) -> Vec<Event> {
        let (tx, mut rx) = mpsc::unbounded_channel();
        let gate = program.gate.clone();
        let stop = NullOutput::new().start(program, Report::new(7, tx));
        let mut out = Vec::new();
        while let Some(ev) = rx.recv().await {
            if let Event::Opened { .. } = ev {
                gate.arm();
            }
            if let (Event::Started { .. }, Some(d)) = (&ev, stop_after) {
                let stop = stop.clone();
                tokio::spawn(async move {
                    tokio::time::sleep(d).await;
                    stop.stop();
                });
            }
            let last = matches!(ev, Event::Finished { .. });
            out.push(ev);
            if last {
                break;
            }
        }
        out
    }

    /// The player never connects: a relay handed to a sink without the
    /// receiver the daemon starts ahead is an error, not a network thread.
    #[tokio::test(start_paused = true)]
    async fn a_relay_without_its_receiver_is_refused_and_nothing_connects() {
        let source = crate::address::Source::parse("http://127.0.0.1:9/vov1")
            .unwrap_or_else(|e| panic!("{e:?}"));
        let program = Program {
            segments: vec![Segment::Relay {
                source,
                live: None,
                gain: 1.0,
                length: Duration::from_secs(3),
            }],
            gate: Gate::new(Instant::now() + Duration::from_secs(1)),
        };
        let threads = || {
            std::fs::read_dir("/proc/self/task")
                .map(|d| {
                    d.flatten()
                        .filter(|t| {
                            std::fs::read_to_string(t.path().join("comm"))
                                .is_ok_and(|c| c.trim() == "loa-relay")
                        })
                        .count()
                })
                .unwrap_or(0)
        };
        let before = threads();
        let ev = events_of(program, None).await;
        let [
            Event::Finished {
                ending: Ending::DeviceError(e),
                ..
            },
        ] = &ev[..]
        else {
            panic!("{ev:?}");
        };
        assert!(e.contains("no receiver"), "{e}");
        assert_eq!(threads(), before);
    }

    #[tokio::test(start_paused = true)]
    async fn null_starts_on_the_gate_and_plays_the_decoded_length() {
        let at = Instant::now() + Duration::from_secs(2);
        let program = Program {
            segments: vec![tone(), Segment::Silence(Duration::from_millis(500)), tone()],
            gate: Gate::new(at),
        };
        let ev = events_of(program, None).await;
        assert_eq!(ev[0], Event::Opened { token: 7 });
        assert_eq!(ev[1], Event::Started { token: 7, at });
        let Event::Finished { played, ending, .. } = &ev[2] else {
            panic!("{ev:?}")
        };
        assert_eq!(*ending, Ending::Completed);
        // Two 1 s tones as decoded (whatever the program says) and half a second.
        assert!(
            (played.as_secs_f64() - 2.5).abs() < 0.06,
            "played {played:?}"
        );
        assert!((Instant::now() - at).abs_diff(*played) < Duration::from_millis(1));
    }

    #[tokio::test(start_paused = true)]
    async fn null_fails_an_undecodable_file_as_alsa_does_before_opening() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let bad = dir.path().join("hong.mp3");
        std::fs::write(&bad, b"ID3 but nothing after").unwrap_or_else(|e| panic!("{e}"));
        let program = Program {
            segments: vec![Segment::File {
                path: bad,
                gain: 1.0,
                length: Duration::from_secs(1),
            }],
            gate: Gate::new(Instant::now()),
        };
        let ev = events_of(program, None).await;
        assert!(
            matches!(&ev[..], [Event::Finished { ending: Ending::DecodeError(e), played, .. }]
                if e.contains("hong.mp3") && played.is_zero()),
            "{ev:?}"
        );
    }

    #[tokio::test(start_paused = true)]
    async fn a_stop_ends_null_at_once() {
        let program = Program {
            segments: vec![Segment::Silence(Duration::from_secs(60))],
            gate: Gate::new(Instant::now()),
        };
        let ev = events_of(program, Some(Duration::from_millis(1_250))).await;
        let Some(Event::Finished { played, ending, .. }) = ev.last() else {
            panic!("{ev:?}")
        };
        assert_eq!(*ending, Ending::Stopped);
        assert!(
            played.abs_diff(Duration::from_millis(1_250)) < Duration::from_millis(1),
            "{played:?}"
        );
    }
}
