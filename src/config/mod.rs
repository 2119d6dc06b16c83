//! `config.yaml`: the station settings (SPEC §2.1).
//!
//! Every key but `station` has a default. Unknown keys are errors, so a typo
//! never silently changes behaviour. All problems found are returned at once.

use std::path::{Path, PathBuf};
use std::time::Duration;

use chrono_tz::Tz;
use serde::Deserialize;
use serde_saphyr::Spanned;

mod output;
mod tts;

pub use output::{MAIN_OUTPUT, OutputConfig, valid_output_name};
use output::{RawOutput, output_config};
pub use tts::{
    DEFAULT_ENGINE, DEFAULT_RATE, DEFAULT_VOICE, Engine, Lexicon, OUT, RATES, TtsConfig,
    read_lexicon,
};
use tts::{RawTts, tts_config};

use crate::i18n::diag::Diagnostic;
use crate::i18n::{Lang, Msg};
use crate::units::{TimeRange, parse_duration};
use crate::yaml::{self, Scalar, pos_of};

/// Default `late_limit`: how late a broadcast may still start.
pub const DEFAULT_LATE_LIMIT: Duration = Duration::from_secs(600);
/// The longest `late_limit`: a broadcast a day late is another day's.
pub const MAX_LATE_LIMIT: Duration = Duration::from_secs(24 * 3600);
/// Default loudness target, in LUFS (EBU R128 broadcast practice for speech
/// over small loudspeakers sits around -16).
pub const DEFAULT_LOUDNESS: f64 = -16.0;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawConfig {
    station: String,
    timezone: Option<Spanned<Scalar>>,
    schedules: Option<String>,
    audio: Option<String>,
    playlog: Option<String>,
    state: Option<String>,
    output: Option<RawOutput>,
    outputs: Option<Spanned<Vec<Spanned<RawOutput>>>>,
    chime: Option<String>,
    late_limit: Option<Spanned<Scalar>>,
    quiet_hours: Option<Vec<Spanned<Scalar>>>,
    require_approval: Option<bool>,
    language: Option<Spanned<Scalar>>,
    report: Option<ReportConfig>,
    limits: Option<Spanned<crate::limits::Limits>>,
    tts: Option<RawTts>,
}

/// The people named on reports.
#[derive(Clone, Debug, Default, Deserialize, PartialEq)]
#[serde(deny_unknown_fields, default)]
pub struct ReportConfig {
    pub recipient: String,
    /// The place on the date line of official documents ("Xuân Đám, ngày
    /// 30 tháng 11 năm 2026").
    pub place: String,
    pub prepared_by: String,
    pub approved_by: String,
}

/// The validated station settings. Paths are absolute (resolved against the
/// folder that holds `config.yaml`).
#[derive(Clone, Debug)]
pub struct Config {
    /// The config file itself.
    pub path: PathBuf,
    /// The folder that holds it; relative paths start here.
    pub root: PathBuf,
    pub station: String,
    pub timezone: Tz,
    pub schedules_dir: PathBuf,
    pub audio_dir: PathBuf,
    pub playlog_dir: PathBuf,
    pub state_dir: PathBuf,
    /// The station's outputs (zones), at least one; names are unique.
    pub outputs: Vec<OutputConfig>,
    /// Chime played before announcements, if any; relative to `root`.
    pub chime: Option<String>,
    pub late_limit: Duration,
    pub quiet_hours: Vec<TimeRange>,
    pub require_approval: bool,
    pub language: Lang,
    pub report: ReportConfig,
    /// Local rules on minutes and sessions a day (none by default).
    pub limits: crate::limits::Limits,
    /// Where `limits` is in the file, for the warnings about it.
    pub limits_pos: Option<crate::i18n::diag::Pos>,
    /// Text-to-speech: engine, voice, rate and the station's lexicon.
    pub tts: TtsConfig,
    /// SHA-256 of the file's bytes, recorded in `daemon_start`.
    pub hash: String,
}

impl Config {
    /// Reads and validates the config file at `path`.
    pub fn load(path: &Path) -> Result<Config, Vec<Diagnostic>> {
        let shown = display_path(path);
        let bytes = std::fs::read(path)
            .map_err(|e| vec![crate::text::TextError::from(e).diagnostic(&shown)])?;
        let text = crate::text::decode(&bytes)
            .map_err(|e| vec![crate::text::TextError::NotUnicode(e).diagnostic(&shown)])?;
        let root = path
            .parent()
            .map(|p| {
                if p.as_os_str().is_empty() {
                    Path::new(".")
                } else {
                    p
                }
            })
            .unwrap_or(Path::new("."));
        let root = std::path::absolute(root).unwrap_or_else(|_| root.to_path_buf());
        // The hash is of the bytes as saved, as the daemon's look at the
        // file computes it, whatever encoding they are in.
        Config::parse(&shown, &text, &root).map(|c| Config {
            hash: crate::hash::sha256_hex(&bytes),
            ..c
        })
    }

    /// The settings an empty config.yaml at `path` would give: the default
    /// folders beside it. For `status` when config.yaml is invalid.
    pub fn defaults_beside(path: &Path) -> Option<Config> {
        let root = path
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        let root = std::path::absolute(root).ok()?;
        Config::parse(&display_path(path), "station: \"\"\n", &root).ok()
    }

    /// Validates config text. `file` is how the file is named in messages,
    /// `root` the folder relative paths start from.
    pub fn parse(file: &Path, text: &str, root: &Path) -> Result<Config, Vec<Diagnostic>> {
        let raw: RawConfig = yaml::parse(file, text).map_err(|d| vec![d])?;
        let mut errs = Vec::new();
        let mut err = |at: Option<crate::i18n::diag::Pos>, m: Msg| {
            errs.push(Diagnostic::at(file, text, at, m))
        };

        let timezone = match &raw.timezone {
            None => chrono_tz::Asia::Ho_Chi_Minh,
            Some(s) => s.value.0.trim().parse::<Tz>().unwrap_or_else(|_| {
                err(
                    pos_of(s),
                    Msg::BadTimezone {
                        value: s.value.0.clone(),
                    },
                );
                chrono_tz::Asia::Ho_Chi_Minh
            }),
        };
        let late_limit = match &raw.late_limit {
            None => DEFAULT_LATE_LIMIT,
            Some(s) => match parse_duration(&s.value.0) {
                Some(d) if d <= MAX_LATE_LIMIT => d,
                Some(_) => {
                    err(
                        pos_of(s),
                        Msg::LateLimitTooLong {
                            value: s.value.0.clone(),
                        },
                    );
                    DEFAULT_LATE_LIMIT
                }
                None => {
                    err(
                        pos_of(s),
                        Msg::BadDuration {
                            value: s.value.0.clone(),
                        },
                    );
                    DEFAULT_LATE_LIMIT
                }
            },
        };
        let quiet_hours = match &raw.quiet_hours {
            // Night-time silence is the norm for loudspeaker stations.
            None => vec![TimeRange::parse("21:30-05:00").unwrap_or(TimeRange {
                start: chrono::NaiveTime::MIN,
                end: chrono::NaiveTime::MIN,
            })],
            Some(list) => list
                .iter()
                .filter_map(|s| {
                    let r = TimeRange::parse(&s.value.0);
                    if r.is_none() {
                        err(
                            pos_of(s),
                            Msg::BadQuietHours {
                                value: s.value.0.clone(),
                            },
                        );
                    }
                    r
                })
                .collect(),
        };
        let language = match &raw.language {
            None => Lang::Vi,
            Some(s) => Lang::parse(&s.value.0).unwrap_or_else(|| {
                err(
                    pos_of(s),
                    Msg::BadLanguage {
                        value: s.value.0.clone(),
                    },
                );
                Lang::Vi
            }),
        };
        let outputs = match (&raw.output, &raw.outputs) {
            (Some(_), Some(list)) => {
                err(pos_of(list), Msg::OutputAndOutputs);
                Vec::new()
            }
            (None, Some(list)) if list.value.is_empty() => {
                err(pos_of(list), Msg::NoOutputs);
                Vec::new()
            }
            (None, Some(list)) => {
                let mut seen = std::collections::BTreeSet::new();
                let mut v = Vec::new();
                for item in &list.value {
                    let o = &item.value;
                    let out = output_config(o, Some(pos_of(item)), &mut err);
                    if !seen.insert(out.name.clone()) {
                        err(
                            o.name.as_ref().and_then(pos_of),
                            Msg::DuplicateOutput {
                                name: out.name.clone(),
                            },
                        );
                    }
                    v.push(out);
                }
                v
            }
            (Some(o), None) => vec![output_config(o, None, &mut err)],
            (None, None) => vec![OutputConfig::default()],
        };
        if let Some(l) = &raw.limits
            && let (Some(min), Some(max)) =
                (l.value.min_minutes_per_day, l.value.max_minutes_per_day)
            && min > max
        {
            err(pos_of(l), Msg::LimitsContradict { min, max });
        }
        // The lexicon's own problems are located in its own file.
        let mut lexicon_errs = Vec::new();
        let tts = raw
            .tts
            .as_ref()
            .map(|t| tts_config(t, root, &mut err, &mut lexicon_errs))
            .unwrap_or_default();
        errs.extend(lexicon_errs);
        if !errs.is_empty() {
            return Err(errs);
        }
        let dir = |v: &Option<String>, default: &str| root.join(v.as_deref().unwrap_or(default));
        Ok(Config {
            path: root.join(file.file_name().unwrap_or(file.as_os_str())),
            root: root.to_path_buf(),
            station: raw.station,
            timezone,
            schedules_dir: dir(&raw.schedules, "schedules"),
            audio_dir: dir(&raw.audio, "audio"),
            playlog_dir: dir(&raw.playlog, "playlog"),
            state_dir: dir(&raw.state, "state"),
            outputs,
            chime: raw
                .chime
                .map(|c| c.trim().to_string())
                .filter(|c| !c.is_empty()),
            late_limit,
            quiet_hours,
            require_approval: raw.require_approval.unwrap_or(false),
            language,
            report: raw.report.unwrap_or_default(),
            limits: raw.limits.as_ref().map(|l| l.value).unwrap_or_default(),
            limits_pos: raw.limits.as_ref().and_then(pos_of),
            tts,
            hash: crate::hash::sha256_hex(text.as_bytes()),
        })
    }

    /// How a station path is shown to the operator: relative to the root.
    pub fn shown(&self, p: &Path) -> PathBuf {
        p.strip_prefix(&self.root)
            .map(Path::to_path_buf)
            .unwrap_or_else(|_| p.to_path_buf())
    }
}

impl Config {
    /// `late_limit` as a span of wall time (bounded by [`MAX_LATE_LIMIT`]).
    pub fn late(&self) -> chrono::TimeDelta {
        chrono::TimeDelta::from_std(self.late_limit.min(MAX_LATE_LIMIT)).unwrap_or_default()
    }

    /// The station's outputs, in the order config.yaml lists them.
    pub fn outputs(&self) -> &[OutputConfig] {
        &self.outputs
    }

    /// The output named `name`.
    pub fn output(&self, name: &str) -> Option<&OutputConfig> {
        self.outputs.iter().find(|o| o.name == name)
    }

    /// The names of the outputs.
    pub fn output_names(&self) -> Vec<&str> {
        self.outputs.iter().map(|o| o.name.as_str()).collect()
    }
}

/// The path as the operator typed it, without a leading `./`.
fn display_path(p: &Path) -> PathBuf {
    p.strip_prefix("./")
        .map(Path::to_path_buf)
        .unwrap_or_else(|_| p.to_path_buf())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Config, Vec<Diagnostic>> {
        Config::parse(Path::new("config.yaml"), text, Path::new("/st"))
    }

    #[test]
    fn only_station_is_required_and_defaults_apply() {
        let c = parse("station: Đài Xuân Đám\n").unwrap_or_else(|e| panic!("{e:?}"));
        assert_eq!(c.timezone, chrono_tz::Asia::Ho_Chi_Minh);
        assert_eq!(c.schedules_dir, Path::new("/st/schedules"));
        assert_eq!(c.audio_dir, Path::new("/st/audio"));
        assert_eq!(c.playlog_dir, Path::new("/st/playlog"));
        assert_eq!(c.state_dir, Path::new("/st/state"));
        assert_eq!(c.outputs[0].device, "default");
        assert_eq!(c.outputs[0].volume, 1.0);
        assert_eq!(c.outputs[0].loudness, Some(-16.0));
        assert_eq!(c.late_limit, Duration::from_secs(600));
        assert_eq!(c.quiet_hours.len(), 1);
        assert!(!c.require_approval);
        assert_eq!(c.language, Lang::Vi);
        assert_eq!(c.chime, None);
    }

    #[test]
    fn an_unquoted_null_device_is_an_error_not_the_default_card() {
        let device = |v: &str| parse(&format!("station: x\noutput:\n  device: {v}\n"));
        for quiet in ["\"null\"", "'null'"] {
            let c = device(quiet).unwrap_or_else(|e| panic!("{quiet}: {e:?}"));
            assert_eq!(c.outputs[0].device, "null");
        }
        let c = device("hw:CARD=Loa,DEV=0").unwrap_or_else(|e| panic!("{e:?}"));
        assert_eq!(c.outputs[0].device, "hw:CARD=Loa,DEV=0");
        for slip in ["null", "~", "Null", ""] {
            let e = device(slip).err().unwrap_or_default();
            assert_eq!(e.len(), 1, "{slip}: {e:?}");
            assert_eq!(e[0].msg, Msg::NullDevice, "{slip}");
            assert_eq!(e[0].pos.map(|p| p.line), Some(3), "{slip}");
        }
        // Leaving the key out still means the default card.
        let c = parse("station: x\noutput:\n  volume: 0.5\n").unwrap_or_else(|e| panic!("{e:?}"));
        assert_eq!(c.outputs[0].device, "default");
    }

    #[test]
    fn missing_station_is_an_error() {
        let e = parse("timezone: Asia/Ho_Chi_Minh\n")
            .err()
            .unwrap_or_default();
        assert_eq!(e.len(), 1);
        assert_eq!(
            e[0].msg,
            Msg::YamlMissingKey {
                key: "station".into()
            }
        );
    }

    #[test]
    fn every_bad_value_is_reported_at_once() {
        let text = "station: x\ntimezone: Asia/Hanoi_City\nlate_limit: soon\nquiet_hours: [\"21:30-29:00\"]\nlanguage: fr\noutput:\n  volume: 1.5\n  loudness: loud\n";
        let e = parse(text).err().unwrap_or_default();
        let got: Vec<(u64, String)> = e
            .iter()
            .map(|d| (d.pos.map(|p| p.line).unwrap_or(0), d.msg.text(Lang::En)))
            .collect();
        assert_eq!(
            got,
            [
                (2, "unknown time zone \"Asia/Hanoi_City\"".to_string()),
                (3, "invalid duration \"soon\"".to_string()),
                (4, "invalid quiet hours \"21:30-29:00\"".to_string()),
                (5, "unsupported language \"fr\"".to_string()),
                (7, "invalid volume \"1.5\"".to_string()),
                (8, "invalid loudness target \"loud\"".to_string()),
            ]
        );
    }

    #[test]
    fn loudness_off_and_numbers() {
        assert_eq!(output::parse_loudness("off"), Some(None));
        assert_eq!(output::parse_loudness("-23"), Some(Some(-23.0)));
        assert_eq!(output::parse_loudness("0"), None);
    }

    #[test]
    fn unknown_key_is_refused() {
        let e = parse("station: x\nlate_limt: 5m\n")
            .err()
            .unwrap_or_default();
        assert!(matches!(&e[0].msg, Msg::YamlUnknownKey { key, .. } if key == "late_limt"));
    }

    #[test]
    fn tts_defaults_and_located_errors() {
        let c = parse("station: x\n").unwrap_or_else(|e| panic!("{e:?}"));
        assert_eq!(c.tts, TtsConfig::default());
        assert_eq!(c.tts.voice, "vi");
        assert_eq!(c.tts.rate, 150);
        let c = parse("station: x\ntts:\n  voice: vi-VN-x-south\n  rate: 120\n")
            .unwrap_or_else(|e| panic!("{e:?}"));
        assert_eq!((c.tts.voice.as_str(), c.tts.rate), ("vi-VN-x-south", 120));
        let text = "station: x\ntts:\n  engine: festival\n  rate: fast\n  pitch: 3\n";
        let e = parse(text).err().unwrap_or_default();
        assert!(
            matches!(&e[0].msg, Msg::YamlUnknownKey { key, .. } if key == "pitch"),
            "{e:?}"
        );
        let text = "station: x\ntts:\n  engine: festival\n  rate: 1000\n";
        let e = parse(text).err().unwrap_or_default();
        let got: Vec<(u64, Msg)> = e
            .iter()
            .map(|d| (d.pos.map(|p| p.line).unwrap_or(0), d.msg.clone()))
            .collect();
        assert_eq!(
            got,
            [
                (
                    3,
                    Msg::TtsBadEngine {
                        value: "festival".into()
                    }
                ),
                (
                    4,
                    Msg::TtsBadRate {
                        value: "1000".into()
                    }
                ),
            ]
        );
        let e = parse("station: x\ntts:\n  engine: command\n  command: [piper, -m, v.onnx]\n")
            .err()
            .unwrap_or_default();
        assert_eq!(e.len(), 1);
        assert_eq!(
            (e[0].msg.clone(), e[0].pos.map(|p| p.line)),
            (Msg::TtsCommandNoOut, Some(4))
        );
        let e = parse("station: x\ntts:\n  engine: command\n")
            .err()
            .unwrap_or_default();
        assert_eq!(e[0].msg, Msg::TtsCommandNeeded);
        let c =
            parse("station: x\ntts:\n  engine: command\n  command: \"piper -m v.onnx -f {out}\"\n")
                .unwrap_or_else(|e| panic!("{e:?}"));
        assert_eq!(
            c.tts.engine,
            Engine::Command(
                ["piper", "-m", "v.onnx", "-f", "{out}"]
                    .map(String::from)
                    .to_vec()
            )
        );
    }

    #[test]
    fn the_lexicon_is_read_and_its_errors_are_located_in_it() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        std::fs::write(
            dir.path().join("lex.yaml"),
            "UBND: ủy ban\nXYZ: hợp tác xã\n",
        )
        .unwrap_or_else(|e| panic!("{e}"));
        let c = Config::parse(
            Path::new("config.yaml"),
            "station: x\ntts:\n  lexicon: lex.yaml\n",
            dir.path(),
        )
        .unwrap_or_else(|e| panic!("{e:?}"));
        let s = crate::sound::speech::normalise("UBND và XYZ", &c.tts.lexicon);
        assert_eq!(s.text, "ủy ban và hợp tác xã");
        std::fs::write(dir.path().join("lex.yaml"), "UBND: ủy ban\n  bad: [\n")
            .unwrap_or_else(|e| panic!("{e}"));
        let e = Config::parse(
            Path::new("config.yaml"),
            "station: x\ntts:\n  lexicon: lex.yaml\n",
            dir.path(),
        )
        .err()
        .unwrap_or_default();
        assert_eq!(e.len(), 1, "{e:?}");
        assert_eq!(e[0].file, Path::new("lex.yaml"));
        let e = Config::parse(
            Path::new("config.yaml"),
            "station: x\ntts:\n  lexicon: none.yaml\n",
            dir.path(),
        )
        .err()
        .unwrap_or_default();
        assert_eq!(e[0].file, Path::new("none.yaml"), "{e:?}");
    }
}
