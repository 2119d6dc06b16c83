//! Building play-log bodies from occurrences.

use chrono::SecondsFormat;

use crate::kinds::{Outcome, Reason};
use crate::plan::Occurrence;
use crate::playlog::{Description, Finish, OccurrenceInfo};

/// The descriptive fields of an occurrence.
pub fn info(occ: &Occurrence) -> OccurrenceInfo {
    let b = occ.broadcast();
    OccurrenceInfo {
        id: occ.id.clone(),
        desc: Description {
            schedule: occ.schedule.file.clone(),
            broadcast: b.name.clone(),
            topic: b.topic.clone(),
            priority: b.priority,
            scheduled: occ.time.to_rfc3339_opts(SecondsFormat::Secs, false),
            approved_by: occ.schedule.approved_by.clone(),
        },
    }
}

/// A `finish` for an occurrence that never got a `start`.
pub fn finish_without_start(
    occ: &Occurrence,
    outcome: Outcome,
    reason: Option<Reason>,
    detail: Option<String>,
) -> Finish {
    Finish {
        id: occ.id.clone(),
        info: Some(info(occ).desc),
        output: occ.output.as_deref().map(str::to_string),
        outcome,
        reason,
        played_s: 0.0,
        start_error_ms: None,
        rms_db: None,
        peak_db: None,
        detail,
        received_s: None,
        dropouts: None,
        silent_s: None,
    }
}
