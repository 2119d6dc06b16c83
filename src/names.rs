//! File names as people type them and as disks keep them.
//!
//! A recording named on a Mac is stored decomposed (NFD: "ô" as "o" and a
//! combining circumflex); the same name typed into a schedule on Windows is
//! composed (NFC). Both are the same name to the operator, so a reference
//! matches a file in either form, and what is recorded is the name as it is
//! on disk. A name that matches nothing gets the closest names that are
//! there, compared without case or diacritics.

use std::ffi::OsString;
use std::path::Path;

use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

/// The composed (NFC) form of `s`: the form names are compared in.
pub fn nfc(s: &str) -> String {
    s.nfc().collect()
}

/// `s` lowercased and without diacritics ("Thông Báo" → "thong bao",
/// "Đài" → "dai"): how close two names look to a person.
pub fn fold(s: &str) -> String {
    s.nfd()
        .filter(|c| !is_combining_mark(*c))
        .flat_map(char::to_lowercase)
        .map(|c| if c == 'đ' { 'd' } else { c })
        .collect()
}

/// `rel` (`/`-separated, under `root`) as it is named on disk, each part
/// matched in whichever Unicode form it was saved in. `None` when some part
/// is not there in any form.
pub fn on_disk(root: &Path, rel: &str) -> Option<String> {
    if root.join(rel).symlink_metadata().is_ok() {
        return Some(rel.to_string());
    }
    let mut dir = root.to_path_buf();
    let mut parts = Vec::new();
    for part in rel.split('/') {
        let name = if part.is_empty() || dir.join(part).symlink_metadata().is_ok() {
            part.to_string()
        } else {
            same_name_in(&dir, part)?.into_string().ok()?
        };
        dir.push(&name);
        parts.push(name);
    }
    Some(parts.join("/"))
}

/// The entry of `dir` whose name is `name` in another Unicode form.
fn same_name_in(dir: &Path, name: &str) -> Option<OsString> {
    let want = nfc(name);
    std::fs::read_dir(dir)
        .ok()?
        .flatten()
        .map(|e| e.file_name())
        .find(|n| n.to_str().is_some_and(|n| nfc(n) == want))
}

/// At most three of `candidates` that look like `wanted` once case and
/// diacritics are set aside, closest first and composed (NFC, as they
/// would be typed); none when nothing is close.
/// The file names are compared (a file in another folder is found too),
/// and a different file ending counts as one slip.
pub fn suggest(wanted: &str, candidates: &[String]) -> Vec<String> {
    let (stem, ext) = split(wanted);
    let (stem, ext) = (fold(stem), fold(ext));
    let limit = (stem.chars().count() / 3).max(2);
    let mut near: Vec<(usize, &String)> = candidates
        .iter()
        .filter_map(|c| {
            let (s, e) = split(c);
            let d = distance(&stem, &fold(s)) + usize::from(fold(e) != ext);
            (d <= limit).then_some((d, c))
        })
        .collect();
    near.sort();
    near.into_iter().take(3).map(|(_, c)| nfc(c)).collect()
}

/// The file name of a `/`-separated path, split into stem and ending.
fn split(path: &str) -> (&str, &str) {
    let name = path.rsplit('/').next().unwrap_or(path);
    match name.rsplit_once('.') {
        Some((stem, ext)) if !stem.is_empty() => (stem, ext),
        _ => (name, ""),
    }
}

/// Levenshtein distance, in characters.
fn distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut diag = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let here = (diag + usize::from(ca != *cb))
                .min(row[j] + 1)
                .min(row[j + 1] + 1);
            diag = row[j + 1];
            row[j + 1] = here;
        }
    }
    row[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    const NFD: &str = "Tho\u{302}ng ba\u{301}o.wav";
    const NFC: &str = "Thông báo.wav";

    #[test]
    fn a_name_typed_composed_finds_the_file_saved_decomposed() -> std::io::Result<()> {
        let dir = tempfile::tempdir()?;
        std::fs::create_dir_all(dir.path().join("Tin tu\u{31b}\u{301}c"))?;
        std::fs::write(dir.path().join("Tin tu\u{31b}\u{301}c").join(NFD), b"x")?;
        let got = on_disk(dir.path(), &format!("Tin tức/{NFC}"));
        assert_eq!(got, Some(format!("Tin tu\u{31b}\u{301}c/{NFD}")));
        assert_eq!(on_disk(dir.path(), "Tin tức/khác.wav"), None);
        Ok(())
    }

    #[test]
    fn folding_drops_case_and_every_diacritic() {
        assert_eq!(fold(NFC), "thong bao.wav");
        assert_eq!(fold(NFD), "thong bao.wav");
        assert_eq!(fold("ĐÀI PHÁT THANH"), "dai phat thanh");
    }

    #[test]
    fn suggestions_are_close_names_only_closest_first() {
        let have: Vec<String> = [
            "thong-bao.mp3",
            "cchc/Thông báo.wav",
            "thong-bao-2.mp3",
            "nhac-hieu.mp3",
            "ban-tin-sang.mp3",
        ]
        .map(String::from)
        .to_vec();
        assert_eq!(
            suggest("Thông Báo.mp3", &have),
            ["cchc/Thông báo.wav", "thong-bao.mp3", "thong-bao-2.mp3"]
        );
        assert!(suggest("du-bao-thoi-tiet.mp3", &have).is_empty());
        assert_eq!(distance("kitten", "sitting"), 3);
    }
}
