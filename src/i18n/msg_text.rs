//! The headline of every [`Msg`], in Vietnamese and English side by side
//! (its fix is in `hint.rs`).

use super::{Lang, Msg};

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

            (ReadFailed { detail }, Vi) => {
                format!("không đọc được tệp ({})", super::yaml_words::os_vi(detail))
            }
            (ReadFailed { detail }, En) => format!("cannot read the file ({detail})"),
            (NotUnicode { encoding }, _) => super::encoding_words::not_unicode(*encoding, lang),
            (EmptyFile, Vi) => "tệp rỗng".into(),
            (EmptyFile, En) => "the file is empty".into(),
            (YamlTab, Vi) => "có ký tự Tab trong phần thụt lề".into(),
            (YamlTab, En) => "a Tab character is used for indentation".into(),
            (YamlUnknownKey { key, .. }, Vi) => format!("khóa không hợp lệ `{key}`"),
            (YamlUnknownKey { key, .. }, En) => format!("unknown key `{key}`"),
            (YamlMissingKey { key }, Vi) => format!("thiếu khóa bắt buộc `{key}`"),
            (YamlMissingKey { key }, En) => format!("the required key `{key}` is missing"),
            (YamlDuplicateKey { key }, Vi) => format!("khóa `{key}` bị viết hai lần"),
            (YamlDuplicateKey { key }, En) => format!("the key `{key}` is written twice"),
            (YamlTooComplex { detail }, _) => super::yaml_words::limit(detail, lang),
            (YamlSyntax { detail }, Vi) => {
                format!("sai cú pháp YAML: {}", super::yaml_words::syntax_vi(detail))
            }
            (YamlSyntax { detail }, En) => format!("YAML error: {detail}"),

            (BadTimezone { value }, Vi) => format!("múi giờ không hợp lệ \"{value}\""),
            (BadTimezone { value }, En) => format!("unknown time zone \"{value}\""),
            (BadDuration { value }, Vi) => format!("khoảng thời gian không hợp lệ \"{value}\""),
            (BadDuration { value }, En) => format!("invalid duration \"{value}\""),
            (LateLimitTooLong { value }, Vi) => format!("late_limit \"{value}\" dài hơn một ngày"),
            (LateLimitTooLong { value }, En) => {
                format!("late_limit \"{value}\" is longer than a day")
            }
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
            (EmptyOutputsList, Vi) => "outputs: trống: bản tin sẽ không phát ở đâu cả".into(),
            (EmptyOutputsList, En) => "outputs: is empty: the broadcast would play nowhere".into(),
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
            (ControlChar { key, char }, Vi) => format!(
                "`{key}` có ký tự điều khiển {char} (xuống dòng, tab hoặc mã thoát của màn hình)"
            ),
            (ControlChar { key, char }, En) => format!(
                "`{key}` contains the control character {char} (a line break, a tab or a terminal escape)"
            ),
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
            (LimitsContradict { min, max }, Vi) => format!(
                "min_minutes_per_day ({min}) lớn hơn max_minutes_per_day ({max}): không ngày nào đáp ứng được"
            ),
            (LimitsContradict { min, max }, En) => format!(
                "min_minutes_per_day ({min}) is more than max_minutes_per_day ({max}): no day can meet both"
            ),
            (
                LimitBroken {
                    date,
                    output,
                    broken,
                    value,
                    limit,
                },
                lang,
            ) => super::limit_words::limit_broken(date, output, *broken, *value, *limit, lang),
            (ExceptOutside { dates, window }, Vi) => format!(
                "ngày nghỉ (except) {dates} nằm ngoài thời gian phát {window}, nên không có tác dụng"
            ),
            (ExceptOutside { dates, window }, En) => format!(
                "the except dates {dates} lie outside the window {window}, so they change nothing"
            ),
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
            (AudioMissing { path, .. }, Vi) => format!("không tìm thấy tệp âm thanh \"{path}\""),
            (AudioMissing { path, .. }, En) => format!("audio file \"{path}\" not found"),
            (AudioUnsupported { path }, Vi) => {
                format!("định dạng tệp \"{path}\" không được hỗ trợ")
            }
            (AudioUnsupported { path }, En) => format!("the format of \"{path}\" is not supported"),
            // The decoder's own words are English: kept for the English
            // reader and the system log, not put before a Vietnamese one.
            (AudioUndecodable { path, .. }, Vi) => {
                format!(
                    "không giải mã được tệp âm thanh \"{path}\": tệp hỏng, chưa chép xong hoặc không phải âm thanh"
                )
            }
            (TtsBadEngine { value }, Vi) => format!("bộ đọc \"{value}\" không có"),
            (TtsBadEngine { value }, En) => format!("unknown speech engine \"{value}\""),
            (TtsBadRate { value }, Vi) => format!("tốc độ đọc \"{value}\" không hợp lệ"),
            (TtsBadRate { value }, En) => format!("invalid speech rate \"{value}\""),
            (TtsCommandNeeded, Vi) => "engine: command cần có command".into(),
            (TtsCommandNeeded, En) => "engine: command needs a command".into(),
            (TtsCommandNoOut, Vi) => "command không có chỗ ghi tệp WAV \"{out}\"".into(),
            (TtsCommandNoOut, En) => "the command has no \"{out}\" for the WAV file".into(),
            (TtsCommandIgnored, Vi) => {
                "command không được dùng: bộ đọc vẫn là espeak-ng khi thiếu engine: command".into()
            }
            (TtsCommandIgnored, En) => {
                "the command is not used: the engine stays espeak-ng without engine: command".into()
            }
            (TtsEngineMissing { program }, Vi) => {
                format!("không tìm thấy bộ đọc \"{program}\" trên máy")
            }
            (TtsEngineMissing { program }, En) => {
                format!("the speech engine \"{program}\" is not installed")
            }
            (TtsModelMissing { path }, Vi) => {
                format!("không tìm thấy tệp \"{path}\" mà bộ đọc cần (giọng đọc)")
            }
            (TtsModelMissing { path }, En) => {
                format!(
                    "the file \"{path}\" the speech command needs (its voice model) is not there"
                )
            }
            (TtsUnknownVoice { voice }, Vi) => {
                format!("espeak-ng không có giọng đọc \"{voice}\" (sẽ đọc bằng một giọng khác)")
            }
            (TtsUnknownVoice { voice }, En) => {
                format!("espeak-ng has no voice \"{voice}\" (it would speak with another one)")
            }
            (TtsFailed { detail }, Vi) => format!("không đọc được văn bản thành tiếng: {detail}"),
            (TtsFailed { detail }, En) => format!("the text could not be spoken: {detail}"),
            (TtsNotTried { folder, detail }, Vi) => format!(
                "chưa thử đọc được văn bản này: không ghi được vào {folder} hay vào thư mục tạm ({detail}); loa sẽ tự đọc khi chạy"
            ),
            (TtsNotTried { folder, detail }, En) => format!(
                "this text could not be tried: neither {folder} nor a temporary folder can be written ({detail}); the daemon speaks it itself"
            ),
            (TtsUnread { words }, Vi) => {
                format!("bộ đọc không biết đọc \"{words}\": sẽ đánh vần từng chữ")
            }
            (TtsUnread { words }, En) => {
                format!("the reader does not know \"{words}\": it will be spelled letter by letter")
            }
            (SayEmpty, Vi) => "say trống: không có gì để đọc".into(),
            (SayEmpty, En) => "say is empty: nothing to speak".into(),
            (SayAndAudio, Vi) => "một buổi phát chỉ có một trong audio hoặc say".into(),
            (SayAndAudio, En) => "a broadcast has either audio or say, not both".into(),
            (RelayAndOther { other }, Vi) => {
                format!(
                    "một buổi phát chỉ có một trong audio, say hoặc relay (ở đây có cả relay và {other})"
                )
            }
            (RelayAndOther { other }, En) => {
                format!(
                    "a broadcast has one of audio, say or relay (this one has relay and {other})"
                )
            }
            (RelayOnly { key }, Vi) => format!("{key} chỉ dùng cùng relay (tiếp âm)"),
            (RelayOnly { key }, En) => format!("{key} goes only with relay"),
            (RelaySource { value, why }, Vi) => match why {
                crate::address::SourceError::Scheme => format!(
                    "nguồn tiếp âm \"{value}\" không hợp lệ: phải bắt đầu bằng http://, https:// hoặc alsa:"
                ),
                crate::address::SourceError::Url => {
                    format!(
                        "địa chỉ luồng tiếp âm \"{value}\" không hợp lệ (thiếu tên máy chủ, hoặc có dấu cách)"
                    )
                }
                crate::address::SourceError::Pcm => {
                    format!("tên thiết bị thu \"{value}\" không hợp lệ")
                }
            },
            (RelaySource { value, why }, En) => match why {
                crate::address::SourceError::Scheme => format!(
                    "the relay source \"{value}\" is not valid: it must start with http://, https:// or alsa:"
                ),
                crate::address::SourceError::Url => {
                    format!(
                        "the stream address \"{value}\" is not valid (no host, or a space in it)"
                    )
                }
                crate::address::SourceError::Pcm => {
                    format!("the capture device name \"{value}\" is not valid")
                }
            },
            (RelayNoFor, Vi) => "tiếp âm cần có for: tiếp âm trong bao lâu".into(),
            (RelayNoFor, En) => "a relay needs for: how long to relay".into(),
            (RelayLength { value }, Vi) => {
                format!("for: {value} không hợp lệ: tiếp âm từ 1 giây đến 12 giờ")
            }
            (RelayLength { value }, En) => {
                format!("for: {value} is not valid: a relay lasts from 1 second to 12 hours")
            }
            (RelayRepeat, Vi) => "tiếp âm phát một lần, không lặp lại (repeat)".into(),
            (RelayRepeat, En) => "a relay plays once; it has no repeat".into(),
            (AudioEmpty { path }, Vi) => format!("tệp âm thanh \"{path}\" rỗng (0 byte)"),
            (AudioPermission { path, user }, Vi) => format!(
                "người dùng \"{user}\" của loa không có quyền đọc tệp \"{path}\" (tệp có đó nhưng bị khóa quyền)"
            ),
            (AudioPermission { path, user }, En) => format!(
                "loa's user \"{user}\" may not read \"{path}\" (the file is there, its permissions keep loa out)"
            ),
            (AudioEmpty { path }, En) => format!("the audio file \"{path}\" is empty (0 bytes)"),
            (
                AudioSilent {
                    path,
                    lufs,
                    peak_db,
                },
                lang,
            ) => {
                let level = match (lufs, peak_db) {
                    (Some(l), Some(p)) => format!(" ({l:.1} LUFS, {p:.1} dBTP)"),
                    _ => String::new(),
                };
                // Under the daemon's own line: it goes on record as silence.
                let silent = peak_db.is_none_or(|p| p < crate::device::SILENT_DBFS);
                match (lang, silent) {
                    (Vi, true) => format!(
                        "tệp âm thanh \"{path}\" im lặng{level}: phát ra loa sẽ không nghe thấy gì, và lần phát sẽ bị ghi là thất bại (silent)"
                    ),
                    (En, true) => format!(
                        "the audio file \"{path}\" is silent{level}: nothing will be heard, and the broadcast will be logged failed (silent)"
                    ),
                    (Vi, false) => format!(
                        "tệp âm thanh \"{path}\" gần như im lặng{level}: nếu chuẩn hóa âm lượng bật, tiếng ồn nền sẽ bị khuếch đại cùng; nếu tắt, loa gần như không nghe thấy"
                    ),
                    (En, false) => format!(
                        "the audio file \"{path}\" is nearly silent{level}: loudness normalisation would raise its background noise as much; without it, hardly anything will be heard"
                    ),
                }
            }
            (AudioForeign { path, format }, Vi) => format!(
                "tệp \"{path}\" là âm thanh định dạng {format}, loa không phát định dạng này"
            ),
            (AudioForeign { path, format }, En) => {
                format!("\"{path}\" is {format} audio, a format loa does not play")
            }
            (
                NoticeControlChar {
                    path,
                    line,
                    col,
                    char,
                },
                Vi,
            ) => format!(
                "{path}:{line}:{col}: thông báo có ký tự điều khiển {char} (mã thoát của màn hình hoặc ký tự vô hình)"
            ),
            (
                NoticeControlChar {
                    path,
                    line,
                    col,
                    char,
                },
                En,
            ) => format!(
                "{path}:{line}:{col}: the notice contains the control character {char} (a terminal escape or an invisible character)"
            ),
            (SpeechTooLong { path, chars, max }, Vi) => format!(
                "\"{path}\" dài {chars} ký tự, quá {max} ký tự loa đọc được (khoảng 8 phút)"
            ),
            (SpeechTooLong { path, chars, max }, En) => format!(
                "\"{path}\" is {chars} characters long, more than the {max} loa speaks (about 8 minutes)"
            ),
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
                QuietRepeats {
                    broadcast,
                    time,
                    quiet,
                    repeat,
                    dropped,
                },
                lang,
            ) => super::clash_words::quiet_repeats(broadcast, time, quiet, *repeat, *dropped, lang),
            (
                Conflict {
                    time,
                    broadcast,
                    other,
                    other_file,
                    clash,
                },
                lang,
            ) => super::clash_words::conflict(time, broadcast, other, other_file, clash, lang),
            (NoScheduleFiles { dir }, Vi) => format!("thư mục {dir} chưa có tệp lịch (*.yaml)"),
            (NoScheduleFiles { dir }, En) => format!("{dir} holds no schedule file (*.yaml)"),
        }
    }
}
