//! Running a speech engine: bounded in time and in bytes written, in its
//! own process group, killed with the daemon, and its WAV checked and
//! written whole or not at all.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use super::voices::espeak_name;
use super::{DEFAULT_ENGINE, Engine, OUT, SpeechError, TtsConfig, estimate, level};

/// The most a render may write for `spoken`: 48 kHz stereo 16-bit (more
/// than any engine writes) for three times its estimated length and a
/// minute more. An engine that writes past it is stopped.
pub(super) fn max_bytes(spoken: &str, rate: u32) -> u64 {
    let secs = estimate(spoken, rate).as_secs() * 3 + 60;
    secs * 48_000 * 2 * 2
}

/// How long an engine may take: generous, it is off the air path, but a
/// hung engine must not hold the renderer for ever.
pub(super) fn time_limit(chars: usize) -> Duration {
    Duration::from_secs(30) + Duration::from_millis(chars as u64 * 50)
}

/// Renders `spoken` words to the WAV file `out` (written beside it first,
/// then renamed, so nobody ever reads half a file). `cwd`: where a command
/// engine runs (the station folder, so its model paths are relative to it).
pub fn render(tts: &TtsConfig, spoken: &str, out: &Path, cwd: &Path) -> Result<(), SpeechError> {
    if let Some(dir) = out.parent() {
        std::fs::create_dir_all(dir).map_err(|e| SpeechError::Io(e.to_string()))?;
        remove_stale_parts(dir);
    }
    let part = out.with_extension(format!("part{}.wav", std::process::id()));
    let part_s = part.to_string_lossy().into_owned();
    let rate = tts.rate.to_string();
    let argv: Vec<String> = match &tts.engine {
        Engine::EspeakNg => [
            DEFAULT_ENGINE,
            "-v",
            &espeak_name(&tts.voice),
            "-s",
            &rate,
            "-w",
            &part_s,
            "--stdin",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect(),
        Engine::Command(argv) => argv
            .iter()
            .map(|a| {
                a.replace(OUT, &part_s)
                    .replace("{voice}", &tts.voice)
                    .replace("{rate}", &rate)
            })
            .collect(),
    };
    let program = tts.program();
    let limits = Limits {
        time: time_limit(spoken.chars().count()),
        out: &part,
        bytes: max_bytes(spoken, tts.rate),
    };
    let result = run(&argv, spoken, cwd, &limits);
    let result = result.and_then(|()| {
        let len = std::fs::metadata(&part).map(|m| m.len()).unwrap_or(0);
        // A WAV header alone is 44 bytes.
        if len <= 44 {
            return Err(SpeechError::NoSound(program.clone()));
        }
        if !is_wav(&part) {
            return Err(SpeechError::NotWav(program.clone()));
        }
        // Held to the loudspeakers' level before it has its name, so the
        // cache only ever holds levelled speech.
        level::level(&part).map_err(|e| SpeechError::Io(e.to_string()))?;
        // On the disk before it has its name: a power cut leaves a part
        // file, never an empty WAV taken for rendered speech.
        let io = |e: std::io::Error| SpeechError::Io(e.to_string());
        std::fs::File::open(&part)
            .and_then(|f| f.sync_all())
            .map_err(io)?;
        let dir = out.parent().unwrap_or(Path::new("."));
        sync_dir(dir);
        std::fs::rename(&part, out).map_err(io)?;
        sync_dir(dir);
        Ok(())
    });
    if result.is_err() {
        let _ = std::fs::remove_file(&part);
    }
    result
}

/// The process groups of the engines running now, so that a daemon that
/// stops takes every one of them with it ([`kill_engines`]), their
/// children too: `PR_SET_PDEATHSIG` reaches only the engine itself.
pub(super) static ENGINES: std::sync::Mutex<Vec<libc::pid_t>> = std::sync::Mutex::new(Vec::new());

/// One engine's group on the list while it runs.
pub(super) struct Live(libc::pid_t);

impl Live {
    fn note(group: libc::pid_t) -> Live {
        if let Ok(mut v) = ENGINES.lock() {
            v.push(group);
        }
        Live(group)
    }
}

impl Drop for Live {
    fn drop(&mut self) {
        if let Ok(mut v) = ENGINES.lock() {
            v.retain(|g| *g != self.0);
        }
    }
}

/// Kills every engine still running, with its whole process group: on
/// every way the daemon stops.
pub fn kill_engines() {
    let groups = ENGINES.lock().map(|v| v.clone()).unwrap_or_default();
    for g in groups {
        // SAFETY: kill(2) on a process group we started; no memory touched.
        unsafe {
            libc::kill(-g, libc::SIGKILL);
        }
    }
}

/// Whether `path` is a RIFF/WAVE file a decoder opens.
pub(super) fn is_wav(path: &Path) -> bool {
    let mut head = [0u8; 12];
    let read =
        std::fs::File::open(path).and_then(|mut f| std::io::Read::read_exact(&mut f, &mut head));
    read.is_ok()
        && &head[..4] == b"RIFF"
        && &head[8..12] == b"WAVE"
        && crate::sound::audio::decoder(path).is_ok()
}

/// Makes a folder's entries durable (best effort: not every file system
/// can).
pub(super) fn sync_dir(dir: &Path) {
    if let Ok(d) = std::fs::File::open(dir) {
        let _ = d.sync_all();
    }
}

/// A part file older than this is left over from a render that died.
pub(super) const STALE_PART: Duration = Duration::from_secs(60);

/// Removes `*.part*.wav` files left in `dir` by renders that died (a
/// power cut, a killed process) more than a minute ago.
pub(super) fn remove_stale_parts(dir: &Path) {
    let Ok(rd) = std::fs::read_dir(dir) else {
        return;
    };
    for e in rd.flatten() {
        let name = e.file_name();
        let name = name.to_string_lossy();
        if !(name.contains(".part") && name.ends_with(".wav")) {
            continue;
        }
        let old = e
            .metadata()
            .and_then(|m| m.modified())
            .ok()
            .and_then(|t| t.elapsed().ok())
            .is_some_and(|age| age > STALE_PART);
        if old {
            let _ = std::fs::remove_file(e.path());
        }
    }
}

/// Renders failed in this process, by the WAV they were to write: a
/// command (`check`, `next`, `announce`, `loa say`) asks the engine once
/// per text, not again and again while it fails or hangs.
pub(super) static FAILED: std::sync::Mutex<Vec<(PathBuf, SpeechError)>> =
    std::sync::Mutex::new(Vec::new());

/// [`render`], once per WAV for the life of the process: a render that
/// failed fails again at once, with the same error.
pub fn render_once(
    tts: &TtsConfig,
    spoken: &str,
    out: &Path,
    cwd: &Path,
) -> Result<(), SpeechError> {
    let known =
        |f: &Vec<(PathBuf, SpeechError)>| f.iter().find(|(p, _)| p == out).map(|(_, e)| e.clone());
    if let Some(e) = FAILED.lock().ok().and_then(|f| known(&f)) {
        return Err(e);
    }
    let result = render(tts, spoken, out, cwd);
    if let (Err(e), Ok(mut f)) = (&result, FAILED.lock()) {
        f.push((out.to_path_buf(), e.clone()));
    }
    result
}

/// What a render may cost: time, and bytes written to `out`.
pub(super) struct Limits<'a> {
    pub(super) time: Duration,
    pub(super) out: &'a Path,
    pub(super) bytes: u64,
}

/// Runs `argv` (no shell) with `text` on its stdin, waiting at most
/// `limit`. The engine runs in its own process group, and the whole group
/// is killed when it takes too long (a wrapper script's children too);
/// its stdin is written from a thread of its own, so an engine that never
/// reads a long text cannot hold this up.
pub(super) fn run(
    argv: &[String],
    text: &str,
    cwd: &Path,
    limits: &Limits,
) -> Result<(), SpeechError> {
    let limit = limits.time;
    use std::os::unix::process::CommandExt;
    let Some((program, args)) = argv.split_first() else {
        return Err(SpeechError::NotFound(String::new()));
    };
    let mut cmd = Command::new(program);
    if program == DEFAULT_ENGINE {
        // espeak-ng starts an audio client even when it only writes a
        // file, and that client makes ~/.config/pulse: in the daemon's
        // home, /var/lib/loa. A home that does not exist keeps it out.
        cmd.env("HOME", "/nonexistent")
            .env("XDG_CONFIG_HOME", "/nonexistent/.config")
            .env("XDG_RUNTIME_DIR", "/nonexistent/run");
    }
    cmd.args(args)
        .current_dir(cwd)
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .process_group(0);
    // The engine dies with the thread that started it (loa stopped or
    // killed): PR_SET_PDEATHSIG, checked against a parent already gone.
    // SAFETY: the hook makes system calls only (prctl, getppid, setresgid,
    // setresuid).
    let parent = std::process::id() as libc::pid_t;
    unsafe {
        cmd.pre_exec(move || {
            if libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGKILL as libc::c_ulong) != 0 {
                return Err(std::io::Error::last_os_error());
            }
            if libc::getppid() != parent {
                return Err(std::io::Error::other(
                    "loa stopped before the engine started",
                ));
            }
            crate::owner::child_drops_root()
        });
    }
    let mut child = cmd.spawn().map_err(|e| match e.kind() {
        std::io::ErrorKind::NotFound | std::io::ErrorKind::PermissionDenied => {
            SpeechError::NotFound(program.clone())
        }
        _ => SpeechError::Io(format!("{program}: {e}")),
    })?;
    // The group's id is the engine's own pid (process_group(0)).
    let group = child.id() as libc::pid_t;
    let live = Live::note(group);
    let kill_group = || {
        // SAFETY: kill(2) with a negative pid signals that process group
        // only; it touches no memory of ours.
        unsafe {
            libc::kill(-group, libc::SIGKILL);
        }
    };
    // Read on its own thread: an engine that logs much would otherwise
    // fill the pipe and wait for ever.
    // What it says comes over a channel: a grandchild that left the group
    // may hold the pipe open long after the engine is gone, and nothing
    // waits for it.
    let stderr = child.stderr.take().map(|mut s| {
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            // Read to the end (an engine that logs much must not block on a
            // full pipe), keeping the last 64 KiB.
            let (mut err, mut buf) = (Vec::new(), [0u8; 8192]);
            while let Ok(n @ 1..) = std::io::Read::read(&mut s, &mut buf) {
                err.extend_from_slice(&buf[..n]);
                if err.len() > 64 * 1024 {
                    err.drain(..err.len() - 64 * 1024);
                }
            }
            let _ = tx.send(String::from_utf8_lossy(&err).into_owned());
        });
        rx
    });
    // Written on its own thread too: a pipe holds 64 KiB, and an engine
    // that does not read would block the write for ever. An engine that
    // exits (or is killed) before reading ends the write with an error.
    // Never joined: a write to an engine that is gone ends with an error,
    // and one held by a stray grandchild must not hold loa.
    if let Some(mut stdin) = child.stdin.take() {
        let text = format!("{text}\n");
        std::thread::spawn(move || {
            let _ = stdin.write_all(text.as_bytes());
        });
    }
    let started = Instant::now();
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break status,
            Ok(None) if started.elapsed() > limit => {
                kill_group();
                let _ = child.wait();
                return Err(SpeechError::TimedOut(program.clone()));
            }
            Ok(None) if std::fs::metadata(limits.out).is_ok_and(|m| m.len() > limits.bytes) => {
                kill_group();
                let _ = child.wait();
                return Err(SpeechError::TooBig(program.clone()));
            }
            Ok(None) => std::thread::sleep(Duration::from_millis(20)),
            Err(e) => {
                kill_group();
                let _ = child.wait();
                return Err(SpeechError::Io(format!("{program}: {e}")));
            }
        }
    };
    // Whatever it left running in its group goes with it (and lets go of
    // the pipes).
    kill_group();
    drop(live);
    if status.success() {
        return Ok(());
    }
    let err = stderr
        .and_then(|rx| rx.recv_timeout(Duration::from_millis(500)).ok())
        .unwrap_or_default();
    let detail = err.lines().last().unwrap_or("").trim().to_string();
    Err(SpeechError::Failed {
        program: program.clone(),
        detail: if detail.is_empty() {
            status.to_string()
        } else {
            detail
        },
    })
}
