//! The words of `loa publish`: the portal page, the feed and the command's
//! own lines, in Vietnamese and English.

use super::Lang;

/// Words of the published page and feed.
pub struct PageWords {
    pub lang: Lang,
}

impl PageWords {
    pub fn new(lang: Lang) -> Self {
        PageWords { lang }
    }

    fn pick(&self, vi: &'static str, en: &'static str) -> &'static str {
        self.lang.pick(vi, en)
    }

    pub fn html_lang(&self) -> &'static str {
        self.pick("vi", "en")
    }

    /// "Thứ Hai, 30/11/2026", as people write a date in Vietnamese.
    pub fn date(&self, d: chrono::NaiveDate) -> String {
        use chrono::Datelike as _;
        use chrono::Weekday::*;
        let day = match d.weekday() {
            Mon => self.pick("Thứ Hai", "Monday"),
            Tue => self.pick("Thứ Ba", "Tuesday"),
            Wed => self.pick("Thứ Tư", "Wednesday"),
            Thu => self.pick("Thứ Năm", "Thursday"),
            Fri => self.pick("Thứ Sáu", "Friday"),
            Sat => self.pick("Thứ Bảy", "Saturday"),
            Sun => self.pick("Chủ Nhật", "Sunday"),
        };
        format!("{day}, {}", d.format("%d/%m/%Y"))
    }

    pub fn subtitle(&self) -> &'static str {
        self.pick(
            "Lịch phát thanh tuần tới và các bản tin đã phát trên hệ thống loa truyền thanh.",
            "The coming week's programme and what aired on the loudspeaker system.",
        )
    }

    pub fn made_at(&self, when: &str) -> String {
        match self.lang {
            Lang::Vi => format!("Cập nhật lúc {when}."),
            Lang::En => format!("Updated {when}."),
        }
    }

    pub fn feed_link(&self) -> &'static str {
        self.pick(
            "Nghe lại qua RSS (podcast): feed.xml",
            "Listen again by RSS (podcast): feed.xml",
        )
    }

    pub fn coming(&self) -> &'static str {
        self.pick("Lịch phát 7 ngày tới", "The next 7 days")
    }

    pub fn nothing_coming(&self) -> &'static str {
        self.pick(
            "Không có bản tin nào trong 7 ngày tới.",
            "Nothing is planned for the next 7 days.",
        )
    }

    pub fn will_not_sound(&self) -> &'static str {
        self.pick("Sẽ không phát", "Will not sound")
    }

    pub fn aired(&self, weeks: u32) -> String {
        match self.lang {
            Lang::Vi => format!("Đã phát trong {weeks} tuần qua"),
            Lang::En if weeks == 1 => "Aired in the last week".to_string(),
            Lang::En => format!("Aired in the last {weeks} weeks"),
        }
    }

    pub fn nothing_aired(&self) -> &'static str {
        self.pick(
            "Chưa có bản tin nào được phát trong thời gian này.",
            "Nothing aired in this time.",
        )
    }

    pub fn interrupted(&self, played: &str) -> String {
        match self.lang {
            Lang::Vi => format!("Bị ngắt giữa chừng, đã phát {played}"),
            Lang::En => format!("Interrupted after {played}"),
        }
    }

    pub fn spoken(&self) -> &'static str {
        self.pick("Nội dung đọc", "Spoken text")
    }

    pub fn download(&self) -> &'static str {
        self.pick("Tải về", "Download")
    }

    pub fn changed(&self, file: &str) -> String {
        match self.lang {
            Lang::Vi => {
                format!("Tệp {file} đã thay đổi từ khi phát, nên không đăng được bản đã phát.")
            }
            Lang::En => format!(
                "The file {file} has changed since it aired, so what aired cannot be published."
            ),
        }
    }

    pub fn missing(&self, file: &str) -> String {
        match self.lang {
            Lang::Vi => format!("Tệp {file} không còn trên trạm."),
            Lang::En => format!("The file {file} is no longer on the station."),
        }
    }

    pub fn output(&self) -> &'static str {
        self.pick("Cụm loa", "Output")
    }

    pub fn topic(&self) -> &'static str {
        self.pick("Chủ đề", "Topic")
    }

    pub fn footer_source(&self, lines: u64) -> String {
        match self.lang {
            Lang::Vi => format!("Số liệu lấy từ nhật ký phát của trạm ({lines} dòng đã đọc)."),
            Lang::En => format!("Taken from the station's play log ({lines} lines read)."),
        }
    }

    pub fn footer_verify(&self) -> &'static str {
        self.pick(
            "Trang này không tự kiểm tra nhật ký; cán bộ có thể kiểm tra tính toàn vẹn của nhật ký tại trạm bằng lệnh",
            "This page does not check the log itself; officials can check its integrity at the station with",
        )
    }

    pub fn footer_head(&self) -> &'static str {
        self.pick(
            "Mã băm dòng mới nhất đã đọc",
            "Hash of the newest line read",
        )
    }

    pub fn footer_skipped(&self, n: u64) -> String {
        match self.lang {
            Lang::Vi => format!("{n} dòng nhật ký không đọc được đã bị bỏ qua."),
            Lang::En => format!("{n} log lines that could not be read were skipped."),
        }
    }

    pub fn feed_description(&self, station: &str) -> String {
        match self.lang {
            Lang::Vi => format!("Các bản tin {station} đã phát trên hệ thống loa truyền thanh"),
            Lang::En => format!("What {station} aired on its loudspeaker system"),
        }
    }

    /// Why publishing stopped: the error names its path; a permission
    /// problem says who may publish.
    pub fn failed(&self, e: &std::io::Error) -> String {
        let denied = e.kind() == std::io::ErrorKind::PermissionDenied;
        let text = e.to_string();
        let (path, why) = text.rsplit_once(": ").unwrap_or(("", text.as_str()));
        if e.kind() == std::io::ErrorKind::AlreadyExists {
            // A page or feed in --out that publish did not write.
            return match self.lang {
                Lang::Vi => format!(
                    "không xuất bản: \"{path}\" không phải do loa ghi, loa không ghi đè\n  = cách sửa: chọn cho loa một thư mục riêng (ví dụ --out /var/www/cong-thong-tin/loa), hoặc tự xoá tệp đó nếu không dùng nữa"
                ),
                Lang::En => format!(
                    "cannot publish: \"{path}\" was not written by loa, and loa does not overwrite it\n  = fix: give loa a folder of its own (e.g. --out /var/www/portal/loa), or remove that file yourself if it is not needed"
                ),
            };
        }
        match (self.lang, denied) {
            (Lang::Vi, true) => format!(
                "không xuất bản được: không có quyền ghi \"{path}\"\n  = cách sửa: xuất bản bằng người dùng loa (sudo -u loa loa publish --out …) vào thư mục loa ghi được, hoặc để loa-publish.timer làm hằng giờ"
            ),
            (Lang::En, true) => format!(
                "cannot publish: no permission to write \"{path}\"\n  = fix: publish as user loa (sudo -u loa loa publish --out …) into a folder loa may write, or let loa-publish.timer do it hourly"
            ),
            (Lang::Vi, false) => format!(
                "không xuất bản được: \"{path}\": {}",
                super::yaml_words::os_vi(why)
            ),
            (Lang::En, false) => format!("cannot publish: \"{path}\": {why}"),
        }
    }

    /// What the command prints when done.
    pub fn done(&self, out: &str, aired: usize, copied: usize, removed: usize) -> String {
        match self.lang {
            Lang::Vi => format!(
                "Đã đăng vào {out}: {aired} lượt phát, chép mới {copied} tệp, xoá {removed} tệp cũ."
            ),
            Lang::En => format!(
                "Published to {out}: {aired} broadcasts aired, {copied} files copied, {removed} old files removed."
            ),
        }
    }

    pub fn changed_note(&self, n: usize) -> String {
        match self.lang {
            Lang::Vi => format!(
                "Cảnh báo: {n} tệp âm thanh đã thay đổi từ khi phát; trang ghi rõ, không có tệp để nghe lại."
            ),
            Lang::En => format!(
                "Warning: {n} recordings changed since they aired; the page says so, with nothing to play."
            ),
        }
    }

    pub fn foreign_note(&self, rel: &str) -> String {
        match self.lang {
            Lang::Vi => format!(
                "Cảnh báo: {rel} không còn là tệp loa đã ghi; loa để nguyên, không ghi đè, không xoá."
            ),
            Lang::En => format!(
                "Warning: {rel} no longer holds what loa wrote; loa leaves it alone, neither overwritten nor removed."
            ),
        }
    }

    pub fn skipped_note(&self, n: u64) -> String {
        match self.lang {
            Lang::Vi => {
                format!("Cảnh báo: bỏ qua {n} dòng nhật ký không đọc được; chạy `loa log verify`.")
            }
            Lang::En => format!("Warning: skipped {n} unreadable log lines; run `loa log verify`."),
        }
    }
}
