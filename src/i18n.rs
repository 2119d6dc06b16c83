//! The message catalogue: every sentence loa shows a person, in Vietnamese and
//! English, side by side in one place.

use std::fmt;

/// What will happen when two broadcasts meet on one output.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Clash {
    /// Waits for the other, and starts at `start` (local HH:MM:SS).
    Waits { start: String },
    /// Waits for the other past the late limit.
    Missed,
    /// An emergency that cuts the other.
    Cuts,
    /// Cut by the other at `at`; starts again at `again` if it does.
    Cut { at: String, again: Option<String> },
}

impl Clash {
    /// The consequence in words; `other` is the broadcast it meets.
    pub fn text(&self, other: &str, lang: Lang) -> String {
        let w = Words::new(lang);
        match self {
            Clash::Waits { start } => w.conflict_waits(other, start),
            Clash::Missed => w.conflict_missed(other),
            Clash::Cuts => w.conflict_cuts(other),
            Clash::Cut {
                at,
                again: Some(again),
            } => w.cut_and_restarted(other, at, again),
            Clash::Cut { at, again: None } => w.cut_for_good(other, at),
        }
    }
}

/// The language of messages and reports. Vietnamese unless told otherwise.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Lang {
    #[default]
    Vi,
    En,
}

impl Lang {
    /// The Vietnamese or the English of a fixed text.
    pub fn pick(self, vi: &'static str, en: &'static str) -> &'static str {
        match self {
            Lang::Vi => vi,
            Lang::En => en,
        }
    }

    pub fn parse(s: &str) -> Option<Lang> {
        match s.trim().to_ascii_lowercase().as_str() {
            "vi" | "vn" | "vi-vn" => Some(Lang::Vi),
            "en" | "en-us" | "en-gb" => Some(Lang::En),
            _ => None,
        }
    }
}

/// One message, with the data it needs. `text` and `hint` render it.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(tag = "code", rename_all = "snake_case")]
pub enum Msg {
    LabelError,
    LabelWarning,
    LabelHint,

    // Reading files.
    ReadFailed {
        detail: String,
    },
    EmptyFile,
    YamlTab,
    YamlUnknownKey {
        key: String,
        expected: String,
    },
    YamlMissingKey {
        key: String,
    },
    YamlTooComplex {
        detail: String,
    },
    YamlSyntax {
        detail: String,
    },

    // config.yaml
    BadTimezone {
        value: String,
    },
    BadDuration {
        value: String,
    },
    BadQuietHours {
        value: String,
    },
    BadVolume {
        value: String,
    },
    BadLoudness {
        value: String,
    },
    BadLanguage {
        value: String,
    },
    BadDevice,
    NullDevice,
    UnknownDevice {
        value: String,
    },
    OutputAndOutputs,
    NoOutputs,
    OutputNeedsName,
    BadOutputName {
        value: String,
    },
    DuplicateOutput {
        name: String,
    },
    UnknownOutput {
        name: String,
        known: String,
    },

    // Schedule files
    BadTime {
        value: String,
    },
    BadDate {
        value: String,
    },
    BadDateTime {
        value: String,
    },
    BadDay {
        value: String,
    },
    BadCron {
        value: String,
        detail: String,
    },
    BadPriority {
        value: String,
    },
    BadRepeat,
    WhenNone,
    WhenMany,
    DaysWithoutAt,
    DuplicateBroadcast {
        name: String,
    },
    EmptyName,
    EmptyAudioList,
    NoBroadcasts,
    WindowEmpty {
        from: String,
        until: String,
    },
    WindowEnded {
        until: String,
    },
    ApprovedOnWithoutBy,
    NotApproved,
    OnInPast {
        value: String,
    },

    // Audio
    AudioAbsolute {
        path: String,
    },
    AudioEscapes {
        path: String,
    },
    AudioMissing {
        path: String,
    },
    AudioUnsupported {
        path: String,
    },
    AudioUndecodable {
        path: String,
        detail: String,
    },
    AudioUnused {
        path: String,
    },

    // Plan checks (next 7 days)
    QuietHours {
        broadcast: String,
        time: String,
    },
    Conflict {
        time: String,
        broadcast: String,
        other: String,
        clash: Clash,
    },

    // Station
    NoScheduleFiles {
        dir: String,
    },
}

impl Msg {
    /// The headline, in `lang`.
    pub fn text(&self, lang: Lang) -> String {
        use Lang::{En, Vi};
        use Msg::*;
        match (self, lang) {
            (LabelError, Vi) => "lỗi".into(),
            (LabelError, En) => "error".into(),
            (LabelWarning, Vi) => "cảnh báo".into(),
            (LabelWarning, En) => "warning".into(),
            (LabelHint, Vi) => "cách sửa".into(),
            (LabelHint, En) => "fix".into(),

            (ReadFailed { detail }, Vi) => format!("không đọc được tệp ({detail})"),
            (ReadFailed { detail }, En) => format!("cannot read the file ({detail})"),
            (EmptyFile, Vi) => "tệp rỗng".into(),
            (EmptyFile, En) => "the file is empty".into(),
            (YamlTab, Vi) => "có ký tự Tab trong phần thụt lề".into(),
            (YamlTab, En) => "a Tab character is used for indentation".into(),
            (YamlUnknownKey { key, .. }, Vi) => format!("khóa không hợp lệ `{key}`"),
            (YamlUnknownKey { key, .. }, En) => format!("unknown key `{key}`"),
            (YamlMissingKey { key }, Vi) => format!("thiếu khóa bắt buộc `{key}`"),
            (YamlMissingKey { key }, En) => format!("the required key `{key}` is missing"),
            (YamlTooComplex { detail }, Vi) => {
                format!("tệp YAML quá lớn hoặc lồng nhau quá sâu ({detail})")
            }
            (YamlTooComplex { detail }, En) => {
                format!("the YAML is too large or nested too deeply ({detail})")
            }
            (YamlSyntax { detail }, Vi) => format!("sai cú pháp YAML: {detail}"),
            (YamlSyntax { detail }, En) => format!("YAML error: {detail}"),

            (BadTimezone { value }, Vi) => format!("múi giờ không hợp lệ \"{value}\""),
            (BadTimezone { value }, En) => format!("unknown time zone \"{value}\""),
            (BadDuration { value }, Vi) => format!("khoảng thời gian không hợp lệ \"{value}\""),
            (BadDuration { value }, En) => format!("invalid duration \"{value}\""),
            (BadQuietHours { value }, Vi) => format!("khung giờ yên lặng không hợp lệ \"{value}\""),
            (BadQuietHours { value }, En) => format!("invalid quiet hours \"{value}\""),
            (BadVolume { value }, Vi) => format!("âm lượng không hợp lệ \"{value}\""),
            (BadVolume { value }, En) => format!("invalid volume \"{value}\""),
            (BadLoudness { value }, Vi) => format!("độ to mục tiêu không hợp lệ \"{value}\""),
            (BadLoudness { value }, En) => format!("invalid loudness target \"{value}\""),
            (BadLanguage { value }, Vi) => format!("ngôn ngữ không hỗ trợ \"{value}\""),
            (BadLanguage { value }, En) => format!("unsupported language \"{value}\""),
            (BadDevice, Vi) => "tên thiết bị âm thanh để trống".into(),
            (BadDevice, En) => "the output device name is empty".into(),
            (NullDevice, Vi) => {
                "null không có ngoặc kép là giá trị rỗng của YAML, không phải đầu ra im lặng".into()
            }
            (NullDevice, En) => "unquoted null is YAML's empty value, not the silent output".into(),
            (UnknownDevice { value }, Vi) => {
                format!("không có đầu ra âm thanh nào tên \"{value}\"")
            }
            (UnknownDevice { value }, En) => format!("no audio output is called \"{value}\""),
            (OutputAndOutputs, Vi) => "có cả output: và outputs:".into(),
            (OutputAndOutputs, En) => "both output: and outputs: are given".into(),
            (NoOutputs, Vi) => "danh sách outputs: trống".into(),
            (NoOutputs, En) => "the outputs: list is empty".into(),
            (OutputNeedsName, Vi) => "đầu ra trong outputs: thiếu name".into(),
            (OutputNeedsName, En) => "an output in outputs: has no name".into(),
            (BadOutputName { value }, Vi) => format!("tên đầu ra không hợp lệ \"{value}\""),
            (BadOutputName { value }, En) => format!("invalid output name \"{value}\""),
            (DuplicateOutput { name }, Vi) => format!("hai đầu ra cùng tên \"{name}\""),
            (DuplicateOutput { name }, En) => format!("two outputs are called \"{name}\""),
            (UnknownOutput { name, .. }, Vi) => format!("trạm không có đầu ra nào tên \"{name}\""),
            (UnknownOutput { name, .. }, En) => {
                format!("the station has no output called \"{name}\"")
            }

            (BadTime { value }, Vi) => format!("giờ không hợp lệ \"{value}\""),
            (BadTime { value }, En) => format!("invalid time \"{value}\""),
            (BadDate { value }, Vi) => format!("ngày không hợp lệ \"{value}\""),
            (BadDate { value }, En) => format!("invalid date \"{value}\""),
            (BadDateTime { value }, Vi) => format!("ngày giờ không hợp lệ \"{value}\""),
            (BadDateTime { value }, En) => format!("invalid date and time \"{value}\""),
            (BadDay { value }, Vi) => format!("ngày trong tuần không hợp lệ \"{value}\""),
            (BadDay { value }, En) => format!("invalid day of the week \"{value}\""),
            (BadCron { value, detail }, Vi) => {
                format!("biểu thức cron không hợp lệ \"{value}\" ({detail})")
            }
            (BadCron { value, detail }, En) => {
                format!("invalid cron expression \"{value}\" ({detail})")
            }
            (BadPriority { value }, Vi) => format!("mức ưu tiên không hợp lệ \"{value}\""),
            (BadPriority { value }, En) => format!("invalid priority \"{value}\""),
            (BadRepeat, Vi) => "số lần phát phải từ 1 đến 20".into(),
            (BadRepeat, En) => "repeat must be between 1 and 20".into(),
            (WhenNone, Vi) => "bản tin chưa có giờ phát".into(),
            (WhenNone, En) => "the broadcast has no time".into(),
            (WhenMany, Vi) => "bản tin có nhiều hơn một cách đặt giờ".into(),
            (WhenMany, En) => "the broadcast sets its time in more than one way".into(),
            (DaysWithoutAt, Vi) => "`days` chỉ dùng cùng với `at`".into(),
            (DaysWithoutAt, En) => "`days` only goes with `at`".into(),
            (DuplicateBroadcast { name }, Vi) => format!("trùng tên bản tin \"{name}\""),
            (DuplicateBroadcast { name }, En) => format!("duplicate broadcast name \"{name}\""),
            (EmptyName, Vi) => "tên bản tin để trống".into(),
            (EmptyName, En) => "the broadcast name is empty".into(),
            (EmptyAudioList, Vi) => "bản tin chưa có tệp âm thanh".into(),
            (EmptyAudioList, En) => "the broadcast has no audio file".into(),
            (NoBroadcasts, Vi) => "lịch chưa có bản tin nào".into(),
            (NoBroadcasts, En) => "the schedule has no broadcasts".into(),
            (WindowEmpty { from, until }, Vi) => {
                format!("ngày bắt đầu {from} sau ngày kết thúc {until}")
            }
            (WindowEmpty { from, until }, En) => {
                format!("the start date {from} is after the end date {until}")
            }
            (WindowEnded { until }, Vi) => {
                format!("chiến dịch đã kết thúc ngày {until}; lịch này không còn phát")
            }
            (WindowEnded { until }, En) => {
                format!("the campaign ended on {until}; this schedule no longer plays")
            }
            (ApprovedOnWithoutBy, Vi) => "có `approved_on` nhưng thiếu `approved_by`".into(),
            (ApprovedOnWithoutBy, En) => "`approved_on` is set but `approved_by` is not".into(),
            (NotApproved, Vi) => "lịch chưa được duyệt nên sẽ không phát".into(),
            (NotApproved, En) => "the schedule is not approved, so it will not play".into(),
            (OnInPast { value }, Vi) => format!("thời điểm {value} đã qua"),
            (OnInPast { value }, En) => format!("the time {value} is in the past"),

            (AudioAbsolute { path }, Vi) => format!("đường dẫn tuyệt đối \"{path}\""),
            (AudioAbsolute { path }, En) => format!("absolute path \"{path}\""),
            (AudioEscapes { path }, Vi) => {
                format!("đường dẫn \"{path}\" đi ra ngoài thư mục âm thanh")
            }
            (AudioEscapes { path }, En) => {
                format!("the path \"{path}\" leaves the audio folder")
            }
            (AudioMissing { path }, Vi) => format!("không tìm thấy tệp âm thanh \"{path}\""),
            (AudioMissing { path }, En) => format!("audio file \"{path}\" not found"),
            (AudioUnsupported { path }, Vi) => {
                format!("định dạng tệp \"{path}\" không được hỗ trợ")
            }
            (AudioUnsupported { path }, En) => format!("the format of \"{path}\" is not supported"),
            (AudioUndecodable { path, detail }, Vi) => {
                format!("không giải mã được tệp âm thanh \"{path}\" ({detail})")
            }
            (AudioUndecodable { path, detail }, En) => {
                format!("cannot decode the audio file \"{path}\" ({detail})")
            }
            (AudioUnused { path }, Vi) => {
                format!("tệp âm thanh \"{path}\" không được lịch nào dùng")
            }
            (AudioUnused { path }, En) => format!("no schedule uses the audio file \"{path}\""),

            (QuietHours { broadcast, time }, Vi) => {
                format!("\"{broadcast}\" lúc {time} rơi vào giờ yên lặng nên sẽ bị bỏ qua")
            }
            (QuietHours { broadcast, time }, En) => {
                format!("\"{broadcast}\" at {time} falls in quiet hours and will be skipped")
            }
            (
                Conflict {
                    time,
                    broadcast,
                    other,
                    clash,
                },
                Vi,
            ) => format!(
                "{time}: \"{broadcast}\" trùng giờ với \"{other}\"; {}",
                clash.text(other, Vi)
            ),
            (
                Conflict {
                    time,
                    broadcast,
                    other,
                    clash,
                },
                En,
            ) => format!(
                "{time}: \"{broadcast}\" overlaps \"{other}\"; {}",
                clash.text(other, En)
            ),
            (NoScheduleFiles { dir }, Vi) => format!("thư mục {dir} chưa có tệp lịch (*.yaml)"),
            (NoScheduleFiles { dir }, En) => format!("{dir} holds no schedule file (*.yaml)"),
        }
    }

    /// How to fix it, when there is something to say.
    pub fn hint(&self, lang: Lang) -> Option<String> {
        use Lang::{En, Vi};
        use Msg::*;
        let s: &str = match (self, lang) {
            (YamlTab, Vi) => {
                "YAML chỉ cho phép thụt lề bằng dấu cách; thay mỗi Tab bằng 2 dấu cách"
            }
            (YamlTab, En) => "YAML indents with spaces only; replace each Tab with 2 spaces",
            (YamlUnknownKey { expected, .. }, _) => {
                return Some(match lang {
                    Vi => format!("kiểm tra chính tả; các khóa hợp lệ ở đây: {expected}"),
                    En => format!("check the spelling; the keys allowed here: {expected}"),
                });
            }
            (YamlMissingKey { key }, _) => {
                return Some(match lang {
                    Vi => format!("thêm dòng `{key}: ...`"),
                    En => format!("add a line `{key}: ...`"),
                });
            }
            (EmptyFile, Vi) => "chép nội dung mẫu từ một tệp lịch có sẵn rồi sửa lại",
            (EmptyFile, En) => "copy an existing schedule file and edit it",
            (YamlTooComplex { .. }, Vi) => {
                "không dùng neo/bí danh YAML (&, *) để nhân bản nội dung"
            }
            (YamlTooComplex { .. }, En) => {
                "do not use YAML anchors and aliases (&, *) to multiply content"
            }
            (YamlSyntax { .. }, Vi) => "kiểm tra dấu hai chấm, dấu ngoặc và thụt lề ở dòng này",
            (YamlSyntax { .. }, En) => "check the colons, brackets and indentation on this line",
            (BadTimezone { .. }, Vi) => "dùng tên múi giờ IANA, ví dụ Asia/Ho_Chi_Minh",
            (BadTimezone { .. }, En) => "use an IANA zone name, e.g. Asia/Ho_Chi_Minh",
            (BadDuration { .. }, Vi) => "viết số kèm đơn vị s, m hoặc h, ví dụ 10m, 3s, 1h30m",
            (BadDuration { .. }, En) => "write a number with a unit s, m or h, e.g. 10m, 3s, 1h30m",
            (BadQuietHours { .. }, Vi) => "viết dạng \"HH:MM-HH:MM\", ví dụ \"21:30-05:00\"",
            (BadQuietHours { .. }, En) => "write \"HH:MM-HH:MM\", e.g. \"21:30-05:00\"",
            (BadVolume { .. }, Vi) => "âm lượng là một số từ 0.0 đến 1.0",
            (BadVolume { .. }, En) => "volume is a number from 0.0 to 1.0",
            (BadLoudness { .. }, Vi) => "viết một số LUFS từ -40 đến -5 (ví dụ -16), hoặc off",
            (BadLoudness { .. }, En) => "write a LUFS number from -40 to -5 (e.g. -16), or off",
            (BadLanguage { .. }, _) => "vi | en",
            (BadDevice, Vi) => "dùng default, null, hoặc một tên do `loa devices` liệt kê",
            (BadDevice, En) => "use default, null, or a name that `loa devices` lists",
            (NullDevice, Vi) => {
                "viết device: \"null\" (có ngoặc kép) để chạy thử không ra loa, hoặc device: default cho card âm thanh"
            }
            (NullDevice, En) => {
                "write device: \"null\" (in quotes) for a silent rehearsal, or device: default for the sound card"
            }
            (UnknownOutput { known, .. }, _) => {
                return Some(match lang {
                    Vi => format!("các đầu ra của trạm: {known}; bỏ outputs: để phát trên tất cả"),
                    En => {
                        format!("the station's outputs: {known}; leave out outputs: to play on all")
                    }
                });
            }
            (UnknownDevice { .. }, Vi) => {
                "viết \"null\" (đúng như vậy) để chạy thử không ra loa, hoặc default, hoặc một tên do `loa devices` liệt kê"
            }
            (UnknownDevice { .. }, En) => {
                "write \"null\" (exactly) for a silent rehearsal, or default, or a name that `loa devices` lists"
            }
            (OutputAndOutputs, Vi) => {
                "giữ output: cho một đầu ra, hoặc outputs: cho nhiều đầu ra, không dùng cả hai"
            }
            (OutputAndOutputs, En) => {
                "keep output: for one output or outputs: for several, not both"
            }
            (NoOutputs, Vi) | (OutputNeedsName, Vi) => {
                "mỗi mục có name và device, ví dụ:  - name: trung-tam\n      device: default"
            }
            (NoOutputs, En) | (OutputNeedsName, En) => {
                "give each item a name and a device, e.g.  - name: trung-tam\n      device: default"
            }
            (BadOutputName { .. }, Vi) => "dùng chữ, số, - và _, không dấu cách, ví dụ thon-dong",
            (BadOutputName { .. }, En) => "use letters, digits, - and _, no spaces, e.g. thon-dong",
            (DuplicateOutput { .. }, Vi) => "đặt cho mỗi đầu ra một tên riêng",
            (DuplicateOutput { .. }, En) => "give each output its own name",
            (BadTime { .. }, Vi) => {
                "viết giờ dạng \"HH:MM\" hoặc \"HH:MM:SS\" từ 00:00 đến 23:59, trong dấu ngoặc kép, ví dụ \"06:15\""
            }
            (BadTime { .. }, En) => {
                "write the time as \"HH:MM\" or \"HH:MM:SS\" from 00:00 to 23:59, in quotes, e.g. \"06:15\""
            }
            (BadDate { .. }, Vi) => "viết ngày dạng YYYY-MM-DD, ví dụ 2025-09-02",
            (BadDate { .. }, En) => "write the date as YYYY-MM-DD, e.g. 2025-09-02",
            (BadDateTime { .. }, Vi) => {
                "viết dạng \"YYYY-MM-DD HH:MM\", ví dụ \"2025-11-09 07:00\""
            }
            (BadDateTime { .. }, En) => "write \"YYYY-MM-DD HH:MM\", e.g. \"2025-11-09 07:00\"",
            (BadDay { .. }, Vi) => {
                "dùng mon, tue, wed, thu, fri, sat, sun (hoặc t2..t7, cn), daily, weekdays, weekends"
            }
            (BadDay { .. }, En) => {
                "use mon, tue, wed, thu, fri, sat, sun, daily, weekdays or weekends"
            }
            (BadCron { .. }, Vi) => {
                "cron có 5 hoặc 6 trường: [giây] phút giờ ngày tháng thứ, ví dụ \"0 45 6 * * Tue,Thu\""
            }
            (BadCron { .. }, En) => {
                "cron has 5 or 6 fields: [second] minute hour day month weekday, e.g. \"0 45 6 * * Tue,Thu\""
            }
            (BadPriority { .. }, _) => "normal | priority | emergency",
            (BadRepeat, Vi) => "ví dụ repeat: 2",
            (BadRepeat, En) => "e.g. repeat: 2",
            (WhenNone, Vi) | (WhenMany, Vi) => {
                "mỗi bản tin dùng đúng một trong: `at` (kèm `days`), `cron`, hoặc `on`"
            }
            (WhenNone, En) | (WhenMany, En) => {
                "each broadcast uses exactly one of `at` (with `days`), `cron` or `on`"
            }
            (DaysWithoutAt, Vi) => "thêm `at`, hoặc bỏ `days`",
            (DaysWithoutAt, En) => "add `at`, or remove `days`",
            (DuplicateBroadcast { .. }, Vi) => "đặt cho mỗi bản tin trong tệp một tên riêng",
            (DuplicateBroadcast { .. }, En) => "give each broadcast in the file its own name",
            (EmptyName, Vi) => "đặt tên cho bản tin, ví dụ name: Bản tin sáng",
            (EmptyName, En) => "name the broadcast, e.g. name: Morning news",
            (EmptyAudioList, Vi) => "thêm `audio: thu-muc/ten-tep.mp3`",
            (EmptyAudioList, En) => "add `audio: folder/file.mp3`",
            (NoBroadcasts, Vi) => "thêm mục `broadcasts:` với ít nhất một bản tin",
            (NoBroadcasts, En) => "add a `broadcasts:` list with at least one broadcast",
            (WindowEmpty { .. }, Vi) => "sửa `from` hoặc `until`",
            (WindowEmpty { .. }, En) => "correct `from` or `until`",
            (WindowEnded { .. }, Vi) => "gia hạn `until`, hoặc chuyển tệp ra khỏi thư mục lịch",
            (WindowEnded { .. }, En) => {
                "extend `until`, or move the file out of the schedules folder"
            }
            (ApprovedOnWithoutBy, Vi) => "thêm `approved_by: \"Họ và tên người duyệt\"`",
            (ApprovedOnWithoutBy, En) => "add `approved_by: \"Approver's name\"`",
            (NotApproved, Vi) => "thêm `approved_by` và `approved_on` khi lịch đã được duyệt",
            (NotApproved, En) => "add `approved_by` and `approved_on` once it is approved",
            (AudioAbsolute { .. }, Vi) | (AudioEscapes { .. }, Vi) => {
                "chép tệp vào thư mục âm thanh và ghi đường dẫn tính từ thư mục đó, ví dụ cchc/ban-tin.mp3"
            }
            (AudioAbsolute { .. }, En) | (AudioEscapes { .. }, En) => {
                "copy the file into the audio folder and give its path from there, e.g. cchc/news.mp3"
            }
            (AudioMissing { .. }, Vi) => {
                "kiểm tra tên tệp (cả chữ hoa, chữ thường và dấu) hoặc chép tệp vào thư mục âm thanh"
            }
            (AudioMissing { .. }, En) => {
                "check the name (case and accents) or copy the file into the audio folder"
            }
            (AudioUnsupported { .. }, Vi) | (AudioUndecodable { .. }, Vi) => {
                "dùng MP3, WAV, OGG, FLAC hoặc M4A; nếu tệp hỏng, xuất lại từ máy ghi âm"
            }
            (AudioUnsupported { .. }, En) | (AudioUndecodable { .. }, En) => {
                "use MP3, WAV, OGG, FLAC or M4A; if the file is damaged, export it again"
            }
            (AudioUnused { .. }, Vi) => "thêm vào một lịch, hoặc xóa tệp nếu không cần",
            (AudioUnused { .. }, En) => "use it in a schedule, or delete it",
            (QuietHours { .. }, Vi) => {
                "dời giờ phát ra ngoài giờ yên lặng, hoặc đặt priority: emergency"
            }
            (QuietHours { .. }, En) => "move it outside quiet hours, or use priority: emergency",
            (Conflict { .. }, Vi) => "dời giờ của một trong hai bản tin",
            (Conflict { .. }, En) => "move one of the two broadcasts",
            (NoScheduleFiles { .. }, Vi) => "chép một tệp lịch mẫu vào thư mục lịch",
            (NoScheduleFiles { .. }, En) => "copy an example schedule into the schedules folder",
            _ => return None,
        };
        Some(s.to_string())
    }
}

/// English text, for logs and `Display`.
impl fmt::Display for Msg {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text(Lang::En))
    }
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
            Lang::En => format!("{errors} errors, {warnings} warnings."),
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

    /// A broadcast whose program cannot be played as things stand.
    pub fn will_fail(&self, reason: &str) -> String {
        match self.lang {
            Lang::Vi => format!("sẽ không phát được ({reason}); chạy loa check để biết cách sửa"),
            Lang::En => format!("will fail ({reason}); run loa check to see how to fix it"),
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

    pub fn not_approved(&self) -> &'static str {
        self.pick("chưa duyệt: sẽ không phát", "not approved: will not play")
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

    /// What is wrong with a play-log line, for `log verify` and reports.
    pub fn problem(&self, p: &crate::playlog::Problem) -> String {
        use crate::playlog::Problem::*;
        match (self.lang, p) {
            (Lang::Vi, Edited) => "dòng này đã bị sửa sau khi ghi (mã băm không còn khớp với dòng sau)".into(),
            (Lang::En, Edited) => "this line was edited after it was written (its hash no longer matches the next line's link)".into(),
            (Lang::Vi, Removed { count }) => format!("{count} dòng ngay trước dòng này đã bị xóa"),
            (Lang::En, Removed { count }) => format!("{count} line(s) just before this one were removed"),
            (Lang::Vi, Reordered { after }) => format!("dòng này bị đổi chỗ: khi ghi nó nằm ngay sau {after}"),
            (Lang::En, Reordered { after }) => format!("this line was moved: it was written right after {after}"),
            (Lang::Vi, Torn) => "dòng cuối bị cắt dở (mất điện hoặc sự cố khi đang ghi); `loa run` sẽ chuyển nó sang tệp torn-*.txt khi khởi động".into(),
            (Lang::En, Torn) => "the last line was cut short (power cut or crash mid-write); `loa run` moves it aside into torn-*.txt at start-up".into(),
            (Lang::Vi, Unreadable { detail }) => format!("không phải một dòng nhật ký phát hợp lệ ({detail})"),
            (Lang::En, Unreadable { detail }) => format!("not a valid play-log line ({detail})"),
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

    pub fn config_unusable(&self) -> &'static str {
        self.pick(
            "Không dùng được config.yaml; loa không thể chạy.",
            "config.yaml is unusable; loa cannot run.",
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_error_with_a_fix_has_it_in_both_languages() {
        let samples = [
            Msg::YamlTab,
            Msg::BadTime { value: "x".into() },
            Msg::BadCron {
                value: "x".into(),
                detail: "y".into(),
            },
            Msg::AudioMissing { path: "a".into() },
            Msg::AudioEscapes { path: "a".into() },
            Msg::WhenMany,
        ];
        for m in samples {
            let vi = m.hint(Lang::Vi).unwrap_or_default();
            let en = m.hint(Lang::En).unwrap_or_default();
            assert!(!vi.is_empty() && !en.is_empty(), "{m:?}");
            assert_ne!(m.text(Lang::Vi), m.text(Lang::En), "{m:?}");
        }
    }

    #[test]
    fn lang_parses_common_spellings() {
        assert_eq!(Lang::parse("VI"), Some(Lang::Vi));
        assert_eq!(Lang::parse("en"), Some(Lang::En));
        assert_eq!(Lang::parse("fr"), None);
    }
}
