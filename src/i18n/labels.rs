//! Every word a report shows, and the words for outcomes and reasons that
//! status and next share with it, in Vietnamese and English side by side.

use super::Lang;
use crate::kinds::{Outcome, Priority, Reason};
use crate::period::{Period, PeriodError};
use std::borrow::Cow;

/// The fixed words of a report in one language.
pub struct Labels {
    pub title: &'static str,
    pub station: &'static str,
    pub period: &'static str,
    pub recipient: &'static str,
    pub made_at: &'static str,
    /// The document number left blank for the office that registers it,
    /// under the issuing body's name.
    pub doc_number: &'static str,
    /// The national name and motto above the date line; empty in English.
    pub nation: [&'static str; 2],
    pub integrity: &'static str,
    /// The integrity block's line on the system clock.
    pub clock: &'static str,
    /// The CSV column: whether the clock was synchronised at the start.
    pub clock_synced: &'static str,
    pub intact: &'static str,
    pub broken: &'static str,
    pub head: &'static str,
    pub lines: &'static str,
    pub by_topic: &'static str,
    /// Minutes aired by kind of program: recorded, spoken, relayed.
    pub by_kind: &'static str,
    pub kind_recorded: &'static str,
    pub kind_spoken: &'static str,
    pub kind_relayed: &'static str,
    /// Of the relayed minutes, those with sound from the source.
    pub kind_received: &'static str,
    /// The column of relayed minutes, per topic and per day.
    pub relayed_minutes: &'static str,
    pub by_day: &'static str,
    pub accuracy: &'static str,
    pub detail: &'static str,
    pub summary_sheet: &'static str,
    pub detail_sheet: &'static str,
    pub topic: &'static str,
    pub output: &'static str,
    pub due: &'static str,
    pub played: &'static str,
    pub interrupted: &'static str,
    pub failed: &'static str,
    pub missed: &'static str,
    pub skipped: &'static str,
    pub open: &'static str,
    pub completion: &'static str,
    pub minutes: &'static str,
    pub total: &'static str,
    /// Sessions (buổi phát) a day.
    pub sessions: &'static str,
    /// The per-day column of the `limits` the day meets or breaks.
    pub limits: &'static str,
    pub limits_met: &'static str,
    pub date: &'static str,
    pub count: &'static str,
    pub median: &'static str,
    pub p95: &'static str,
    pub worst: &'static str,
    pub scheduled: &'static str,
    pub started: &'static str,
    pub ended: &'static str,
    pub duration_s: &'static str,
    pub broadcast: &'static str,
    pub priority: &'static str,
    pub audio: &'static str,
    pub hash: &'static str,
    pub outcome: &'static str,
    pub reason: &'static str,
    pub verified: &'static str,
    pub yes: &'static str,
    pub no: &'static str,
    pub nothing: &'static str,
    pub chart: &'static str,
    pub chart_axis: &'static str,
    /// Signature block: the three who sign, and the note under each.
    pub signers: [&'static str; 3],
    pub sign_note: &'static str,
    pub seal_note: &'static str,
}

const VI: Labels = Labels {
    title: "BÁO CÁO KẾT QUẢ PHÁT THANH",
    station: "Đơn vị",
    period: "Kỳ báo cáo",
    recipient: "Kính gửi",
    made_at: "Lập lúc",
    doc_number: "Số: ……/BC-ĐTT",
    nation: [
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
    ],
    integrity: "Tính toàn vẹn của nhật ký phát",
    clock: "Đồng hồ hệ thống",
    clock_synced: "Đồng hồ đã đồng bộ",
    intact: "Nguyên vẹn: chuỗi băm đúng từ dòng đầu đến dòng cuối",
    broken: "CHUỖI BĂM BỊ ĐỨT",
    head: "Mã băm đầu chuỗi (head)",
    lines: "dòng",
    by_topic: "Theo lĩnh vực",
    by_kind: "Số phút phát theo loại",
    kind_recorded: "ghi âm",
    kind_spoken: "đọc tự động (TTS)",
    kind_relayed: "tiếp âm",
    kind_received: "có tín hiệu",
    relayed_minutes: "Phút tiếp âm",
    by_day: "Số phút phát theo ngày",
    accuracy: "Độ chính xác giờ phát (sai lệch so với giờ đã lên lịch)",
    detail: "Chi tiết từng lượt phát",
    summary_sheet: "Tổng hợp",
    detail_sheet: "Chi tiết",
    topic: "Lĩnh vực",
    output: "Đầu ra",
    due: "Phải phát",
    played: "Đã phát",
    interrupted: "Bị ngắt",
    failed: "Lỗi",
    missed: "Bỏ lỡ",
    skipped: "Bỏ qua",
    open: "Chưa có kết quả",
    completion: "Tỷ lệ hoàn thành",
    minutes: "Số phút",
    total: "Tổng cộng",
    sessions: "Số buổi",
    limits: "Giới hạn",
    limits_met: "đạt",
    date: "Ngày",
    count: "Số lượt",
    median: "Trung vị",
    p95: "Phân vị 95",
    worst: "Lớn nhất",
    scheduled: "Giờ lịch",
    started: "Bắt đầu",
    ended: "Kết thúc",
    duration_s: "Thời lượng (giây)",
    broadcast: "Bản tin",
    priority: "Mức ưu tiên",
    audio: "Tệp âm thanh",
    hash: "Mã băm",
    outcome: "Kết quả",
    reason: "Lý do",
    verified: "Đã kiểm chứng",
    yes: "có",
    no: "KHÔNG",
    nothing: "Không có lượt phát nào trong kỳ.",
    chart: "Số phút phát mỗi ngày, theo lĩnh vực",
    chart_axis: "phút",
    signers: ["NGƯỜI LẬP BIỂU", "NGƯỜI KIỂM TRA", "THỦ TRƯỞNG ĐƠN VỊ"],
    sign_note: "(Ký, ghi rõ họ tên)",
    seal_note: "(Ký, đóng dấu)",
};

const EN: Labels = Labels {
    title: "BROADCAST REPORT",
    station: "Station",
    period: "Period",
    recipient: "To",
    made_at: "Made at",
    doc_number: "No.: ……/BC-ĐTT",
    nation: ["", ""],
    integrity: "Play-log integrity",
    clock: "System clock",
    clock_synced: "Clock synchronised",
    intact: "Intact: the hash chain holds from the first line to the last",
    broken: "HASH CHAIN BROKEN",
    head: "Head hash",
    lines: "lines",
    by_topic: "By topic",
    by_kind: "Minutes aired by kind",
    kind_recorded: "recorded",
    kind_spoken: "spoken (TTS)",
    kind_relayed: "relayed",
    kind_received: "with signal",
    relayed_minutes: "Relayed min",
    by_day: "Minutes aired per day",
    accuracy: "Start accuracy (error against the scheduled time)",
    detail: "Every occurrence",
    summary_sheet: "Summary",
    detail_sheet: "Detail",
    topic: "Topic",
    output: "Output",
    due: "Due",
    played: "Played",
    interrupted: "Interrupted",
    failed: "Failed",
    missed: "Missed",
    skipped: "Skipped",
    open: "No outcome yet",
    completion: "Completion",
    minutes: "Minutes",
    total: "Total",
    sessions: "Sessions",
    limits: "Limits",
    limits_met: "met",
    date: "Date",
    count: "Count",
    median: "Median",
    p95: "95th percentile",
    worst: "Worst",
    scheduled: "Scheduled",
    started: "Started",
    ended: "Ended",
    duration_s: "Duration (s)",
    broadcast: "Broadcast",
    priority: "Priority",
    audio: "Audio file",
    hash: "Hash",
    outcome: "Outcome",
    reason: "Reason",
    verified: "Verified",
    yes: "yes",
    no: "NO",
    nothing: "Nothing was due in this period.",
    chart: "Minutes aired per day, by topic",
    chart_axis: "min",
    signers: ["PREPARED BY", "CHECKED BY", "HEAD OF UNIT"],
    sign_note: "(Signature, full name)",
    seal_note: "(Signature and seal)",
};

impl Labels {
    /// The per-topic table's columns.
    pub fn topic_columns(&self) -> [&'static str; 9] {
        [
            self.topic,
            self.due,
            self.played,
            self.interrupted,
            self.failed,
            self.missed,
            self.skipped,
            self.completion,
            self.minutes,
        ]
    }

    /// The detail table's columns, in the order of
    /// [`Report::detail_cells`](super::Report::detail_cells).
    pub fn detail_columns(&self) -> [&'static str; 14] {
        [
            self.date,
            self.scheduled,
            self.started,
            self.ended,
            self.duration_s,
            self.broadcast,
            self.topic,
            self.output,
            self.priority,
            self.audio,
            self.hash,
            self.outcome,
            self.reason,
            self.verified,
        ]
    }
}

/// The labels for `lang`.
pub fn labels(lang: Lang) -> &'static Labels {
    match lang {
        Lang::Vi => &VI,
        Lang::En => &EN,
    }
}

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

#[cfg(test)]
mod tests {
    use super::*;

    /// Every reason the log can carry reads as words in both languages,
    /// different from the machine word and from each other (a reviewer
    /// once saw `silent` and `source_down` in a Vietnamese report).
    #[test]
    fn every_reason_has_vietnamese_and_english_words() {
        for r in Reason::KNOWN {
            let vi = reason(Lang::Vi, &r);
            let en = reason(Lang::En, &r);
            assert!(!vi.is_empty() && !en.is_empty(), "{r}");
            assert_ne!(vi, r.as_str(), "{r} has no Vietnamese words");
            assert_ne!(en, r.as_str(), "{r} has no English words");
            assert_ne!(vi, en, "{r}: the same words in both languages");
        }
        // A word from a newer version shows as it was written.
        let newer = Reason::Other("solar_flare".into());
        assert_eq!(reason(Lang::Vi, &newer), "solar_flare");
        for o in Outcome::ALL {
            assert_ne!(outcome(Lang::Vi, Some(o)), outcome(Lang::En, Some(o)));
        }
        assert_eq!(outcome(Lang::Vi, None), "Chưa có kết quả");
    }
}
