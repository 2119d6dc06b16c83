//! `loa run`: wires config, schedules, planning, the player and the play log
//! together in one `select!` loop over signals, player events and the next
//! deadline. It sleeps until something is due; nothing polls.

mod config_reload;
mod outputs;

mod measure;
mod records;
mod recover;
mod relays;
mod reload;
mod run;

pub use run::run_blocking;
mod report_status;
mod sleep;
mod speak;
mod systemd;
mod tick;
mod watch;

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use tracing::{error, warn};

use crate::clock::Clock;
use crate::config::{Config, OutputConfig};
use crate::i18n::Lang;
use crate::lock;
use crate::player::Output;
use crate::playlog::{self, Daemon as DaemonBody, PlayLog};

/// The longest the loop sleeps without looking at the clock: catches wall
/// clock jumps and retries a refused play-log write.
pub const MAX_SLEEP: Duration = Duration::from_secs(30);
/// How far ahead occurrences are planned at a time.
const HORIZON: chrono::TimeDelta = chrono::TimeDelta::hours(26);
/// How long shutdown waits for the output to confirm it stopped.
const STOP_GRACE: Duration = Duration::from_millis(1500);

/// What stopped the daemon.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Shutdown {
    Signal,
}

/// Why the daemon could not start.
#[derive(Debug, thiserror::Error)]
pub enum StartError {
    /// Another `loa run` holds the station.
    #[error("another loa daemon is running for this station (pid {}); lock {}", pid.map_or("?".to_string(), |p| p.to_string()), path.display())]
    Running { pid: Option<u32>, path: PathBuf },
    /// The state folder cannot hold the lock.
    #[error("cannot take the station lock {}: {error}", path.display())]
    Lock {
        path: PathBuf,
        error: std::io::Error,
    },
    /// The play log cannot be read or repaired.
    #[error("cannot open the play log: {0}")]
    Log(#[from] std::io::Error),
}

impl From<lock::LockError> for StartError {
    fn from(e: lock::LockError) -> Self {
        match e {
            lock::LockError::Held { pid, path } => StartError::Running { pid, path },
            lock::LockError::Io { path, error } => StartError::Lock { path, error },
        }
    }
}

/// The running daemon. Its state is grouped by concern, and each group is
/// changed by the code of one file (or folder): the others read it, or ask
/// through its methods.
pub struct Daemon {
    config: Config,
    lang: Lang,
    clock: Arc<dyn Clock>,
    /// The station's outputs, their engines and attempts (outputs/).
    outputs: outputs::Outputs,
    /// The schedule library and its watcher (reload.rs).
    library: reload::Library,
    /// What programs are made of, each part changed by its own file: the
    /// measuring (measure.rs, chimes too), speech (speak.rs), the relays'
    /// receivers (relays.rs); the audio cache through its own methods.
    media: measure::Media,
    /// Health, as status and systemd see it (report_status.rs).
    health: report_status::Health,
    /// Planning ahead and the wall clock's faults (tick.rs).
    time: tick::Time,
    /// The play log, through its own methods.
    log: PlayLog,
    /// What was last seen of config.yaml (config_reload.rs).
    config_file: config_reload::ConfigFile,
    /// Held for the daemon's life: no second daemon on this station.
    _lock: Option<lock::StationLock>,
}

impl Daemon {
    /// Starts the daemon: reads the log, repairs it, writes `daemon_start`
    /// and loads the schedules. `open` gives the output for each of the
    /// station's outputs.
    pub fn start(
        config: Config,
        lang: Lang,
        clock: Arc<dyn Clock>,
        open: &dyn Fn(&OutputConfig) -> Box<dyn Output>,
    ) -> Result<Daemon, StartError> {
        // Before anything is written: a second daemon stops here.
        let station_lock = match lock::StationLock::take(&config.state_dir) {
            Ok(l) => Some(l),
            Err(e @ lock::LockError::Held { .. }) => return Err(e.into()),
            // A state folder that cannot hold the lock must not silence the
            // station: it runs, and says so loudly.
            Err(lock::LockError::Io { path, error }) => {
                error!(lock = %path.display(), error = %error, "{}", crate::i18n::journal::say(crate::i18n::journal::Note::NoStationLock));
                None
            }
        };
        let state = playlog::read_state(&config.playlog_dir, false)?;
        let mut repaired = playlog::Recovered::default();
        if let Some((file, offset)) = &state.torn {
            let name = playlog::move_torn(&config.playlog_dir, file, *offset)?;
            warn!(file = %name, "{}", crate::i18n::journal::say(crate::i18n::journal::Note::TornMoved));
            repaired.torn.push(name);
        }
        let state = if state.torn.is_some() {
            playlog::read_state(&config.playlog_dir, false)?
        } else {
            state
        };
        let log = PlayLog::new(&config.playlog_dir, config.timezone, &state);
        let now = clock.now();
        let mut d = Daemon {
            lang,
            clock,
            outputs: outputs::Outputs::new(&config, open),
            library: reload::Library::new(),
            media: measure::Media::new(&config),
            health: report_status::Health::new(now, config.timezone),
            time: tick::Time::new(now),
            log,
            config_file: config_reload::ConfigFile::new(&config),
            _lock: station_lock,
            config,
        };
        for (id, closed) in &state.finished {
            d.mark_done(id, closed);
        }
        d.write(crate::kinds::Event::DaemonStart, &d.daemon_body("start"));
        d.reload_all();
        d.check_chime();
        d.recover(&state, repaired);
        d.replan();
        Ok(d)
    }

    fn daemon_body(&self, reason: &str) -> DaemonBody {
        DaemonBody {
            version: env!("CARGO_PKG_VERSION").to_string(),
            pid: std::process::id(),
            config_hash: self.config.hash.clone(),
            reason: reason.to_string(),
            clock_synced: self.clock.synced(),
        }
    }

    /// Appends a line to the play log; a disk problem is loud but not fatal.
    fn write<E: serde::Serialize>(&mut self, event: crate::kinds::Event, body: &E) {
        if let Err(e) = self.log.append(self.clock.now(), event, body) {
            error!(error = %e, pending = self.log.pending(), "{}", crate::i18n::journal::say(crate::i18n::journal::Note::LogNotWritable));
        }
    }
}
