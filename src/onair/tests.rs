//! The on-air rules, table by table: each case is a day of broadcasts with
//! known lengths, played through the engine on paper, and what must happen
//! to each broadcast.

use std::collections::HashMap;
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, TimeDelta, TimeZone, Utc};

use super::paper::{Prediction, preview};
use super::*;
use crate::plan;
use crate::schedule::Schedule;

const HCM: chrono_tz::Tz = chrono_tz::Asia::Ho_Chi_Minh;

fn schedule(text: &str) -> Arc<Schedule> {
    let (s, d) = crate::schedule::parse("s.yaml", Path::new("s.yaml"), text);
    Arc::new(s.unwrap_or_else(|| panic!("{d:#?}")))
}

/// 07:00:00 local on 2025-03-03, plus `s` seconds.
fn t(s: i64) -> DateTime<Utc> {
    HCM.with_ymd_and_hms(2025, 3, 3, 7, 0, 0)
        .single()
        .map(|t| t.with_timezone(&Utc))
        .unwrap_or_default()
        + TimeDelta::seconds(s)
}

fn rules(late_s: i64, quiet: &[&str], approval: bool) -> Rules {
    Rules {
        late_limit: TimeDelta::seconds(late_s),
        lead: LEAD,
        quiet_hours: quiet.iter().filter_map(|q| TimeRange::parse(q)).collect(),
        require_approval: approval,
    }
}

/// Broadcasts as (name, time after 07:00 in seconds, priority, length in
/// seconds), in one schedule file.
fn plan_of(header: &str, list: &[(&str, i64, &str, u64)]) -> Vec<(Occurrence, paper::Paper)> {
    let mut text = format!("title: t\n{header}broadcasts:\n");
    for (name, at, prio, _) in list {
        let at = format!("07:{:02}:{:02}", at / 60, at % 60);
        text.push_str(&format!(
            "  - name: {name}\n    audio: a.mp3\n    at: \"{at}\"\n    priority: {prio}\n"
        ));
    }
    let s = schedule(&text);
    let len: HashMap<&str, u64> = list.iter().map(|(n, _, _, l)| (*n, *l)).collect();
    plan::occurrences(&[s], HCM, t(-3600), t(3600))
        .into_iter()
        .map(|o| {
            let l = len.get(o.broadcast().name.as_str()).copied().unwrap_or(0);
            (o, Ok(Shape::single(Duration::from_secs(l))))
        })
        .collect()
}

fn by_name(plan: &[(Occurrence, paper::Paper)], r: Rules) -> HashMap<String, Prediction> {
    let p = preview(r, plan, t(-3600));
    plan.iter()
        .filter_map(|(o, _)| Some((o.broadcast().name.clone(), p.get(&o.id)?.clone())))
        .collect()
}

/// What must happen to a broadcast: start and end in seconds after 07:00
/// (None: does not sound), outcome, reason.
type Want = (
    &'static str,
    Option<i64>,
    Option<i64>,
    Outcome,
    Option<Reason>,
);

fn check(case: &str, got: &HashMap<String, Prediction>, want: &[Want]) {
    for (name, start, end, outcome, reason) in want {
        let p = got
            .get(*name)
            .unwrap_or_else(|| panic!("{case}: no prediction for {name}"));
        assert_eq!(p.start, start.map(t), "{case}: {name} start");
        assert_eq!(p.end, end.map(t), "{case}: {name} end");
        assert_eq!(p.outcome, *outcome, "{case}: {name} outcome");
        assert_eq!(p.reason, *reason, "{case}: {name} reason");
    }
}

/// A case: what it shows, the schedule file's header, its broadcasts, the
/// rules, and what must happen.
type Case = (
    &'static str,
    &'static str,
    Vec<(&'static str, i64, &'static str, u64)>,
    Rules,
    Vec<Want>,
);

#[test]
fn the_on_air_rules_table() {
    use Outcome::*;
    let cases: Vec<Case> = vec![
        (
            "a busy output queues in time order",
            "",
            vec![
                ("A", 0, "normal", 6),
                ("B", 2, "normal", 5),
                ("C", 4, "normal", 1),
            ],
            rules(600, &[], false),
            vec![
                ("A", Some(0), Some(6), Played, None),
                ("B", Some(6), Some(11), Played, None),
                ("C", Some(11), Some(12), Played, None),
            ],
        ),
        (
            "priority goes ahead of waiting normal broadcasts, not of the one sounding",
            "",
            vec![
                ("A", 0, "normal", 6),
                ("B", 2, "normal", 5),
                ("C", 3, "priority", 4),
            ],
            rules(600, &[], false),
            vec![
                ("A", Some(0), Some(6), Played, None),
                ("C", Some(6), Some(10), Played, None),
                ("B", Some(10), Some(15), Played, None),
            ],
        ),
        (
            "an emergency cuts in, and the cut broadcast starts again within late_limit",
            "",
            vec![("F", 0, "normal", 30), ("E", 20, "emergency", 5)],
            rules(600, &[], false),
            vec![
                ("E", Some(20), Some(25), Played, None),
                ("F", Some(0), Some(55), Played, None),
            ],
        ),
        (
            "a cut broadcast past late_limit is not started again",
            "",
            vec![("F", 0, "normal", 30), ("E", 20, "emergency", 5)],
            rules(15, &[], false),
            vec![
                ("E", Some(20), Some(25), Played, None),
                ("F", Some(0), Some(20), Interrupted, Some(Reason::Emergency)),
            ],
        ),
        (
            "an emergency waits for an emergency",
            "",
            vec![("E1", 0, "emergency", 10), ("E2", 5, "khẩn cấp", 3)],
            rules(600, &[], false),
            vec![
                ("E1", Some(0), Some(10), Played, None),
                ("E2", Some(10), Some(13), Played, None),
            ],
        ),
        (
            "a broadcast that cannot start within late_limit is missed",
            "",
            vec![
                ("A", 0, "normal", 60),
                ("B", 10, "normal", 5),
                ("C", 70, "normal", 5),
            ],
            rules(30, &[], false),
            vec![
                ("A", Some(0), Some(60), Played, None),
                ("B", None, None, Missed, Some(Reason::Busy)),
                ("C", Some(70), Some(75), Played, None),
            ],
        ),
        (
            "quiet hours skip normal and priority broadcasts, not emergencies",
            "",
            vec![
                ("N", 0, "normal", 5),
                ("P", 10, "priority", 5),
                ("E", 20, "emergency", 5),
            ],
            rules(600, &["06:00-07:30"], false),
            vec![
                ("N", None, None, Skipped, Some(Reason::QuietHours)),
                ("P", None, None, Skipped, Some(Reason::QuietHours)),
                ("E", Some(20), Some(25), Played, None),
            ],
        ),
        (
            "without approval only an emergency sounds when approval is required (SPEC §9)",
            "",
            vec![("A", 0, "normal", 5), ("E", 10, "emergency", 5)],
            rules(600, &[], true),
            vec![
                ("A", None, None, Skipped, Some(Reason::NotApproved)),
                ("E", Some(10), Some(15), Played, None),
            ],
        ),
        (
            "an approved schedule sounds when approval is required",
            "approved_by: \"Trần Quang Hướng\"\n",
            vec![("A", 0, "normal", 5)],
            rules(600, &[], true),
            vec![("A", Some(0), Some(5), Played, None)],
        ),
    ];
    for (case, header, list, r, want) in cases {
        let plan = plan_of(header, &list);
        check(case, &by_name(&plan, r), &want);
    }
}

#[test]
fn the_preview_says_what_waited_behind_what_and_what_was_cut() {
    let plan = plan_of(
        "",
        &[
            ("A", 0, "normal", 6),
            ("B", 2, "normal", 5),
            ("F", 60, "normal", 30),
            ("E", 80, "emergency", 5),
        ],
    );
    let p = by_name(&plan, rules(600, &[], false));
    assert_eq!(p["B"].behind.as_ref().map(|w| w.name.as_str()), Some("A"));
    assert_eq!(p["A"].behind, None);
    assert_eq!(p["E"].cuts.as_ref().map(|w| w.name.as_str()), Some("F"));
    assert_eq!(
        p["F"].restarts,
        vec![paper::Restart {
            cut_at: t(80),
            by: paper::Who {
                name: "E".into(),
                file: plan[0].0.schedule.file.clone(),
            },
            again_at: Some(t(85)),
        }]
    );
}

/// Drives an engine by hand: the output reports what it is asked to do at
/// once (opened, started at its time), and ends nothing by itself.
fn begun(actions: &[Action]) -> Vec<(u64, String)> {
    actions
        .iter()
        .filter_map(|a| match a {
            Action::Begin { token, occ, .. } => Some((*token, occ.broadcast().name.clone())),
            _ => None,
        })
        .collect()
}

fn closed(actions: &[Action]) -> Vec<(String, Outcome, Option<Reason>)> {
    actions
        .iter()
        .filter_map(|a| match a {
            Action::Close(c) => Some((c.occ.broadcast().name.clone(), c.outcome, c.reason.clone())),
            _ => None,
        })
        .collect()
}

#[test]
fn a_forward_clock_jump_closes_what_it_skipped_and_plays_no_burst() {
    let plan = plan_of(
        "",
        &[
            ("A", 0, "normal", 5),
            ("B", 60, "normal", 5),
            ("C", 600, "normal", 5),
        ],
    );
    let occs: Vec<Occurrence> = plan.iter().map(|(o, _)| o.clone()).collect();
    let mut e = Engine::new(rules(600, &[], false), 1);
    assert!(e.step(t(-10), Input::Planned(occs.clone())).is_empty());
    // A is opened early and is on air at its time.
    let a = e.step(t(-1), Input::Tick);
    assert_eq!(begun(&a), vec![(1, "A".to_string())]);
    // The clock jumps from 07:00:00 to 07:09:00 while A is on air: B's time
    // was skipped. The daemon plans the skipped span and says so.
    let skipped: Vec<Occurrence> = occs
        .iter()
        .filter(|o| o.utc() >= t(0) && o.utc() < t(540))
        .cloned()
        .collect();
    let got = e.step(
        t(540),
        Input::Lost {
            occs: skipped,
            why: Reason::ClockJump,
        },
    );
    assert_eq!(
        closed(&got),
        vec![("B".to_string(), Outcome::Missed, Some(Reason::ClockJump))],
        "A is on air and stays so; B is missed; nothing begins"
    );
    assert!(begun(&got).is_empty());
    let got = e.step(t(540), Input::ClockJumped);
    assert!(closed(&got).is_empty() && begun(&got).is_empty());
    // A ends; C is not due yet: nothing sounds until then.
    let got = e.step(
        t(541),
        Input::Output(OutputEvent::Ended {
            token: 1,
            ending: Ending::Completed,
        }),
    );
    assert_eq!(closed(&got), vec![("A".to_string(), Outcome::Played, None)]);
    assert!(begun(&got).is_empty());
    assert_eq!(e.next_deadline(), Some(t(600) - LEAD));
}

#[test]
fn a_backward_clock_jump_replays_nothing() {
    let plan = plan_of("", &[("A", 0, "normal", 5), ("B", 60, "normal", 5)]);
    let occs: Vec<Occurrence> = plan.iter().map(|(o, _)| o.clone()).collect();
    let mut e = Engine::new(rules(600, &[], false), 1);
    e.step(t(-10), Input::Planned(occs.clone()));
    assert_eq!(begun(&e.step(t(-1), Input::Tick)), vec![(1, "A".into())]);
    e.step(t(0), Input::Output(OutputEvent::Opened { token: 1 }));
    let got = e.step(
        t(5),
        Input::Output(OutputEvent::Ended {
            token: 1,
            ending: Ending::Completed,
        }),
    );
    assert_eq!(closed(&got), vec![("A".to_string(), Outcome::Played, None)]);
    // The clock steps back ten minutes; the daemon plans again from there.
    let got = e.step(t(-600), Input::Planned(occs.clone()));
    assert!(begun(&got).is_empty());
    let got = e.step(t(-1), Input::Tick);
    assert!(begun(&got).is_empty(), "A must not sound twice");
    assert_eq!(e.next_deadline(), Some(t(60) - LEAD));
    assert_eq!(begun(&e.step(t(59), Input::Tick)), vec![(2, "B".into())]);
}

#[test]
fn shutdown_before_a_broadcast_sounds_leaves_it_for_the_next_start() {
    let plan = plan_of("", &[("A", 0, "normal", 5)]);
    let occs: Vec<Occurrence> = plan.iter().map(|(o, _)| o.clone()).collect();
    let mut e = Engine::new(rules(600, &[], false), 7);
    e.step(t(-10), Input::Planned(occs));
    assert_eq!(begun(&e.step(t(-1), Input::Tick)), vec![(7, "A".into())]);
    let got = e.step(t(-1), Input::Shutdown);
    assert!(matches!(
        got.as_slice(),
        [Action::Cut {
            token: 7,
            reason: Reason::Shutdown,
            ..
        }]
    ));
    let got = e.step(
        t(-1),
        Input::Output(OutputEvent::Ended {
            token: 7,
            ending: Ending::Stopped,
        }),
    );
    assert!(got.is_empty(), "nothing is on record: {got:?}");
    assert!(!e.is_done(&plan[0].0.id));
    // Once its start is on record, a shutdown closes it.
    let plan = plan_of("", &[("A", 0, "normal", 5)]);
    let mut e = Engine::new(rules(600, &[], false), 1);
    e.step(t(-10), Input::Planned(vec![plan[0].0.clone()]));
    e.step(t(-1), Input::Tick);
    e.step(t(-1), Input::Output(OutputEvent::Opened { token: 1 }));
    e.step(t(-1), Input::Shutdown);
    let got = e.step(
        t(-1),
        Input::Output(OutputEvent::Ended {
            token: 1,
            ending: Ending::Stopped,
        }),
    );
    assert_eq!(
        closed(&got),
        vec![(
            "A".to_string(),
            Outcome::Interrupted,
            Some(Reason::Shutdown)
        )]
    );
}

#[test]
fn a_waiting_broadcast_takes_its_schedule_as_reloaded() {
    let before = plan_of("", &[("A", 0, "normal", 60), ("B", 10, "normal", 5)]);
    let after = plan_of("", &[("A", 0, "normal", 60), ("B", 10, "emergency", 5)]);
    let mut e = Engine::new(rules(600, &[], false), 1);
    e.step(
        t(-10),
        Input::Planned(before.iter().map(|(o, _)| o.clone()).collect()),
    );
    assert_eq!(begun(&e.step(t(-1), Input::Tick)), vec![(1, "A".into())]);
    e.step(t(0), Input::Output(OutputEvent::Opened { token: 1 }));
    // B waits behind A; then its file is edited to make it an emergency.
    assert!(e.step(t(11), Input::Tick).is_empty());
    assert_eq!(e.waiting().len(), 1);
    e.step(
        t(12),
        Input::Planned(after.iter().map(|(o, _)| o.clone()).collect()),
    );
    let got = e.step(t(12), Input::Tick);
    assert!(
        matches!(
            got.as_slice(),
            [Action::Cut {
                token: 1,
                reason: Reason::Emergency,
                ..
            }]
        ),
        "the reloaded emergency cuts A: {got:?}"
    );
}

/// A relay broadcast at `at` seconds after 07:00, for `for_s` seconds, and a
/// recording `A` at 07:00, under `header`.
fn relays_of(header: &str, list: &[(&str, i64, &str)]) -> Vec<Occurrence> {
    let mut text = format!("title: t\n{header}broadcasts:\n");
    for (name, at, prio) in list {
        let at = format!("07:{:02}:{:02}", at / 60, at % 60);
        text.push_str(&format!(
            "  - name: {name}\n    relay: \"http://127.0.0.1:9/vov1\"\n    for: 30s\n    at: \"{at}\"\n    priority: {prio}\n"
        ));
    }
    plan::occurrences(&[schedule(&text)], HCM, t(-3600), t(3600))
}

fn prepared(actions: &[Action]) -> Vec<String> {
    actions
        .iter()
        .filter_map(|a| match a {
            Action::Prepare(o) => Some(o.broadcast().name.clone()),
            _ => None,
        })
        .collect()
}

fn released(actions: &[Action]) -> usize {
    actions
        .iter()
        .filter(|a| matches!(a, Action::Release(_)))
        .count()
}

#[test]
fn a_relay_is_received_from_prepare_early_until_it_is_closed() {
    let occs = relays_of("", &[("V", 60, "normal")]);
    let mut e = Engine::new(rules(600, &[], false), 1);
    e.step(t(0), Input::Planned(occs.clone()));
    // Its connection is the first thing due, before its lead.
    assert_eq!(e.next_deadline(), Some(t(60) - PREPARE));
    assert!(
        prepared(&e.step(t(60) - PREPARE - TimeDelta::milliseconds(1), Input::Tick)).is_empty()
    );
    let got = e.step(t(60) - PREPARE, Input::Tick);
    assert_eq!(prepared(&got), vec!["V".to_string()]);
    assert_eq!(e.next_deadline(), Some(t(60) - LEAD), "asked once only");
    assert!(prepared(&e.step(t(58), Input::Tick)).is_empty());
    assert_eq!(begun(&e.step(t(59), Input::Tick)), vec![(1, "V".into())]);
    e.step(t(59), Input::Output(OutputEvent::Opened { token: 1 }));
    let got = e.step(
        t(90),
        Input::Output(OutputEvent::Ended {
            token: 1,
            ending: Ending::Completed,
        }),
    );
    assert_eq!(released(&got), 1, "released once closed: {got:?}");
}

#[test]
fn a_relay_no_longer_planned_or_kept_silent_is_not_received() {
    let occs = relays_of("", &[("V", 60, "normal")]);
    let mut e = Engine::new(rules(600, &[], false), 1);
    e.step(t(0), Input::Planned(occs));
    assert_eq!(prepared(&e.step(t(56), Input::Tick)), vec!["V".to_string()]);
    // Its schedule file is removed: the receiver goes with it.
    let got = e.step(t(57), Input::Planned(Vec::new()));
    assert_eq!(released(&got), 1, "{got:?}");
    assert_eq!(e.next_deadline(), None);
    // In quiet hours it will not sound: nothing connects, and nothing
    // wakes the daemon for it before its time.
    let occs = relays_of("", &[("V", 60, "normal")]);
    let mut e = Engine::new(rules(600, &["06:00-08:00"], false), 1);
    e.step(t(0), Input::Planned(occs));
    assert_eq!(e.next_deadline(), Some(t(60)));
    let got = e.step(t(60), Input::Tick);
    assert!(prepared(&got).is_empty() && released(&got) == 0, "{got:?}");
    assert_eq!(
        closed(&got),
        vec![("V".into(), Outcome::Skipped, Some(Reason::QuietHours))]
    );
}

#[test]
fn an_attempt_held_for_its_speech_is_begun_again_until_it_can_sound() {
    let plan = plan_of("", &[("A", 0, "normal", 5)]);
    let occs: Vec<Occurrence> = plan.iter().map(|(o, _)| o.clone()).collect();
    let mut e = Engine::new(rules(600, &[], false), 1);
    e.step(t(-10), Input::Planned(occs));
    assert_eq!(begun(&e.step(t(-1), Input::Tick)), vec![(1, "A".into())]);
    // Its speech is not rendered: the output stays its, and the engine
    // says when to try again.
    let got = e.step(t(-1), Input::Output(OutputEvent::NotReady { token: 1 }));
    assert!(got.is_empty(), "{got:?}");
    assert!(e.on_air().is_some_and(OnAir::is_held));
    assert_eq!(e.next_deadline(), Some(t(-1) + RETRY));
    assert!(e.step(t(-1) + RETRY / 2, Input::Tick).is_empty());
    let again = e.step(t(-1) + RETRY, Input::Tick);
    assert!(
        matches!(
            again.as_slice(),
            [Action::Begin {
                token: 1,
                again: true,
                ..
            }]
        ),
        "{again:?}"
    );
    assert!(!e.on_air().is_some_and(OnAir::is_held));
    // Held again; a finished render begins it at once, not at the retry.
    e.step(t(0), Input::Output(OutputEvent::NotReady { token: 1 }));
    assert_eq!(begun(&e.step(t(0), Input::Ready)), vec![(1, "A".into())]);
}

#[test]
fn an_emergency_takes_an_output_held_for_speech_at_once() {
    let plan = plan_of("", &[("A", 0, "normal", 5), ("E", 10, "emergency", 5)]);
    let occs: Vec<Occurrence> = plan.iter().map(|(o, _)| o.clone()).collect();
    let mut e = Engine::new(rules(600, &[], false), 1);
    e.step(t(-10), Input::Planned(occs));
    e.step(t(-1), Input::Tick);
    e.step(t(-1), Input::Output(OutputEvent::NotReady { token: 1 }));
    // Still held at the emergency's time: nothing is open to cut, so the
    // emergency begins in the same step, and A waits for its next attempt.
    let mut at = t(-1);
    while let Some(d) = e.next_deadline().filter(|d| *d < t(10)) {
        at = d;
        e.step(at, Input::Tick);
        e.step(at, Input::Output(OutputEvent::NotReady { token: 1 }));
    }
    assert!(at > t(9), "held until then: {at}");
    let got = e.step(t(10), Input::Tick);
    assert!(
        !got.iter().any(|a| matches!(a, Action::Cut { .. })),
        "{got:?}"
    );
    assert_eq!(begun(&got), vec![(2, "E".into())]);
    assert!(closed(&got).is_empty(), "A is not on record: {got:?}");
    assert_eq!(e.waiting().len(), 1);
    // A shutdown ends a held attempt the same way: nothing to stop.
    let plan = plan_of("", &[("A", 60, "normal", 5)]);
    let mut e = Engine::new(rules(600, &[], false), 1);
    e.step(t(0), Input::Planned(vec![plan[0].0.clone()]));
    e.step(t(59), Input::Tick);
    e.step(t(59), Input::Output(OutputEvent::NotReady { token: 1 }));
    let got = e.step(t(59), Input::Shutdown);
    assert!(got.is_empty(), "{got:?}");
    assert!(e.on_air().is_none() && e.next_deadline().is_none());
}
