//! The words of a district's roll-up (`loa report --station DIR ...`) and of
//! what can be wrong with one of its station folders, in Vietnamese and
//! English side by side.

use super::{Lang, Msg};
use crate::i18n::diag::Diagnostic;

/// Why a station folder given with `--station` gives no figures.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum StationProblem {
    /// No such folder: a slip on the command line (exit 2).
    NotFound { folder: String },
    /// A file, a device or a pipe, not a folder (exit 2).
    NotFolder { folder: String },
    /// The same folder given twice: its figures would count twice (exit 2).
    Twice { folder: String },
    /// The folder holds no config.yaml.
    NoConfig { folder: String },
    /// Its config.yaml is refused; the first diagnostic is shown.
    BadConfig {
        folder: String,
        diags: Vec<Diagnostic>,
    },
    /// Its play-log folder holds no month file.
    NoPlaylog { folder: String, dir: String },
    /// A month file of its play log cannot be read at all (permissions, a
    /// folder in its place, a damaged disk): not a broken chain, no log.
    LogUnreadable {
        folder: String,
        file: String,
        detail: String,
    },
    /// Its play log is the one another station folder given resolves to:
    /// one log would count as two stations (exit 2).
    SameLog {
        folder: String,
        other: String,
        log: String,
    },
}

impl StationProblem {
    /// A slip on the command line (exit 2, nothing made), not a station
    /// that cannot be read (a flagged row, exit 1).
    pub fn is_usage(&self) -> bool {
        matches!(
            self,
            StationProblem::NotFound { .. }
                | StationProblem::NotFolder { .. }
                | StationProblem::Twice { .. }
                | StationProblem::SameLog { .. }
        )
    }

    /// The headline, in `lang`, on one line.
    pub fn text(&self, lang: Lang) -> String {
        use Lang::{En, Vi};
        use StationProblem::*;
        match (self, lang) {
            (NotFound { folder }, Vi) => format!("--station {folder}: không có thư mục này"),
            (NotFound { folder }, En) => format!("--station {folder}: there is no such folder"),
            (NotFolder { folder }, Vi) => {
                format!("--station {folder}: đây không phải một thư mục")
            }
            (NotFolder { folder }, En) => format!("--station {folder}: this is not a folder"),
            (Twice { folder }, Vi) => format!(
                "--station {folder}: thư mục này đã có trong lệnh; số liệu của đài sẽ bị cộng hai lần"
            ),
            (Twice { folder }, En) => format!(
                "--station {folder}: this folder is already given; its figures would count twice"
            ),
            (NoConfig { folder }, Vi) => {
                format!("{folder}: không có tệp config.yaml, không biết đây là đài nào")
            }
            (NoConfig { folder }, En) => {
                format!("{folder}: there is no config.yaml, so no station to read")
            }
            (BadConfig { folder, diags }, _) => {
                let first = diags.first().map(|d| d.one_line(lang)).unwrap_or_default();
                match lang {
                    Vi => format!("{folder}: config.yaml không hợp lệ: {first}"),
                    En => format!("{folder}: config.yaml is refused: {first}"),
                }
            }
            (SameLog { folder, other, log }, Vi) => format!(
                "--station {folder}: nhật ký phát {log} cũng là nhật ký của --station {other}; một nhật ký sẽ bị tính thành hai đài"
            ),
            (SameLog { folder, other, log }, En) => format!(
                "--station {folder}: the play log {log} is also --station {other}'s; one log would count as two stations"
            ),
            (NoPlaylog { folder, dir }, Vi) => {
                format!("{folder}: không có nhật ký phát ({dir}/ không có tệp YYYY-MM.jsonl nào)")
            }
            (NoPlaylog { folder, dir }, En) => {
                format!("{folder}: there is no play log ({dir}/ holds no YYYY-MM.jsonl file)")
            }
            (
                LogUnreadable {
                    folder,
                    file,
                    detail,
                },
                Vi,
            ) => format!(
                "{folder}: không đọc được tệp nhật ký phát {file}: {}",
                super::yaml_words::os_vi(detail)
            ),
            (
                LogUnreadable {
                    folder,
                    file,
                    detail,
                },
                En,
            ) => format!("{folder}: the play-log file {file} cannot be read: {detail}"),
        }
    }

    /// How to fix it.
    pub fn hint(&self, lang: Lang) -> String {
        use StationProblem::*;
        match self {
            NotFound { .. } | NotFolder { .. } => lang
                .pick(
                    "mỗi --station là thư mục của một đài (có config.yaml và playlog/), ví dụ --station /srv/loa/xuan-dam; kiểm tra lại đường dẫn",
                    "each --station is one station's folder (with config.yaml and playlog/), e.g. --station /srv/loa/xuan-dam; check the path",
                )
                .to_string(),
            Twice { .. } => lang
                .pick(
                    "ghi mỗi thư mục đài một lần",
                    "give each station's folder once",
                )
                .to_string(),
            NoConfig { .. } => lang
                .pick(
                    "chép cả thư mục của đài (config.yaml và playlog/) về đây, hoặc chỉ --station vào đúng thư mục chứa config.yaml",
                    "copy the station's whole folder (config.yaml and playlog/) here, or point --station at the folder that holds config.yaml",
                )
                .to_string(),
            BadConfig { folder, .. } => match lang {
                Lang::Vi => format!(
                    "sửa config.yaml theo lỗi ở trên, rồi kiểm tra bằng: loa --config {folder}/config.yaml check"
                ),
                Lang::En => format!(
                    "fix config.yaml as the error above says, then check it with: loa --config {folder}/config.yaml check"
                ),
            },
            SameLog { .. } => lang
                .pick(
                    "mỗi thư mục đài phải có nhật ký riêng của đài đó (thư mục playlog/ bên trong); chép đúng nhật ký của từng đài về thư mục của đài",
                    "each station folder must hold that station's own log (its playlog/ folder inside); copy each station's own log into its folder",
                )
                .to_string(),
            NoPlaylog { .. } => lang
                .pick(
                    "chép các tệp nhật ký (YYYY-MM.jsonl) của đài về thư mục đó, hoặc sửa `playlog:` trong config.yaml của đài",
                    "copy the station's log files (YYYY-MM.jsonl) into that folder, or correct `playlog:` in the station's config.yaml",
                )
                .to_string(),
            LogUnreadable { folder, .. } => match lang {
                Lang::Vi => format!(
                    "cho phép đọc các tệp trong {folder}/playlog/ (hoặc chép lại chúng từ đài), rồi chạy lại"
                ),
                Lang::En => format!(
                    "make the files in {folder}/playlog/ readable (or copy them from the station again), then run this again"
                ),
            },
        }
    }

    /// The headline and the fix as the command line prints them; a refused
    /// config.yaml with every error located, the line shown with a caret.
    pub fn render(&self, lang: Lang) -> String {
        let mut out = match self {
            StationProblem::BadConfig { diags, .. } => crate::i18n::diag::render_all(diags, lang),
            _ => String::new(),
        };
        out.push_str(&format!(
            "{}\n  = {}: {}",
            self.text(lang),
            Msg::LabelHint.text(lang),
            self.hint(lang)
        ));
        out
    }
}

/// The fixed words of a roll-up in one language.
pub struct RollupLabels {
    pub by_station: &'static str,
    pub station: &'static str,
    pub integrity_each: &'static str,
    pub unreadable: &'static str,
    /// In the header's head-hash line: each station has its own.
    pub head_each: &'static str,
    /// Where the detail rows are, in place of them.
    pub detail_note: &'static str,
}

const VI: RollupLabels = RollupLabels {
    by_station: "Theo đài",
    station: "Đài",
    integrity_each: "Tính toàn vẹn nhật ký phát của từng đài",
    unreadable: "KHÔNG ĐỌC ĐƯỢC",
    head_each: "mỗi đài một mã, xem mục Theo đài",
    detail_note: "Bản tổng hợp không kèm từng lượt phát: xem báo cáo riêng của mỗi đài, hoặc lập bản tổng hợp dạng CSV (--format csv), mỗi lượt một dòng, có cột Đài.",
};

const EN: RollupLabels = RollupLabels {
    by_station: "By station",
    station: "Station",
    integrity_each: "Each station's play-log integrity",
    unreadable: "UNREADABLE",
    head_each: "one per station, see By station",
    detail_note: "A roll-up does not list every occurrence: see each station's own report, or make the roll-up as CSV (--format csv), one line per occurrence with a Station column.",
};

/// The roll-up labels for `lang`.
pub fn rollup_labels(lang: Lang) -> &'static RollupLabels {
    match lang {
        Lang::Vi => &VI,
        Lang::En => &EN,
    }
}

/// The heading's unit when no config.yaml names the one making the roll-up.
pub fn rollup_unit(lang: Lang, stations: usize) -> String {
    match lang {
        Lang::Vi => format!("Tổng hợp {stations} đài"),
        Lang::En => format!("Roll-up of {stations} stations"),
    }
}

/// How many stations gave no figures, for the alert above the figures.
pub fn unreadable_alert(lang: Lang, n: usize, names: &str) -> String {
    match lang {
        Lang::Vi => {
            format!("{n} đài KHÔNG ĐỌC ĐƯỢC ({names}): số liệu của đài đó KHÔNG có trong tổng")
        }
        Lang::En => {
            format!("{n} station(s) UNREADABLE ({names}): their figures are NOT in the sum")
        }
    }
}

/// The note under the by-station table when the total holds the figures
/// of stations whose hash chain is broken.
pub fn broken_total(lang: Lang, n: usize, names: &str) -> String {
    match lang {
        Lang::Vi => format!(
            "⚠ Dòng tổng có số liệu của {n} đài có chuỗi băm bị đứt ({names}): các số liệu đó không được chuỗi băm bảo đảm"
        ),
        Lang::En => format!(
            "⚠ The total holds the figures of {n} station(s) whose hash chain is broken ({names}): those figures are not vouched for"
        ),
    }
}

/// The stderr line after a roll-up in which some stations were unreadable.
pub fn rollup_incomplete(lang: Lang, n: usize, of: usize) -> String {
    match lang {
        Lang::Vi => {
            format!("Bản tổng hợp đã lập nhưng thiếu {n}/{of} đài không đọc được (xem lỗi ở trên).")
        }
        Lang::En => {
            format!("The roll-up is made, but {n} of {of} stations could not be read (see above).")
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_station_problem_says_how_to_fix_it_in_both_languages() {
        let folder = "xa-b".to_string();
        let samples = [
            StationProblem::NotFound {
                folder: folder.clone(),
            },
            StationProblem::NotFolder {
                folder: folder.clone(),
            },
            StationProblem::Twice {
                folder: folder.clone(),
            },
            StationProblem::NoConfig {
                folder: folder.clone(),
            },
            StationProblem::BadConfig {
                folder: folder.clone(),
                diags: Vec::new(),
            },
            StationProblem::NoPlaylog {
                folder: folder.clone(),
                dir: "xa-b/playlog".into(),
            },
        ];
        for p in samples {
            assert_ne!(p.text(Lang::Vi), p.text(Lang::En), "{p:?}");
            assert_ne!(p.hint(Lang::Vi), p.hint(Lang::En), "{p:?}");
            assert!(p.text(Lang::Vi).contains("xa-b"), "{p:?}");
        }
    }
}
