//! The daemon's own sentences for the system log (`journalctl -u loa`),
//! in the station's language (`language`, or `--lang`): the installer
//! reads them there. The structured fields keep their machine names and
//! values; only the message is in words.

use std::sync::OnceLock;

use super::Lang;

static LANG: OnceLock<Lang> = OnceLock::new();

/// Sets the language of the system log, once, when the daemon starts.
pub fn set_language(lang: Lang) {
    let _ = LANG.set(lang);
}

/// A sentence of the system log, in its language (Vietnamese by default).
pub fn say(n: Note) -> &'static str {
    n.text(LANG.get().copied().unwrap_or_default())
}

/// Every sentence the daemon writes to the system log.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Note {
    LogWritableAgain,
    ClockWrong,
    ClockRight,
    FellDueWhileWrong,
    JumpedForward,
    SkippedByJump,
    JumpedBackward,
    ConfigGone,
    ConfigTaken,
    ConfigNeedsRestart,
    StatusNotWritten,
    NoTimerfd,
    TimerfdFailed,
    RecordingUnplayable,
    EmergencyCutsIn,
    Stopping,
    SpeechWaiting,
    CannotPlay,
    FallbackPlays,
    FallbackFails,
    RelayingSilence,
    UnityGain,
    RepeatsDropped,
    OnAir,
    OutputWorksAgain,
    Closed,
    OutputFailing,
    NoStationLock,
    TornMoved,
    NoSignals,
    Running,
    Sighup,
    LinesLostAtExit,
    Stopped,
    ChimeUnusable,
    ChimeAgain,
    LogNotWritable,
    NoRuntime,
    CannotStart,
    SpeechFails,
    DownTooLong,
    FellDueWhileDown,
    WatchError,
    CannotWatch,
    CannotWatchFolder,
    CannotWatchConfig,
    RelayConnecting,
    RelayReconnecting,
    RelayCannotReceive,
    Underrun,
    RecordingMeasured,
    SpeechReady,
    SchedulesReloaded,
    ConfigRefused,
    ScheduleRefused,
}

impl Note {
    /// All of them, for the test that each has both languages.
    pub const ALL: &[Note] = &[
        Note::LogWritableAgain,
        Note::ClockWrong,
        Note::ClockRight,
        Note::FellDueWhileWrong,
        Note::JumpedForward,
        Note::SkippedByJump,
        Note::JumpedBackward,
        Note::ConfigGone,
        Note::ConfigTaken,
        Note::ConfigNeedsRestart,
        Note::StatusNotWritten,
        Note::NoTimerfd,
        Note::TimerfdFailed,
        Note::RecordingUnplayable,
        Note::EmergencyCutsIn,
        Note::Stopping,
        Note::SpeechWaiting,
        Note::CannotPlay,
        Note::FallbackPlays,
        Note::FallbackFails,
        Note::RelayingSilence,
        Note::UnityGain,
        Note::RepeatsDropped,
        Note::OnAir,
        Note::OutputWorksAgain,
        Note::Closed,
        Note::OutputFailing,
        Note::NoStationLock,
        Note::TornMoved,
        Note::NoSignals,
        Note::Running,
        Note::Sighup,
        Note::LinesLostAtExit,
        Note::Stopped,
        Note::ChimeUnusable,
        Note::ChimeAgain,
        Note::LogNotWritable,
        Note::NoRuntime,
        Note::CannotStart,
        Note::SpeechFails,
        Note::DownTooLong,
        Note::FellDueWhileDown,
        Note::WatchError,
        Note::CannotWatch,
        Note::CannotWatchFolder,
        Note::CannotWatchConfig,
        Note::RelayConnecting,
        Note::RelayReconnecting,
        Note::RelayCannotReceive,
        Note::Underrun,
        Note::RecordingMeasured,
        Note::SpeechReady,
        Note::SchedulesReloaded,
        Note::ConfigRefused,
        Note::ScheduleRefused,
    ];

    pub fn text(self, lang: Lang) -> &'static str {
        let (vi, en) = match self {
            Note::LogWritableAgain => (
                "nhật ký phát ghi được trở lại; mọi dòng đang giữ đã được ghi xuống đĩa",
                "the play log is writable again; every kept line is on disk",
            ),
            Note::ClockWrong => (
                "ĐỒNG HỒ SAI: giờ máy sớm hơn dòng mới nhất của nhật ký phát; chưa phát gì cho đến khi giờ đúng",
                "THE CLOCK IS WRONG: it is earlier than the newest play-log line; nothing is scheduled until it is right",
            ),
            Note::ClockRight => ("đồng hồ đã đúng trở lại", "the clock is right again"),
            Note::FellDueWhileWrong => (
                "các lượt phát đến hạn trong lúc đồng hồ sai",
                "occurrences that fell due while the clock was wrong",
            ),
            Note::JumpedForward => (
                "đồng hồ nhảy tới; các lượt bị bỏ qua được ghi là lỡ, không phát bù",
                "the wall clock jumped forward; what it skipped is recorded as missed, not played",
            ),
            Note::SkippedByJump => (
                "các lượt bị bỏ qua do đồng hồ nhảy",
                "occurrences skipped by the clock jump",
            ),
            Note::JumpedBackward => (
                "đồng hồ lùi lại; lượt nào đã xong sẽ không phát lại",
                "the wall clock jumped backward; nothing already closed plays again",
            ),
            Note::ConfigGone => (
                "không còn config.yaml; cấu hình hợp lệ gần nhất vẫn được dùng",
                "config.yaml is gone; the last good config stays in force",
            ),
            Note::ConfigTaken => ("đã nhận config.yaml", "config.yaml taken"),
            Note::ConfigNeedsRestart => (
                "đã nhận config.yaml; các mục này cần khởi động lại (systemctl restart loa)",
                "config.yaml taken; these keys need a restart (systemctl restart loa)",
            ),
            Note::StatusNotWritten => (
                "không ghi được tệp tình trạng",
                "cannot write the status file",
            ),
            Note::NoTimerfd => (
                "không có timerfd: vòng lặp dùng bộ hẹn giờ của tokio",
                "no timerfd: the loop sleeps on tokio's timer",
            ),
            Note::TimerfdFailed => (
                "timerfd lỗi: dùng bộ hẹn giờ của tokio",
                "timerfd failed: sleeping on tokio's timer",
            ),
            Note::RecordingUnplayable => {
                ("tệp âm thanh không phát được", "recording cannot be played")
            }
            Note::EmergencyCutsIn => ("tin khẩn cấp cắt ngang", "an emergency cuts in"),
            Note::Stopping => ("dừng phát", "stopping"),
            Note::SpeechWaiting => (
                "giọng đọc chưa tạo xong: đang chờ",
                "speech not rendered yet: waiting for it",
            ),
            Note::CannotPlay => ("không phát được", "cannot play"),
            Note::FallbackPlays => (
                "mất nguồn tiếp âm: phát bản dự phòng",
                "relay source down: its fallback plays",
            ),
            Note::FallbackFails => (
                "mất nguồn tiếp âm và bản dự phòng không phát được: phát im lặng cho đến khi nguồn trở lại",
                "relay source down, and its fallback cannot play: relaying silence until the source answers",
            ),
            Note::RelayingSilence => (
                "mất nguồn tiếp âm: phát im lặng cho đến khi nguồn trở lại",
                "relay source down: relaying silence until it answers",
            ),
            Note::UnityGain => (
                "chưa đo âm lượng: phát với mức gốc",
                "not measured yet: plays at unity gain",
            ),
            Note::RepeatsDropped => (
                "bỏ các lần lặp: chúng sẽ rơi vào giờ yên lặng",
                "repeats dropped: they would start in quiet hours",
            ),
            Note::OnAir => ("đang phát", "on air"),
            Note::OutputWorksAgain => (
                "ngõ ra âm thanh hoạt động trở lại",
                "the audio output works again",
            ),
            Note::Closed => ("đã kết thúc", "closed"),
            Note::OutputFailing => (
                "NGÕ RA ÂM THANH ĐANG LỖI: các bản tin được ghi là không phát được cho đến khi ngõ ra hoạt động lại",
                "THE AUDIO OUTPUT IS FAILING: broadcasts are logged failed until it works again",
            ),
            Note::NoStationLock => (
                "KHÔNG GIỮ ĐƯỢC KHÓA CỦA TRẠM: vẫn chạy nhưng không có khóa; cho người dùng loa quyền ghi thư mục state/",
                "CANNOT TAKE THE STATION LOCK: running without it; make state/ writable by the loa user",
            ),
            Note::TornMoved => (
                "đã chuyển dòng nhật ký bị cắt dở ra tệp riêng",
                "moved a torn play-log line aside",
            ),
            Note::NoSignals => (
                "không cài được bộ xử lý tín hiệu",
                "cannot install signal handlers",
            ),
            Note::Running => ("loa đang chạy", "loa is running"),
            Note::Sighup => (
                "SIGHUP: đọc lại config.yaml và mọi tệp lịch",
                "SIGHUP: reloading config.yaml and every schedule",
            ),
            Note::LinesLostAtExit => (
                "các dòng nhật ký phát không ghi được trước khi dừng",
                "play log lines could not be written before exit",
            ),
            Note::Stopped => ("loa đã dừng", "loa stopped"),
            Note::ChimeUnusable => (
                "NHẠC HIỆU KHÔNG PHÁT ĐƯỢC: các bản tin phát không có nhạc hiệu",
                "THE CHIME CANNOT BE PLAYED: broadcasts play without it",
            ),
            Note::ChimeAgain => ("nhạc hiệu phát được trở lại", "the chime plays again"),
            Note::LogNotWritable => (
                "KHÔNG GHI ĐƯỢC NHẬT KÝ PHÁT: các dòng được giữ trong bộ nhớ cho đến khi ghi được",
                "PLAY LOG NOT WRITABLE: lines are kept in memory until the disk allows",
            ),
            Note::NoRuntime => ("không khởi động được bộ chạy", "cannot start the runtime"),
            Note::CannotStart => ("loa không khởi động được", "loa cannot start"),
            Note::SpeechFails => ("không tạo được giọng đọc", "speech cannot be rendered"),
            Note::DownTooLong => (
                "loa đã ngừng lâu hơn khoảng thời gian nó xem lại; chỉ tuần gần nhất được ghi là lỡ",
                "the daemon was down longer than loa looks back; only the last week is recorded as missed",
            ),
            Note::FellDueWhileDown => (
                "có bản tin đến hạn trong lúc loa không chạy",
                "broadcasts fell due while loa was not running",
            ),
            Note::WatchError => (
                "lỗi theo dõi thư mục; vẫn quét lại định kỳ",
                "file watch error; the periodic rescan still runs",
            ),
            Note::CannotWatch => (
                "không theo dõi được thư mục; thay đổi chỉ được thấy khi quét lại định kỳ",
                "cannot watch folders; changes are seen by the periodic rescan only",
            ),
            Note::CannotWatchFolder => (
                "không theo dõi được thư mục; quét lại định kỳ sẽ thấy thay đổi",
                "cannot watch folder; the periodic rescan covers it",
            ),
            Note::CannotWatchConfig => (
                "không theo dõi được thư mục của config.yaml; quét lại định kỳ sẽ thấy thay đổi",
                "cannot watch config.yaml's folder; the periodic rescan covers it",
            ),
            Note::RelayConnecting => ("tiếp âm: đang kết nối", "relay: connecting"),
            Note::RelayReconnecting => (
                "tiếp âm: mất nguồn, đang kết nối lại",
                "relay: source lost, reconnecting",
            ),
            Note::RelayCannotReceive => ("tiếp âm: không nhận được", "relay: cannot receive"),
            Note::Underrun => (
                "ngõ ra hết dữ liệu giữa chừng bản tin",
                "the output ran out of samples during a broadcast",
            ),
            Note::RecordingMeasured => ("đã đo tệp âm thanh", "recording measured"),
            Note::SpeechReady => ("giọng đọc đã sẵn sàng", "speech ready"),
            Note::SchedulesReloaded => ("đã đọc lại các tệp lịch", "schedules reloaded"),
            Note::ConfigRefused => (
                "config.yaml bị từ chối; cấu hình hợp lệ gần nhất vẫn được dùng",
                "config.yaml refused; the last good config stays",
            ),
            Note::ScheduleRefused => ("tệp lịch bị từ chối", "schedule refused"),
        };
        lang.pick(vi, en)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_sentence_has_both_languages() {
        for n in Note::ALL {
            let (vi, en) = (n.text(Lang::Vi), n.text(Lang::En));
            assert!(!vi.is_empty() && !en.is_empty(), "{n:?}");
            assert_ne!(vi, en, "{n:?} is not translated");
        }
    }
}
