//! One broadcast of a schedule file read from its YAML: the defaults it
//! takes from the file, its outputs, its program (recordings, speech or a
//! relay) and when it sounds, each mistake located.

use std::collections::BTreeSet;

use chrono::NaiveDate;
use serde_saphyr::Spanned;

use super::parse::{Ctx, List, RawBroadcast};
use super::{
    AudioRef, Broadcast, Chime, DEFAULT_GAP, MAX_RELAY, MAX_REPEAT, MIN_RELAY, OutputRef, Priority,
    Relay, when,
};
use crate::i18n::Msg;
use crate::units::parse_duration;
use crate::yaml::pos_of;
pub(super) struct Defaults {
    pub(super) from: Option<NaiveDate>,
    pub(super) until: Option<NaiveDate>,
    pub(super) except: BTreeSet<NaiveDate>,
    pub(super) priority: Priority,
    pub(super) topic: String,
    pub(super) outputs: Option<Vec<OutputRef>>,
}

/// The output names of an `outputs:` list (checked against the station's
/// outputs where the config is known: [`crate::station`]).
pub(super) fn output_refs(cx: &mut Ctx, list: &Spanned<List>) -> Vec<OutputRef> {
    if list.value.0.is_empty() {
        // An empty list would make a broadcast that plays nowhere.
        cx.err(pos_of(list), Msg::EmptyOutputsList);
    }
    list.value
        .0
        .iter()
        .map(|i| OutputRef {
            name: i.value.0.trim().to_string(),
            pos: pos_of(i).or_else(|| pos_of(list)),
        })
        .filter(|o| cx.text("outputs", &o.name, o.pos))
        .collect()
}

pub(super) fn broadcast(
    cx: &mut Ctx,
    name: String,
    rb: &Spanned<RawBroadcast>,
    d: &Defaults,
) -> Option<Broadcast> {
    let r = &rb.value;
    let pos = pos_of(rb).or_else(|| pos_of(&r.name));
    let errors_before = cx.diags.iter().filter(|x| x.is_error()).count();

    let relay = relay(cx, r);
    let audio: Vec<AudioRef> = match (&r.audio, &r.say) {
        _ if r.relay.is_some() => Vec::new(),
        (Some(_), Some(say)) => {
            cx.err(pos_of(say), Msg::SayAndAudio);
            Vec::new()
        }
        (None, Some(say)) => cx.say(say).into_iter().collect(),
        (None, None) => {
            cx.err(pos_of(&r.name), Msg::EmptyAudioList);
            Vec::new()
        }
        (Some(list), None) => {
            if list.value.0.is_empty() {
                cx.err(pos_of(list), Msg::EmptyAudioList);
            }
            list.value
                .0
                .iter()
                .filter_map(|i| cx.audio_ref(i, pos_of(list)))
                .collect()
        }
    };

    let when = when::when(cx, r);

    let repeat = match &r.repeat {
        None => 1,
        Some(s) => match s.value.0.trim().parse::<u32>() {
            Ok(n) if (1..=MAX_REPEAT).contains(&n) => n,
            _ => {
                cx.err(pos_of(s), Msg::BadRepeat);
                1
            }
        },
    };
    let gap = match &r.gap {
        None => DEFAULT_GAP,
        Some(s) => parse_duration(&s.value.0).unwrap_or_else(|| {
            cx.err(
                pos_of(s),
                Msg::BadDuration {
                    value: s.value.0.clone(),
                },
            );
            DEFAULT_GAP
        }),
    };
    let volume = match &r.volume {
        None => 1.0,
        Some(s) => crate::units::parse_volume(&s.value.0).unwrap_or_else(|| {
            cx.err(
                pos_of(s),
                Msg::BadVolume {
                    value: s.value.0.clone(),
                },
            );
            1.0
        }),
    };
    let chime = match &r.chime {
        None => Chime::Default,
        Some(s) => match s.value.0.trim() {
            "true" | "yes" => Chime::Default,
            "false" | "no" | "off" => Chime::Off,
            _ => cx.audio_ref(s, None).map(Chime::File).unwrap_or(Chime::Off),
        },
    };
    let priority = cx.priority(&r.priority).unwrap_or(d.priority);
    let from = if r.from.is_some() {
        cx.date(&r.from)
    } else {
        d.from
    };
    let until = if r.until.is_some() {
        cx.date(&r.until)
    } else {
        d.until
    };
    if let (Some(f), Some(u)) = (from, until)
        && f > u
        && (r.from.is_some() || r.until.is_some())
    {
        {
            let at = r.until.as_ref().or(r.from.as_ref()).and_then(pos_of);
            cx.err(
                at,
                Msg::WindowEmpty {
                    from: f.to_string(),
                    until: u.to_string(),
                },
            );
        }
    }
    let except = cx.dates(&r.except).unwrap_or_else(|| d.except.clone());
    let topic = cx
        .spanned_text("topic", &r.topic)
        .filter(|t| !t.trim().is_empty())
        .unwrap_or_else(|| d.topic.clone());

    if relay.is_some()
        && let Some(rep) = &r.repeat
        && repeat > 1
    {
        cx.err(pos_of(rep), Msg::RelayRepeat);
    }
    let errors_after = cx.diags.iter().filter(|x| x.is_error()).count();
    if errors_after > errors_before {
        return None;
    }
    Some(Broadcast {
        name,
        audio,
        relay,
        when: when?,
        from,
        until,
        except,
        repeat,
        gap,
        priority,
        chime,
        volume,
        topic,
        outputs: r
            .outputs
            .as_ref()
            .map(|l| output_refs(cx, l))
            .or_else(|| d.outputs.clone()),
        pos,
    })
}

/// The relay of a broadcast (`relay`, `for`, `fallback`), checked: exactly
/// one kind of programme, a source loa can take, a length, and a fallback
/// only with a relay.
pub(super) fn relay(cx: &mut Ctx, r: &RawBroadcast) -> Option<Relay> {
    let Some(src) = &r.relay else {
        if let Some(f) = &r.for_ {
            cx.err(pos_of(f), Msg::RelayOnly { key: "for".into() });
        }
        if let Some(f) = &r.fallback {
            cx.err(
                pos_of(f),
                Msg::RelayOnly {
                    key: "fallback".into(),
                },
            );
        }
        return None;
    };
    let pos = pos_of(src);
    if let Some(a) = &r.audio {
        cx.err(
            pos_of(a).or(pos),
            Msg::RelayAndOther {
                other: "audio".into(),
            },
        );
    }
    if let Some(a) = &r.say {
        cx.err(
            pos_of(a).or(pos),
            Msg::RelayAndOther {
                other: "say".into(),
            },
        );
    }
    let value = crate::forms::unquote(src.value.trim()).to_string();
    if !cx.text("relay", &value, pos) {
        return None;
    }
    let source = match crate::address::Source::parse(&value) {
        Ok(s) => Some(s),
        Err(why) => {
            cx.err(pos, Msg::RelaySource { value, why });
            None
        }
    };
    let length = match &r.for_ {
        None => {
            cx.err(pos, Msg::RelayNoFor);
            None
        }
        Some(f) => match parse_duration(&f.value.0) {
            Some(d) if d >= MIN_RELAY && d <= MAX_RELAY => Some(d),
            Some(_) => {
                cx.err(
                    pos_of(f),
                    Msg::RelayLength {
                        value: f.value.0.trim().to_string(),
                    },
                );
                None
            }
            None => {
                cx.err(
                    pos_of(f),
                    Msg::BadDuration {
                        value: f.value.0.clone(),
                    },
                );
                None
            }
        },
    };
    // A notice read aloud (`.txt`) is as good a fallback as a recording.
    let fallback = r.fallback.as_ref().and_then(|f| cx.audio_ref(f, pos));
    Some(Relay {
        source: source?,
        length: length?,
        fallback,
        pos,
    })
}
