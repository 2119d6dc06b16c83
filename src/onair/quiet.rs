//! Repeats and quiet hours: a program that would run into quiet hours
//! loses the repeats that would start there. The one place this rule lives,
//! for the daemon (when it begins an attempt) and the preview alike, so
//! `next` predicts the end the daemon will have.

use std::time::Duration;

use chrono::{DateTime, TimeDelta, Utc};

use super::Rules;
use crate::kinds::{Priority, Reason};
use crate::plan::Occurrence;

/// A program as time sees it: what sounds before the first repeat (the
/// chime and its gap), one repeat, the silence between two, and how many.
/// Enough to place every repeat without opening a file.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Shape {
    pub intro: Duration,
    pub one: Duration,
    pub gap: Duration,
    pub repeat: u32,
}

impl Shape {
    /// A program of one piece that sounds for `length`.
    pub fn single(length: Duration) -> Shape {
        Shape {
            intro: Duration::ZERO,
            one: length,
            gap: Duration::ZERO,
            repeat: 1,
        }
    }

    /// How long the whole program sounds.
    pub fn length(&self) -> Duration {
        self.length_of(self.repeat)
    }

    /// How long the program sounds with only its first `kept` repeats.
    pub fn length_of(&self, kept: u32) -> Duration {
        let kept = kept.min(self.repeat);
        self.intro + self.one * kept + self.gap * kept.saturating_sub(1)
    }

    /// How long the program sounds without the repeats `dropped`.
    pub fn length_less(&self, dropped: Option<&Dropped>) -> Duration {
        self.length_of(self.repeat - dropped.map_or(0, |d| d.repeats.min(self.repeat)))
    }

    /// How long after the program's start repeat `r` (0 is the first)
    /// starts.
    fn start_of(&self, r: u32) -> Duration {
        self.intro + (self.one + self.gap) * r
    }
}

/// Repeats of a program that will not sound, and the rule that drops them.
#[derive(Clone, Debug, PartialEq)]
pub struct Dropped {
    pub repeats: u32,
    pub reason: Reason,
}

impl Rules {
    /// The repeats `occ` loses when its first sample leaves at `at`: every
    /// repeat (with the gap before it) from the first one that would start
    /// inside quiet hours on. A repeat already sounding when quiet hours
    /// begin finishes. Emergencies lose nothing; the first repeat is never
    /// dropped here (one due inside quiet hours is skipped whole, by
    /// [`Rules::skip`]). `None` when the whole program sounds.
    pub fn dropped(&self, occ: &Occurrence, at: DateTime<Utc>, shape: &Shape) -> Option<Dropped> {
        if shape.repeat < 2 || self.quiet_hours.is_empty() || occ.priority() == Priority::Emergency
        {
            return None;
        }
        let tz = occ.time.timezone();
        let quiet = |r: u32| {
            let local = (at + TimeDelta::from_std(shape.start_of(r)).unwrap_or(TimeDelta::MAX))
                .with_timezone(&tz)
                .time();
            self.quiet_hours.iter().any(|q| q.contains(local))
        };
        let first = (1..shape.repeat).find(|r| quiet(*r))?;
        Some(Dropped {
            repeats: shape.repeat - first,
            reason: Reason::QuietHours,
        })
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;
    use std::sync::Arc;

    use chrono::TimeZone;

    use super::*;
    use crate::units::TimeRange;

    const HCM: chrono_tz::Tz = chrono_tz::Asia::Ho_Chi_Minh;

    /// One occurrence of a broadcast at `at` (local, on 2025-03-03) with
    /// `priority`.
    fn occ(at: &str, priority: &str) -> Occurrence {
        let text = format!(
            "title: t\nbroadcasts:\n  - name: B\n    audio: a.mp3\n    at: \"{at}\"\n    priority: {priority}\n"
        );
        let (s, d) = crate::schedule::parse("s.yaml", Path::new("s.yaml"), &text);
        let s = Arc::new(s.unwrap_or_else(|| panic!("{d:#?}")));
        let day = |h| {
            HCM.with_ymd_and_hms(2025, 3, 3, h, 0, 0)
                .single()
                .map(|t| t.with_timezone(&Utc))
                .unwrap_or_default()
        };
        crate::plan::occurrences(&[s], HCM, day(0), day(0) + TimeDelta::days(1))
            .into_iter()
            .next()
            .unwrap_or_else(|| panic!("no occurrence at {at}"))
    }

    fn rules(quiet: &[&str]) -> Rules {
        Rules {
            late_limit: TimeDelta::seconds(600),
            lead: super::super::LEAD,
            quiet_hours: quiet.iter().filter_map(|q| TimeRange::parse(q)).collect(),
            require_approval: false,
        }
    }

    #[test]
    fn repeats_that_would_start_in_quiet_hours_are_dropped() {
        // Chime 5 s + 1 s, one repeat 60 s, gap 5 s: repeat r starts
        // 6 + 65 r seconds after the first sample.
        let shape = |repeat| Shape {
            intro: Duration::from_secs(6),
            one: Duration::from_secs(60),
            gap: Duration::from_secs(5),
            repeat,
        };
        const NIGHT: &[&str] = &["21:30-05:00"];
        const N: &str = "normal";
        // (quiet hours, scheduled, priority, starts this many seconds
        // late, repeats, repeats dropped)
        type Case = (
            &'static [&'static str],
            &'static str,
            &'static str,
            i64,
            u32,
            u32,
        );
        let cases: [Case; 15] = [
            (&[], "21:27", N, 0, 5, 0),              // no quiet hours
            (NIGHT, "21:20", N, 0, 5, 0),            // all end before
            (NIGHT, "21:29", N, 0, 1, 0),            // one repeat
            (NIGHT, "21:27", N, 0, 5, 2),            // the fourth would start at 21:30:21
            (NIGHT, "21:28:48", N, 0, 3, 1),         // one from 21:29:59 finishes
            (NIGHT, "21:28:49", N, 0, 3, 2),         // one at 21:30:00 is dropped
            (NIGHT, "21:27:43", N, 0, 3, 0),         // just fits: the last at 21:29:59
            (NIGHT, "21:29", "priority", 0, 3, 2),   // priority is no exception
            (NIGHT, "21:29", "emergency", 0, 5, 0),  // emergencies lose nothing
            (NIGHT, "21:27", N, 60, 5, 3),           // a late start drops more
            (&["12:00-13:30"], "11:58", N, 0, 4, 2), // quiet hours within a day
            (&["21:31-21:32"], "21:29", N, 0, 5, 3), // nothing resumes after a short range
            (&["23:50-00:10"], "23:48", N, 0, 4, 2), // a range across midnight
            (&["23:50-00:10"], "00:10", N, 0, 4, 0), // after its end
            (&["00:00-05:00"], "23:58", N, 0, 4, 2), // repeats past midnight, into the next day
        ];
        for case in cases {
            let (quiet, at, prio, late, repeat, dropped) = case;
            let o = occ(at, prio);
            let start = o.utc() + TimeDelta::seconds(late);
            let got = rules(quiet).dropped(&o, start, &shape(repeat));
            let want = (dropped > 0).then_some(Dropped {
                repeats: dropped,
                reason: Reason::QuietHours,
            });
            assert_eq!(got, want, "{case:?}");
        }
    }

    #[test]
    fn quiet_hours_across_midnight_are_one_night() {
        // A long program late in the evening: at 21:00 with 20 repeats of
        // 10 minutes it would run until 00:30; repeats from 21:30 on go,
        // and none comes back after midnight.
        let shape = Shape {
            intro: Duration::ZERO,
            one: Duration::from_secs(600),
            gap: Duration::ZERO,
            repeat: 20,
        };
        let o = occ("21:00", "normal");
        let got = rules(&["21:30-05:00"]).dropped(&o, o.utc(), &shape);
        assert_eq!(got.map(|d| d.repeats), Some(17));
        // Due at 04:50 it is the skip rule's (its first repeat is due in
        // quiet hours); the repeats from 05:00 on are not this rule's.
        let o = occ("04:50", "normal");
        let got = rules(&["21:30-05:00"]).dropped(&o, o.utc(), &shape);
        assert_eq!(got, None);
    }

    #[test]
    fn a_shape_is_as_long_as_what_it_keeps() {
        let s = Shape {
            intro: Duration::from_secs(6),
            one: Duration::from_secs(60),
            gap: Duration::from_secs(5),
            repeat: 5,
        };
        assert_eq!(s.length(), Duration::from_secs(6 + 300 + 20));
        assert_eq!(s.length_of(2), Duration::from_secs(6 + 120 + 5));
        assert_eq!(s.length_of(9), s.length());
        assert_eq!(
            Shape::single(Duration::from_secs(7)).length(),
            Duration::from_secs(7)
        );
    }
}
