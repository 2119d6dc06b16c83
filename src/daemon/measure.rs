//! New and replaced recordings are measured (hash, length, loudness) on a
//! blocking thread as soon as they are seen, so that the loop never decodes
//! a long file at broadcast time and a broadcast that uses it starts on
//! time. The loop still measures a file itself if it is needed first.

use std::time::Duration;

use tokio::sync::mpsc;
use tokio::time::Instant;
use tracing::{info, warn};

use super::Daemon;
use crate::audio::{self, Measured};

/// How often the audio folder is looked at without an event (a network
/// share sends none). Each look lists the folder and stats every file.
const AUDIO_RESCAN: Duration = Duration::from_secs(60);

/// The loop's side of the measuring thread.
pub(super) struct Measuring {
    tx: mpsc::UnboundedSender<Option<Measured>>,
    pub(super) rx: mpsc::UnboundedReceiver<Option<Measured>>,
    /// A batch is being measured; the next waits for it.
    busy: bool,
    /// Something changed while a batch was under way: look again after it.
    again: bool,
    /// When to look at the audio folder again without an event.
    rescan_at: Option<Instant>,
}

impl Measuring {
    pub(super) fn new() -> Measuring {
        let (tx, rx) = mpsc::unbounded_channel();
        Measuring {
            tx,
            rx,
            busy: false,
            again: false,
            rescan_at: None,
        }
    }

    /// Whether the periodic look at the audio folder is due at `now`.
    pub(super) fn rescan_due(&mut self, now: Instant) -> bool {
        let due = self.rescan_at.is_none_or(|t| t <= now);
        if due {
            self.rescan_at = Some(now + AUDIO_RESCAN);
        }
        due
    }
}

impl Daemon {
    /// Sends every recording not measured as it is now to the measuring
    /// thread, unless a batch is still under way.
    pub(super) fn measure_new_audio(&mut self) {
        if self.measuring.busy {
            self.measuring.again = true;
            return;
        }
        let todo = self.cache.unmeasured(&self.config.audio_dir);
        if todo.is_empty() {
            return;
        }
        self.measuring.busy = true;
        let tx = self.measuring.tx.clone();
        let known = self.cache.known();
        tokio::task::spawn_blocking(move || {
            for path in todo {
                if let Some(m) = audio::measure_apart(path, &known) {
                    let _ = tx.send(Some(m));
                }
            }
            let _ = tx.send(None);
        });
    }

    /// One result from the measuring thread, or None at the end of a batch.
    pub(super) fn on_measured(&mut self, m: Option<Measured>) {
        let Some(m) = m else {
            self.measuring.busy = false;
            self.cache.save();
            // A file still being written when its batch began is measured
            // again once the events it raised are answered.
            if std::mem::take(&mut self.measuring.again) {
                self.measure_new_audio();
            }
            return;
        };
        let file = m
            .path
            .strip_prefix(&self.config.audio_dir)
            .unwrap_or(&m.path)
            .display()
            .to_string();
        match &m.result {
            Ok(info) => info!(
                file,
                length_s = info.length.as_secs_f64(),
                lufs = info.loudness.map(|l| l.lufs),
                "recording measured"
            ),
            Err(e) => warn!(file, error = %e, "recording cannot be played"),
        }
        self.cache.take(m);
    }
}
