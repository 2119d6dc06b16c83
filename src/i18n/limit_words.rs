//! The sentence for a daily limit a schedule breaks
//! ([`Msg::LimitBroken`](super::Msg::LimitBroken)), in both languages.

use super::{Lang, LimitKind};
use Lang::{En, Vi};

/// `date` (on `output`, when the station has several) breaks `broken`:
/// `value` against `limit`.
pub(super) fn limit_broken(
    date: &str,
    output: &str,
    broken: LimitKind,
    value: f64,
    limit: u32,
    lang: Lang,
) -> String {
    let on = match (output.is_empty(), lang) {
        (true, _) => String::new(),
        (false, Vi) => format!(" (đường ra {output})"),
        (false, En) => format!(" (output {output})"),
    };
    match (broken, lang) {
        (LimitKind::MinutesOver, Vi) => format!(
            "ngày {date}{on} sẽ phát {value} phút, quá giới hạn {limit} phút một ngày (limits.max_minutes_per_day)"
        ),
        (LimitKind::MinutesOver, En) => format!(
            "{date}{on} will broadcast {value} minutes, over the limit of {limit} a day (limits.max_minutes_per_day)"
        ),
        (LimitKind::SessionsOver, Vi) => format!(
            "ngày {date}{on} có {value} buổi phát, quá giới hạn {limit} buổi một ngày (limits.max_sessions_per_day)"
        ),
        (LimitKind::SessionsOver, En) => format!(
            "{date}{on} has {value} sessions, over the limit of {limit} a day (limits.max_sessions_per_day)"
        ),
        (LimitKind::MinutesUnder, Vi) => format!(
            "ngày {date}{on} chỉ phát {value} phút, ít hơn mức tối thiểu {limit} phút một ngày (limits.min_minutes_per_day)"
        ),
        (LimitKind::MinutesUnder, En) => format!(
            "{date}{on} will broadcast only {value} minutes, under the minimum of {limit} a day (limits.min_minutes_per_day)"
        ),
    }
}
