//! The daemon's life: its one `select!` loop over signals, what the
//! outputs report, the watcher, measuring, speech and the next deadline;
//! and how it stops.

use std::future::Future;
use std::process::ExitCode;
use std::sync::Arc;

use tokio::time::Instant;
use tracing::{error, info};

use super::{Daemon, STOP_GRACE, Shutdown, StartError, sleep, systemd};
use crate::clock::SystemClock;
use crate::config::Config;
use crate::i18n::Lang;
use crate::onair::Input;
use crate::player::{self, Event};
impl Daemon {
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
        let watching = self.library.watch(
            &[&self.config.schedules_dir, &self.config.audio_dir],
            &self.config.path,
        );
        info!(station = %self.config.station, schedules = self.library.schedules().count(), watching, "{}", crate::i18n::journal::say(crate::i18n::journal::Note::Running));
        self.tick();
        // Validated, repaired, planned: ready. Measuring goes on apart.
        systemd::ready(self.health.systemd_line());
        self.measure_new_audio();
        loop {
            let wake = self.next_wake();
            tokio::select! {
                _ = sleeper.until(wake) => self.tick(),
                Some(ev) = self.outputs.next_event() => {
                    // The clock first: what an output reports after a jump
                    // must not be acted on at the jumped time before the
                    // jump itself is.
                    self.tick();
                    self.on_event(ev);
                    self.tick();
                }
                // A burst of changes is one look.
                Some(()) = self.library.changed() => {
                    self.look(false);
                    self.look_config(false);
                    self.measure_new_audio();
                    self.check_chime();
                    self.tick();
                }
                Some(m) = self.media.measuring.done() => self.on_measured(m),
                Some(m) = self.media.speaking.done() => {
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
            .zones()
            .iter()
            .any(|z| z.engine.on_air().is_some())
        {
            match tokio::time::timeout_at(deadline, self.outputs.next_event()).await {
                Ok(Some(ev)) => self.on_event(ev),
                _ => break,
            }
        }
        // An output that did not confirm in time: record it from here.
        for z in 0..self.outputs.zones().len() {
            if let Some(token) = self.outputs.zones()[z].engine.on_air().map(|c| c.token) {
                let ev = Event::Finished {
                    token,
                    played: self.outputs.zones()[z]
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
}

/// The Unix signals the daemon handles.
pub(super) struct Signals {
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
