//! When a broadcast sounds: `at` times with `days`, a `cron` expression,
//! or one-off `on` date-times.

use croner::Cron;
use croner::parser::{CronParser, Seconds};

use super::parse::{Ctx, RawBroadcast};
use super::{Days, When};
use crate::i18n::Msg;
use crate::units::{parse_datetime, parse_time};
use crate::yaml::pos_of;

/// When a broadcast sounds: exactly one of `at` (with `days`), `cron` or
/// `on`, each value checked and located.
pub(super) fn when(cx: &mut Ctx, r: &RawBroadcast) -> Option<When> {
    let ways = [r.at.is_some(), r.cron.is_some(), r.on.is_some()]
        .iter()
        .filter(|x| **x)
        .count();
    if ways == 0 {
        cx.err(pos_of(&r.name), Msg::WhenNone);
    } else if ways > 1 {
        let second = [
            r.cron.as_ref().and_then(pos_of),
            r.on.as_ref().and_then(pos_of),
        ]
        .into_iter()
        .flatten()
        .next();
        cx.err(second.or_else(|| pos_of(&r.name)), Msg::WhenMany);
    }
    if r.days.is_some() && r.at.is_none() {
        cx.err(r.days.as_ref().and_then(pos_of), Msg::DaysWithoutAt);
    }
    if let Some(at) = &r.at {
        let mut times = Vec::new();
        for item in &at.value.0 {
            match parse_time(&item.value.0) {
                Some(t) => times.push(t),
                None => cx.err(
                    Ctx::item_pos(item, at),
                    Msg::BadTime {
                        value: item.value.0.clone(),
                    },
                ),
            }
        }
        if at.value.0.is_empty() {
            cx.err(
                pos_of(at),
                Msg::BadTime {
                    value: String::new(),
                },
            );
        }
        times.sort();
        times.dedup();
        let mut days = Days(0);
        match &r.days {
            None => days = Days::ALL,
            Some(list) => {
                for item in &list.value.0 {
                    match Days::parse_word(&item.value.0) {
                        Some(x) => days.add(x),
                        None => cx.err(
                            Ctx::item_pos(item, list),
                            Msg::BadDay {
                                value: item.value.0.clone(),
                            },
                        ),
                    }
                }
            }
        }
        Some(When::At { times, days })
    } else if let Some(c) = &r.cron {
        parse_cron(&c.value.0)
            .map_err(|detail| {
                cx.err(
                    pos_of(c),
                    Msg::BadCron {
                        value: c.value.0.clone(),
                        detail,
                    },
                )
            })
            .ok()
            .map(|c| When::Cron(Box::new(c)))
    } else if let Some(on) = &r.on {
        let mut list = Vec::new();
        for item in &on.value.0 {
            match parse_datetime(&item.value.0) {
                Some(t) => list.push(t),
                None => cx.err(
                    Ctx::item_pos(item, on),
                    Msg::BadDateTime {
                        value: item.value.0.clone(),
                    },
                ),
            }
        }
        list.sort();
        list.dedup();
        Some(When::On(list))
    } else {
        None
    }
}

/// Parses a cron expression with an optional seconds field.
pub fn parse_cron(s: &str) -> Result<Cron, String> {
    let fields = s.split_whitespace().count();
    if !(5..=6).contains(&fields) {
        return Err(format!("{fields} fields"));
    }
    CronParser::builder()
        .seconds(Seconds::Optional)
        .build()
        .parse(s)
        .map_err(|e| e.to_string())
}
