//! Beginning an attempt the engine asks for: its program composed (or
//! held for its speech, or failed at once), a relay's receiver attached or
//! its fallback put in, repeats kept out of quiet hours, its `start` line
//! readied and the output started.

use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, Utc};
use tracing::{info, warn};

use super::{Attempt, Begun, RelayAttempt};
use crate::daemon::{Daemon, records};
use crate::onair::{self, OutputEvent};
use crate::plan::Occurrence;
use crate::player::{Gate, Program, Report};
use crate::playlog::Start;

impl Daemon {
    /// Opens output `z` for an attempt. Returns what the output says at
    /// once when it could not begin: it ended, or its speech is not ready.
    pub(super) fn begin(
        &mut self,
        z: usize,
        begun: Begun,
        occ: Occurrence,
        now: DateTime<Utc>,
    ) -> Option<OutputEvent> {
        let Begun {
            token,
            attempt,
            at,
            again,
        } = begun;
        let ended = |ending| Some(OutputEvent::Ended { token, ending });
        let output = self.config.outputs.get(z).cloned().unwrap_or_default();
        let mut composed = match crate::program::compose(
            &self.config,
            &output,
            &mut self.media.cache,
            &occ,
        ) {
            Ok(c) => c,
            // Held under the occurrence's own limit, the one the engine
            // closes it by (a relay's fallback may wait out the relay).
            // Its engine failed on it: a failure now, with the engine's own
            // words, and the output free for what follows.
            Err(e)
                if e.not_rendered
                    && let Some(why) = self.speech_failure(&occ) =>
            {
                let detail = format!("{}: {why}", e.rel);
                warn!(broadcast = %occ.id, file = %e.rel, error = %detail, "{}", crate::i18n::journal::say(crate::i18n::journal::Note::CannotPlay));
                return ended(onair::Ending::Failed {
                    reason: e.reason,
                    detail: Some(detail),
                });
            }
            Err(e) if e.not_rendered && now <= occ.utc() + occ.late_limit(self.late_limit()) => {
                // The speech thread renders it, nearest first: the engine
                // holds the output for it and begins it again.
                if !again {
                    info!(broadcast = %occ.id, file = %e.rel, "{}", crate::i18n::journal::say(crate::i18n::journal::Note::SpeechWaiting));
                }
                return Some(OutputEvent::NotReady { token });
            }
            Err(e) => {
                let detail = if e.not_rendered {
                    format!(
                        "{}: speech still not rendered {} s after its time (late_limit)",
                        e.rel,
                        occ.late_limit(self.late_limit()).num_seconds()
                    )
                } else {
                    e.detail
                };
                warn!(broadcast = %occ.id, file = %e.rel, error = %detail, "{}", crate::i18n::journal::say(crate::i18n::journal::Note::CannotPlay));
                return ended(onair::Ending::Failed {
                    reason: e.reason,
                    detail: Some(detail),
                });
            }
        };
        let first = at.max(now);
        let relay = match composed.relay.is_some() {
            true => self.media.relays.of(&occ),
            false => None,
        };
        if let Some(live) = &relay {
            let st = live.stats();
            if !st.ever_received && st.failures > 0 {
                // Not reached at all by its time: the fallback, if set.
                match crate::program::compose_fallback(
                    &self.config,
                    &output,
                    &mut self.media.cache,
                    &occ,
                ) {
                    Some(Ok(f)) => {
                        warn!(broadcast = %occ.id, source = %live.source().as_record(), error = st.last_error.as_deref().unwrap_or(""), "{}", crate::i18n::journal::say(crate::i18n::journal::Note::FallbackPlays));
                        composed = f;
                    }
                    Some(Err(e)) => {
                        warn!(broadcast = %occ.id, file = %e.rel, error = %e.detail, "{}", crate::i18n::journal::say(crate::i18n::journal::Note::FallbackFails));
                    }
                    None => {
                        warn!(broadcast = %occ.id, source = %live.source().as_record(), error = st.last_error.as_deref().unwrap_or(""), "{}", crate::i18n::journal::say(crate::i18n::journal::Note::RelayingSilence));
                    }
                }
            }
            if !composed.fallback {
                composed.attach(live.clone(), &occ, first);
            }
        }
        self.media.cache.save();
        match &composed.chime_trouble {
            Some((rel, e)) => self.chime_seen(rel, Some(e.clone())),
            None => {
                if let Some(c) = &composed.chime {
                    self.chime_seen(&c.rel, None);
                }
            }
        }
        for c in composed.clips.iter().chain(&composed.chime) {
            if c.info.unmeasured {
                warn!(broadcast = %occ.id, file = %c.rel, "{}", crate::i18n::journal::say(crate::i18n::journal::Note::UnityGain));
            }
        }
        let info = records::info(&occ);
        let zone = &mut self.outputs.zones[z];
        // The preview makes the same cut (onair::paper), from the same rule.
        let dropped = zone.engine.rules().dropped(&occ, first, &composed.shape());
        if let Some(d) = &dropped {
            composed.keep_repeats(composed.shape().repeat - d.repeats);
            warn!(broadcast = %occ.id, output = %zone.name, repeat = occ.broadcast().repeat, dropped = d.repeats, reason = %d.reason, "{}", crate::i18n::journal::say(crate::i18n::journal::Note::RepeatsDropped));
        }
        let start = Start {
            occ: info.clone(),
            audio: composed.audio_entries(),
            chime: composed.chime_entry(),
            repeat: occ.broadcast().repeat,
            dropped_repeats: dropped.as_ref().map_or(0, |d| d.repeats),
            dropped_reason: dropped.map(|d| d.reason),
            device: zone.output.device().to_string(),
            output: Some(zone.name.clone()),
            attempt,
            clock_synced: self.clock.synced(),
            source: composed.relay.as_ref().map(|s| s.as_record()),
            fallback: composed.fallback,
        };
        let gate = Gate::new(self.clock.instant_at(first));
        let program = Program {
            segments: composed.segments(),
            gate: Arc::clone(&gate),
        };
        let length = composed.length();
        let stop = zone
            .output
            .start(program, Report::new(token, self.outputs.events_tx.clone()));
        zone.attempts.insert(
            token,
            Attempt {
                occ,
                info,
                length,
                start: Some(start),
                start_logged: false,
                first_sample: None,
                played: Duration::ZERO,
                levels: crate::device::Levels::default(),
                stop,
                gate,
                relay: relay.map(|live| RelayAttempt {
                    before: live.stats(),
                    live,
                    fallback: composed.fallback,
                }),
            },
        );
        None
    }
}
