//! What one occurrence sounds, composed in one place: the chime, the
//! recordings `repeat` times with `gap` between, each at its loudness gain.
//! Its length is the only answer to "how long does this sound", for the
//! daemon, the preview and the play log alike.

use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, Utc};

use crate::config::{Config, OutputConfig};
use crate::kinds::AudioEntry;
use crate::kinds::Reason;
use crate::onair::Shape;
use crate::plan::Occurrence;
use crate::player::{CHIME_GAP, Segment};
use crate::schedule::{Broadcast, Relay};
use crate::sound::audio::{AudioCache, AudioError};
use crate::sound::relay::Live;
use crate::station::{self, Clip};
use crate::units::round3;

/// An occurrence's program, ready for an output.
#[derive(Clone, Debug)]
pub struct Composed {
    /// What sounds before the first repeat: the chime and the pause after
    /// it, or nothing.
    intro: Vec<Segment>,
    /// One repeat: the recordings in order, or the relay.
    piece: Vec<Segment>,
    /// The silence between two repeats.
    gap: Duration,
    /// How many repeats sound.
    repeat: u32,
    /// The chime, if one plays, and the recordings, as resolved.
    pub chime: Option<Clip>,
    pub clips: Vec<Clip>,
    /// The chime that is set but cannot be played, and why: the program
    /// goes without it.
    pub chime_trouble: Option<(String, AudioError)>,
    /// The loudness gain (dB) of the chime and of each clip, when
    /// normalisation is on and the clip is not silent.
    chime_gain_db: Option<f64>,
    clip_gains_db: Vec<Option<f64>>,
    /// The source of a relay (also when its fallback plays instead).
    pub relay: Option<crate::sound::relay::Source>,
    /// The relay's fallback plays, its source being down.
    pub fallback: bool,
}

/// Why an occurrence's program cannot be composed: the file as written,
/// and what is wrong with it.
#[derive(Clone, Debug, PartialEq)]
pub struct NotComposed {
    pub rel: String,
    pub reason: Reason,
    pub detail: String,
    /// Its speech is not rendered yet: it may sound once it is.
    pub not_rendered: bool,
}

impl Composed {
    /// The program in time, for the rules that place its repeats: the one
    /// representation its length, the preview and the daemon's cut for
    /// quiet hours all read.
    pub fn shape(&self) -> Shape {
        let sum = |v: &[Segment]| v.iter().map(Segment::length).sum();
        Shape {
            intro: sum(&self.intro),
            one: sum(&self.piece),
            gap: self.gap,
            repeat: self.repeat,
        }
    }

    /// How long the program sounds.
    pub fn length(&self) -> Duration {
        self.shape().length()
    }

    /// The segments the output plays, in order: the intro, then each
    /// repeat with the gap before every one after the first.
    pub fn segments(&self) -> Vec<Segment> {
        let mut out = self.intro.clone();
        for r in 0..self.repeat {
            if r > 0 {
                out.push(Segment::Silence(self.gap));
            }
            out.extend(self.piece.iter().cloned());
        }
        out
    }

    /// Keeps only the first `kept` repeats (at least one): the later ones,
    /// and the gap before each, do not sound.
    pub fn keep_repeats(&mut self, kept: u32) {
        self.repeat = self.repeat.min(kept.max(1));
    }

    /// The recordings as the play log's `start` lists them.
    pub fn audio_entries(&self) -> Vec<AudioEntry> {
        self.clips
            .iter()
            .zip(&self.clip_gains_db)
            .map(|(c, g)| entry(c, *g))
            .collect()
    }

    /// Gives a relay its receiver, and cuts it to what is left of its
    /// `for` when it begins at `first` (late, or again after an
    /// emergency): a relay always ends when its `for` runs out.
    pub fn attach(&mut self, live: Arc<Live>, occ: &Occurrence, first: DateTime<Utc>) {
        let left = occ
            .relay_end()
            .and_then(|end| (end - first).to_std().ok())
            .unwrap_or_default();
        for seg in &mut self.piece {
            if let Segment::Relay {
                live: l, length, ..
            } = seg
            {
                *l = Some(live.clone());
                *length = (*length).min(left);
            }
        }
    }

    pub fn chime_entry(&self) -> Option<AudioEntry> {
        self.chime.as_ref().map(|c| entry(c, self.chime_gain_db))
    }
}

fn entry(c: &Clip, gain_db: Option<f64>) -> AudioEntry {
    AudioEntry {
        path: c.rel.clone(),
        sha256: c.info.sha256.clone(),
        length_s: round3(c.info.length.as_secs_f64()),
        gain_db: gain_db.map(|g| (g * 100.0).round() / 100.0),
        unmeasured: c.info.unmeasured,
        speech: c.speech.clone(),
    }
}

/// Builds the program of `occ` on `output` from the files as they are now.
pub fn compose(
    config: &Config,
    output: &OutputConfig,
    cache: &mut AudioCache,
    occ: &Occurrence,
) -> Result<Composed, NotComposed> {
    let b = occ.broadcast();
    if let Some(r) = &b.relay {
        return Ok(relay(output, b, r));
    }
    let station::Resolved {
        chime,
        chime_trouble,
        clips,
    } = station::clips(config, cache, occ).map_err(not_composed)?;
    let volume = output.volume * b.volume;
    let target = output.loudness;
    let gain_db = |c: &Clip| Some(c.info.loudness?.gain_db(target?));
    let file = |c: &Clip| Segment::File {
        path: c.path.clone(),
        gain: volume * crate::sound::audio::db_to_linear(gain_db(c).unwrap_or(0.0)),
        length: c.info.length,
    };
    let intro = match &chime {
        Some(c) => vec![file(c), Segment::Silence(CHIME_GAP)],
        None => Vec::new(),
    };
    Ok(Composed {
        intro,
        piece: clips.iter().map(file).collect(),
        gap: b.gap,
        repeat: b.repeat,
        chime_gain_db: chime.as_ref().and_then(gain_db),
        clip_gains_db: clips.iter().map(gain_db).collect(),
        chime,
        clips,
        chime_trouble,
        relay: None,
        fallback: false,
    })
}

fn not_composed((rel, e): (String, crate::sound::audio::AudioError)) -> NotComposed {
    NotComposed {
        detail: format!("{rel}: {e}"),
        reason: e.reason(),
        not_rendered: matches!(e, crate::sound::audio::AudioError::NotRendered),
        rel,
    }
}

/// A relay's program: its source for its `for`, at the output's and the
/// broadcast's volume (a live programme has no measured loudness), with
/// no chime (the relayed programme opens with its own signature tune).
fn relay(output: &OutputConfig, b: &Broadcast, r: &Relay) -> Composed {
    Composed {
        intro: Vec::new(),
        piece: vec![Segment::Relay {
            source: r.source.clone(),
            live: None,
            gain: output.volume * b.volume,
            length: r.length,
        }],
        gap: Duration::ZERO,
        repeat: 1,
        chime: None,
        clips: Vec::new(),
        chime_trouble: None,
        chime_gain_db: None,
        clip_gains_db: Vec::new(),
        relay: Some(r.source.clone()),
        fallback: false,
    }
}

/// The program of a relay whose source is down: its `fallback` recording
/// (or notice), once, at its loudness gain, with no chime.
///
/// Errors: the relay has no fallback (`None`), or it cannot be played.
pub fn compose_fallback(
    config: &Config,
    output: &OutputConfig,
    cache: &mut AudioCache,
    occ: &Occurrence,
) -> Option<Result<Composed, NotComposed>> {
    let b = occ.broadcast();
    let r = b.relay.as_ref()?;
    let f = r.fallback.as_ref()?;
    let c = match station::clip(config, cache, f) {
        Ok(c) => c,
        Err(e) => return Some(Err(not_composed(e))),
    };
    let gain_db = output
        .loudness
        .and_then(|t| Some(c.info.loudness?.gain_db(t)));
    let piece = vec![Segment::File {
        path: c.path.clone(),
        gain: output.volume * b.volume * crate::sound::audio::db_to_linear(gain_db.unwrap_or(0.0)),
        length: c.info.length,
    }];
    Some(Ok(Composed {
        intro: Vec::new(),
        piece,
        gap: Duration::ZERO,
        repeat: 1,
        chime: None,
        clip_gains_db: vec![gain_db],
        clips: vec![c],
        chime_trouble: None,
        chime_gain_db: None,
        relay: Some(r.source.clone()),
        fallback: true,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_length_is_chime_gap_repeats_and_gaps() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let config = Config::load(&root.join("config.yaml")).unwrap_or_else(|e| panic!("{e:?}"));
        let mut cache = AudioCache::new();
        let schedules: Vec<_> = station::read_all(&config)
            .into_iter()
            .filter_map(|f| f.schedule)
            .collect();
        let from = chrono::DateTime::parse_from_rfc3339("2025-03-03T00:00:00+07:00")
            .map(|t| t.with_timezone(&chrono::Utc))
            .unwrap_or_default();
        let occs = crate::plan::occurrences(
            &schedules,
            config.timezone,
            from,
            from + chrono::TimeDelta::days(7),
        );
        let o = occs
            .iter()
            .find(|o| o.broadcast().repeat > 1)
            .unwrap_or_else(|| panic!("the sample station repeats a broadcast"));
        let b = o.broadcast();
        let p =
            compose(&config, &config.outputs[0], &mut cache, o).unwrap_or_else(|e| panic!("{e:?}"));
        let chime = p
            .chime
            .as_ref()
            .map(|c| c.info.length + CHIME_GAP)
            .unwrap_or_default();
        let one: Duration = p.clips.iter().map(|c| c.info.length).sum();
        assert!(!one.is_zero());
        assert_eq!(
            p.length(),
            chime + one * b.repeat + b.gap * (b.repeat - 1),
            "{}",
            o.id
        );
        // The shape says the same, and so does a program cut short.
        assert_eq!(p.shape().length(), p.length());
        let mut short = p.clone();
        short.keep_repeats(1);
        assert_eq!(short.length(), chime + one, "{}", o.id);
        assert_eq!(short.length(), p.shape().length_of(1));
        assert_eq!(short.shape().repeat, 1);
        // What the output plays is as long as the shape says.
        let played: Duration = short.segments().iter().map(Segment::length).sum();
        assert_eq!(played, short.length());
        let played: Duration = p.segments().iter().map(Segment::length).sum();
        assert_eq!(played, p.length());
    }
}
