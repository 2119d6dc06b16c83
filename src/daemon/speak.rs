//! Speech is rendered ahead of its time, on the measuring thread, the one
//! the nearest broadcast needs first, and measured there at once: at
//! broadcast time it is an ordinary recording under `state/tts/`. The
//! loop itself never runs the engine.

use std::collections::HashMap;
use std::path::PathBuf;
use std::time::Duration;

use chrono::{DateTime, Utc};
use tokio::time::Instant;
use tracing::{debug, info, warn};

use super::Daemon;
use crate::audio;
use crate::speech::{self, Speech};
use crate::station;

/// How long speech whose rendering failed waits before it is tried again
/// (an engine installed meanwhile, a disk that had filled up).
const RETRY: Duration = Duration::from_secs(300);

/// Speech rendering tried and failed, by WAV path: when it was tried.
pub(super) type Tried = HashMap<PathBuf, Instant>;

impl Daemon {
    /// Starts rendering the speech the nearest broadcast needs, if any is
    /// not rendered yet; true when a rendering was started.
    pub(super) fn render_next_speech(&mut self) -> bool {
        let now = Instant::now();
        let mut next: Option<(DateTime<Utc>, Speech)> = None;
        for z in &self.zones {
            let occs = z
                .engine
                .on_air()
                .map(|c| &c.occ)
                .into_iter()
                .chain(z.engine.waiting().iter().map(|w| &w.occ))
                .chain(z.engine.agenda());
            for o in occs {
                let at = o.time.with_timezone(&Utc);
                if next.as_ref().is_some_and(|(t, _)| *t <= at) {
                    continue;
                }
                for a in o.broadcast().audio.iter().filter(|a| a.is_speech()) {
                    let Ok(sp) = station::speech_of(&self.config, a) else {
                        continue;
                    };
                    let failed = self
                        .measuring
                        .speech_tried
                        .get(&sp.wav)
                        .is_some_and(|t| now < *t + RETRY);
                    if !failed && !sp.rendered() {
                        next = Some((at, sp));
                        break;
                    }
                }
            }
        }
        let Some((at, sp)) = next else {
            return false;
        };
        debug!(wav = %sp.wav.display(), needed = %at, "rendering speech");
        self.measuring.speech_tried.insert(sp.wav.clone(), now);
        self.measuring.busy = Some(sp.wav.clone());
        let tx = self.measuring.tx.clone();
        let known = self.cache.known();
        let tts = self.config.tts.clone();
        let root = self.config.root.clone();
        tokio::task::spawn_blocking(move || {
            let started = std::time::Instant::now();
            let m = match speech::render(&tts, &sp.spoken.text, &sp.wav, &root) {
                Ok(()) => {
                    info!(
                        wav = %sp.wav.display(),
                        chars = sp.text.chars().count(),
                        ms = started.elapsed().as_millis() as u64,
                        "speech rendered"
                    );
                    audio::measure_apart(sp.wav.clone(), &known)
                }
                Err(e) => {
                    warn!(error = %e, text = %sp.text, "speech cannot be rendered");
                    None
                }
            };
            let _ = tx.send((sp.wav, m));
        });
        true
    }
}
