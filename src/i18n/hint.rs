//! How to fix what a message says, in both languages.

use super::encoding_words::resave;
use super::{Lang, Msg};

impl Msg {
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
            (YamlDuplicateKey { key }, _) => {
                return Some(match lang {
                    Vi => format!("giữ một dòng `{key}:` và xóa dòng kia"),
                    En => format!("keep one `{key}:` line and delete the other"),
                });
            }
            (YamlMissingKey { key }, _) => {
                return Some(match lang {
                    Vi => format!("thêm dòng `{key}: ...`"),
                    En => format!("add a line `{key}: ...`"),
                });
            }
            (NotUnicode { encoding }, _) => return Some(resave(*encoding, lang)),
            (EmptyFile, Vi) => "chép nội dung mẫu từ một tệp lịch có sẵn rồi sửa lại",
            (EmptyFile, En) => "copy an existing schedule file and edit it",
            (YamlTooComplex { detail }, Vi) if super::yaml_words::is_alias(detail) => {
                "không dùng neo/bí danh YAML (&, *) để nhân bản nội dung"
            }
            (YamlTooComplex { detail }, En) if super::yaml_words::is_alias(detail) => {
                "do not use YAML anchors and aliases (&, *) to multiply content"
            }
            (YamlTooComplex { .. }, Vi) => {
                "chia thành nhiều tệp lịch nhỏ hơn (ví dụ mỗi chủ đề một tệp)"
            }
            (YamlTooComplex { .. }, En) => {
                "split it into several smaller schedule files (one per topic, say)"
            }
            (YamlSyntax { .. }, Vi) => "kiểm tra dấu hai chấm, dấu ngoặc và thụt lề ở dòng này",
            (YamlSyntax { .. }, En) => "check the colons, brackets and indentation on this line",
            (BadTimezone { .. }, Vi) => "dùng tên múi giờ IANA, ví dụ Asia/Ho_Chi_Minh",
            (BadTimezone { .. }, En) => "use an IANA zone name, e.g. Asia/Ho_Chi_Minh",
            (BadDuration { .. }, Vi) => "viết số kèm đơn vị s, m hoặc h, ví dụ 10m, 3s, 1h30m",
            (BadDuration { .. }, En) => "write a number with a unit s, m or h, e.g. 10m, 3s, 1h30m",
            (LateLimitTooLong { .. }, Vi) => {
                "giới hạn trễ tối đa 24h; bản tin trễ hơn thế nên được lên lịch lại"
            }
            (LateLimitTooLong { .. }, En) => {
                "at most 24h; a broadcast later than that is better scheduled again"
            }
            (BadQuietHours { .. }, Vi) => {
                "viết giờ bắt đầu-giờ kết thúc, mỗi giờ như 21h30, 5h hoặc 05:00, ví dụ \"21h30-5h\" hoặc \"21:30-05:00\""
            }
            (BadQuietHours { .. }, En) => {
                "write start-end, each time as 21h30, 5h or 05:00, e.g. \"21h30-5h\" or \"21:30-05:00\""
            }
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
            (EmptyOutputsList, Vi) => {
                "ghi ít nhất một đầu ra, hoặc bỏ outputs: để phát trên tất cả"
            }
            (EmptyOutputsList, En) => {
                "name at least one output, or leave out outputs: to play on all"
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
                "viết giờ từ 0h đến 23h59 như \"6:15\", \"06:15\", \"7h30\", \"7h\", \"17g15\" hoặc \"06:15:30\", phút đủ hai chữ số (7h05, không phải 7h5), ví dụ at: [6:15, 17h30]"
            }
            (BadTime { .. }, En) => {
                "write a time from 0h to 23h59 as \"6:15\", \"06:15\", \"7h30\", \"7h\", \"17g15\" or \"06:15:30\", minutes with two digits (7h05, not 7h5), e.g. at: [6:15, 17h30]"
            }
            (BadDate { .. }, Vi) => {
                "viết ngày/tháng/năm với năm đủ bốn chữ số, hoặc năm-tháng-ngày, ví dụ 30/04/2025 hoặc 2025-04-30"
            }
            (BadDate { .. }, En) => {
                "write day/month/year with a four-digit year, or year-month-day, e.g. 30/04/2025 or 2025-04-30"
            }
            (BadDateTime { .. }, Vi) => {
                "viết ngày rồi giờ, ví dụ \"30/04/2025 7h30\" hoặc \"2025-04-30 07:30\""
            }
            (BadDateTime { .. }, En) => {
                "write the date, then the time, e.g. \"30/04/2025 7h30\" or \"2025-04-30 07:30\""
            }
            (BadDay { .. }, Vi) => {
                "dùng thứ hai..chủ nhật, thứ 2..thứ 7, T2..T7, CN, hoặc hằng ngày, ngày thường, cuối tuần (tiếng Anh: mon..sun, daily, weekdays, weekends), ví dụ days: [thứ hai, thứ tư, thứ sáu]"
            }
            (BadDay { .. }, En) => {
                "use mon..sun, daily, weekdays or weekends, or in Vietnamese thứ hai..chủ nhật, thứ 2..thứ 7, T2..T7, CN, hằng ngày, ngày thường, cuối tuần, e.g. days: [thứ hai, thứ tư, thứ sáu]"
            }
            (BadCron { .. }, Vi) => {
                "cron có 5 hoặc 6 trường: [giây] phút giờ ngày tháng thứ, ví dụ \"0 45 6 * * Tue,Thu\""
            }
            (BadCron { .. }, En) => {
                "cron has 5 or 6 fields: [second] minute hour day month weekday, e.g. \"0 45 6 * * Tue,Thu\""
            }
            (BadPriority { .. }, Vi) => {
                "dùng thường, ưu tiên hoặc khẩn cấp (tiếng Anh: normal, priority, emergency), ví dụ priority: ưu tiên"
            }
            (BadPriority { .. }, En) => {
                "use normal, priority or emergency, or in Vietnamese thường, ưu tiên, khẩn cấp, e.g. priority: ưu tiên"
            }
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
            (ControlChar { .. }, Vi) => {
                "viết giá trị trên một dòng, không có \\n, \\t, \\e hay ký tự vô hình; xuống dòng ở đây sẽ giả mạo một dòng trong nhật ký hệ thống và báo cáo"
            }
            (ControlChar { .. }, En) => {
                "write the value on one line, without \\n, \\t, \\e or invisible characters; a line break here would forge a line in the system log and the report"
            }
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
            (AudioMissing { near, .. }, _) if !near.is_empty() => {
                let near = near.join(", ");
                return Some(match lang {
                    Vi => format!("có phải là: {near}?"),
                    En => format!("did you mean: {near}?"),
                });
            }
            (AudioMissing { .. }, Vi) => {
                "kiểm tra tên tệp (cả chữ hoa, chữ thường và dấu) hoặc chép tệp vào thư mục âm thanh"
            }
            (AudioMissing { .. }, En) => {
                "check the name (case and accents) or copy the file into the audio folder"
            }
            (SpeechTooLong { .. }, Vi) => {
                "tách thông báo thành nhiều tệp ngắn hơn (mỗi tệp một bản tin), hoặc ghi âm nội dung dài thành tệp MP3"
            }
            (SpeechTooLong { .. }, En) => {
                "split the notice into shorter files (one broadcast each), or record the long text as an MP3"
            }
            (NoticeControlChar { .. }, Vi) => {
                "mở tệp bằng trình soạn thảo, xóa ký tự ở vị trí đó (thường do chép từ trang web hoặc tin nhắn) rồi lưu lại"
            }
            (NoticeControlChar { .. }, En) => {
                "open the file in an editor, delete the character at that place (it usually comes with text copied from a web page or a message) and save it"
            }
            (AudioUnsupported { .. }, Vi) | (AudioUndecodable { .. }, Vi) => {
                "dùng MP3, WAV, OGG, FLAC hoặc M4A; nếu tệp hỏng, xuất lại từ máy ghi âm"
            }
            (AudioUnsupported { .. }, En) | (AudioUndecodable { .. }, En) => {
                "use MP3, WAV, OGG, FLAC or M4A; if the file is damaged, export it again"
            }
            (LimitsContradict { .. }, Vi) => {
                "sửa để min_minutes_per_day không lớn hơn max_minutes_per_day"
            }
            (LimitsContradict { .. }, En) => {
                "make min_minutes_per_day no more than max_minutes_per_day"
            }
            (LimitBroken { broken, .. }, Vi) => match broken {
                super::msg::LimitKind::MinutesUnder => {
                    "thêm bản tin cho ngày đó, hoặc sửa limits trong config.yaml nếu quy định đã đổi"
                }
                _ => {
                    "bớt bản tin hoặc số lần lặp trong ngày đó (`loa next` cho thấy cả ngày), hoặc sửa limits trong config.yaml nếu quy định đã đổi"
                }
            },
            (LimitBroken { broken, .. }, En) => match broken {
                super::msg::LimitKind::MinutesUnder => {
                    "add broadcasts on that day, or change limits in config.yaml if the rule has changed"
                }
                _ => {
                    "drop broadcasts or repeats on that day (`loa next` shows the whole day), or change limits in config.yaml if the rule has changed"
                }
            },
            (ExceptOutside { .. }, Vi) => {
                "kiểm tra năm và tháng của ngày nghỉ, hoặc của from/until (ví dụ 30/04/2025 hay 2025-04-30)"
            }
            (ExceptOutside { .. }, En) => {
                "check the year and month of the except dates, or of from/until (e.g. 2025-04-30)"
            }
            (AudioEmpty { .. }, Vi) => {
                "chép lại tệp từ máy ghi âm hoặc điện thoại (lần chép trước chưa xong)"
            }
            (AudioEmpty { .. }, En) => "copy the file again from the recorder or phone",
            (AudioPermission { path, .. }, Vi) => {
                return Some(format!(
                    "cho nhóm loa đọc tệp: sudo chgrp loa '{path}' && sudo chmod g+r '{path}'"
                ));
            }
            (AudioPermission { path, .. }, En) => {
                return Some(format!(
                    "let group loa read it: sudo chgrp loa '{path}' && sudo chmod g+r '{path}'"
                ));
            }
            (AudioSilent { .. }, Vi) => {
                "nghe lại tệp trên máy tính; nếu đúng là im lặng, ghi âm lại (kiểm tra micro đã bật, mức thu không quá nhỏ)"
            }
            (AudioSilent { .. }, En) => {
                "listen to the file on a computer; if it is silent, record it again (microphone on, recording level not too low)"
            }
            (AudioForeign { .. }, Vi) => {
                "chuyển tệp sang MP3 (hoặc WAV PCM) bằng Audacity hay Format Factory: Tệp → Xuất → MP3, rồi ghi tên tệp mới vào lịch"
            }
            (AudioForeign { .. }, En) => {
                "convert it to MP3 (or PCM WAV), e.g. in Audacity: File → Export → MP3, and name the new file in the schedule"
            }
            (TtsBadEngine { .. }, Vi) => "dùng engine: espeak-ng hoặc engine: command",
            (TtsBadEngine { .. }, En) => "use engine: espeak-ng or engine: command",
            (TtsBadRate { .. }, Vi) => "ghi số từ mỗi phút, từ 80 đến 450 (ví dụ rate: 150)",
            (TtsBadRate { .. }, En) => "write words per minute, 80 to 450 (e.g. rate: 150)",
            (TtsCommandIgnored, Vi) => "thêm dòng engine: command trong tts:, hoặc xóa command",
            (TtsCommandIgnored, En) => "add engine: command under tts:, or remove the command",
            (TtsCommandNeeded, Vi) | (TtsCommandNoOut, Vi) => {
                "ví dụ: command: [piper, --model, voices/vi.onnx, --output_file, \"{out}\"]"
            }
            (TtsCommandNeeded, En) | (TtsCommandNoOut, En) => {
                "e.g. command: [piper, --model, voices/vi.onnx, --output_file, \"{out}\"]"
            }
            (TtsEngineMissing { .. }, Vi) => {
                "cài bộ đọc (sudo apt-get install espeak-ng) hoặc sửa tts trong config.yaml"
            }
            (TtsEngineMissing { .. }, En) => {
                "install it (sudo apt-get install espeak-ng) or fix tts in config.yaml"
            }
            (TtsModelMissing { .. }, Vi) => {
                "chép tệp giọng đọc vào đúng chỗ (đường dẫn tính từ thư mục của config.yaml)"
            }
            (TtsModelMissing { .. }, En) => {
                "copy the voice model there (paths start at the folder of config.yaml)"
            }
            (TtsUnknownVoice { .. }, Vi) => {
                "giọng tiếng Việt: voice: vi (miền Bắc), vi-VN-x-central (miền Trung) hoặc vi-VN-x-south (miền Nam)"
            }
            (TtsUnknownVoice { .. }, En) => {
                "the Vietnamese voices: voice: vi (Northern), vi-VN-x-central (Central) or vi-VN-x-south (Southern)"
            }
            (TtsFailed { .. }, Vi) => "thử lại bằng lệnh: loa say \"văn bản\" -o thu.wav",
            (TtsFailed { .. }, En) => "try it with: loa say \"text\" -o test.wav",
            (TtsNotTried { .. }, Vi) => {
                "chạy lại bằng sudo, hoặc thử riêng bằng lệnh: loa say \"văn bản\" -o /tmp/thu.wav"
            }
            (TtsNotTried { .. }, En) => {
                "run it again with sudo, or try the text with: loa say \"text\" -o /tmp/test.wav"
            }
            (TtsUnread { .. }, Vi) => {
                "viết đầy đủ từ đó, hoặc thêm cách đọc vào tệp từ điển (tts.lexicon)"
            }
            (TtsUnread { .. }, En) => {
                "write the word out, or add its reading to the tts.lexicon file"
            }
            (SayEmpty, Vi) => "ghi văn bản cần đọc sau say:",
            (SayEmpty, En) => "write the text to speak after say:",
            (SayAndAudio, Vi) => "tách thành hai buổi phát",
            (SayAndAudio, En) => "make them two broadcasts",
            (RelayAndOther { .. }, Vi) => "tách thành hai buổi phát",
            (RelayAndOther { .. }, En) => "make them two broadcasts",
            (RelayOnly { .. }, Vi) => "thêm relay: \"http://…\" (hoặc alsa:…), hoặc xóa dòng này",
            (RelayOnly { .. }, En) => "add relay: \"http://…\" (or alsa:…), or remove this line",
            (RelaySource { why, .. }, Vi) => match why {
                crate::address::SourceError::Pcm => {
                    "xem tên các thiết bị thu bằng lệnh: loa devices; ví dụ alsa:plughw:1,0"
                }
                _ => "ví dụ relay: \"http://may-chu:8000/vov1\" hoặc relay: \"alsa:default\"",
            },
            (RelaySource { why, .. }, En) => match why {
                crate::address::SourceError::Pcm => {
                    "list the capture devices with: loa devices; e.g. alsa:plughw:1,0"
                }
                _ => "e.g. relay: \"http://server:8000/vov1\" or relay: \"alsa:default\"",
            },
            (RelayNoFor, Vi) => "thêm dòng for, ví dụ for: 30m",
            (RelayNoFor, En) => "add a for line, e.g. for: 30m",
            (RelayLength { .. }, Vi) => "ví dụ for: 30m hoặc for: 1h",
            (RelayLength { .. }, En) => "e.g. for: 30m or for: 1h",
            (RelayRepeat, Vi) => "xóa repeat, hoặc đặt thêm một giờ phát",
            (RelayRepeat, En) => "remove repeat, or add another time",
            (AudioUnused { .. }, Vi) => "thêm vào một lịch, hoặc xóa tệp nếu không cần",
            (AudioUnused { .. }, En) => "use it in a schedule, or delete it",
            (QuietHours { .. }, Vi) => {
                "dời giờ phát ra ngoài giờ yên lặng, hoặc đặt priority: emergency"
            }
            (QuietHours { .. }, En) => "move it outside quiet hours, or use priority: emergency",
            (
                QuietRepeats {
                    repeat, dropped, ..
                },
                _,
            ) => {
                let kept = repeat.saturating_sub(*dropped).max(1);
                return Some(match lang {
                    Vi => format!(
                        "dời giờ phát sớm hơn để mọi lần lặp đều bắt đầu trước giờ yên lặng, hoặc giảm số lần lặp (repeat: {kept})"
                    ),
                    En => format!(
                        "move it earlier so that every repeat starts before quiet hours, or repeat it fewer times (repeat: {kept})"
                    ),
                });
            }
            (Conflict { .. }, Vi) => "dời giờ của một trong hai bản tin",
            (Conflict { .. }, En) => "move one of the two broadcasts",
            (NoScheduleFiles { .. }, Vi) => "chép một tệp lịch mẫu vào thư mục lịch",
            (NoScheduleFiles { .. }, En) => "copy an example schedule into the schedules folder",
            _ => return None,
        };
        Some(s.to_string())
    }
}
