//! The words for a report's values, which status and next share: an
//! outcome, a reason, a priority, a weekday, a period, the date line, the
//! clock and the local limits.

use std::borrow::Cow;

use super::Lang;
use super::labels::labels;
use crate::kinds::{Outcome, Priority, Reason};
use crate::period::{Period, PeriodError};

/// An occurrence's final outcome for people; `None` is one with no
/// final outcome yet (still on air, or its `finish` not written).
pub fn outcome(lang: Lang, o: Option<Outcome>) -> &'static str {
    let l = labels(lang);
    match o {
        Some(Outcome::Played) => l.played,
        Some(Outcome::Interrupted) => l.interrupted,
        Some(Outcome::Failed) => l.failed,
        Some(Outcome::Missed) => l.missed,
        Some(Outcome::Skipped) => l.skipped,
        None => l.open,
    }
}

/// A reason for people, in Vietnamese or English. Every reason this
/// version writes has its words here (the match is exhaustive, so a new
/// reason without them does not compile); a word from a newer version
/// shows as it was written.
pub fn reason(lang: Lang, r: &Reason) -> Cow<'_, str> {
    let (vi, en) = match r {
        Reason::DeviceError => ("lỗi thiết bị âm thanh", "audio device error"),
        Reason::FileMissing => ("thiếu tệp âm thanh", "audio file missing"),
        Reason::DecodeError => ("tệp âm thanh hỏng", "audio file unreadable"),
        Reason::Busy => ("trùng giờ, chờ quá lâu", "busy, waited too long"),
        Reason::DaemonDown => ("loa không chạy", "loa was not running"),
        Reason::ClockJump => ("đồng hồ nhảy giờ", "clock jumped"),
        Reason::Emergency => ("tin khẩn cắt ngang", "cut by an emergency"),
        Reason::Shutdown => ("dừng máy", "shut down"),
        Reason::Crash => ("sự cố, mất điện", "crash or power cut"),
        Reason::QuietHours => ("giờ yên lặng", "quiet hours"),
        Reason::NotApproved => ("chưa được duyệt", "not approved"),
        Reason::Removed => ("lịch đã bị gỡ", "schedule removed"),
        Reason::Silent => ("chỉ phát ra im lặng", "silence throughout"),
        Reason::SourceDown => ("mất tín hiệu nguồn tiếp âm", "relay source down"),
        Reason::Permission => ("loa không có quyền đọc tệp", "loa may not read the file"),
        Reason::Other(word) => return Cow::Borrowed(word),
    };
    Cow::Borrowed(match lang {
        Lang::Vi => vi,
        Lang::En => en,
    })
}

/// A priority for people.
pub fn priority(lang: Lang, p: Priority) -> &'static str {
    crate::i18n::Words::new(lang).priority(p)
}

/// The day of the week, short: "T2".."CN" in Vietnamese.
pub fn weekday(lang: Lang, d: chrono::NaiveDate) -> &'static str {
    let k = chrono::Datelike::weekday(&d).num_days_from_monday() as usize;
    match lang {
        Lang::Vi => ["T2", "T3", "T4", "T5", "T6", "T7", "CN"][k],
        Lang::En => ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"][k],
    }
}

/// The period as people say it.
pub fn period(lang: Lang, p: &Period) -> String {
    let (from, to) = (p.from.format("%d/%m/%Y"), p.to.format("%d/%m/%Y"));
    match lang {
        Lang::Vi => format!("{} (từ {from} đến {to})", p.name),
        Lang::En => format!("{} ({from} to {to})", p.name),
    }
}

/// The date line of an administrative document: "Xuân Đám, ngày 05 tháng
/// 3 năm 2026", or the date alone without a place.
///
/// Days under 10 and the months 1 and 2 take a leading zero, the others
/// none: Nghị định 30/2020/NĐ-CP on administrative documents, Phụ lục I,
/// mục II.5 ("đối với những số thể hiện ngày nhỏ hơn 10 và tháng 1, 2 phải
/// ghi thêm số 0 phía trước"), so that no digit can be added by hand.
pub fn date_line(lang: Lang, place: &str, d: chrono::NaiveDate) -> String {
    use chrono::Datelike as _;
    let place = place.trim();
    match lang {
        Lang::Vi => {
            let month = if d.month() <= 2 {
                format!("{:02}", d.month())
            } else {
                d.month().to_string()
            };
            let date = format!("ngày {:02} tháng {month} năm {}", d.day(), d.year());
            if place.is_empty() {
                // The line begins with it: a capital, as a sentence does.
                format!("N{}", &date[1..])
            } else {
                format!("{place}, {date}")
            }
        }
        Lang::En => {
            let date = d.format("%-d %B %Y").to_string();
            if place.is_empty() {
                date
            } else {
                format!("{place}, {date}")
            }
        }
    }
}

/// When a report was made, from its RFC 3339 `made_at`, as people write
/// it: "07:52 ngày 30/11/2026". Text that is not RFC 3339 is shown as it is.
pub fn made_at(lang: Lang, made_at: &str) -> String {
    let Ok(t) = chrono::DateTime::parse_from_rfc3339(made_at) else {
        return made_at.to_string();
    };
    match lang {
        Lang::Vi => t.format("%H:%M ngày %d/%m/%Y").to_string(),
        Lang::En => t.format("%H:%M on %d/%m/%Y").to_string(),
    }
}

/// The integrity block's line on the clock: how many broadcasts started
/// on an unsynchronised clock, and how many starts do not say (unknown to
/// loa when it wrote them, or an older log). Never "synchronised" for a
/// start that does not say so.
pub fn clock_note(lang: Lang, synced: usize, unsynced: usize, unknown: usize) -> String {
    let main = match (lang, unsynced) {
        (_, 0) if unknown > 0 && synced == 0 => {
            return match lang {
                Lang::Vi => format!(
                    "không rõ ở cả {unknown} lượt phát (nhật ký không ghi được trạng thái đồng bộ của đồng hồ)"
                ),
                Lang::En => format!(
                    "unknown for all {unknown} broadcasts (the log could not record whether the clock was synchronised)"
                ),
            };
        }
        (Lang::Vi, 0) if unknown > 0 => format!("đã đồng bộ ở {synced} lượt phát"),
        (Lang::En, 0) if unknown > 0 => format!("synchronised for {synced} broadcasts"),
        (Lang::Vi, 0) => "đã đồng bộ ở mọi lượt phát".to_string(),
        (Lang::Vi, n) => format!(
            "{n} lượt phát khi đồng hồ CHƯA ĐỒNG BỘ (giờ ghi trong nhật ký của các lượt này có thể sai)"
        ),
        (Lang::En, 0) => "synchronised for every broadcast".to_string(),
        (Lang::En, 1) => {
            "1 broadcast aired on an UNSYNCHRONISED clock (its logged times may be off)".to_string()
        }
        (Lang::En, n) => format!(
            "{n} broadcasts aired on an UNSYNCHRONISED clock (their logged times may be off)"
        ),
    };
    match (lang, unknown) {
        (_, 0) => main,
        (Lang::Vi, m) => format!(
            "{main}; {m} lượt phát không rõ trạng thái đồng bộ (không ghi nhận được, hoặc nhật ký cũ)"
        ),
        (Lang::En, m) => {
            format!("{main}; {m} unknown (not recorded, or an older log), counted as neither")
        }
    }
}

/// One limit a day broke, for the per-day table: "vượt 45 phút (50.0)".
pub fn limit_broken(lang: Lang, limit: &str, allowed: u32, actual: f64, output: &str) -> String {
    let at = if output.is_empty() {
        String::new()
    } else {
        format!(" [{output}]")
    };
    let actual_min = crate::numbers::fixed(actual, 1);
    match (lang, limit) {
        (Lang::Vi, "max_minutes_per_day") => format!("vượt {allowed} phút ({actual_min}){at}"),
        (Lang::Vi, "max_sessions_per_day") => format!("vượt {allowed} buổi ({actual}){at}"),
        (Lang::Vi, _) => format!("dưới {allowed} phút ({actual_min}){at}"),
        (Lang::En, "max_minutes_per_day") => format!("over {allowed} min ({actual_min}){at}"),
        (Lang::En, "max_sessions_per_day") => format!("over {allowed} sessions ({actual}){at}"),
        (Lang::En, _) => format!("under {allowed} min ({actual_min}){at}"),
    }
}

/// A day's cell in the limits column: "đạt", or "✘ " and each limit broken.
pub fn limits_cell(lang: Lang, broken: &[crate::limits::LimitBroken]) -> String {
    if broken.is_empty() {
        return labels(lang).limits_met.to_string();
    }
    let each: Vec<String> = broken
        .iter()
        .map(|b| limit_broken(lang, b.limit, b.allowed, b.actual, &b.output))
        .collect();
    format!("✘ {}", each.join("; "))
}

/// What the broken chain means for the figures.
pub fn broken_note(lang: Lang, at: &str, problem: &str, unverified: usize, total: usize) -> String {
    match lang {
        Lang::Vi => format!(
            "Dòng hỏng đầu tiên: {at}: {problem}. {unverified}/{total} lượt phát trong kỳ dựa trên các dòng từ chỗ đứt trở đi; số liệu của chúng (được đánh dấu) không được chuỗi băm chứng thực."
        ),
        Lang::En => format!(
            "First bad line: {at}: {problem}. {unverified} of {total} occurrences in this period rest on lines from the break onward; their figures (marked) are not vouched for by the hash chain."
        ),
    }
}

/// A period the command line could not understand.
pub fn period_error(lang: Lang, e: &PeriodError) -> String {
    match (lang, e) {
        (Lang::En, e) => e.to_string(),
        (Lang::Vi, PeriodError::Week(s)) => format!("{s}: cần một tuần ISO, ví dụ 2025-W10"),
        (
            Lang::Vi,
            PeriodError::NoSuchWeek {
                given: s,
                year,
                weeks,
            },
        ) => {
            format!("{s}: năm {year} có {weeks} tuần ISO (W01 đến W{weeks}); ví dụ {year}-W{weeks}")
        }
        (Lang::Vi, PeriodError::Month(s)) => format!("{s}: cần một tháng, ví dụ 2025-03"),
        (Lang::Vi, PeriodError::Date(s)) => {
            format!("{s}: cần một ngày, ví dụ 01/03/2025 hoặc 2025-03-01")
        }
        (Lang::Vi, PeriodError::Backwards { from, to }) => {
            format!("--from {from} sau --to {to}")
        }
        (Lang::Vi, PeriodError::Half) => "--from và --to phải đi cùng nhau".to_string(),
        (Lang::Vi, PeriodError::TooLong { from, to }) => format!(
            "--from {from} --to {to} dài hơn {} năm; làm mỗi năm một báo cáo, ví dụ --from 2025-01-01 --to 2025-12-31",
            crate::period::MAX_YEARS
        ),
    }
}
