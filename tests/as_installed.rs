//! The daemon and `loa publish` under their shipped units' sandboxes
//! (`deploy/loa.service`, `deploy/loa-publish.service`), reproduced from
//! the units' own lines by `common::sandbox` (no systemd as PID 1 here):
//! what a station installed from the package can and cannot do.

mod common;

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use common::icecast::{Codec, Feed, Icecast};
use common::sandbox::Unit;
use serde_json::Value;

/// A running icecast2 with ffmpeg's sine on `mount`, up.
fn source(dir: &Path, mount: &str) -> (Icecast, Feed, String) {
    common::icecast::serving(dir, mount, Codec::Mp3)
}

/// A null-output station relaying `url` for 3 s, 4 s from now.
fn relay_station(url: &str) -> tempfile::TempDir {
    let st = common::daemon::null_station();
    let on = common::daemon::in_secs(4);
    common::write(
        &st.path().join("schedules/relay.yaml"),
        &format!(
            "broadcasts:\n  - name: Tiếp âm VOV1\n    relay: \"{url}\"\n    for: 3s\n    on: [\"{on}\"]\n"
        ),
    );
    st
}

/// `loa run` on `st` under `unit`'s sandbox, the station folder standing
/// for /var/lib/loa (its only writable path).
fn run_sandboxed(unit: &Unit, st: &Path) -> Child {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_loa"));
    cmd.args(["--lang", "en", "--config"])
        .arg(st.join("config.yaml"))
        .arg("run")
        .env("LOA_LOG", "warn")
        .stdout(Stdio::null());
    unit.sandbox(Some(vec![st.to_path_buf()])).apply(&mut cmd);
    cmd.spawn()
        .unwrap_or_else(|e| panic!("spawn under the sandbox: {e}"))
}

/// The relay's finish line, after at most 25 s.
fn relay_outcome(unit: &Unit, url: &str) -> (Value, Vec<Value>) {
    let st = relay_station(url);
    let mut child = run_sandboxed(unit, st.path());
    let log = common::onair::wait_finishes(st.path(), 1, Duration::from_secs(25));
    let (code, _) = common::onair::terminate(&mut child);
    assert_eq!(code, Some(0), "the sandboxed daemon did not stop cleanly");
    let finish = common::events(&log, "finish")
        .first()
        .map(|v| (*v).clone())
        .unwrap_or_else(|| panic!("no finish line: {log:#?}"));
    (finish, log)
}

fn shipped(name: &str) -> PathBuf {
    common::repo().join("deploy").join(name)
}

#[test]
fn the_installed_daemon_relays_a_stream_under_its_units_sandbox() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let (_ice, _feed, url) = source(dir.path(), "vov1.mp3");
    let unit = Unit::read(&shipped("loa.service"));
    let (finish, log) = relay_outcome(&unit, &url);
    assert_eq!(finish["outcome"], "played", "{finish}");
    let received = finish["received_s"].as_f64().unwrap_or(0.0);
    assert!(received > 2.5, "{finish}");
    let start = common::events(&log, "start");
    assert_eq!(start[0]["source"], url.as_str(), "{log:#?}");
}

/// The harness itself: the unit as it was shipped before (no network at
/// all) makes the same relay fail, so the test above is a test of the unit.
#[test]
fn a_unit_that_denies_the_network_fails_the_same_relay() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let (_ice, _feed, url) = source(dir.path(), "vov1.mp3");
    let text = std::fs::read_to_string(shipped("loa.service")).unwrap_or_default();
    for (families, private) in [("AF_UNIX", "no"), ("AF_UNIX AF_INET AF_INET6", "yes")] {
        let unit = Unit::parse(&format!(
            "{text}\n[Service]\nRestrictAddressFamilies={families}\nPrivateNetwork={private}\n"
        ));
        let (finish, _) = relay_outcome(&unit, &url);
        assert_eq!(
            finish["outcome"], "failed",
            "{families} {private}: {finish}"
        );
        assert_eq!(finish["reason"], "source_down", "{finish}");
    }
}

#[test]
fn the_shipped_units_let_the_daemon_reach_the_network_and_keep_publish_off_it() {
    let daemon = Unit::read(&shipped("loa.service"));
    assert_eq!(
        daemon.value("RestrictAddressFamilies").as_deref(),
        Some("AF_UNIX AF_INET AF_INET6")
    );
    assert_ne!(daemon.value("PrivateNetwork").as_deref(), Some("yes"));
    assert!(daemon.values("IPAddressDeny").is_empty());
    let publish = Unit::read(&shipped("loa-publish.service"));
    assert_eq!(publish.value("PrivateNetwork").as_deref(), Some("yes"));
    assert_eq!(
        publish.value("RestrictAddressFamilies").as_deref(),
        Some("AF_UNIX")
    );
}

/// `loa publish` copies files and needs no network: it writes the portal
/// under its own unit's sandbox (no network, read-only but the portal's
/// folder and state/), from a log the daemon wrote.
#[test]
fn publish_writes_the_portal_under_its_units_sandbox() {
    let st = common::daemon::null_station();
    common::write(
        &st.path().join("schedules/tin.yaml"),
        &common::daemon::schedule("Bản tin", &[common::daemon::in_secs(2)]),
    );
    let d = common::daemon::Daemon::start(st.path());
    d.wait("the broadcast", Duration::from_secs(15), |l| {
        common::events(l, "finish").len() == 1
    });
    drop(d);
    let out = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let portal = out.path().join("www");
    std::fs::create_dir_all(&portal).unwrap_or_else(|e| panic!("{e}"));
    let unit = Unit::read(&shipped("loa-publish.service"));
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_loa"));
    cmd.arg("--config")
        .arg(st.path().join("config.yaml"))
        .args(["publish", "--out"])
        .arg(&portal);
    unit.sandbox(Some(vec![portal.clone(), st.path().join("state")]))
        .apply(&mut cmd);
    let run = cmd.output().unwrap_or_else(|e| panic!("{e}"));
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let index = std::fs::read_to_string(portal.join("index.html")).unwrap_or_default();
    assert!(index.contains("Bản tin"), "{index}");
    // The sandbox held: nothing was written into the station but state/.
    let mut cmd = Command::new("touch");
    cmd.arg(st.path().join("audio/x"));
    unit.sandbox(Some(vec![portal.clone(), st.path().join("state")]))
        .apply(&mut cmd);
    let touched = cmd.output().unwrap_or_else(|e| panic!("{e}"));
    assert!(!touched.status.success(), "the station was writable");
}

/// A station folder that belongs to `nobody` (as /var/lib/loa belongs to
/// `loa`), with a spoken broadcast, its config readable by all.
fn station_of_nobody() -> (tempfile::TempDir, PathBuf) {
    use std::os::unix::fs::PermissionsExt as _;
    let top = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let st = top.path().join("station");
    std::fs::create_dir_all(st.join("state")).unwrap_or_else(|e| panic!("{e}"));
    common::write(
        &st.join("config.yaml"),
        "station: Xuân Đám\noutput:\n  device: \"null\"\nquiet_hours: []\n",
    );
    common::write(
        &st.join("schedules/tin.yaml"),
        "broadcasts:\n  - name: Thông báo\n    say: \"Xin chào bà con\"\n    chime: false\n    at: \"07:00\"\n",
    );
    std::fs::create_dir_all(st.join("audio")).unwrap_or_else(|e| panic!("{e}"));
    for d in [top.path(), st.as_path()] {
        std::fs::set_permissions(d, std::fs::Permissions::from_mode(0o755))
            .unwrap_or_else(|e| panic!("{e}"));
    }
    std::fs::create_dir_all(st.join("playlog")).unwrap_or_else(|e| panic!("{e}"));
    let chown = Command::new("chown")
        .args(["-R", "nobody:nogroup"])
        .arg(st.join("state"))
        .arg(st.join("playlog"))
        .arg(st.join("schedules"))
        .arg(st.join("audio"))
        .status()
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(chown.success());
    (top, st)
}

fn owner_of(p: &Path) -> u32 {
    use std::os::unix::fs::MetadataExt as _;
    std::fs::metadata(p)
        .unwrap_or_else(|e| panic!("{}: {e}", p.display()))
        .uid()
}

/// `sudo loa check` (root, as the installer runs it) on a station of the
/// daemon's user renders its speech into state/ as that user, so the
/// daemon can go on using it; a file root names with -o is still written
/// with root's rights, relative to where the command ran.
#[test]
fn a_command_run_as_root_leaves_the_station_to_its_owner() {
    let (top, st) = station_of_nobody();
    let nobody = owner_of(&st.join("state"));
    assert_ne!(nobody, 0, "the test runs as root, the station is nobody's");
    let config = st.join("config.yaml");
    let (code, out, err) = common::loa_in(
        top.path(),
        &["--config", &config.display().to_string(), "check"],
    );
    assert_eq!(code, Some(0), "{out}{err}");
    let tts = st.join("state/tts");
    assert_eq!(owner_of(&tts), nobody, "state/tts is root's");
    for e in std::fs::read_dir(&tts)
        .unwrap_or_else(|e| panic!("{e}"))
        .flatten()
    {
        assert_eq!(owner_of(&e.path()), nobody, "{}", e.path().display());
    }
    // Files the person names: root's, in root's own folder, relative to
    // the folder the command ran in.
    let mine = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let (code, _, err) = common::loa_in(
        mine.path(),
        &[
            "--config",
            &config.display().to_string(),
            "say",
            "Xin chào",
            "-o",
            "thu.wav",
        ],
    );
    assert_eq!(code, Some(0), "{err}");
    let wav = mine.path().join("thu.wav");
    assert_eq!(owner_of(&wav), 0, "{}", wav.display());
    let (code, _, err) = common::loa_in(
        mine.path(),
        &[
            "--config",
            &config.display().to_string(),
            "report",
            "-o",
            "bao-cao.txt",
        ],
    );
    assert_eq!(code, Some(0), "{err}");
    assert_eq!(owner_of(&mine.path().join("bao-cao.txt")), 0);
    // A 0600 recording of root's, announced with sudo: loa acts as the
    // station's owner and may not read it, and says so (root reading files
    // for the station could copy what the operators may not read). One the
    // owner may read is brought in readable by the station's group only.
    let private = mine.path().join("rieng.wav");
    std::fs::copy(
        common::repo().join("tests/fixtures/tones/tone.wav"),
        &private,
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let chmod = |p: &Path, mode: u32| {
        use std::os::unix::fs::PermissionsExt as _;
        std::fs::set_permissions(p, std::fs::Permissions::from_mode(mode))
            .unwrap_or_else(|e| panic!("{e}"));
    };
    chmod(&private, 0o600);
    let config_arg = config.display().to_string();
    let announce = || {
        common::loa_in(
            mine.path(),
            &[
                "--config",
                &config_arg,
                "--lang",
                "en",
                "announce",
                "rieng.wav",
                "--at",
                "23:59",
            ],
        )
    };
    let (code, out, err) = announce();
    assert_eq!(code, Some(1), "{out}{err}");
    assert!(err.contains("may not read"), "{err}");
    chmod(mine.path(), 0o755);
    chmod(&private, 0o644);
    let (code, out, err) = announce();
    assert_eq!(code, Some(0), "{out}{err}");
    let copy = st.join("audio/announce/rieng.wav");
    assert_eq!(owner_of(&copy), nobody);
    let mode = {
        use std::os::unix::fs::PermissionsExt as _;
        std::fs::metadata(&copy)
            .map(|m| m.permissions().mode() & 0o777)
            .unwrap_or(0)
    };
    assert_eq!(mode, 0o660, "{}", copy.display());
}

/// The announce file `name` wrote in the station's schedules/.
fn announced(st: &Path) -> Vec<String> {
    let mut out: Vec<String> = std::fs::read_dir(st.join("schedules"))
        .unwrap_or_else(|e| panic!("{e}"))
        .flatten()
        .filter_map(|e| std::fs::read_to_string(e.path()).ok())
        .collect();
    out.sort();
    out
}

/// With `require_approval: true`, `loa announce` approves nothing by
/// itself: not from $USER or $SUDO_USER, which anyone can set; only
/// `--approved-by` declares it, and an emergency needs none.
#[test]
fn announce_never_implies_approval() {
    let st = common::daemon::null_station();
    let config = st.path().join("config.yaml");
    let text = std::fs::read_to_string(&config).unwrap_or_default();
    common::write(&config, &format!("{text}require_approval: true\n"));
    let announce = |extra: &[&str]| {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_loa"));
        cmd.current_dir(st.path())
            .env("USER", "Chủ tịch UBND xã")
            .env("SUDO_USER", "Chủ tịch UBND xã")
            .args(["--lang", "en", "announce", "tone.wav"])
            .args(extra);
        let out = cmd.output().unwrap_or_else(|e| panic!("{e}"));
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).into_owned()
    };
    let said = announce(&["--name", "Một", "--at", "23:57"]);
    let files = announced(st.path());
    assert_eq!(files.len(), 1);
    assert!(!files[0].contains("approved_by"), "{}", files[0]);
    assert!(!files[0].contains("Chủ tịch"), "{}", files[0]);
    assert!(said.contains("not approved"), "{said}");
    announce(&[
        "--name",
        "Hai",
        "--at",
        "23:58",
        "--approved-by",
        "Trần Quang Hướng",
    ]);
    let files = announced(st.path());
    assert!(
        files
            .iter()
            .any(|f| f.contains("approved_by: \"Trần Quang Hướng\"")),
        "{files:#?}"
    );
    // An emergency airs unapproved.
    let said = announce(&["--name", "Ba", "--at", "23:59", "--priority", "emergency"]);
    assert!(!said.contains("not approved"), "{said}");
    let (code, next, err) = common::loa_in(st.path(), &["next", "--days", "2", "--json"]);
    assert_eq!(code, Some(0), "{err}");
    let outcome = |name: &str| {
        next.lines()
            .filter_map(|l| serde_json::from_str::<Value>(l).ok())
            .find(|v| v["broadcast"] == name)
            .map(|v| v["outcome"].as_str().unwrap_or_default().to_string())
            .unwrap_or_else(|| panic!("{name} not in next: {next}"))
    };
    assert_eq!(outcome("Một"), "skipped");
    assert_eq!(outcome("Hai"), "played");
    assert_eq!(outcome("Ba"), "played");
}

/// The `clock_synced` of the daemon_start and start lines of a daemon run
/// under loa.service's sandbox (ProtectClock=yes: adjtimex is refused),
/// with `run` as what /run holds.
fn clock_under_the_unit(run: &[&str]) -> (Value, Value) {
    let st = common::daemon::null_station();
    common::write(
        &st.path().join("schedules/tin.yaml"),
        &common::daemon::schedule("Bản tin", &[common::daemon::in_secs(2)]),
    );
    let unit = Unit::read(&shipped("loa.service"));
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_loa"));
    cmd.args(["--lang", "en", "--config"])
        .arg(st.path().join("config.yaml"))
        .arg("run")
        .env("LOA_LOG", "warn")
        .stdout(Stdio::null());
    unit.sandbox(Some(vec![st.path().to_path_buf()]))
        .with_run(run)
        .apply(&mut cmd);
    let mut child = cmd.spawn().unwrap_or_else(|e| panic!("{e}"));
    let log = common::onair::wait_finishes(st.path(), 1, Duration::from_secs(15));
    let _ = common::onair::terminate(&mut child);
    let first = |ev: &str| {
        common::events(&log, ev)
            .first()
            .map(|v| (*v).clone())
            .unwrap_or_else(|| panic!("no {ev}: {log:#?}"))
    };
    (first("daemon_start"), first("start"))
}

/// Under the shipped unit the kernel may not be asked (ProtectClock), so
/// loa asks systemd-timesyncd, and records true, false or null (unknown)
/// on every daemon_start and start line.
#[test]
fn clock_sync_is_known_under_the_units_sandbox() {
    for (run, want) in [
        (
            &[
                "systemd/",
                "systemd/timesync/",
                "systemd/timesync/synchronized",
            ][..],
            Value::Bool(true),
        ),
        (&["systemd/", "systemd/timesync/"][..], Value::Bool(false)),
        (&[][..], Value::Null),
    ] {
        let (daemon, start) = clock_under_the_unit(run);
        for line in [&daemon, &start] {
            let got = line
                .get("clock_synced")
                .unwrap_or_else(|| panic!("no clock_synced on {line}"));
            assert_eq!(got, &want, "{run:?}: {line}");
        }
    }
}

/// A recording the daemon's user may not read is named as such, with the
/// fix, by `check` run as root (acting as the owner) or by an operator who
/// can read it herself; the daemon logs it `failed`/`permission`, and plays
/// it once `chmod` lets it.
#[test]
fn a_file_the_daemon_may_not_read_is_a_permission_problem_not_a_missing_file() {
    use std::os::unix::fs::PermissionsExt as _;
    let (top, st) = station_of_nobody();
    let wav = st.join("audio/quyen.wav");
    std::fs::copy(common::repo().join("tests/fixtures/tones/tone.wav"), &wav)
        .unwrap_or_else(|e| panic!("{e}"));
    std::fs::set_permissions(&wav, std::fs::Permissions::from_mode(0o600))
        .unwrap_or_else(|e| panic!("{e}"));
    let (first, second) = (common::daemon::in_secs(3), common::daemon::in_secs(7));
    common::write(
        &st.join("schedules/tin.yaml"),
        &format!(
            "broadcasts:\n  - name: Quyền\n    audio: quyen.wav\n    chime: false\n    on: [\"{first}\", \"{second}\"]\n"
        ),
    );
    let config = st.join("config.yaml").display().to_string();
    let full = std::fs::canonicalize(&wav).unwrap_or(wav.clone());
    let said_as = |who: &[&str]| {
        let mut cmd = Command::new(if who.is_empty() {
            env!("CARGO_BIN_EXE_loa")
        } else {
            "setpriv"
        });
        cmd.current_dir(top.path());
        if !who.is_empty() {
            cmd.args(who).arg(env!("CARGO_BIN_EXE_loa"));
        }
        let out = cmd
            .args(["--config", &config, "check"])
            .output()
            .unwrap_or_else(|e| panic!("{e}"));
        (
            out.status.code(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    };
    // As root (sudo): loa acts as the daemon's user and cannot read it.
    let (code, err) = said_as(&[]);
    assert_eq!(code, Some(1), "{err}");
    assert!(
        err.contains("không có quyền đọc tệp") && err.contains(&full.display().to_string()),
        "{err}"
    );
    assert!(err.contains("chmod g+r"), "{err}");
    assert!(!err.contains("không tìm thấy"), "{err}");
    // An operator (here: user daemon) who owns the 0600 copy can read it;
    // the daemon's user cannot, and check says so.
    let chown = Command::new("chown")
        .args(["daemon:daemon"])
        .arg(&wav)
        .status()
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(chown.success());
    let (code, err) = said_as(&["--reuid=daemon", "--regid=daemon", "--clear-groups"]);
    assert_eq!(code, Some(1), "{err}");
    assert!(err.contains("\"nobody\""), "{err}");
    // The daemon, started by root on nobody's station, acts as nobody.
    let mut child = Command::new(env!("CARGO_BIN_EXE_loa"))
        .args(["--lang", "en", "--config", &config, "run"])
        .env("LOA_LOG", "warn")
        .spawn()
        .unwrap_or_else(|e| panic!("{e}"));
    let log = common::onair::wait_finishes(&st, 1, Duration::from_secs(15));
    std::fs::set_permissions(&wav, std::fs::Permissions::from_mode(0o644))
        .unwrap_or_else(|e| panic!("{e}"));
    let log2 = common::onair::wait_finishes(&st, 2, Duration::from_secs(15));
    let _ = common::onair::terminate(&mut child);
    let f = common::events(&log, "finish");
    assert_eq!(f[0]["outcome"], "failed", "{}", f[0]);
    assert_eq!(f[0]["reason"], "permission", "{}", f[0]);
    let f = common::events(&log2, "finish");
    assert_eq!(f.len(), 2, "{log2:#?}");
    assert_eq!(f[1]["outcome"], "played", "{}", f[1]);
}

/// A schedule the daemon's user may not read is refused, and taken as soon
/// as `chmod` lets it be read (the daemon compared only size and time).
#[test]
fn a_schedule_refused_for_its_mode_is_taken_once_readable() {
    use std::os::unix::fs::PermissionsExt as _;
    let (_top, st) = station_of_nobody();
    std::fs::copy(
        common::repo().join("tests/fixtures/tones/tone.wav"),
        st.join("audio/tone.wav"),
    )
    .unwrap_or_else(|e| panic!("{e}"));
    std::fs::remove_file(st.join("schedules/tin.yaml")).unwrap_or_else(|e| panic!("{e}"));
    let config = st.join("config.yaml").display().to_string();
    let mut child = Command::new(env!("CARGO_BIN_EXE_loa"))
        .args(["--lang", "en", "--config", &config, "run"])
        .env("LOA_LOG", "warn")
        .spawn()
        .unwrap_or_else(|e| panic!("{e}"));
    let began = Instant::now();
    while !st.join("state/status.json").exists() && began.elapsed() < Duration::from_secs(10) {
        std::thread::sleep(Duration::from_millis(50));
    }
    let path = st.join("schedules/moi.yaml");
    let tmp = st.join("schedules/.moi.tmp");
    common::write(
        &tmp,
        &common::daemon::schedule("Mới", &[common::daemon::in_secs(6)]),
    );
    std::fs::set_permissions(&tmp, std::fs::Permissions::from_mode(0o600))
        .unwrap_or_else(|e| panic!("{e}"));
    std::fs::rename(&tmp, &path).unwrap_or_else(|e| panic!("{e}"));
    let refused = |l: &[Value]| {
        common::events(l, "reload")
            .iter()
            .any(|r| r["refused"].as_array().is_some_and(|a| !a.is_empty()))
    };
    let began = Instant::now();
    while !refused(&common::onair::log(&st)) && began.elapsed() < Duration::from_secs(5) {
        std::thread::sleep(Duration::from_millis(50));
    }
    assert!(
        refused(&common::onair::log(&st)),
        "{:#?}",
        common::onair::log(&st)
    );
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644))
        .unwrap_or_else(|e| panic!("{e}"));
    let log = common::onair::wait_finishes(&st, 1, Duration::from_secs(15));
    let _ = common::onair::terminate(&mut child);
    let f = common::events(&log, "finish");
    assert_eq!(f.len(), 1, "{log:#?}");
    assert_eq!(f[0]["outcome"], "played", "{}", f[0]);
}

/// espeak-ng, run by loa, makes nothing in the home folder (it made
/// ~/.config/pulse: /var/lib/loa/.config/pulse for the daemon).
#[test]
fn speech_leaves_nothing_in_the_home_folder() {
    let home = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let st = common::daemon::null_station();
    let out = Command::new(env!("CARGO_BIN_EXE_loa"))
        .current_dir(st.path())
        .env("HOME", home.path())
        .args(["say", "Xin chào bà con", "-o", "thu.wav"])
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(st.path().join("thu.wav").is_file());
    let left: Vec<_> = std::fs::read_dir(home.path())
        .unwrap_or_else(|e| panic!("{e}"))
        .flatten()
        .map(|e| e.path())
        .collect();
    assert!(left.is_empty(), "{left:?}");
}

/// The system log speaks the station's language (what the installer reads
/// with journalctl); only the fields keep their machine names.
#[test]
fn the_system_log_speaks_the_stations_language() {
    let st = common::daemon::null_station();
    common::write(
        &st.path().join("schedules/tin.yaml"),
        &common::daemon::schedule("Bản tin", &[common::daemon::in_secs(2)]),
    );
    let child = Command::new(env!("CARGO_BIN_EXE_loa"))
        .current_dir(st.path())
        .arg("run")
        .env("LOA_LOG", "info")
        .stderr(Stdio::piped())
        .stdout(Stdio::null())
        .spawn()
        .unwrap_or_else(|e| panic!("{e}"));
    common::onair::wait_finishes(st.path(), 1, Duration::from_secs(15));
    let _ = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status();
    let out = child.wait_with_output().unwrap_or_else(|e| panic!("{e}"));
    let log = String::from_utf8_lossy(&out.stderr);
    for said in ["loa đang chạy", "đang phát", "đã kết thúc", "loa đã dừng"] {
        assert!(log.contains(said), "no {said:?} in\n{log}");
    }
    for english in ["loa is running", "on air", "loa stopped"] {
        assert!(!log.contains(english), "{english:?} in\n{log}");
    }
    // Fields keep their names.
    assert!(log.contains("broadcast="), "{log}");
}

/// A speech engine that is a shell script, started by `sudo loa check`,
/// runs as the station's owner too: a shell resets its effective user to
/// the real one (root), so loa drops root for good in the child first.
#[test]
fn a_wrapper_script_engine_started_with_sudo_does_not_run_as_root() {
    let (top, st) = station_of_nobody();
    let config = st.join("config.yaml");
    let text = std::fs::read_to_string(&config).unwrap_or_default();
    common::write(
        &config,
        &format!(
            "{text}tts:\n  engine: command\n  command: [sh, -c, 'id -u > \"$1.uid\"; espeak-ng -v vi --stdin -w \"$1\"', sh, \"{{out}}\"]\n"
        ),
    );
    let (code, out, err) = common::loa_in(
        top.path(),
        &["--config", &config.display().to_string(), "check"],
    );
    assert_eq!(code, Some(0), "{out}{err}");
    let nobody = owner_of(&st.join("state"));
    let mut seen = 0;
    for e in std::fs::read_dir(st.join("state/tts"))
        .unwrap_or_else(|e| panic!("{e}"))
        .flatten()
    {
        seen += 1;
        assert_eq!(owner_of(&e.path()), nobody, "{}", e.path().display());
        if e.path().extension().is_some_and(|x| x == "uid") {
            let uid = std::fs::read_to_string(e.path()).unwrap_or_default();
            assert_eq!(uid.trim(), nobody.to_string(), "the engine ran as {uid}");
        }
    }
    assert!(seen > 0, "nothing rendered");
}

/// In a folder with a default ACL for the daemon's group (as the package
/// sets on audio/), a 0600 copy still keeps the daemon out: the ACL's mask
/// is the copy's group bits. `check` by an operator says so; once
/// `chmod g+r` opens the mask, the ACL lets the daemon read it.
#[test]
fn a_copy_into_a_folder_with_a_default_acl_is_judged_by_its_mask() {
    let (top, st) = station_of_nobody();
    let audio = st.join("audio");
    let acl = Command::new("setfacl")
        .args(["-m", "g:nogroup:rwx", "-d", "-m", "g:nogroup:rwx"])
        .arg(&audio)
        .status()
        .unwrap_or_else(|e| panic!("setfacl: {e} (scripts/setup.sh installs acl)"));
    assert!(acl.success());
    std::fs::remove_file(st.join("schedules/tin.yaml")).unwrap_or_else(|e| panic!("{e}"));
    common::write(
        &st.join("schedules/rieng.yaml"),
        "broadcasts:\n  - name: Riêng\n    audio: rieng.wav\n    chime: false\n    at: \"05:45\"\n",
    );
    // An operator (user daemon) copies her 0600 recording in.
    let src = top.path().join("rieng.wav");
    std::fs::copy(common::repo().join("tests/fixtures/tones/tone.wav"), &src)
        .unwrap_or_else(|e| panic!("{e}"));
    let chown = Command::new("chown")
        .args(["daemon:daemon"])
        .arg(&src)
        .status()
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(chown.success());
    // The operator is in the station's group (nogroup here, as loa there).
    let as_operator = |args: &[&str]| {
        Command::new("setpriv")
            .args(["--reuid=daemon", "--regid=daemon", "--groups=nogroup"])
            .args(args)
            .current_dir(top.path())
            .output()
            .unwrap_or_else(|e| panic!("{e}"))
    };
    let src_s = src.display().to_string();
    let dst = audio.join("rieng.wav").display().to_string();
    assert!(as_operator(&["chmod", "600", &src_s]).status.success());
    let cp = as_operator(&["cp", &src_s, &dst]);
    assert!(
        cp.status.success(),
        "{}",
        String::from_utf8_lossy(&cp.stderr)
    );
    let config = st.join("config.yaml").display().to_string();
    let loa = env!("CARGO_BIN_EXE_loa");
    let check = as_operator(&[loa, "--config", &config, "--lang", "en", "check"]);
    let err = String::from_utf8_lossy(&check.stderr);
    assert_eq!(check.status.code(), Some(1), "{err}");
    assert!(err.contains("may not read"), "{err}");
    assert!(as_operator(&["chmod", "g+r", &dst]).status.success());
    let check = as_operator(&[loa, "--config", &config, "--lang", "en", "check"]);
    let err = String::from_utf8_lossy(&check.stderr);
    assert!(!err.contains("may not read"), "{err}");
}

/// An operator in the station's group runs `loa check` (issue 25, item
/// 11): the state folder is the daemon's and not the group's to write, so
/// the speech is tried in a temporary folder of check's own, listed with
/// its length, and nothing is left there or in the station.
#[test]
fn an_operator_checks_speech_without_writing_into_the_daemons_state() {
    let (top, st) = station_of_nobody();
    let config = st.join("config.yaml").display().to_string();
    let before = scratch_folders();
    let check = Command::new("setpriv")
        .args(["--reuid=daemon", "--regid=daemon", "--groups=nogroup"])
        .args([
            env!("CARGO_BIN_EXE_loa"),
            "--config",
            &config,
            "--lang",
            "en",
            "check",
        ])
        .current_dir(top.path())
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    let (out, err) = (
        String::from_utf8_lossy(&check.stdout),
        String::from_utf8_lossy(&check.stderr),
    );
    assert_eq!(check.status.code(), Some(0), "{out}{err}");
    assert!(
        !err.contains("Permission denied") && !err.contains("could not be spoken"),
        "{err}"
    );
    assert!(out.contains("say \"Xin chào bà con\""), "{out}");
    assert!(
        !st.join("state/tts").exists(),
        "the operator wrote into state/"
    );
    assert_eq!(scratch_folders(), before, "a temporary folder was left");
}

/// check's temporary folders in the system's.
fn scratch_folders() -> Vec<std::ffi::OsString> {
    let mut v: Vec<_> = std::fs::read_dir(std::env::temp_dir())
        .map(|d| {
            d.flatten()
                .map(|e| e.file_name())
                .filter(|n| n.to_string_lossy().starts_with("loa-check-"))
                .collect()
        })
        .unwrap_or_default();
    v.sort();
    v
}
