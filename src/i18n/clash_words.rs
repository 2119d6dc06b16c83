//! The sentences for broadcasts that run into quiet hours or into each
//! other ([`Msg::QuietRepeats`](super::Msg::QuietRepeats),
//! [`Msg::Conflict`](super::Msg::Conflict)), in both languages.

use super::{Clash, Lang};
use Lang::{En, Vi};

/// `broadcast` at `time`, repeated `repeat` times, runs into the quiet
/// hours `quiet`: the last `dropped` repeats will not sound.
pub(super) fn quiet_repeats(
    broadcast: &str,
    time: &str,
    quiet: &str,
    repeat: u32,
    dropped: u32,
    lang: Lang,
) -> String {
    match lang {
        Vi => format!(
            "\"{broadcast}\" lúc {time} phát lặp {repeat} lần sẽ kéo dài sang giờ yên lặng ({quiet}): {dropped} lần lặp cuối sẽ không phát"
        ),
        En => format!(
            "\"{broadcast}\" at {time} runs into quiet hours ({quiet}): the last {dropped} of its {repeat} repeats will not sound"
        ),
    }
}

/// `broadcast` at `time` meets `other` (of `other_file`), as `clash` says.
pub(super) fn conflict(
    time: &str,
    broadcast: &str,
    other: &str,
    other_file: &str,
    clash: &Clash,
    lang: Lang,
) -> String {
    match lang {
        Vi => format!(
            "{time}: \"{broadcast}\" trùng giờ với \"{other}\" (tệp {other_file}); {}",
            clash.text(other, Vi)
        ),
        En => format!(
            "{time}: \"{broadcast}\" overlaps \"{other}\" (file {other_file}); {}",
            clash.text(other, En)
        ),
    }
}
