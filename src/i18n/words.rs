//! Words the command line, status and reports use outside diagnostics.

use super::Lang;

/// The headings and fixed lines of `loa status`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StatusPart {
    OnAir,
    NothingOnAir,
    Warnings,
    Next,
    Last,
    Refused,
}

/// Words used by the command line outside diagnostics.
pub struct Words {
    pub lang: Lang,
}

impl Words {
    pub fn new(lang: Lang) -> Self {
        Words { lang }
    }

    pub(super) fn pick(&self, vi: &'static str, en: &'static str) -> &'static str {
        self.lang.pick(vi, en)
    }

    pub fn check_ok(&self, schedules: usize, broadcasts: usize, audio: usize) -> String {
        match self.lang {
            Lang::Vi => {
                format!("Hợp lệ: {schedules} tệp lịch, {broadcasts} bản tin, {audio} tệp âm thanh.")
            }
            Lang::En => {
                format!(
                    "Valid: {schedules} schedule files, {broadcasts} broadcasts, {audio} audio files."
                )
            }
        }
    }

    pub fn check_summary(&self, errors: usize, warnings: usize) -> String {
        match self.lang {
            Lang::Vi => format!("{errors} lỗi, {warnings} cảnh báo."),
            Lang::En => {
                let s = |n: usize| if n == 1 { "" } else { "s" };
                format!(
                    "{errors} error{}, {warnings} warning{}.",
                    s(errors),
                    s(warnings)
                )
            }
        }
    }

    pub fn conflict_waits(&self, other: &str, start: &str) -> String {
        match self.lang {
            Lang::Vi => format!("chờ \"{other}\" phát xong, bắt đầu khoảng {start}"),
            Lang::En => format!("waits for \"{other}\", starts about {start}"),
        }
    }

    pub fn conflict_missed(&self, other: &str) -> String {
        match self.lang {
            Lang::Vi => format!("chờ \"{other}\" quá giới hạn trễ nên sẽ bị bỏ lỡ"),
            Lang::En => format!("waits for \"{other}\" past the late limit and will be missed"),
        }
    }

    /// A cut that the broadcast recovers from: it starts again.
    pub fn cut_and_restarted(&self, by: &str, at: &str, again: &str) -> String {
        match self.lang {
            Lang::Vi => format!("bị \"{by}\" ngắt lúc {at}, phát lại {again}"),
            Lang::En => format!("cut by \"{by}\" at {at}, starts again {again}"),
        }
    }

    /// A cut past the late limit: it does not start again.
    pub fn cut_for_good(&self, by: &str, at: &str) -> String {
        match self.lang {
            Lang::Vi => format!("bị \"{by}\" ngắt lúc {at}, quá giới hạn trễ nên không phát lại"),
            Lang::En => format!("cut by \"{by}\" at {at}, past the late limit: not started again"),
        }
    }

    /// A broadcast whose program cannot be played as things stand; for the
    /// operator, with where to see the fix.
    pub fn will_fail(&self, reason: &str) -> String {
        match self.lang {
            Lang::Vi => format!("sẽ không phát được ({reason}); chạy loa check để biết cách sửa"),
            Lang::En => format!("will fail ({reason}); run loa check to see how to fix it"),
        }
    }

    /// The same, on the public page: for citizens, who fix nothing.
    pub fn will_not_air(&self, reason: &str) -> String {
        match self.lang {
            Lang::Vi => format!("dự kiến không phát được ({reason})"),
            Lang::En => format!("not expected to air ({reason})"),
        }
    }

    /// The short name of a weekday: T2..T7, CN in Vietnamese.
    pub fn weekday(&self, d: chrono::Weekday) -> &'static str {
        use chrono::Weekday::*;
        match d {
            Mon => self.pick("T2", "Mon"),
            Tue => self.pick("T3", "Tue"),
            Wed => self.pick("T4", "Wed"),
            Thu => self.pick("T5", "Thu"),
            Fri => self.pick("T6", "Fri"),
            Sat => self.pick("T7", "Sat"),
            Sun => self.pick("CN", "Sun"),
        }
    }

    /// The station's outputs, as `check` lists them.
    pub fn check_outputs(&self, list: &str) -> String {
        match self.lang {
            Lang::Vi => format!("Đầu ra: {list}."),
            Lang::En => format!("Outputs: {list}."),
        }
    }

    pub fn output_word(&self) -> &'static str {
        self.pick("Đầu ra", "Output")
    }

    pub fn conflict_cuts(&self, other: &str) -> String {
        match self.lang {
            Lang::Vi => format!("bản tin khẩn cắt ngang \"{other}\""),
            Lang::En => format!("the emergency cuts \"{other}\""),
        }
    }

    pub fn quiet_skip(&self) -> &'static str {
        self.pick("giờ yên lặng: sẽ bị bỏ qua", "quiet hours: will be skipped")
    }

    /// Under a broadcast in `next` whose repeats run into quiet hours.
    pub fn quiet_repeats(&self, dropped: u32, repeat: u32, end: &str) -> String {
        match self.lang {
            Lang::Vi => format!(
                "giờ yên lặng: bỏ {dropped} lần lặp cuối (trong {repeat} lần), kết thúc lúc {end}"
            ),
            Lang::En => {
                format!("quiet hours: the last {dropped} of {repeat} repeats dropped, ends {end}")
            }
        }
    }

    pub fn not_approved(&self) -> &'static str {
        self.pick("chưa duyệt: sẽ không phát", "not approved: will not play")
    }

    /// `systemctl status`'s line: what is on air, until when.
    pub fn sd_on_air(&self, broadcast: &str, until: &str) -> String {
        match self.lang {
            Lang::Vi => format!("đang phát: {broadcast} đến {until}"),
            Lang::En => format!("on air: {broadcast} until {until}"),
        }
    }

    /// `systemctl status`'s line: what is next, when.
    pub fn sd_next(&self, time: &str, broadcast: &str) -> String {
        match self.lang {
            Lang::Vi => format!("sắp phát: {time} {broadcast}"),
            Lang::En => format!("next: {time} {broadcast}"),
        }
    }

    pub fn sd_nothing(&self) -> &'static str {
        self.pick("chưa có bản tin nào sắp phát", "nothing planned")
    }

    /// `systemctl status`'s line with the first warning after it.
    pub fn sd_warning(&self, main: &str, warning: &str) -> String {
        match self.lang {
            Lang::Vi => format!("{main}; CẢNH BÁO: {warning}"),
            Lang::En => format!("{main}; WARNING: {warning}"),
        }
    }

    pub fn nothing_planned(&self) -> &'static str {
        self.pick(
            "Không có bản tin nào trong khoảng thời gian này.",
            "Nothing is planned in this period.",
        )
    }

    pub fn next_header(&self) -> [&'static str; 5] {
        match self.lang {
            Lang::Vi => ["Thời gian", "Bản tin", "Lĩnh vực", "Ưu tiên", "Dài"],
            Lang::En => ["Time", "Broadcast", "Topic", "Priority", "Length"],
        }
    }

    pub fn priority(&self, p: crate::kinds::Priority) -> &'static str {
        use crate::kinds::Priority::*;
        match p {
            Normal => self.pick("thường", "normal"),
            Priority => self.pick("ưu tiên", "priority"),
            Emergency => self.pick("khẩn cấp", "emergency"),
        }
    }

    pub fn no_devices(&self) -> &'static str {
        self.pick(
            "Không tìm thấy thiết bị âm thanh nào.",
            "No audio output device found.",
        )
    }

    /// The heading of `loa devices`' second part: what `relay:` can take.
    pub fn capture_devices(&self) -> &'static str {
        self.pick(
            "Đầu vào thu (tiếp âm, relay: \"alsa:<tên>\"):",
            "Capture inputs (for relay: \"alsa:<name>\"):",
        )
    }

    pub fn no_capture_devices(&self) -> &'static str {
        self.pick(
            "Không tìm thấy đầu vào thu nào (line-in).",
            "No capture input (line-in) found.",
        )
    }
}
