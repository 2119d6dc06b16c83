//! Words about the play log, the clock, the outputs and the daemon's
//! health: `log verify`, status warnings and the system log.

use super::{Lang, Words};

impl Words {
    /// What is wrong with a play-log line, for `log verify` and reports.
    pub fn problem(&self, p: &crate::kinds::Problem) -> String {
        use crate::kinds::Problem::*;
        match (self.lang, p) {
            (Lang::Vi, Edited) => "dòng này đã bị sửa sau khi ghi (mã băm không còn khớp với dòng sau)".into(),
            (Lang::En, Edited) => "this line was edited after it was written (its hash no longer matches the next line's link)".into(),
            (Lang::Vi, Removed { count }) => format!("{count} dòng ngay trước dòng này đã bị xóa"),
            (Lang::En, Removed { count }) => format!("{count} line(s) just before this one were removed"),
            (Lang::Vi, Reordered { after }) => format!("dòng này bị đổi chỗ: khi ghi nó nằm ngay sau {after}"),
            (Lang::En, Reordered { after }) => format!("this line was moved: it was written right after {after}"),
            (Lang::Vi, Torn) => "dòng cuối bị cắt dở (mất điện hoặc sự cố khi đang ghi); `loa run` sẽ chuyển nó sang tệp torn-*.txt khi khởi động".into(),
            (Lang::En, Torn) => "the last line was cut short (power cut or crash mid-write); `loa run` moves it aside into torn-*.txt at start-up".into(),
            (Lang::Vi, Inserted { count }) => format!("{count} dòng từ dòng này không do loa ghi: chúng bị chèn vào (dòng ngay sau chúng nối thẳng với dòng ngay trước)"),
            (Lang::En, Inserted { count }) => format!("{count} line(s) from this one were not written by loa: they were inserted (the line after them links straight to the line before them)"),
            (Lang::Vi, Unreadable { detail, .. }) => format!("không phải một dòng nhật ký phát hợp lệ ({detail})"),
            (Lang::En, Unreadable { detail, .. }) => format!("not a valid play-log line ({detail})"),
            (Lang::Vi, Bom) => "dòng bắt đầu bằng dấu BOM (EF BB BF): tệp đã được mở và lưu lại bằng một trình soạn thảo như Notepad; loa không bao giờ ghi dấu này. Lấy lại tệp từ bản sao lưu; không sửa nhật ký phát bằng tay".into(),
            (Lang::En, Bom) => "the line begins with a byte-order mark (BOM, EF BB BF): an editor such as Notepad opened and saved the file; loa never writes one. Restore the file from a backup; never edit the play log by hand".into(),
            (Lang::Vi, Binary { .. }) => "dòng chứa dữ liệu nhị phân, không phải văn bản (hỏng đĩa hoặc bị ghi đè); lấy lại tệp từ bản sao lưu".into(),
            (Lang::En, Binary { .. }) => "the line holds binary data, not text (a damaged disk, or overwritten); restore the file from a backup".into(),
            (Lang::Vi, Seq { expected, found }) => format!("số thứ tự sai: cần {expected}, thấy {found}"),
            (Lang::En, Seq { expected, found }) => format!("seq out of order: expected {expected}, found {found}"),
            (Lang::Vi, Duplicate { id, first }) => format!("lượt phát {id} đã có kết quả cuối cùng ở {first}; đây là bản ghi trùng"),
            (Lang::En, Duplicate { id, first }) => format!("occurrence {id} already had its final outcome at {first}; this is a duplicate"),
            (Lang::Vi, Io { detail }) => format!("không đọc được tệp: {detail}"),
            (Lang::En, Io { detail }) => format!("cannot read the file: {detail}"),
        }
    }

    pub fn verify_ok(&self, files: usize, lines: usize) -> String {
        match self.lang {
            Lang::Vi => format!(
                "Nhật ký phát nguyên vẹn: {files} tệp, {lines} dòng, chuỗi băm và số thứ tự đều đúng, mỗi lượt phát có đúng một kết quả cuối."
            ),
            Lang::En => format!(
                "The play log is intact: {files} file(s), {lines} line(s); the hash chain, the seq order and one final outcome per occurrence all check out."
            ),
        }
    }

    pub fn verify_no_log(&self, dir: &str) -> String {
        match self.lang {
            Lang::Vi => format!(
                "Không có nhật ký phát ở {dir}/ (không có tệp YYYY-MM.jsonl nào). Kiểm tra `playlog:` trong config.yaml, hoặc chép các tệp nhật ký về lại thư mục đó."
            ),
            Lang::En => format!(
                "There is no play log at {dir}/ (no YYYY-MM.jsonl file). Check `playlog:` in config.yaml, or copy the log files back into that folder."
            ),
        }
    }

    pub fn verify_bad(&self, faults: usize, first: &str) -> String {
        match self.lang {
            Lang::Vi => format!(
                "Nhật ký phát KHÔNG nguyên vẹn: {faults} lỗi; dòng hỏng đầu tiên là {first}."
            ),
            Lang::En => format!(
                "The play log is NOT intact: {faults} fault(s); the first bad line is {first}."
            ),
        }
    }

    pub fn verify_open(&self, id: &str, at: &str) -> String {
        match self.lang {
            Lang::Vi => format!(
                "Đang mở: {id} (bắt đầu ở {at}, chưa có kết quả: đang phát, hoặc sẽ được đóng khi loa khởi động lại)"
            ),
            Lang::En => format!(
                "Open: {id} (started at {at}, no outcome yet: sounding now, or closed when loa next starts)"
            ),
        }
    }

    /// The play log changed between a report's two reads of it.
    pub fn report_log_changed(&self) -> String {
        self.pick(
            "Nhật ký phát vừa thay đổi trong lúc lập báo cáo (có dòng bị sửa hoặc mất); chạy lại lệnh, rồi chạy `loa log verify` nếu lỗi còn.",
            "The play log changed while the report was being made (lines edited or gone); run the command again, then `loa log verify` if it happens again.",
        )
        .to_string()
    }

    pub fn binary_to_terminal(&self) -> &'static str {
        self.pick(
            "Tệp xlsx không in ra màn hình được: thêm -o TÊN-TỆP.xlsx",
            "An xlsx file cannot go to the terminal: add -o FILE.xlsx",
        )
    }

    pub fn clock_wrong(&self, clock: &str, newest: &str) -> String {
        match self.lang {
            Lang::Vi => format!(
                "ĐỒNG HỒ SAI: đồng hồ máy chỉ {clock}, sớm hơn dòng mới nhất của nhật ký phát ({newest}). Không phát gì cho đến khi giờ đúng (kiểm tra NTP, pin đồng hồ)."
            ),
            Lang::En => format!(
                "THE CLOCK IS WRONG: it reads {clock}, earlier than the newest play-log line ({newest}). Nothing plays until it is right (check NTP and the clock battery)."
            ),
        }
    }

    pub fn clock_not_synced(&self) -> &'static str {
        match self.lang {
            Lang::Vi => {
                "Đồng hồ máy chưa được đồng bộ (hệ điều hành báo chưa có NTP): giờ ghi trong nhật ký phát có thể lệch, và báo cáo sẽ ghi rõ điều đó. Cắm mạng để máy lấy giờ (systemd-timesyncd hoặc chrony), hoặc lắp pin đồng hồ (RTC)."
            }
            Lang::En => {
                "The system clock is not synchronised (the kernel reports no NTP): times in the play log may be off, and reports will say so. Connect the network so the box can set its time (systemd-timesyncd or chrony), or fit a clock battery (RTC)."
            }
        }
    }

    pub fn chime_unusable(&self, problem: &str) -> String {
        match self.lang {
            Lang::Vi => format!(
                "NHẠC HIỆU KHÔNG DÙNG ĐƯỢC: {problem}. Các bản tin vẫn phát, không có nhạc hiệu. Sửa hoặc chép lại tệp, hoặc bỏ dòng chime: trong config.yaml; kiểm tra bằng \"loa check\"."
            ),
            Lang::En => format!(
                "THE CHIME CANNOT BE PLAYED: {problem}. Broadcasts still play, without it. Fix or copy the file again, or remove the chime: line in config.yaml; see \"loa check\"."
            ),
        }
    }

    pub fn restart_needed(&self, keys: &str) -> String {
        match self.lang {
            Lang::Vi => format!(
                "CẦN KHỞI ĐỘNG LẠI: config.yaml đã đổi {keys}; loa đang chạy vẫn dùng giá trị cũ cho đến khi khởi động lại (systemctl restart loa). Các thay đổi khác đã có hiệu lực."
            ),
            Lang::En => format!(
                "RESTART NEEDED: config.yaml changed {keys}; the running daemon keeps the old values until it is restarted (systemctl restart loa). Other changes are in force."
            ),
        }
    }

    pub fn output_failing(&self, device: &str, error: &str) -> String {
        match self.lang {
            Lang::Vi => format!(
                "Thiết bị âm thanh \"{device}\" đang lỗi: {error}. Các bản tin bị ghi là lỗi cho đến khi thiết bị hoạt động lại."
            ),
            Lang::En => format!(
                "The audio output \"{device}\" is failing: {error}. Broadcasts are logged failed until it works again."
            ),
        }
    }

    pub fn playlog_not_writable(&self, lines: usize, error: &str) -> String {
        match self.lang {
            Lang::Vi => format!(
                "KHÔNG GHI ĐƯỢC NHẬT KÝ PHÁT ({error}): {lines} dòng đang được giữ trong bộ nhớ và sẽ được ghi khi đĩa cho phép. Giải phóng chỗ trống hoặc sửa quyền ghi."
            ),
            Lang::En => format!(
                "THE PLAY LOG IS NOT WRITABLE ({error}): {lines} line(s) are kept in memory and written as soon as the disk allows. Free some space or fix the permissions."
            ),
        }
    }

    pub fn never_ran(&self) -> &'static str {
        self.pick(
            "Chưa có tệp trạng thái: loa chưa từng chạy với cấu hình này.",
            "No status file: loa has not run with this config.",
        )
    }
}
