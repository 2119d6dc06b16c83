//! `loa run`: wires config, schedules, planning, the player and the play log
//! together in one `select!` loop over signals, player events and the next
//! deadline. It sleeps until something is due; nothing polls.

mod config_reload;
mod dispatch;
mod events;

mod measure;
mod records;
mod recover;
mod relays;
mod reload;
mod report_status;
mod sleep;
mod speak;
mod systemd;
mod tick;
mod watch;

use std::collections::BTreeMap;
use std::future::Future;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;

use tokio::sync::mpsc;
use tokio::time::Instant;
use tracing::{error, info, warn};

use crate::clock::{Clock, SystemClock};
use crate::config::{Config, OutputConfig};
use crate::i18n::Lang;
use crate::lock;
use crate::onair::Input;
use crate::player::{self, Event, Output};
use crate::playlog::{self, Daemon as DaemonBody, PlayLog};
use crate::sound::audio::AudioCache;

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

/// The running daemon.
pub struct Daemon {
    config: Config,
    lang: Lang,
    clock: Arc<dyn Clock>,
    /// The station's outputs and what they report (dispatch.rs).
    outputs: dispatch::Outputs,
    /// The schedule library and its watcher (reload.rs, watch.rs).
    library: reload::Library,
    /// What programs are made of: recordings, speech, relays, chimes.
    media: measure::Media,
    /// Health and the clock, as status and systemd see them.
    health: report_status::Health,
    log: PlayLog,
    /// What was last seen of config.yaml.
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
        let (events_tx, events_rx) = mpsc::unbounded_channel();
        let (watch_tx, watch_rx) = mpsc::unbounded_channel();
        let now = clock.now();
        let rules = crate::preview::rules(&config);
        let zones = config
            .outputs()
            .iter()
            .enumerate()
            .map(|(i, o)| dispatch::Zone::new(i, o.name.clone(), rules.clone(), open(o)))
            .collect();
        let mut d = Daemon {
            lang,
            clock,
            outputs: dispatch::Outputs {
                zones,
                events_tx,
                events_rx,
                batch: false,
                missed_now: 0,
            },
            library: reload::Library {
                active: BTreeMap::new(),
                files: BTreeMap::new(),
                pending: BTreeMap::new(),
                look_at: None,
                rescan_at: Instant::now() + watch::RESCAN,
                watch_rx,
                watch_tx,
                watch: None,
            },
            media: measure::Media {
                // Recordings are measured apart, nearest first, once the loop runs.
                cache: AudioCache::persistent(config.state_dir.join("audio.json")).quick(),
                measuring: measure::Measuring::new(),
                relays: relays::Relays::default(),
                speaking: speak::Speaking::new(),
                chime_trouble: BTreeMap::new(),
            },
            health: report_status::Health {
                agenda_to: now,
                last_look: (now, Instant::now()),
                started_mono: Instant::now(),
                started_at: playlog::format_at(now, config.timezone),
                clock_wrong: None,
                last_outcomes: std::collections::VecDeque::new(),
                status_written: None,
                sd_status: String::new(),
                watchdog: systemd::Watchdog::from_env(),
            },
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

    /// Runs until `shutdown` resolves or a signal asks to stop.
    pub async fn run(self, shutdown: impl Future<Output = Shutdown>) -> ExitCode {
        match Signals::new() {
            Ok(sig) => self.run_with(sig, shutdown, sleep::Sleeper::Tokio).await,
            Err(e) => {
                error!(error = %e, "{}", crate::i18n::journal::say(crate::i18n::journal::Note::NoSignals));
                ExitCode::from(1)
            }
        }
    }

    /// Runs with signal handlers installed beforehand (a signal that came
    /// while the daemon started is handled at once).
    async fn run_with(
        mut self,
        mut sig: Signals,
        shutdown: impl Future<Output = Shutdown>,
        sleeper: sleep::Sleeper,
    ) -> ExitCode {
        tokio::pin!(shutdown);
        self.library.watch = watch::start(
            &[&self.config.schedules_dir, &self.config.audio_dir],
            &self.config.path,
            self.library.watch_tx.clone(),
        );
        info!(station = %self.config.station, schedules = self.library.active.len(), watching = self.library.watch.is_some(), "{}", crate::i18n::journal::say(crate::i18n::journal::Note::Running));
        self.tick();
        // Validated, repaired, planned: ready. Measuring goes on apart.
        systemd::ready(&self.health.sd_status);
        self.measure_new_audio();
        loop {
            let wake = self.next_wake();
            tokio::select! {
                _ = sleeper.until(wake) => self.tick(),
                Some(ev) = self.outputs.events_rx.recv() => {
                    // The clock first: what an output reports after a jump
                    // must not be acted on at the jumped time before the
                    // jump itself is.
                    self.tick();
                    self.on_event(ev);
                    self.tick();
                }
                Some(()) = self.library.watch_rx.recv() => {
                    // Drain a burst: one look covers them all.
                    while self.library.watch_rx.try_recv().is_ok() {}
                    self.look(false);
                    self.look_config(false);
                    self.measure_new_audio();
                    self.check_chime();
                    self.tick();
                }
                Some(m) = self.media.measuring.rx.recv() => self.on_measured(m),
                Some(m) = self.media.speaking.rx.recv() => {
                    self.on_spoken(m);
                    self.tick();
                }
                _ = sig.hup.recv() => {
                    info!("{}", crate::i18n::journal::say(crate::i18n::journal::Note::Sighup));
                    self.look_config(true);
                    self.reload_all();
                    self.check_chime();
                    self.tick();
                }
                _ = sig.term.recv() => break,
                _ = sig.int.recv() => break,
                _ = &mut shutdown => break,
            }
        }
        self.stop().await;
        ExitCode::SUCCESS
    }

    /// Stops cleanly: cuts what sounds (logged interrupted/shutdown), writes
    /// `daemon_stop`.
    async fn stop(&mut self) {
        systemd::stopping();
        self.drive_all(&Input::Shutdown);
        let deadline = Instant::now() + STOP_GRACE;
        while self
            .outputs
            .zones
            .iter()
            .any(|z| z.engine.on_air().is_some())
        {
            match tokio::time::timeout_at(deadline, self.outputs.events_rx.recv()).await {
                Ok(Some(ev)) => self.on_event(ev),
                _ => break,
            }
        }
        // An output that did not confirm in time: record it from here.
        for z in 0..self.outputs.zones.len() {
            if let Some(token) = self.outputs.zones[z].engine.on_air().map(|c| c.token) {
                let ev = Event::Finished {
                    token,
                    played: self.outputs.zones[z]
                        .attempts
                        .get(&token)
                        .and_then(|a| a.first_sample)
                        .and_then(|t| (self.clock.now() - t).to_std().ok())
                        .unwrap_or_default(),
                    ending: player::Ending::Stopped,
                    // Not known: the output never said.
                    levels: crate::device::Levels::default(),
                };
                self.on_event(ev);
            }
        }
        self.save_measurements(Instant::now());
        self.write(crate::kinds::Event::DaemonStop, &self.daemon_body("signal"));
        if self.log.pending() > 0 {
            error!(
                lines = self.log.pending(),
                "{}",
                crate::i18n::journal::say(crate::i18n::journal::Note::LinesLostAtExit)
            );
        }
        info!(
            "{}",
            crate::i18n::journal::say(crate::i18n::journal::Note::Stopped)
        );
    }

    /// Looks whether the station's chime (config.yaml) can be opened, without
    /// decoding it through: a missing or broken chime is warned about at
    /// once, and broadcasts play without it.
    fn check_chime(&mut self) {
        // Forget chimes no longer named anywhere: config.yaml's, and the
        // active schedules' own.
        let mut named: std::collections::BTreeSet<String> =
            self.config.chime.iter().cloned().collect();
        for s in self.library.active.values() {
            for b in &s.broadcasts {
                if let crate::schedule::Chime::File(r) = &b.chime {
                    named.insert(r.path.clone());
                }
            }
        }
        self.media.chime_trouble.retain(|k, _| named.contains(k));
        let Some(rel) = self.config.chime.clone() else {
            return;
        };
        let opened = crate::sound::audio::resolve(&self.config.root, &rel)
            .and_then(|path| crate::sound::audio::decoder(&path).map(|_| ()));
        self.chime_seen(&rel, opened.err());
    }

    /// What was learnt about a chime: `None` if it plays.
    fn chime_seen(&mut self, rel: &str, trouble: Option<crate::sound::audio::AudioError>) {
        match trouble {
            Some(e) => {
                if self
                    .media
                    .chime_trouble
                    .insert(rel.to_string(), e.msg(rel))
                    .is_none()
                {
                    warn!(chime = rel, error = %e.msg(rel).text(self.lang), "{}", crate::i18n::journal::say(crate::i18n::journal::Note::ChimeUnusable));
                }
            }
            None => {
                if self.media.chime_trouble.remove(rel).is_some() {
                    info!(
                        chime = rel,
                        "{}",
                        crate::i18n::journal::say(crate::i18n::journal::Note::ChimeAgain)
                    );
                }
            }
        }
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

/// The Unix signals the daemon handles.
struct Signals {
    term: tokio::signal::unix::Signal,
    int: tokio::signal::unix::Signal,
    hup: tokio::signal::unix::Signal,
}

impl Signals {
    fn new() -> std::io::Result<Signals> {
        use tokio::signal::unix::{SignalKind, signal};
        Ok(Signals {
            term: signal(SignalKind::terminate())?,
            int: signal(SignalKind::interrupt())?,
            hup: signal(SignalKind::hangup())?,
        })
    }
}

/// `loa run` on the real clock and the configured output.
pub fn run_blocking(config: Config, lang: Lang) -> ExitCode {
    crate::logging::init();
    crate::i18n::journal::set_language(lang);
    let rt = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            error!(error = %e, "{}", crate::i18n::journal::say(crate::i18n::journal::Note::NoRuntime));
            return ExitCode::from(1);
        }
    };
    let code = rt.block_on(async move {
        // First, so that SIGTERM while starting still stops cleanly.
        let sig = match Signals::new() {
            Ok(s) => s,
            Err(e) => {
                error!(error = %e, "{}", crate::i18n::journal::say(crate::i18n::journal::Note::NoSignals));
                return ExitCode::from(1);
            }
        };
        match Daemon::start(config, lang, Arc::new(SystemClock), &|o| {
            player::open(&o.device)
        }) {
            Ok(d) => {
                d.run_with(sig, std::future::pending(), sleep::Sleeper::real())
                    .await
            }
            Err(e) => {
                error!(error = %e, "{}", crate::i18n::journal::say(crate::i18n::journal::Note::CannotStart));
                eprintln!("{}", start_error_text(&e, lang));
                ExitCode::from(1)
            }
        }
    });
    // A recording half measured on the blocking thread is not waited for:
    // stopping takes at most the 2 s the SPEC allows. A speech engine
    // rendering there goes now, with everything it started.
    crate::sound::speech::kill_engines();
    rt.shutdown_background();
    code
}

/// What the operator reads when the daemon cannot start.
fn start_error_text(e: &StartError, lang: Lang) -> String {
    let w = crate::i18n::Words::new(lang);
    match e {
        StartError::Running { pid, path } => w.already_running(*pid, &path.display().to_string()),
        StartError::Lock { path, error } => {
            w.lock_failed(&path.display().to_string(), &error.to_string())
        }
        StartError::Log(error) => w.log_unreadable(&error.to_string()),
    }
}
