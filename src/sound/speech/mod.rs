//! Speech (SPEC §2.1 `tts`, §2.4): text a schedule says (`say:`) or a
//! `.txt` notice in the audio folder, written out in words
//! ([`normalise`]), rendered once to a WAV by an offline engine and kept
//! under `state/tts/` by a hash of everything that shapes the sound; from
//! then on it is an ordinary recording, measured and played like one.

mod level;
pub use level::header as wav_header;
pub mod normalise;
mod numbers;
mod words;

#[cfg(test)]
mod tests;

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

pub use crate::config::{
    DEFAULT_ENGINE, DEFAULT_RATE, DEFAULT_VOICE, Engine, Lexicon, OUT, RATES, TtsConfig,
};
pub use normalise::{Spoken, normalise};

/// Where rendered speech is kept, inside the state folder.
pub const TTS_DIR: &str = "tts";

impl TtsConfig {
    /// The engine's name as the play log records it: `espeak-ng`, or the
    /// command's program.
    pub fn engine_name(&self) -> String {
        match &self.engine {
            Engine::EspeakNg => DEFAULT_ENGINE.into(),
            Engine::Command(argv) => argv.first().cloned().unwrap_or_default(),
        }
    }

    /// The program that is run.
    pub fn program(&self) -> String {
        self.engine_name()
    }

    /// The cache key of `spoken` words: a hash of the words, the engine
    /// (its whole command, and the size and modification time of each file
    /// it names: a voice model replaced is a new voice), the voice, the
    /// rate and the lexicon.
    pub fn key(&self, spoken: &str) -> String {
        let engine = match &self.engine {
            Engine::EspeakNg => DEFAULT_ENGINE.to_string(),
            Engine::Command(argv) => {
                let mut s = argv.join("\u{1f}");
                for a in argv
                    .iter()
                    .filter(|a| !a.contains('{') && !a.starts_with('-'))
                {
                    let Ok(m) = std::fs::metadata(self.root.join(a)) else {
                        continue;
                    };
                    if !m.is_file() {
                        continue;
                    }
                    let t = m
                        .modified()
                        .ok()
                        .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
                        .map_or(0, |d| d.as_nanos());
                    s.push_str(&format!("\u{1e}{a}:{}:{t}", m.len()));
                }
                s
            }
        };
        let all = [
            // 2: rendered speech is levelled (`level`).
            "loa-tts-2",
            spoken,
            &engine,
            &self.voice,
            &self.rate.to_string(),
            &self.lexicon.fingerprint(),
        ]
        .join("\0");
        crate::hash::sha256_hex(all.as_bytes())
    }
}

/// How voice model files end: an argument of a `command` engine that ends
/// so names a model ([`named_files`]).
pub const MODEL_EXTENSIONS: &[&str] = &[".onnx", ".json", ".bin", ".pt", ".pth"];

/// The value an argument gives: `--model=x.onnx` gives `x.onnx`.
fn arg_value(arg: &str) -> Option<&str> {
    match arg.strip_prefix('-') {
        Some(_) => arg.split_once('=').map(|(_, v)| v),
        None => Some(arg),
    }
}

/// Whether an argument (or its `--opt=` value) names a voice model: it
/// ends in one of [`MODEL_EXTENSIONS`].
pub fn is_model(arg: &str) -> bool {
    arg_value(arg).is_some_and(|v| {
        !v.contains('{')
            && MODEL_EXTENSIONS
                .iter()
                .any(|e| v.to_lowercase().ends_with(e))
    })
}

/// The files a `command` engine's arguments (after the program) name, which
/// must be there: an argument, or the value of an `--opt=value`, with no
/// `{…}` placeholder, that holds a `/` or names a voice model
/// ([`is_model`]); relative to the station folder unless absolute.
pub fn named_files(argv: &[String]) -> Vec<String> {
    argv.iter()
        .skip(1)
        .filter_map(|a| arg_value(a))
        .filter(|v| !v.is_empty() && !v.contains('{') && (v.contains('/') || is_model(v)))
        .map(str::to_string)
        .collect()
}

/// What the play log records of the engine and voice that spoke (SPEC §3
/// `engine`, `voice`): `espeak-ng` and its voice; for a command engine
/// `command:<program>` (the script's name when the program is a shell or
/// an interpreter running one: `command:piper`, `command:voice.sh`) and
/// the model file's name when an argument names one
/// (`vi_VN-vais1000-medium.onnx`), else the configured voice.
pub fn log_engine(tts: &TtsConfig) -> (String, String) {
    let Engine::Command(argv) = &tts.engine else {
        return (DEFAULT_ENGINE.into(), tts.voice.clone());
    };
    let name = |a: &str| {
        Path::new(a)
            .file_name()
            .map_or_else(|| a.to_string(), |n| n.to_string_lossy().into_owned())
    };
    let program = argv.first().map(|p| name(p)).unwrap_or_default();
    const INTERPRETERS: &[&str] = &["sh", "bash", "dash", "python", "python3", "perl", "env"];
    let script = INTERPRETERS
        .contains(&program.as_str())
        .then(|| {
            argv.iter()
                .skip(1)
                .find(|a| !a.starts_with('-') && !a.contains('{'))
        })
        .flatten();
    let engine = format!("command:{}", script.map_or(program, |s| name(s)));
    let voice = argv
        .iter()
        .skip(1)
        .filter(|a| is_model(a))
        .find_map(|a| arg_value(a))
        .map_or_else(|| tts.voice.clone(), name);
    (engine, voice)
}

/// One piece of speech, ready to render or play: the text as written, the
/// words to speak and where its WAV is kept.
#[derive(Clone, Debug, PartialEq)]
pub struct Speech {
    /// Exactly as the schedule or the file has it, before normalisation.
    pub text: String,
    pub spoken: Spoken,
    /// `state/tts/<key>.wav`.
    pub wav: PathBuf,
}

impl Speech {
    pub fn new(tts: &TtsConfig, state_dir: &Path, text: &str) -> Speech {
        let spoken = normalise(text, &tts.lexicon);
        let wav = state_dir
            .join(TTS_DIR)
            .join(format!("{}.wav", tts.key(&spoken.text)));
        Speech {
            text: text.to_string(),
            spoken,
            wav,
        }
    }

    /// Whether it has been rendered already: a WAV that is there, not
    /// empty, and opens as sound. One that is not (a power cut before it
    /// reached the disk) is removed, to be rendered again.
    pub fn rendered(&self) -> bool {
        let Ok(meta) = std::fs::metadata(&self.wav) else {
            return false;
        };
        let ok =
            meta.is_file() && meta.len() > 44 && crate::sound::audio::decoder(&self.wav).is_ok();
        if !ok && meta.is_file() {
            let _ = std::fs::remove_file(&self.wav);
        }
        ok
    }
}

/// The longest text loa speaks, in characters: about 1,200 Vietnamese
/// syllables, some 8 minutes at the default rate. A longer notice is
/// refused where it is read (`check` names the file), so no text costs
/// hours of rendering or a disk of WAV.
pub const MAX_CHARS: usize = 5_000;

/// The most a render may write for `spoken`: 48 kHz stereo 16-bit (more
/// than any engine writes) for three times its estimated length and a
/// minute more. An engine that writes past it is stopped.
fn max_bytes(spoken: &str, rate: u32) -> u64 {
    let secs = estimate(spoken, rate).as_secs() * 3 + 60;
    secs * 48_000 * 2 * 2
}

/// Why speech could not be rendered.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum SpeechError {
    /// The engine's program is not installed (or not on PATH).
    #[error("{0}: not found")]
    NotFound(String),
    #[error("{program} failed: {detail}")]
    Failed { program: String, detail: String },
    #[error("{0} took too long")]
    TimedOut(String),
    #[error("{0} wrote no sound")]
    NoSound(String),
    /// What the engine wrote is not a WAV file loa can read.
    #[error("{0} wrote something that is not a WAV file")]
    NotWav(String),
    /// The engine wrote far more sound than the text can take.
    #[error("{0} wrote more sound than the text can take, and was stopped")]
    TooBig(String),
    #[error("{0}")]
    Io(String),
}

impl SpeechError {
    pub fn msg(&self) -> crate::i18n::Msg {
        use crate::i18n::Msg;
        match self {
            SpeechError::NotFound(program) => Msg::TtsEngineMissing {
                program: program.clone(),
            },
            e => Msg::TtsFailed {
                detail: e.to_string(),
            },
        }
    }
}

/// How long an engine may take: generous, it is off the air path, but a
/// hung engine must not hold the renderer for ever.
fn time_limit(chars: usize) -> Duration {
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
static ENGINES: std::sync::Mutex<Vec<libc::pid_t>> = std::sync::Mutex::new(Vec::new());

/// One engine's group on the list while it runs.
struct Live(libc::pid_t);

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
fn is_wav(path: &Path) -> bool {
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
fn sync_dir(dir: &Path) {
    if let Ok(d) = std::fs::File::open(dir) {
        let _ = d.sync_all();
    }
}

/// A part file older than this is left over from a render that died.
const STALE_PART: Duration = Duration::from_secs(60);

/// Removes `*.part*.wav` files left in `dir` by renders that died (a
/// power cut, a killed process) more than a minute ago.
fn remove_stale_parts(dir: &Path) {
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
static FAILED: std::sync::Mutex<Vec<(PathBuf, SpeechError)>> = std::sync::Mutex::new(Vec::new());

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

/// How long `spoken` words will sound at `rate` words a minute, estimated
/// without rendering (for the preview): a word (a Vietnamese syllable) at
/// the rate, and a short pause at each mark that makes the voice rest.
pub fn estimate(spoken: &str, rate: u32) -> Duration {
    let words = spoken.split_whitespace().count() as f64;
    let pauses = spoken.chars().filter(|c| ",.;:!?".contains(*c)).count() as f64;
    let rate = rate.clamp(*RATES.start(), *RATES.end()) as f64;
    Duration::from_secs_f64(words * 60.0 / rate + pauses * 0.15)
}

/// Runs `argv` (no shell) with `text` on its stdin, waiting at most
/// `limit`. The engine runs in its own process group, and the whole group
/// is killed when it takes too long (a wrapper script's children too);
/// its stdin is written from a thread of its own, so an engine that never
/// reads a long text cannot hold this up.
/// What a render may cost: time, and bytes written to `out`.
struct Limits<'a> {
    time: Duration,
    out: &'a Path,
    bytes: u64,
}

fn run(argv: &[String], text: &str, cwd: &Path, limits: &Limits) -> Result<(), SpeechError> {
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

/// The voices espeak-ng has, as its `-v` takes them, read once from
/// `espeak-ng --voices`; `None` when it cannot be run (then the engine is
/// missing, which is said on its own).
pub fn espeak_voices() -> Option<&'static [String]> {
    static VOICES: std::sync::OnceLock<Option<Vec<String>>> = std::sync::OnceLock::new();
    VOICES
        .get_or_init(|| {
            let out = Command::new(DEFAULT_ENGINE)
                .arg("--voices")
                .stdin(Stdio::null())
                .stderr(Stdio::null())
                .output()
                .ok()?;
            voices_from(out.status.success(), &String::from_utf8_lossy(&out.stdout))
        })
        .as_deref()
}

/// The voices of an `espeak-ng --voices` run that ended `ok` with
/// `list`; `None` when it failed or nothing in it is a voice (then the
/// voice is not known, not wrong).
pub(crate) fn voices_from(ok: bool, list: &str) -> Option<Vec<String>> {
    let voices = parse_voices(list);
    (ok && !voices.is_empty()).then_some(voices)
}

/// The name the built-in engine is given for `voice`: `vi_VN` as
/// `vi-VN`, which espeak-ng resolves (it refuses the underscore).
pub(crate) fn espeak_name(voice: &str) -> String {
    voice.replace('_', "-")
}

/// The names a voice list (`espeak-ng --voices`: `Pty Language Age/Gender
/// VoiceName File …`) offers to `-v`: each language (`vi-vn-x-south`), and
/// each voice file with and without its folder (`aav/vi`, `vi`); lower case.
pub fn parse_voices(list: &str) -> Vec<String> {
    let mut names = Vec::new();
    for line in list.lines().skip(1) {
        let cols: Vec<&str> = line.split_whitespace().collect();
        let [_, language, _, _, file, ..] = cols[..] else {
            continue;
        };
        names.push(language.to_lowercase());
        names.push(file.to_lowercase());
        if let Some(base) = file.rsplit('/').next() {
            names.push(base.to_lowercase());
        }
    }
    names
}

/// Whether `voice` is one of `voices` ([`parse_voices`]), a variant after
/// `+` (`vi+f3`) aside, in any case and with `_` for `-` (`vi_VN`): a
/// language or voice file listed, or the leading part of a listed
/// language up to a `-` (`vi-vn` of `vi-vn-x-south`), which espeak-ng
/// resolves to that language. espeak-ng takes any other name without a
/// word and speaks with a voice it picks ("vi-north" sounds as "vi"), so
/// any other name is refused.
pub fn has_voice(voices: &[String], voice: &str) -> bool {
    let base = voice.split('+').next().unwrap_or("").trim();
    let base = espeak_name(base).to_lowercase();
    if base.is_empty() || base.ends_with('-') {
        return false;
    }
    let lead = format!("{base}-");
    voices
        .iter()
        .any(|v| *v == base || (!v.contains('/') && v.starts_with(&lead)))
}

/// Whether `program` can be run: a path that exists, or a name on PATH.
pub fn installed(program: &str, cwd: &Path) -> bool {
    if program.is_empty() {
        return false;
    }
    if program.contains('/') {
        return cwd.join(program).is_file();
    }
    std::env::var_os("PATH")
        .is_some_and(|paths| std::env::split_paths(&paths).any(|d| d.join(program).is_file()))
}
