//! config.yaml is watched like a schedule file: a valid change takes effect
//! at once and is logged as a `reload` with the config's hash; an invalid
//! one is refused with the message `check` gives, and the last good config
//! stays. A key the running daemon cannot change (the folders, the
//! outputs' names and devices) is kept as it was, and the log and status
//! say a restart is needed for it.

use std::time::SystemTime;

use tokio::time::Instant;
use tracing::{info, warn};

use super::Daemon;
use super::reload::SETTLE;
use crate::config::Config;
use crate::playlog::{ConfigReload, Reload};

/// Size and modification time of a file.
type Stamp = (u64, Option<SystemTime>);

/// Size and modification time of config.yaml, and of the lexicon it names
/// (its edits reach the daemon too); None when config.yaml is gone.
type Seen = Option<(Stamp, Option<Stamp>)>;

/// What the daemon last saw of config.yaml.
#[derive(Debug, Default)]
pub(super) struct ConfigFile {
    /// Size and modification time at the last reading.
    seen: Seen,
    /// A change seen and not yet settled (None: the file is gone), and
    /// since when.
    pending: Option<(Seen, Instant)>,
    /// Hash of the bytes last read, good or refused.
    hash: String,
    /// Hash of the lexicon file's bytes last read (empty: none).
    lexicon_hash: String,
    /// The located errors, while the newest version is refused.
    pub(super) refused: Option<Vec<crate::i18n::diag::Diagnostic>>,
    /// Keys changed in the file that only a restart takes.
    pub(super) restart_needed: Vec<&'static str>,
}

impl ConfigFile {
    /// The file as the daemon started on it.
    pub(super) fn new(config: &Config) -> ConfigFile {
        ConfigFile {
            seen: fingerprint(config),
            hash: config.hash.clone(),
            lexicon_hash: lexicon_hash(config),
            ..ConfigFile::default()
        }
    }
}

fn stamp(path: &std::path::Path) -> Option<Stamp> {
    let meta = std::fs::metadata(path).ok()?;
    Some((meta.len(), meta.modified().ok()))
}

fn lexicon_path(config: &Config) -> Option<std::path::PathBuf> {
    config
        .tts
        .lexicon_file
        .as_ref()
        .map(|l| config.root.join(l))
}

fn fingerprint(config: &Config) -> Seen {
    let lexicon = lexicon_path(config).and_then(|p| stamp(&p));
    Some((stamp(&config.path)?, lexicon))
}

fn lexicon_hash(config: &Config) -> String {
    lexicon_path(config)
        .and_then(|p| std::fs::read(p).ok())
        .map(|b| crate::hash::sha256_hex(&b))
        .unwrap_or_default()
}

/// The keys whose change the running daemon cannot take, between `old`
/// and `new`.
fn needs_restart(old: &Config, new: &Config) -> Vec<&'static str> {
    let mut keys = Vec::new();
    let pairs = [
        ("schedules", &old.schedules_dir, &new.schedules_dir),
        ("audio", &old.audio_dir, &new.audio_dir),
        ("playlog", &old.playlog_dir, &new.playlog_dir),
        ("state", &old.state_dir, &new.state_dir),
    ];
    for (key, a, b) in pairs {
        if a != b {
            keys.push(key);
        }
    }
    let wiring = |c: &Config| -> Vec<(String, String)> {
        c.outputs
            .iter()
            .map(|o| (o.name.clone(), o.device.clone()))
            .collect()
    };
    if wiring(old) != wiring(new) {
        keys.push("outputs");
    }
    // The play log's month files and offsets follow the time zone it was
    // opened with; daemon messages follow the language it started with.
    if old.timezone != new.timezone {
        keys.push("timezone");
    }
    if old.language != new.language {
        keys.push("language");
    }
    keys
}

impl Daemon {
    /// Looks at config.yaml, and takes or refuses it once it has settled.
    /// `force` reads it now (SIGHUP).
    pub(super) fn look_config(&mut self, force: bool) {
        let now = Instant::now();
        let fp = fingerprint(&self.config);
        if !force && fp == self.config_file.seen {
            self.config_file.pending = None;
            return;
        }
        if !force {
            match self.config_file.pending {
                Some((seen, since)) if seen == fp => {
                    if now.duration_since(since) < SETTLE {
                        self.library.look_by(since + SETTLE);
                        return;
                    }
                }
                _ => {
                    // Gone (an editor's save in progress) or still changing.
                    self.config_file.pending = Some((fp, now));
                    self.library.look_by(now + SETTLE);
                    return;
                }
            }
        }
        self.config_file.pending = None;
        self.config_file.seen = fp;
        if fp.is_none() {
            // Gone for good: nothing to read. The last good config stays,
            // and this is said once, not at every look.
            warn!(file = %self.config.path.display(), "{}", crate::i18n::journal::say(crate::i18n::journal::Note::ConfigGone));
            return;
        }
        let bytes = std::fs::read(&self.config.path).ok();
        let hash = bytes
            .as_deref()
            .map(crate::hash::sha256_hex)
            .unwrap_or_default();
        let lexicon = lexicon_hash(&self.config);
        if hash == self.config_file.hash
            && !hash.is_empty()
            && lexicon == self.config_file.lexicon_hash
        {
            return;
        }
        self.config_file.hash = hash.clone();
        let file = self.config.shown(&self.config.path).display().to_string();
        let mut ev = Reload::default();
        let shown = self.config.shown(&self.config.path);
        // Parsed as shown to the operator (config.yaml, not a full path);
        // a file that cannot be read as text gets load's message.
        let loaded = match bytes.as_deref().map(crate::text::decode) {
            Some(Ok(text)) => Config::parse(&shown, &text, &self.config.root).map(|c| Config {
                hash: hash.clone(),
                ..c
            }),
            _ => Config::load(&self.config.path),
        };
        match loaded {
            Err(diags) => {
                let errors: Vec<_> = diags.into_iter().filter(|d| d.is_error()).collect();
                let text = errors
                    .iter()
                    .map(|d| d.render(self.lang))
                    .collect::<Vec<_>>()
                    .join("\n");
                warn!(
                    file,
                    "{}:\n{text}",
                    crate::i18n::journal::say(crate::i18n::journal::Note::ConfigRefused)
                );
                ev.config = Some(ConfigReload {
                    file,
                    hash,
                    taken: false,
                    restart_needed: Vec::new(),
                    diagnostics: errors.clone(),
                });
                self.config_file.refused = Some(errors);
            }
            Ok(mut new) => {
                let restart = needs_restart(&self.config, &new);
                // What cannot change while running stays as it started.
                new.schedules_dir = self.config.schedules_dir.clone();
                new.audio_dir = self.config.audio_dir.clone();
                new.playlog_dir = self.config.playlog_dir.clone();
                new.state_dir = self.config.state_dir.clone();
                if restart.contains(&"outputs") {
                    new.outputs = self.config.outputs.clone();
                }
                new.timezone = self.config.timezone;
                new.language = self.config.language;
                if restart.is_empty() {
                    info!(file, hash = %new.hash, "{}", crate::i18n::journal::say(crate::i18n::journal::Note::ConfigTaken));
                } else {
                    warn!(file, hash = %new.hash, keys = ?restart, "{}", crate::i18n::journal::say(crate::i18n::journal::Note::ConfigNeedsRestart));
                }
                ev.config = Some(ConfigReload {
                    file,
                    hash: new.hash.clone(),
                    taken: true,
                    restart_needed: restart.iter().map(|k| k.to_string()).collect(),
                    diagnostics: Vec::new(),
                });
                self.config_file.refused = None;
                self.config_file.restart_needed = restart;
                self.config = new;
                // The lexicon as the new config names it.
                self.config_file.lexicon_hash = lexicon_hash(&self.config);
                self.config_file.seen = fingerprint(&self.config);
                let rules = crate::preview::rules(&self.config);
                self.outputs.set_rules(&rules);
                self.check_chime();
                // A chime named anew is measured like any recording.
                self.measure_new_audio();
            }
        }
        ev.active_hash = self.active_hash();
        self.write(crate::kinds::Event::Reload, &ev);
        self.replan();
    }
}
