//! Building play-log bodies from occurrences.

use chrono::{DateTime, SecondsFormat, Utc};

use crate::plan::Occurrence;
use crate::playlog::{AudioEntry, Description, Finish, OccurrenceInfo};
use crate::station::Clip;

/// The descriptive fields of an occurrence.
pub fn info(occ: &Occurrence) -> OccurrenceInfo {
    let b = occ.broadcast();
    OccurrenceInfo {
        id: occ.id.clone(),
        desc: Description {
            schedule: occ.schedule.file.clone(),
            broadcast: b.name.clone(),
            topic: b.topic.clone(),
            priority: b.priority.as_str().to_string(),
            scheduled: occ.time.to_rfc3339_opts(SecondsFormat::Secs, false),
            approved_by: occ.schedule.approved_by.clone(),
        },
    }
}

pub fn audio_entry(c: &Clip, gain_db: Option<f64>) -> AudioEntry {
    AudioEntry {
        path: c.rel.clone(),
        sha256: c.info.sha256.clone(),
        length_s: round3(c.info.length.as_secs_f64()),
        gain_db: gain_db.map(|g| (g * 100.0).round() / 100.0),
    }
}

/// The loudness gain for a clip: to `target` LUFS within −1 dBTP. None when
/// normalisation is off or the clip is silent.
pub fn loudness_gain(c: &Clip, target: Option<f64>) -> Option<f64> {
    Some(c.info.loudness?.gain_db(target?))
}

/// A `finish` for an occurrence that never got a `start`.
pub fn finish_without_start(
    occ: &Occurrence,
    outcome: &str,
    reason: &str,
    detail: Option<String>,
) -> Finish {
    Finish {
        id: occ.id.clone(),
        info: Some(info(occ).desc),
        outcome: outcome.to_string(),
        reason: Some(reason.to_string()),
        played_s: 0.0,
        start_error_ms: None,
        detail,
    }
}

/// The scheduled time written at the end of an occurrence id.
pub fn time_of_id(id: &str) -> Option<DateTime<Utc>> {
    let (_, t) = id.rsplit_once('@')?;
    DateTime::parse_from_rfc3339(t)
        .ok()
        .map(|t| t.with_timezone(&Utc))
}

pub fn round3(x: f64) -> f64 {
    (x * 1000.0).round() / 1000.0
}
