//! Where a command may write a file the operator names (`report -o`): never
//! into the play log, the state folder, the schedules or the recordings,
//! never over the config or the chime, and never over a device or a folder.
//!
//! Paths are compared once `..` and symlinks are resolved, so
//! `./playlog/../playlog/x` and a link pointing into `playlog/` are caught
//! like `playlog/x`. A report written over a month of the log would
//! destroy the evidence, and the next `run` would cut the "torn" report
//! out of it.

use std::path::{Component, Path, PathBuf};

use crate::config::Config;
use crate::i18n::{Area, Made, Usage};

/// How many symlinks deep a dangling link is followed.
const MAX_LINKS: u32 = 16;

/// Checks that `path`, named with `flag`, may be written whole.
pub fn output(config: &Config, flag: &'static str, made: Made, path: &Path) -> Result<(), Usage> {
    let shown = path.display().to_string();
    let target = resolve(path, MAX_LINKS);
    if std::fs::metadata(&target).is_ok_and(|m| !m.is_file()) {
        return Err(Usage::OutputSpecial {
            flag,
            path: shown,
            made,
        });
    }
    let dirs = [
        (&config.playlog_dir, Area::PlayLog),
        (&config.state_dir, Area::State),
        (&config.schedules_dir, Area::Schedules),
        (&config.audio_dir, Area::Audio),
    ];
    for (dir, area) in dirs {
        if target.starts_with(resolve(dir, MAX_LINKS)) {
            return Err(Usage::OutputProtected {
                flag,
                path: shown,
                area,
                shown: format!("{}/", config.shown(dir).display()),
                made,
            });
        }
    }
    let chime = config.chime.as_deref().map(|c| config.root.join(c));
    let files = [
        (Some(&config.path), Area::Config),
        (chime.as_ref(), Area::Chime),
    ];
    for (file, area) in files {
        if let Some(file) = file
            && target == resolve(file, MAX_LINKS)
        {
            return Err(Usage::OutputProtected {
                flag,
                path: shown,
                area,
                shown: config.shown(file).display().to_string(),
                made,
            });
        }
    }
    Ok(())
}

/// Checks that the folder `path`, named with `flag`, may be published
/// into: not inside a place loa keeps, not holding one (a copy under
/// `audio/` would land among the station's recordings), not the config.
pub fn folder(config: &Config, flag: &'static str, path: &Path) -> Result<(), Usage> {
    let shown = path.display().to_string();
    let target = resolve(path, MAX_LINKS);
    if std::fs::metadata(&target).is_ok_and(|m| !m.is_dir()) {
        return Err(Usage::OutputNotFolder { flag, path: shown });
    }
    let places = [
        (&config.playlog_dir, Area::PlayLog, true),
        (&config.state_dir, Area::State, true),
        (&config.schedules_dir, Area::Schedules, true),
        (&config.audio_dir, Area::Audio, true),
        (&config.path, Area::Config, false),
    ];
    for (place, area, is_dir) in places {
        let real = resolve(place, MAX_LINKS);
        if target.starts_with(&real) || real.starts_with(&target) {
            let shown_place = config.shown(place).display().to_string();
            return Err(Usage::OutputProtected {
                flag,
                path: shown,
                area,
                shown: if is_dir {
                    format!("{shown_place}/")
                } else {
                    shown_place
                },
                made: Made::Site,
            });
        }
    }
    Ok(())
}

/// The path `p` names, with symlinks followed and `.`/`..` taken out, as
/// far as it exists; the part that does not exist yet is added as written.
fn resolve(p: &Path, links: u32) -> PathBuf {
    if let Ok(real) = std::fs::canonicalize(p) {
        return real;
    }
    // A link to something that does not exist yet: where it would write.
    if links > 0
        && let Ok(to) = std::fs::read_link(p)
    {
        let parent = p.parent().unwrap_or(Path::new(""));
        return resolve(&parent.join(to), links - 1);
    }
    let absolute = std::path::absolute(p).unwrap_or_else(|_| p.to_path_buf());
    match (absolute.parent(), absolute.file_name()) {
        (Some(parent), Some(name)) if parent != absolute => resolve(parent, links).join(name),
        _ => lexical(&absolute),
    }
}

/// `.` and `..` taken out without asking the file system.
fn lexical(p: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in p.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_path_that_does_not_exist_resolves_through_its_existing_parent() -> std::io::Result<()> {
        let dir = tempfile::tempdir()?;
        let real = std::fs::canonicalize(dir.path())?;
        std::fs::create_dir(real.join("playlog"))?;
        let odd = real.join("playlog/../playlog/./2026-11.jsonl");
        assert_eq!(resolve(&odd, MAX_LINKS), real.join("playlog/2026-11.jsonl"));
        std::os::unix::fs::symlink(real.join("playlog/x.jsonl"), real.join("link"))?;
        assert_eq!(
            resolve(&real.join("link"), MAX_LINKS),
            real.join("playlog/x.jsonl")
        );
        assert_eq!(
            resolve(&real.join("no/such/../file"), MAX_LINKS),
            real.join("no/file")
        );
        Ok(())
    }
}
