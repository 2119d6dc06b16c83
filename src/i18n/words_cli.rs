//! Words of `announce`, `status` and the command line's refusals.

use super::{Lang, Words};
use crate::i18n::StatusPart;

impl Words {
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
