//! One output's settings (SPEC §2.1 `output` / `outputs`): its name, its
//! device, its volume and loudness target.

use serde::Deserialize;
use serde_saphyr::Spanned;

use super::DEFAULT_LOUDNESS;
use crate::i18n::Msg;
use crate::units::parse_volume;
use crate::yaml::{self, Scalar, pos_of};

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawOutput {
    pub(super) name: Option<Spanned<Scalar>>,
    #[serde(default, deserialize_with = "yaml::present")]
    device: Option<Spanned<yaml::MaybeNull>>,
    volume: Option<Spanned<Scalar>>,
    loudness: Option<Spanned<Scalar>>,
}

/// The name of the output of a station that has only `output:`.
pub const MAIN_OUTPUT: &str = "main";

/// The audio output settings.
#[derive(Clone, Debug, PartialEq)]
pub struct OutputConfig {
    /// The name used in schedules, the log, status and reports.
    pub name: String,
    /// ALSA PCM name, `default`, or `null` (decode, keep time, no sound).
    pub device: String,
    /// Master volume, 0.0 to 1.0.
    pub volume: f32,
    /// Target integrated loudness in LUFS; `None` plays files as recorded.
    pub loudness: Option<f64>,
}

impl Default for OutputConfig {
    fn default() -> Self {
        OutputConfig {
            name: MAIN_OUTPUT.into(),
            device: "default".into(),
            volume: 1.0,
            loudness: Some(DEFAULT_LOUDNESS),
        }
    }
}

/// Whether `name` can name an output: it ends occurrence ids and file
/// names, so letters, digits, `-` and `_` only.
pub fn valid_output_name(name: &str) -> bool {
    !name.is_empty()
        && name.chars().count() <= 40
        && name
            .chars()
            .all(|c| c.is_alphanumeric() || c == '-' || c == '_')
}

/// One output's settings. `item` is where it stands in the `outputs:`
/// list, where a name is required; None for `output:`.
pub(super) fn output_config(
    o: &RawOutput,
    item: Option<Option<crate::i18n::diag::Pos>>,
    err: &mut impl FnMut(Option<crate::i18n::diag::Pos>, Msg),
) -> OutputConfig {
    let mut output = OutputConfig::default();
    match &o.name {
        Some(n) if valid_output_name(n.value.0.trim()) => {
            output.name = n.value.0.trim().to_string()
        }
        Some(n) => err(
            pos_of(n),
            Msg::BadOutputName {
                value: n.value.0.clone(),
            },
        ),
        None => {
            if let Some(at) = item {
                err(at, Msg::OutputNeedsName);
            }
        }
    }
    if let Some(d) = &o.device {
        let at = pos_of(d);
        match &d.value.0 {
            None => err(at, Msg::NullDevice),
            Some(name) if name.0.trim().is_empty() => err(at, Msg::BadDevice),
            Some(name) if crate::device::sink_for(name.0.trim()).is_none() => err(
                at,
                Msg::UnknownDevice {
                    value: name.0.clone(),
                },
            ),
            Some(name) => output.device = name.0.trim().to_string(),
        }
    }
    if let Some(v) = &o.volume {
        match parse_volume(&v.value.0) {
            Some(x) => output.volume = x,
            None => err(
                pos_of(v),
                Msg::BadVolume {
                    value: v.value.0.clone(),
                },
            ),
        }
    }
    if let Some(l) = &o.loudness {
        match parse_loudness(&l.value.0) {
            Some(x) => output.loudness = x,
            None => err(
                pos_of(l),
                Msg::BadLoudness {
                    value: l.value.0.clone(),
                },
            ),
        }
    }
    output
}

pub(super) fn parse_loudness(s: &str) -> Option<Option<f64>> {
    let s = s.trim();
    if s.eq_ignore_ascii_case("off") || s == "false" {
        return Some(None);
    }
    let v: f64 = s.trim_end_matches("LUFS").trim().parse().ok()?;
    (-40.0..=-5.0).contains(&v).then_some(Some(v))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn device_names_loa_can_play_to() {
        for ok in [
            "null",
            "default",
            "plughw:1,0",
            "hw:CARD=PCH,DEV=0",
            "dmix",
            "station_out",
            "sysdefault:CARD=Loa",
        ] {
            assert!(crate::device::sink_for(ok).is_some(), "{ok}");
        }
        for bad in [
            "nul",
            "Null",
            "NULL",
            "none",
            "off",
            "",
            "hw 1",
            "1abc",
            "plughw:1, 0",
        ] {
            assert!(crate::device::sink_for(bad).is_none(), "{bad}");
        }
        for (name, ok) in [
            ("trung-tam", true),
            ("thôn_đông", true),
            ("a b", false),
            ("a/b", false),
            ("", false),
        ] {
            assert_eq!(valid_output_name(name), ok, "{name}");
        }
    }
}
