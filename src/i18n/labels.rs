//! Every word a report shows, and the words for outcomes and reasons that
//! status and next share with it, in Vietnamese and English side by side.

use super::Lang;

pub use super::value_words::{
    broken_note, clock_note, date_line, limit_broken, limits_cell, made_at, outcome, period,
    period_error, priority, reason, weekday,
};

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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kinds::{Outcome, Reason};

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
