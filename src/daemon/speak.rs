//! Speech is rendered ahead of its time on its own blocking thread (apart
//! from the measuring of recordings, so a long MP3 being measured never
//! holds it up), the one the nearest broadcast needs first, and measured
//! there at once: at broadcast time it is an ordinary recording under
//! `state/tts/`. Speech rendered by another command (`loa say`, `check`,
//! `announce`) and not measured yet is measured there too. The loop itself
//! never runs the engine; a broadcast whose speech is not rendered at its
//! time waits for it (see `dispatch`), up to `late_limit`.

use std::collections::HashMap;
use std::path::PathBuf;
use std::time::Duration;

use chrono::{DateTime, Utc};
use tokio::sync::mpsc;
use tokio::time::Instant;
use tracing::{debug, info, warn};

use super::Daemon;
use crate::sound::audio;
use crate::sound::speech::{self, Speech};
use crate::station;

/// How long speech whose rendering failed waits before it is tried again
/// (an engine installed meanwhile, a disk that had filled up).
const RETRY: Duration = Duration::from_secs(300);

/// What the speech thread reports: the WAV, and its measurement once
/// rendered (None when it would not measure), or the engine's error.
pub(super) type Spoken = (PathBuf, Result<Option<audio::Measured>, String>);

/// The loop's side of the speech thread.
pub(super) struct Speaking {
    tx: mpsc::UnboundedSender<Spoken>,
    rx: mpsc::UnboundedReceiver<Spoken>,
    /// The speech being rendered (or measured) now.
    busy: Option<PathBuf>,
    /// Speech whose rendering failed, by WAV path: when it was tried, and
    /// the engine's error.
    failed: HashMap<PathBuf, (Instant, String)>,
}

impl Speaking {
    /// Waits for the speech thread to finish one.
    pub(super) async fn done(&mut self) -> Option<Spoken> {
        self.rx.recv().await
    }

    pub(super) fn new() -> Speaking {
        let (tx, rx) = mpsc::unbounded_channel();
        Speaking {
            tx,
            rx,
            busy: None,
            failed: HashMap::new(),
        }
    }
}

impl Daemon {
    /// Starts rendering (or measuring) the speech the nearest broadcast
    /// needs, if any is not rendered or not measured yet and the speech
    /// thread is free; true when one was started.
    pub(super) fn render_next_speech(&mut self) -> bool {
        if self.media.speaking.busy.is_some() {
            return false;
        }
        let now = Instant::now();
        let mut next: Option<(DateTime<Utc>, Speech)> = None;
        for z in self.outputs.zones() {
            for o in z.planned() {
                let at = o.time.with_timezone(&Utc);
                if next.as_ref().is_some_and(|(t, _)| *t <= at) {
                    continue;
                }
                for a in o.broadcast().all_audio().filter(|a| a.is_speech()) {
                    let Ok(sp) = station::speech_of(&self.config, a) else {
                        continue;
                    };
                    let failed = self
                        .media
                        .speaking
                        .failed
                        .get(&sp.wav)
                        .is_some_and(|(t, _)| now < *t + RETRY);
                    // Rendered elsewhere (loa say, check): measured here.
                    let todo = !sp.rendered() || self.media.cache.unmeasured_file(&sp.wav);
                    if !failed && todo {
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
        self.media.speaking.busy = Some(sp.wav.clone());
        let tx = self.media.speaking.tx.clone();
        let known = self.media.cache.known();
        let tts = self.config.tts.clone();
        let root = self.config.root.clone();
        tokio::task::spawn_blocking(move || {
            let started = std::time::Instant::now();
            let rendered = if sp.rendered() {
                Ok(())
            } else {
                speech::render(&tts, &sp.spoken.text, &sp.wav, &root)
            };
            let m = match rendered {
                Ok(()) => Ok({
                    info!(
                        wav = %sp.wav.display(),
                        chars = sp.text.chars().count(),
                        ms = started.elapsed().as_millis() as u64,
                        "{}", crate::i18n::journal::say(crate::i18n::journal::Note::SpeechReady)
                    );
                    audio::measure_apart(sp.wav.clone(), &known)
                }),
                Err(e) => {
                    warn!(error = %e, text = %sp.text, "{}", crate::i18n::journal::say(crate::i18n::journal::Note::SpeechFails));
                    Err(e.to_string())
                }
            };
            let _ = tx.send((sp.wav, m));
        });
        true
    }

    /// Why the speech `occ` needs could not be rendered, when its engine
    /// failed on it lately: the attempt fails at once with that error
    /// rather than holding the output until its late limit.
    pub(super) fn speech_failure(&self, occ: &crate::plan::Occurrence) -> Option<String> {
        let now = Instant::now();
        occ.broadcast()
            .all_audio()
            .filter(|a| a.is_speech())
            .filter_map(|a| station::speech_of(&self.config, a).ok())
            .filter(|sp| !sp.rendered())
            .find_map(|sp| {
                let (t, e) = self.media.speaking.failed.get(&sp.wav)?;
                (now < *t + RETRY).then(|| e.clone())
            })
    }

    /// One result from the speech thread: kept and saved, then the next
    /// speech, and a broadcast that waits for it tries again.
    pub(super) fn on_spoken(&mut self, (wav, m): Spoken) {
        self.media.speaking.busy = None;
        match m {
            Ok(Some(m)) => {
                self.media.speaking.failed.remove(&wav);
                self.media.cache.take(m);
                self.save_measurements(Instant::now());
            }
            Ok(None) => {
                // Rendered, but it would not measure: tried again later.
                self.media.speaking.failed.insert(
                    wav,
                    (
                        Instant::now(),
                        "the rendered speech cannot be measured".into(),
                    ),
                );
            }
            Err(e) => {
                self.media.speaking.failed.insert(wav, (Instant::now(), e));
            }
        }
        self.render_next_speech();
        self.drive_all(&crate::onair::Input::Ready);
    }
}
