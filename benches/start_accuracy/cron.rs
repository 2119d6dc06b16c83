//! The baseline beside loa: Debian's cron running `aplay` on the same tone
//! at the top of each minute, on the same capture (needs root and the
//! `cron` package; off unless CRON=minutes is set).

use std::path::{Path, PathBuf};
use std::process::{Child, Command};
use std::time::{Duration, SystemTime};

use super::capture::Run;
use super::{ms, sleep_until, stats};

/// What the cron phase left: a note when it did not run, and aplay's log.
pub struct Cron {
    note: Option<String>,
    log: PathBuf,
}

/// Waits for `minutes` cron jobs, unless `minutes` is 0 or cron cannot run.
pub fn run(minutes: usize, alsa_config: &str, dir: &Path, tone: &str) -> Cron {
    let log = dir.join("aplay.log");
    if minutes == 0 {
        return Cron {
            note: Some("skipped (CRON=0)".into()),
            log,
        };
    }
    let started = match start(alsa_config, &log, tone) {
        Ok(s) => s,
        Err(e) => {
            return Cron {
                note: Some(format!("skipped: {e}")),
                log,
            };
        }
    };
    let secs = SystemTime::now()
        .duration_since(SystemTime::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0);
    let minute = SystemTime::UNIX_EPOCH + Duration::from_secs(secs - secs % 60 + 60);
    println!("cron + aplay: waiting for {minutes} minute(s) of cron jobs");
    sleep_until(minute + Duration::from_secs(60 * (minutes as u64 - 1) + 5));
    let (child, job) = started;
    let _ = std::fs::remove_file(&job);
    if let Some(mut c) = child {
        let _ = c.kill();
        let _ = c.wait();
    }
    Cron { note: None, log }
}

/// Starts cron with a job that plays the tone through `aplay` every minute.
/// Returns the cron process it started (none if one was already running)
/// and the job file.
fn start(alsa_config: &str, log: &Path, tone: &str) -> Result<(Option<Child>, PathBuf), String> {
    for tool in ["/usr/sbin/cron", "/usr/bin/aplay"] {
        if !Path::new(tool).exists() {
            return Err(format!("{tool} is missing (apt install cron alsa-utils)"));
        }
    }
    let job = PathBuf::from("/etc/cron.d/loa-bench");
    std::fs::write(
        &job,
        format!(
            "* * * * * root ALSA_CONFIG_PATH={alsa_config} /usr/bin/aplay -q {tone} >>{} 2>&1\n",
            log.display()
        ),
    )
    .map_err(|e| format!("cannot write {} ({e}); run as root", job.display()))?;
    let running = Command::new("pgrep")
        .args(["-x", "cron"])
        .status()
        .is_ok_and(|s| s.success());
    let child = if running {
        None
    } else {
        Some(
            Command::new("/usr/sbin/cron")
                .arg("-f")
                .spawn()
                .map_err(|e| format!("cannot start cron: {e}"))?,
        )
    };
    Ok((child, job))
}

/// Prints cron + aplay's start errors: each sound heard after `after`,
/// against the top of the minute it started in, raw and less `delay`.
pub fn report(cron: Cron, runs: &[Run], after: SystemTime, delay: f64) {
    if let Some(note) = cron.note {
        println!("cron + aplay: {note}");
        return;
    }
    let raw: Vec<f64> = runs
        .iter()
        .filter(|r| r.start > after)
        .map(|r| {
            let secs = r
                .start
                .duration_since(SystemTime::UNIX_EPOCH)
                .map(|d| d.as_secs())
                .unwrap_or(0);
            ms(
                r.start,
                SystemTime::UNIX_EPOCH + Duration::from_secs(secs - secs % 60),
            )
        })
        .collect();
    if raw.is_empty() {
        let log = std::fs::read_to_string(&cron.log).unwrap_or_default();
        println!("cron + aplay: no sound captured; aplay said: {log}");
        return;
    }
    let (m, p, w) = stats(&raw);
    println!(
        "cron + aplay ({} minutes), at the capture less its delay: median {:.1} ms, p99 {:.1} ms, worst {:.1} ms; each raw (ms): {raw:.1?}",
        raw.len(),
        m - delay,
        p - delay,
        w - delay
    );
}
