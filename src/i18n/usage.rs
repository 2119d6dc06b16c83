//! Usage errors: what is wrong on the command line and how to fix it, in
//! both languages. Each is exit code 2 (SPEC §4).

use super::{Lang, Msg};

/// A place loa keeps and never lets a command write over.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Area {
    /// `playlog/`: the station's evidence.
    PlayLog,
    /// `state/`: caches and the status file.
    State,
    Schedules,
    Audio,
    /// `config.yaml` itself.
    Config,
    /// The station's chime.
    Chime,
}

/// What a command was to write, so that the way out names a file of the
/// right kind.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Made {
    /// A report or a roll-up (`-o report.csv`).
    Report,
    /// Spoken text (`loa say -o test.wav`).
    Speech,
    /// The portal's folder (`publish --out`).
    Site,
}

/// One usage error, with the data it needs. `render` puts it into words.
#[derive(Clone, Debug, PartialEq)]
pub enum Usage {
    /// A file named with `flag` is, or is inside, a place loa keeps.
    OutputProtected {
        flag: &'static str,
        path: String,
        area: Area,
        /// The place as the operator knows it (e.g. `playlog/`).
        shown: String,
        made: Made,
    },
    /// A file named with `flag` is not a plain file: a device, a folder, a pipe.
    OutputSpecial {
        flag: &'static str,
        path: String,
        made: Made,
    },
    /// `--days` is not a whole number from 1 to `max`.
    Days { value: String, max: u32 },
    /// `--at` is more than `max` days ahead.
    AtTooFar { value: String, max: u32 },
    /// `value`, given with `flag`, is no moment loa reads.
    BadWhen { flag: &'static str, value: String },
    /// A text given with `flag` holds a control character (`code`, `U+000A`).
    ControlChar { flag: &'static str, code: String },
    /// A folder named with `flag` is a file, a device or a pipe.
    OutputNotFolder { flag: &'static str, path: String },
    /// `--base-url` is not an http(s) address.
    BaseUrl {
        value: String,
        fault: crate::address::BaseUrlFault,
    },
    /// `--weeks` is not a whole number from 1 to `max`.
    Weeks { value: String, max: u32 },
    /// A text given with `flag` holds nothing but spaces.
    EmptyText { flag: &'static str },
}

impl Area {
    fn text(self, lang: Lang) -> &'static str {
        use Area::*;
        match self {
            PlayLog => lang.pick(
                "nhật ký phát, bằng chứng của đài",
                "the play log, the station's evidence",
            ),
            State => lang.pick("thư mục trạng thái của loa", "loa's state folder"),
            Schedules => lang.pick("thư mục lịch phát", "the schedules folder"),
            Audio => lang.pick("thư mục âm thanh", "the audio folder"),
            Config => lang.pick("tệp cấu hình của đài", "the station's config file"),
            Chime => lang.pick("tệp tín hiệu (chime) của đài", "the station's chime"),
        }
    }
}

impl Usage {
    /// The headline, in `lang`.
    pub fn text(&self, lang: Lang) -> String {
        use Lang::{En, Vi};
        use Usage::*;
        match (self, lang) {
            (
                OutputProtected {
                    flag,
                    path,
                    area,
                    shown,
                    ..
                },
                Vi,
            ) => format!(
                "{flag} {path}: tệp này thuộc {} ({shown}); loa không bao giờ ghi đè lên đó",
                area.text(Vi)
            ),
            (
                OutputProtected {
                    flag,
                    path,
                    area,
                    shown,
                    ..
                },
                En,
            ) => format!(
                "{flag} {path}: this belongs to {} ({shown}); loa never writes over it",
                area.text(En)
            ),
            (OutputSpecial { flag, path, .. }, Vi) => format!(
                "{flag} {path}: đây không phải một tệp thường (thiết bị, thư mục hoặc đường ống)"
            ),
            (OutputSpecial { flag, path, .. }, En) => {
                format!("{flag} {path}: this is not a plain file (a device, a folder or a pipe)")
            }
            (Days { value, max }, Vi) => {
                format!("--days {value}: số ngày phải là số nguyên từ 1 đến {max}")
            }
            (Days { value, max }, En) => {
                format!("--days {value}: the number of days must be a whole number from 1 to {max}")
            }
            (AtTooFar { value, max }, Vi) => {
                format!("--at {value}: xa hơn {max} ngày kể từ hôm nay")
            }
            (AtTooFar { value, max }, En) => {
                format!("--at {value}: more than {max} days from today")
            }
            (BadWhen { flag, value }, Vi) => {
                format!("{flag} {value}: không đọc được thời điểm này")
            }
            (BadWhen { flag, value }, En) => {
                format!("{flag} {value}: not a time, date or date and time loa reads")
            }
            (ControlChar { flag, code }, Vi) => format!(
                "{flag}: có ký tự điều khiển {code} (xuống dòng, tab hoặc mã thoát của màn hình)"
            ),
            (ControlChar { flag, code }, En) => format!(
                "{flag}: contains the control character {code} (a line break, a tab or a terminal escape)"
            ),
            (OutputNotFolder { flag, path }, Vi) => {
                format!("{flag} {path}: đây không phải một thư mục")
            }
            (OutputNotFolder { flag, path }, En) => format!("{flag} {path}: this is not a folder"),
            (BaseUrl { value, fault }, _) => {
                use crate::address::BaseUrlFault as F;
                let why = match (fault, lang) {
                    (F::Scheme, Vi) => "không phải một địa chỉ http:// hoặc https://".to_string(),
                    (F::Scheme, En) => "not an http:// or https:// address".to_string(),
                    (F::Host, Vi) => "thiếu tên máy chủ sau http(s)://".to_string(),
                    (F::Host, En) => "no host after http(s)://".to_string(),
                    (F::Query, Vi) => {
                        "địa chỉ của một thư mục không có phần truy vấn (?) hay neo (#)".to_string()
                    }
                    (F::Query, En) => {
                        "a folder's address has no query (?) or fragment (#)".to_string()
                    }
                    (F::Char(' '), Vi) => {
                        "không được có dấu cách trong địa chỉ (viết %20)".to_string()
                    }
                    (F::Char(' '), En) => {
                        "a space may not be in the address (write %20)".to_string()
                    }
                    (F::Char(c), Vi) => format!(
                        "không được có {} trong địa chỉ",
                        crate::chars::visible(&format!("{c:?}"))
                    ),
                    (F::Char(c), En) => format!(
                        "{} may not be in the address",
                        crate::chars::visible(&format!("{c:?}"))
                    ),
                };
                format!("--base-url {value}: {why}")
            }
            (Weeks { value, max }, Vi) => {
                format!("--weeks {value}: số tuần phải là số nguyên từ 1 đến {max}")
            }
            (Weeks { value, max }, En) => {
                format!(
                    "--weeks {value}: the number of weeks must be a whole number from 1 to {max}"
                )
            }
            (EmptyText { flag }, Vi) => format!("{flag}: không có chữ nào để đọc"),
            (EmptyText { flag }, En) => format!("{flag}: there are no words to speak"),
        }
    }

    /// How to fix it.
    pub fn hint(&self, lang: Lang) -> &'static str {
        use Usage::*;
        match self {
            OutputProtected {
                made: Made::Site, ..
            } => lang.pick(
                "đăng vào một thư mục riêng cho cổng thông tin, ví dụ --out /var/www/loa",
                "publish into a folder of its own for the portal, e.g. --out /var/www/loa",
            ),
            OutputProtected {
                made: Made::Report,
                ..
            } => lang.pick(
                "ghi ra một tệp ở chỗ khác, ví dụ -o bao-cao-2026-11.csv",
                "write to a file somewhere else, e.g. -o report-2026-11.csv",
            ),
            OutputProtected {
                made: Made::Speech,
                ..
            } => lang.pick(
                "ghi ra một tệp WAV ở chỗ khác, ví dụ -o /tmp/thu-giong.wav",
                "write to a WAV file somewhere else, e.g. -o /tmp/voice-test.wav",
            ),
            OutputSpecial {
                made: Made::Speech,
                ..
            } => lang.pick(
                "ghi ra một tệp WAV thường, hoặc bỏ -o để xem chữ sẽ đọc",
                "name a plain WAV file, or leave out -o to see the words it speaks",
            ),
            OutputSpecial { .. } => lang.pick(
                "ghi ra một tệp thường, hoặc bỏ -o để in ra màn hình",
                "name a plain file, or leave out -o to print to standard output",
            ),
            Days { .. } => lang.pick(
                "xem tối đa một năm mỗi lần, ví dụ --days 7, hoặc --from 2026-01-01 --days 366",
                "look at most a year ahead at a time, e.g. --days 7, or --from 2026-01-01 --days 366",
            ),
            AtTooFar { .. } => lang.pick(
                "thông báo đột xuất phát trong vòng một năm; việc lâu dài hơn hãy viết một tệp lịch trong schedules/",
                "an announcement sounds within a year; for anything later write a schedule file in schedules/",
            ),
            BadWhen { .. } => lang.pick(
                "viết now, một giờ (7h30, 17:30), một ngày (30/04/2025, 2025-04-30) hoặc ngày rồi giờ, ví dụ \"30/04/2025 7h30\"",
                "write now, a time (7h30, 17:30), a date (30/04/2025, 2025-04-30) or a date and a time, e.g. \"30/04/2025 7h30\"",
            ),
            ControlChar { .. } => lang.pick(
                "viết trên một dòng, chỉ dùng chữ, số, dấu cách và dấu câu",
                "write it on one line, with letters, digits, spaces and punctuation only",
            ),
            OutputNotFolder { .. } => lang.pick(
                "chọn một thư mục (loa tạo nếu chưa có), ví dụ --out /var/www/loa",
                "name a folder (loa makes it if there is none), e.g. --out /var/www/loa",
            ),
            BaseUrl { .. } => lang.pick(
                "viết địa chỉ thư mục trên cổng thông tin, ví dụ --base-url https://xa.example.vn/loa/, hoặc bỏ --base-url để dùng đường dẫn tương đối",
                "write the folder's address on the portal, e.g. --base-url https://xa.example.vn/loa/, or leave --base-url out for relative paths",
            ),
            Weeks { .. } => lang.pick(
                "ví dụ --weeks 4 (mặc định) hoặc --weeks 52 cho một năm",
                "e.g. --weeks 4 (the default) or --weeks 52 for a year",
            ),
            EmptyText { flag: "--say" } => lang.pick(
                "viết nội dung cần đọc trong dấu ngoặc kép, ví dụ --say \"Mời bà con đi họp\"",
                "put the words to speak in quotes, e.g. --say \"Mời bà con đi họp\"",
            ),
            EmptyText { .. } => lang.pick(
                "viết nội dung cần đọc trong dấu ngoặc kép, ví dụ loa say \"Mời bà con đi họp\"",
                "put the words to speak in quotes, e.g. loa say \"Mời bà con đi họp\"",
            ),
        }
    }

    /// The headline and the fix, as the command line prints them.
    pub fn render(&self, lang: Lang) -> String {
        format!(
            "{}\n  = {}: {}",
            self.text(lang),
            Msg::LabelHint.text(lang),
            self.hint(lang)
        )
    }
}

/// How a control character is named in messages: `U+000A`.
pub fn char_code(c: char) -> String {
    format!("U+{:04X}", u32::from(c))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_usage_error_says_how_to_fix_it_in_both_languages() {
        let samples = [
            Usage::OutputProtected {
                flag: "-o",
                path: "p".into(),
                area: Area::PlayLog,
                shown: "playlog/".into(),
                made: Made::Report,
            },
            Usage::OutputSpecial {
                flag: "-o",
                path: "/dev/null".into(),
                made: Made::Speech,
            },
            Usage::Days {
                value: "9".into(),
                max: 366,
            },
            Usage::AtTooFar {
                value: "9999-12-31".into(),
                max: 366,
            },
            Usage::BadWhen {
                flag: "--at",
                value: "mai".into(),
            },
            Usage::ControlChar {
                flag: "--name",
                code: char_code('\n'),
            },
            Usage::OutputNotFolder {
                flag: "--out",
                path: "f".into(),
            },
            Usage::BaseUrl {
                value: "x".into(),
                fault: crate::address::BaseUrlFault::Scheme,
            },
            Usage::Weeks {
                value: "0".into(),
                max: 52,
            },
            Usage::EmptyText { flag: "--say" },
        ];
        for u in samples {
            assert_ne!(u.text(Lang::Vi), u.text(Lang::En), "{u:?}");
            assert_ne!(u.hint(Lang::Vi), u.hint(Lang::En), "{u:?}");
        }
        assert_eq!(char_code('\u{1b}'), "U+001B");
    }
}
