//! The `null` output: keeps real time with tokio timers and makes no sound.
//! On a paused tokio clock it runs days of schedule in milliseconds.

use tokio::sync::mpsc;
use tokio::time::Instant;

use super::{Ending, Event, Output, Program, Stop};

/// See the module docs.
#[derive(Debug, Default)]
pub struct NullOutput;

impl NullOutput {
    pub fn new() -> Self {
        NullOutput
    }
}

impl Output for NullOutput {
    fn start(&self, token: u64, program: Program, events: mpsc::UnboundedSender<Event>) -> Stop {
        let stop = Stop::default();
        let stopped = stop.clone();
        tokio::spawn(async move {
            let _ = events.send(Event::Opened { token });
            tokio::select! {
                _ = program.gate.opened() => {}
                _ = stopped.stopped() => {
                    let _ = events.send(Event::Finished { token, played: Default::default(), ending: Ending::Stopped });
                    return;
                }
            }
            let began = Instant::now();
            let _ = events.send(Event::Started { token, at: began });
            let ending = tokio::select! {
                _ = tokio::time::sleep(program.length()) => Ending::Completed,
                _ = stopped.stopped() => Ending::Stopped,
            };
            let _ = events.send(Event::Finished {
                token,
                played: began.elapsed(),
                ending,
            });
        });
        stop
    }

    fn device(&self) -> &str {
        "null"
    }
}
