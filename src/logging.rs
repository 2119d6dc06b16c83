//! Where the daemon's own log goes: to journald with structured fields when
//! systemd started it with its output on the journal (`JOURNAL_STREAM`),
//! else plain text on stderr. `LOA_LOG` (or `RUST_LOG`) sets the level; the
//! default is `info`.

use tracing_subscriber::EnvFilter;
use tracing_subscriber::prelude::*;

fn filter() -> EnvFilter {
    std::env::var("LOA_LOG")
        .ok()
        .and_then(|v| EnvFilter::try_new(v).ok())
        .or_else(|| EnvFilter::try_from_default_env().ok())
        .unwrap_or_else(|| EnvFilter::new("info"))
}

/// Installs the subscriber once; later calls do nothing.
pub fn init() {
    if std::env::var_os("JOURNAL_STREAM").is_some() {
        match tracing_journald::layer() {
            Ok(layer) => {
                let layer = layer.with_syslog_identifier("loa".into());
                let _ = tracing_subscriber::registry()
                    .with(filter())
                    .with(layer)
                    .try_init();
                return;
            }
            Err(e) => eprintln!("loa: journald unavailable ({e}); logging to stderr"),
        }
    }
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter())
        .with_writer(std::io::stderr)
        .with_ansi(false)
        .try_init();
}
