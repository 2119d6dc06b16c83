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

    fn pick(&self, vi: &'static str, en: &'static str) -> &'static str {
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

    pub fn announce_past(&self) -> &'static str {
        self.pick(
            "thời điểm này đã qua quá giới hạn trễ (late_limit); chọn giờ khác hoặc --at now",
            "that time is past the late limit; choose another or --at now",
        )
    }

    pub fn announcement(&self) -> &'static str {
        self.pick("Thông báo", "Announcement")
    }

    pub fn announce_copied(&self, rel: &str) -> String {
        match self.lang {
            Lang::Vi => format!("Đã chép tệp âm thanh vào audio/{rel}"),
            Lang::En => format!("Copied the recording to audio/{rel}"),
        }
    }

    /// An announcement the station's rules will keep silent, and why.
    pub fn announce_silent(&self, name: &str, why: &str, file: &str) -> String {
        match self.lang {
            Lang::Vi => format!("\"{name}\" sẽ KHÔNG phát: {why} (đã ghi {file})"),
            Lang::En => format!("\"{name}\" will NOT sound: {why} (written to {file})"),
        }
    }

    /// The daemon runs: since when, and how fresh its status is.
    pub fn status_up(&self, pid: u32, since: &str, age: i64) -> String {
        match self.lang {
            Lang::Vi => {
                format!("loa đang chạy (pid {pid}, từ {since}), cập nhật {age} giây trước.")
            }
            Lang::En => format!("loa is running (pid {pid}, since {since}), updated {age} s ago."),
        }
    }

    /// The process lives but no longer updates its status.
    pub fn status_stale(&self, pid: u32, age: i64) -> String {
        match self.lang {
            Lang::Vi => format!(
                "loa KHÔNG PHẢN HỒI: tiến trình {pid} còn sống nhưng không cập nhật trạng thái đã {age} giây."
            ),
            Lang::En => format!(
                "loa is NOT RESPONDING: process {pid} lives but has not updated its status for {age} s."
            ),
        }
    }

    /// The daemon is gone.
    pub fn status_down(&self, since: &str) -> String {
        match self.lang {
            Lang::Vi => format!("loa KHÔNG CHẠY, từ khoảng {since} (lần cập nhật cuối)."),
            Lang::En => format!("loa is NOT RUNNING, since about {since} (its last update)."),
        }
    }

    pub fn status_heading(&self, part: StatusPart) -> &'static str {
        match part {
            StatusPart::OnAir => self.pick("Đang phát", "On air"),
            StatusPart::NothingOnAir => self.pick("Đang không phát.", "Nothing on air."),
            StatusPart::Warnings => self.pick("CẢNH BÁO", "WARNINGS"),
            StatusPart::Next => self.pick("Sắp phát", "Next"),
            StatusPart::Last => self.pick("Kết quả gần đây", "Last outcomes"),
            StatusPart::Refused => self.pick(
                "Tệp lịch bị từ chối (bản hợp lệ trước đó vẫn được dùng)",
                "Refused schedule files (the last good version stays in force)",
            ),
        }
    }

    pub fn until(&self) -> &'static str {
        self.pick("đến", "until")
    }

    /// Before a relay's source in `status`.
    pub fn relaying(&self) -> &'static str {
        self.pick("tiếp âm từ", "relaying")
    }

    /// Run as root, loa could not take the identity of the station's owner
    /// (and will not go on as root in the station).
    pub fn cannot_act_as_owner(&self, state: &str, e: &std::io::Error) -> String {
        match self.lang {
            Lang::Vi => format!(
                "loa chạy bằng root nhưng không chuyển được sang người dùng sở hữu {state} ({e}); dừng để không tạo tệp của root trong trạm"
            ),
            Lang::En => format!(
                "loa runs as root but cannot act as the owner of {state} ({e}); stopping rather than leave root's files in the station"
            ),
        }
    }

    /// `announce` could not write a file: in words, with the fix for a
    /// permission problem (the station's folders are group loa's).
    pub fn announce_io(&self, e: &std::io::Error) -> String {
        let denied = e.kind() == std::io::ErrorKind::PermissionDenied;
        match (self.lang, denied) {
            (Lang::Vi, true) => "không có quyền ghi vào thư mục của trạm (schedules/ hoặc audio/)\n  = cách sửa: người vận hành cần ở trong nhóm loa và đăng nhập lại sau khi được thêm; thư mục do người khác tạo thì nhờ người cài đặt: sudo chgrp -R loa THƯ_MỤC && sudo chmod -R g+rwX THƯ_MỤC".to_string(),
            (Lang::En, true) => "no permission to write into the station's folders (schedules/ or audio/)\n  = fix: operators must be in group loa and log in again after being added; for a folder someone else made, ask the installer: sudo chgrp -R loa FOLDER && sudo chmod -R g+rwX FOLDER".to_string(),
            (Lang::Vi, false) => format!(
                "lỗi khi ghi thông báo: {}",
                super::yaml_words::os_vi(&e.to_string())
            ),
            (Lang::En, false) => format!("could not write the announcement: {e}"),
        }
    }

    /// A schedule file `loa announce` wrote and then could not read back.
    pub fn announce_invalid(&self) -> &'static str {
        self.pick(
            "tệp lịch loa vừa viết không hợp lệ",
            "the schedule loa wrote does not validate",
        )
    }

    pub fn announce_when(&self, name: &str, at: &str, prio: &str, file: &str) -> String {
        match self.lang {
            Lang::Vi => format!("\"{name}\" ({prio}) sẽ phát lúc {at}. Lịch đã ghi: {file}"),
            Lang::En => format!("\"{name}\" ({prio}) will sound at {at}. Schedule written: {file}"),
        }
    }

    pub fn announce_daemon_down(&self) -> &'static str {
        self.pick(
            "Cảnh báo: loa đang không chạy; bản tin chỉ phát khi loa được khởi động (trong giới hạn trễ).",
            "Warning: loa is not running; the announcement sounds only once it starts (within the late limit).",
        )
    }

    pub fn silent(&self) -> &'static str {
        self.pick("im lặng", "silent")
    }

    pub fn loudness_header(&self, target: &str) -> String {
        match self.lang {
            Lang::Vi => format!("Độ lớn (EBU R128; mức đích {target}, đỉnh thực tối đa −1 dBTP):"),
            Lang::En => format!("Loudness (EBU R128; target {target}, true peak at most −1 dBTP):"),
        }
    }

    pub fn head(&self) -> &'static str {
        self.pick("Mã băm đầu chuỗi (head)", "Head hash")
    }

    pub fn config_refused_status(&self) -> &'static str {
        self.pick(
            "config.yaml có lỗi (xem trên); loa đang chạy vẫn dùng bản hợp lệ gần nhất. Tình trạng dưới đây đọc từ thư mục state/ mặc định.",
            "config.yaml has errors (above); a running loa keeps its last good version. The status below is read from the default state/ folder.",
        )
    }

    /// The config exists but this user may not read it: not in group loa,
    /// or added to it and not logged in again.
    pub fn config_not_readable(&self, path: &str, user: &str) -> String {
        match self.lang {
            Lang::Vi => format!(
                "Người dùng \"{user}\" không có quyền đọc {path}.\n  = cách sửa: người vận hành cần ở trong nhóm loa (sudo adduser {user} loa), rồi đăng xuất và đăng nhập lại; người cài đặt dùng sudo."
            ),
            Lang::En => format!(
                "User \"{user}\" may not read {path}.\n  = fix: operators must be in group loa (sudo adduser {user} loa), then log out and in again; the installer uses sudo."
            ),
        }
    }

    pub fn config_unusable(&self) -> &'static str {
        self.pick(
            "Không dùng được config.yaml; loa không thể chạy.",
            "config.yaml is unusable; loa cannot run.",
        )
    }

    /// A second `loa run` on a station that already has its daemon.
    pub fn already_running(&self, pid: Option<u32>, lock: &str) -> String {
        let pid = pid.map_or_else(|| "?".to_string(), |p| p.to_string());
        match self.lang {
            Lang::Vi => format!(
                "loa đang chạy cho trạm này (pid {pid}); không chạy thêm một tiến trình thứ hai.\n\
                 Gợi ý: xem tình trạng bằng \"loa status\"; muốn khởi động lại thì dừng tiến trình đang chạy trước \
                 (systemctl restart loa). Khoá: {lock}"
            ),
            Lang::En => format!(
                "loa is already running for this station (pid {pid}); a second daemon does not start.\n\
                 Hint: see \"loa status\"; to restart, stop the running one first \
                 (systemctl restart loa). Lock: {lock}"
            ),
        }
    }

    /// The station's lock file cannot be made or opened.
    pub fn lock_failed(&self, lock: &str, detail: &str) -> String {
        match self.lang {
            Lang::Vi => format!(
                "Không tạo được tệp khoá {lock} ({detail}).\n\
                 Gợi ý: thư mục state/ phải ghi được bởi người dùng chạy loa."
            ),
            Lang::En => format!(
                "Cannot make the lock file {lock} ({detail}).\n\
                 Hint: the state/ folder must be writable by the user loa runs as."
            ),
        }
    }

    /// The play log cannot be read or repaired at start-up.
    pub fn log_unreadable(&self, detail: &str) -> String {
        match self.lang {
            Lang::Vi => format!(
                "Không mở được nhật ký phát ({detail}).\n\
                 Gợi ý: thư mục playlog/ phải đọc và ghi được bởi người dùng chạy loa."
            ),
            Lang::En => format!(
                "Cannot open the play log ({detail}).\n\
                 Hint: the playlog/ folder must be readable and writable by the user loa runs as."
            ),
        }
    }
}
