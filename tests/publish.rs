//! `loa publish`: a station with a hand-written play log (a spoken item, a
//! recording replaced since it aired, an interrupted attempt, an unreadable
//! line) published for the portal, checked with xmllint and chromium, run
//! again, and run with a shorter window.

mod common;

use common::browser::{Shot, chromium};

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use chrono::{DateTime, TimeDelta, TimeZone, Utc};
use chrono_tz::Tz;
use loa::kinds::{Outcome, Priority};
use loa::playlog::{
    AudioEntry, Description, Finish, OccurrenceInfo, PlayLog, SpeechEntry, Start, read_state,
};

const TZ: Tz = chrono_tz::Asia::Ho_Chi_Minh;
const NOW: &str = "2025-03-10T07:00:00+07:00";
const BASE: &str = "https://xa.example.vn/loa/";
const SPOKEN: &str = "Thông báo <họp> & \"tiêm phòng\" lúc 7h30";

fn local(m: u32, d: u32, h: u32, min: u32) -> DateTime<Utc> {
    TZ.with_ymd_and_hms(2025, m, d, h, min, 0)
        .single()
        .map(|t| t.with_timezone(&Utc))
        .unwrap_or_default()
}

fn sha(p: &Path) -> String {
    loa::hash::sha256_file(p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

/// One attempt: start then finish.
fn attempt(
    log: &mut PlayLog,
    name: &str,
    t: DateTime<Utc>,
    audio: AudioEntry,
    outcome: Outcome,
) -> String {
    let scheduled = t
        .with_timezone(&TZ)
        .to_rfc3339_opts(chrono::SecondsFormat::Secs, false);
    let id = format!("cchc-2025.yaml#{name}@{scheduled}");
    let played = audio.length_s;
    let start = Start {
        occ: OccurrenceInfo {
            id: id.clone(),
            desc: Description {
                schedule: "cchc-2025.yaml".into(),
                broadcast: name.into(),
                topic: "CCHC".into(),
                priority: Priority::Normal,
                scheduled,
                approved_by: None,
            },
        },
        audio: vec![audio],
        chime: None,
        repeat: 1,
        dropped_repeats: 0,
        dropped_reason: None,
        device: "null".into(),
        output: None,
        attempt: 1,
        clock_synced: None,
        source: None,
        fallback: false,
    };
    log.append(t, loa::kinds::Event::Start, &start)
        .unwrap_or_else(|e| panic!("{e}"));
    let f = Finish {
        id: id.clone(),
        info: None,
        output: None,
        outcome,
        reason: None,
        played_s: if outcome == Outcome::Played {
            played
        } else {
            4.0
        },
        start_error_ms: Some(2.0),
        rms_db: None,
        peak_db: None,
        detail: None,
        received_s: None,
        dropouts: None,
        silent_s: None,
    };
    log.append(t + TimeDelta::seconds(30), loa::kinds::Event::Finish, &f)
        .unwrap_or_else(|e| panic!("{e}"));
    id
}

fn recording(dir: &Path, path: &str) -> AudioEntry {
    AudioEntry {
        path: path.into(),
        sha256: sha(&dir.join("audio").join(path)),
        length_s: 20.0,
        gain_db: None,
        unmeasured: false,
        speech: None,
    }
}

struct Built {
    st: tempfile::TempDir,
    /// Logged SHA-256 by what it is.
    shas: BTreeMap<&'static str, String>,
    ids: BTreeMap<&'static str, String>,
}

/// The sample station on the null output, with a broadcast in quiet hours
/// (and a name that needs escaping) and a log of five attempts.
fn station() -> Built {
    let st = common::sample_station(|c| c.replace("device: default", "device: \"null\""));
    let dir = st.path();
    common::write(
        &dir.join("schedules/dem.yaml"),
        "title: Tin đêm\ntopic: \"An ninh <trật tự> & \\\"PCCC\\\"\"\napproved_by: \"Trần Quang Hướng\"\n\
         broadcasts:\n  - name: \"Tin đêm <muộn> & \\\"khuya\\\"\"\n    audio: cchc/iso-9001.mp3\n    at: \"22:00\"\n",
    );
    // The rendered speech, as the daemon leaves it in state/tts/.
    let wav = dir.join("state/tts/5f2a9c0d1e.wav");
    std::fs::create_dir_all(dir.join("state/tts")).unwrap_or_else(|e| panic!("{e}"));
    std::fs::write(
        &wav,
        common::wav(1.0, |t| (t * 440.0 * std::f64::consts::TAU).sin() * 0.3),
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let playlog = dir.join("playlog");
    let state = read_state(&playlog, true).unwrap_or_else(|e| panic!("{e}"));
    let mut log = PlayLog::new(&playlog, TZ, &state);
    let mut shas = BTreeMap::new();
    let mut ids = BTreeMap::new();
    let old = recording(dir, "cchc/chinh-quyen-so.mp3");
    shas.insert("old", old.sha256.clone());
    ids.insert(
        "old",
        attempt(
            &mut log,
            "Chính quyền điện tử, chính quyền số",
            local(2, 20, 17, 45),
            old,
            Outcome::Played,
        ),
    );
    let dvc = recording(dir, "cchc/dich-vu-cong-truc-tuyen.mp3");
    shas.insert("dvc", dvc.sha256.clone());
    ids.insert(
        "dvc",
        attempt(
            &mut log,
            "Hướng dẫn dịch vụ công trực tuyến",
            local(3, 5, 6, 15),
            dvc,
            Outcome::Played,
        ),
    );
    let spoken = AudioEntry {
        path: "say:thong-bao".into(),
        sha256: sha(&wav),
        length_s: 1.0,
        gain_db: None,
        unmeasured: false,
        speech: Some(SpeechEntry {
            text: SPOKEN.into(),
            engine: "espeak-ng".into(),
            voice: "vi".into(),
        }),
    };
    shas.insert("spoken", spoken.sha256.clone());
    ids.insert(
        "spoken",
        attempt(
            &mut log,
            "Thông báo tiêm phòng",
            local(3, 6, 17, 30),
            spoken,
            Outcome::Played,
        ),
    );
    let iso = recording(dir, "cchc/iso-9001.mp3");
    shas.insert("iso", iso.sha256.clone());
    ids.insert(
        "iso",
        attempt(
            &mut log,
            "ISO 9001:2015",
            local(3, 7, 17, 45),
            iso,
            Outcome::Played,
        ),
    );
    let cut = recording(dir, "cchc/chu-de-nam-2025.mp3");
    shas.insert("cut", cut.sha256.clone());
    ids.insert(
        "cut",
        attempt(
            &mut log,
            "Chủ đề năm 2025",
            local(3, 8, 6, 45),
            cut,
            Outcome::Interrupted,
        ),
    );
    // The ISO recording is replaced after it aired.
    let mut bytes = std::fs::read(dir.join("audio/cchc/iso-9001.mp3")).unwrap_or_default();
    bytes.extend_from_slice(b"edited");
    std::fs::write(dir.join("audio/cchc/iso-9001.mp3"), bytes).unwrap_or_else(|e| panic!("{e}"));
    // A line publish cannot read: skipped and counted, not fatal.
    let month = playlog.join("2025-03.jsonl");
    let mut text = std::fs::read_to_string(&month).unwrap_or_default();
    text.push_str("{not json\n");
    std::fs::write(&month, text).unwrap_or_else(|e| panic!("{e}"));
    Built { st, shas, ids }
}

fn publish(dir: &Path, extra: &[&str]) -> (Option<i32>, String, String) {
    let mut args = vec!["--now", NOW, "publish"];
    args.extend_from_slice(extra);
    common::loa_in(dir, &args)
}

/// Every file under `dir`, relative, with (inode, mtime).
fn files(dir: &Path) -> BTreeMap<PathBuf, (u64, std::time::SystemTime)> {
    use std::os::unix::fs::MetadataExt as _;
    let mut out = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).into_iter().flatten().flatten() {
            let p = e.path();
            let m = std::fs::metadata(&p).unwrap_or_else(|e| panic!("{e}"));
            if m.is_dir() {
                stack.push(p);
            } else {
                let rel = p
                    .strip_prefix(dir)
                    .map(Path::to_path_buf)
                    .unwrap_or_default();
                out.insert(
                    rel,
                    (m.ino(), m.modified().unwrap_or(std::time::UNIX_EPOCH)),
                );
            }
        }
    }
    out
}

/// The `<item>` of the feed whose guid is `guid`.
fn item<'a>(feed: &'a str, guid: &str) -> &'a str {
    let g = format!(
        "<guid isPermaLink=\"false\">{}</guid>",
        loa::escape::esc(guid)
    );
    feed.split("<item>")
        .find(|i| i.contains(&g))
        .unwrap_or_else(|| panic!("no item {g} in\n{feed}"))
}

#[test]
fn publish_writes_the_page_the_feed_and_the_recordings_and_reruns_in_place() {
    let b = station();
    let dir = b.st.path();
    let web = dir.join("web");
    let (code, out, err) = publish(dir, &["--out", "web", "--base-url", BASE]);
    assert_eq!(code, Some(0), "{out}{err}");
    // The feed: well-formed, RSS 2.0.
    let lint = std::process::Command::new("xmllint")
        .arg("--noout")
        .arg(web.join("feed.xml"))
        .output()
        .unwrap_or_else(|e| panic!("xmllint not found ({e}): run scripts/setup.sh"));
    assert!(
        lint.status.success(),
        "{}",
        String::from_utf8_lossy(&lint.stderr)
    );
    let feed = std::fs::read_to_string(web.join("feed.xml")).unwrap_or_default();
    assert!(feed.contains("<rss version=\"2.0\">"), "{feed}");
    // Played attempts only: four items, the interrupted one not among them.
    assert_eq!(feed.matches("<item>").count(), 4, "{feed}");
    assert!(!feed.contains(&b.ids["cut"]), "{feed}");
    let dvc = item(&feed, &format!("{}#1", b.ids["dvc"]));
    let size = std::fs::metadata(dir.join("audio/cchc/dich-vu-cong-truc-tuyen.mp3"))
        .map(|m| m.len())
        .unwrap_or(0);
    assert!(
        dvc.contains(&format!(
            "<enclosure url=\"{BASE}audio/{}/dich-vu-cong-truc-tuyen.mp3\" length=\"{size}\" type=\"audio/mpeg\"/>",
            &b.shas["dvc"][..12]
        )),
        "{dvc}"
    );
    assert!(
        dvc.contains("<pubDate>Wed, 5 Mar 2025 06:15:00 +0700</pubDate>"),
        "{dvc}"
    );
    assert!(dvc.contains("<category>CCHC</category>"), "{dvc}");
    let spoken = item(&feed, &format!("{}#1", b.ids["spoken"]));
    assert!(spoken.contains(&loa::escape::esc(SPOKEN)), "{spoken}");
    assert!(spoken.contains("type=\"audio/wav\""), "{spoken}");
    let iso = item(&feed, &format!("{}#1", b.ids["iso"]));
    assert!(
        !iso.contains("<enclosure"),
        "a changed recording has no enclosure: {iso}"
    );
    // The page: the coming week, what aired, the spoken text, the footer.
    let page = std::fs::read_to_string(web.join("index.html")).unwrap_or_default();
    for want in [
        "<meta name=\"viewport\"",
        "Đài truyền thanh xã Xuân Đám",
        "Lịch phát 7 ngày tới",
        "Thứ Hai, 10/03/2025",
        "Thứ Ba, 11/03/2025",
        "Thanh toán trực tuyến thủ tục hành chính",
        "Tin đêm &lt;muộn&gt; &amp; &quot;khuya&quot;",
        "Sẽ không phát",
        "Đã phát trong 4 tuần qua",
        "Thứ Tư, 05/03/2025",
        "06:15",
        "Thông báo &lt;họp&gt; &amp; &quot;tiêm phòng&quot; lúc 7h30",
        "đã thay đổi từ khi phát",
        "Bị ngắt giữa chừng, đã phát 4s",
        "Cập nhật lúc 07:00, Thứ Hai, 10/03/2025.",
        "href=\"feed.xml\"",
        "loa log verify",
        "1 dòng nhật ký không đọc được",
    ] {
        assert!(page.contains(want), "index.html lacks {want:?}");
    }
    assert!(
        !page.contains("<muộn>") && !page.contains(SPOKEN),
        "unescaped text"
    );
    // Self-contained: no script, no stylesheet or image from elsewhere.
    assert!(
        !page.contains("<script") && !page.contains("src=\"http"),
        "external assets"
    );
    // The copies hold exactly what aired: four recordings (not the changed one).
    let copies: Vec<PathBuf> = files(&web)
        .into_keys()
        .filter(|p| p.starts_with("audio"))
        .collect();
    assert_eq!(copies.len(), 4, "{copies:?}");
    for c in &copies {
        let h = sha(&web.join(c));
        let prefix = c.iter().nth(1).and_then(|s| s.to_str()).unwrap_or("");
        assert!(h.starts_with(prefix), "{c:?}");
        assert!(
            b.shas.values().any(|s| *s == h),
            "{c:?} holds no logged recording"
        );
        assert_ne!(h, b.shas["iso"]);
    }

    // Again, the same moment: nothing copied, nothing rewritten, and a
    // file of the portal's own stays.
    common::write(&web.join("lien-he.html"), "<p>portal</p>");
    let before = files(&web);
    let (code, out, err) = publish(dir, &["--out", "web", "--base-url", BASE]);
    assert_eq!(code, Some(0), "{out}{err}");
    assert!(out.contains("chép mới 0 tệp"), "{out}");
    assert_eq!(files(&web), before, "the second run changed files");

    // A week's window: the copy that left it goes, the rest stays.
    let old_dir = web.join(format!("audio/{}", &b.shas["old"][..12]));
    assert!(old_dir.is_dir());
    let (code, out, err) = publish(dir, &["--out", "web", "--weeks", "1", "--base-url", BASE]);
    assert_eq!(code, Some(0), "{out}{err}");
    assert!(!old_dir.exists(), "the old copy stayed");
    assert!(web.join("lien-he.html").is_file(), "the portal's file went");
    let left: Vec<PathBuf> = files(&web)
        .into_keys()
        .filter(|p| p.starts_with("audio"))
        .collect();
    assert_eq!(left.len(), 3, "{left:?}");
    let feed = std::fs::read_to_string(web.join("feed.xml")).unwrap_or_default();
    assert!(!feed.contains(&b.ids["old"]), "{feed}");
    assert!(feed.contains(&b.ids["dvc"]), "{feed}");

    // The page and the feed in the station's other language.
    let (code, out, err) = publish(dir, &["--lang", "en", "--out", "web-en"]);
    assert_eq!(code, Some(0), "{out}{err}");
    assert!(out.contains("Published to web-en"), "{out}");
    let page = std::fs::read_to_string(dir.join("web-en/index.html")).unwrap_or_default();
    for want in [
        "<html lang=\"en\">",
        "The next 7 days",
        "Monday, 10/03/2025",
        "Aired in the last 4 weeks",
        "Interrupted after 4s",
        "has changed since it aired",
    ] {
        assert!(page.contains(want), "the English page lacks {want:?}");
    }
    // Without --base-url, enclosures are relative paths.
    let feed = std::fs::read_to_string(dir.join("web-en/feed.xml")).unwrap_or_default();
    assert!(
        feed.contains(&format!("<enclosure url=\"audio/{}/", &b.shas["dvc"][..12])),
        "{feed}"
    );
}

#[test]
fn publish_refuses_the_stations_own_folders_and_a_bad_base_url() {
    let b = station();
    let dir = b.st.path();
    std::fs::write(dir.join("plain.txt"), "x").unwrap_or_else(|e| panic!("{e}"));
    for (args, says) in [
        (vec!["--out", "playlog/web"], "playlog/"),
        (vec!["--out", "playlog/../audio/web"], "audio/"),
        (vec!["--out", "state"], "state/"),
        (vec!["--out", "schedules/web"], "schedules/"),
        (vec!["--out", "."], "/"),
        (vec!["--out", "config.yaml"], "config.yaml"),
        (vec!["--out", "plain.txt"], "plain.txt"),
        (
            vec!["--out", "web", "--base-url", "ftp://xa.example.vn/"],
            "--base-url",
        ),
        (
            vec!["--out", "web", "--base-url", "xa.example.vn/loa"],
            "--base-url",
        ),
        (vec!["--out", "web", "--weeks", "0"], "--weeks"),
        (vec!["--out", "web", "--weeks", "53"], "--weeks"),
    ] {
        let (code, out, err) = publish(dir, &args);
        assert_eq!(code, Some(2), "{args:?}: {out}{err}");
        assert!(err.contains(says), "{args:?}: {err}");
    }
    assert!(!dir.join("playlog/web").exists() && !dir.join("web").exists());
    assert!(!dir.join("index.html").exists());
    let (code, _, err) = publish(
        dir,
        &["--lang", "en", "--out", "web", "--base-url", "mailto:x"],
    );
    assert_eq!(code, Some(2));
    assert!(err.contains("not an http:// or https:// address"), "{err}");
    // An http(s) address is not called something else: what is wrong with
    // it is said.
    let (code, _, err) = publish(
        dir,
        &[
            "--lang",
            "en",
            "--out",
            "web",
            "--base-url",
            "https://xa.example.vn/loa?a=1&b=2",
        ],
    );
    assert_eq!(code, Some(2));
    assert!(
        err.contains("no query (?) or fragment (#)") && !err.contains("not an http"),
        "{err}"
    );
}

/// The page at a phone's width: a screenshot that is not blank, and a
/// layout no wider than the screen (measured by chromium on a copy of
/// the page with a one-line probe script).
#[test]
fn the_published_page_fits_a_phone_in_chromium() {
    let b = station();
    let dir = b.st.path();
    let (code, out, err) = publish(dir, &["--out", "web"]);
    assert_eq!(code, Some(0), "{out}{err}");
    let web = dir.join("web");
    let profile = format!("--user-data-dir={}", dir.join("chromium-profile").display());
    let shot = dir.join("phone.png");
    chromium(
        (390, 844),
        &[
            profile.clone(),
            format!("--screenshot={}", shot.display()),
            format!("file://{}", web.join("index.html").display()),
        ],
        dir,
    );
    let shot = Shot::read(&shot);
    assert_eq!((shot.width, shot.height), (390, 844));
    let (dark, total) = (shot.dark(), shot.total());
    assert!(
        dark * 100 > total,
        "too little text: {dark} dark pixels of {total}"
    );
    // How wide the laid-out page is at the phone's width: headless
    // chromium keeps its window at least 500 px wide, so the page is laid
    // out in a 390 px frame of a probe page, which measures it.
    let probe = "<!DOCTYPE html><html><body style=\"margin:0\">\
        <iframe id=\"f\" src=\"index.html\" style=\"width:390px;height:844px;border:0\"></iframe>\
        <script>document.getElementById('f').onload = function () {\
          var d = this.contentDocument;\
          document.body.setAttribute('data-width', String(Math.max(d.documentElement.scrollWidth, \
            d.body.scrollWidth)) + '/' + String(this.contentWindow.innerWidth));\
        };</script></body></html>";
    std::fs::write(web.join("probe.html"), probe).unwrap_or_else(|e| panic!("{e}"));
    let dom = chromium(
        (390, 844),
        &[
            profile,
            "--allow-file-access-from-files".into(),
            "--virtual-time-budget=5000".into(),
            "--dump-dom".into(),
            format!("file://{}", web.join("probe.html").display()),
        ],
        dir,
    );
    let width = dom
        .split("data-width=\"")
        .nth(1)
        .and_then(|s| s.split('"').next())
        .unwrap_or_else(|| panic!("no width measured in\n{dom}"));
    let (page_w, view_w) = width.split_once('/').unwrap_or(("", ""));
    let page_w: u32 = page_w.parse().unwrap_or(u32::MAX);
    let view_w: u32 = view_w.parse().unwrap_or(0);
    assert_eq!(view_w, 390, "not measured at a phone's width: {width}");
    assert!(
        page_w <= view_w,
        "the page is wider than the phone: {width}"
    );
}

/// Two publishes of one station do not run at once (the hourly timer and
/// an operator's own run): the second waits for the first's lock on
/// `state/publish.lock`, then publishes.
#[test]
fn a_second_publish_waits_for_the_first() {
    let b = station();
    let dir = b.st.path();
    std::fs::create_dir_all(dir.join("state")).unwrap_or_else(|e| panic!("{e}"));
    let held = std::fs::OpenOptions::new()
        .read(true)
        .write(true)
        .create(true)
        .truncate(false)
        .open(dir.join("state/publish.lock"))
        .unwrap_or_else(|e| panic!("{e}"));
    held.lock().unwrap_or_else(|e| panic!("{e}"));
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_loa"))
        .current_dir(dir)
        .env("LOA_LOG", "warn")
        .args(["--now", NOW, "publish", "--out", "web"])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap_or_else(|e| panic!("{e}"));
    std::thread::sleep(std::time::Duration::from_millis(1500));
    let waiting = child.try_wait().unwrap_or_else(|e| panic!("{e}"));
    assert!(waiting.is_none(), "publish did not wait: {waiting:?}");
    assert!(
        !dir.join("web/index.html").exists(),
        "wrote while another held the lock"
    );
    drop(held);
    let status = child.wait().unwrap_or_else(|e| panic!("{e}"));
    assert!(status.success(), "{status}");
    assert!(dir.join("web/index.html").is_file());
}

/// The public page speaks to citizens: a broadcast that will not air says
/// so, with no command to run (it told them to run `loa check`).
#[test]
fn the_public_page_tells_citizens_no_command() {
    let b = station();
    let dir = b.st.path();
    common::write(
        &dir.join("schedules/thieu.yaml"),
        "title: Thiếu tệp\napproved_by: \"Trần Quang Hướng\"\nbroadcasts:\n  - name: Bản tin thiếu tệp\n    audio: khong-co.mp3\n    at: \"08:00\"\n",
    );
    let out = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let web = out.path().join("web");
    let (code, _, err) = publish(dir, &["--out", &web.display().to_string()]);
    assert_eq!(code, Some(0), "{err}");
    let page = std::fs::read_to_string(web.join("index.html")).unwrap_or_default();
    assert!(page.contains("Bản tin thiếu tệp"), "{page}");
    assert!(page.contains("dự kiến không phát được"), "{page}");
    assert!(!page.contains("loa check"), "{page}");
}

/// Issue 25 item 10: publish owns what it writes. A portal's own index.html
/// in --out is never replaced; a link inside --out is never written
/// through; a log line naming a file outside the audio folder (with that
/// file's true SHA-256) copies nothing to the public site.
#[test]
fn publish_replaces_only_its_own_files_and_copies_only_the_audio_folder() {
    let b = station();
    let dir = b.st.path();

    // A portal's own page in --out: refused, named, left as it was.
    let portal = dir.join("portal");
    common::write(&portal.join("index.html"), "<h1>Cổng thông tin xã</h1>");
    let (code, _out, err) = publish(dir, &["--lang", "en", "--out", "portal"]);
    assert_eq!(code, Some(1), "{err}");
    assert!(
        err.contains("index.html") && err.contains("not written by loa"),
        "{err}"
    );
    assert_eq!(
        std::fs::read_to_string(portal.join("index.html")).unwrap_or_default(),
        "<h1>Cổng thông tin xã</h1>"
    );
    assert!(!portal.join("feed.xml").exists());

    // audio/ inside --out is a link to another folder: nothing lands there.
    let site = dir.join("site");
    let elsewhere = dir.join("elsewhere");
    std::fs::create_dir_all(&site).unwrap_or_else(|e| panic!("{e}"));
    std::fs::create_dir_all(&elsewhere).unwrap_or_else(|e| panic!("{e}"));
    std::os::unix::fs::symlink(&elsewhere, site.join("audio")).unwrap_or_else(|e| panic!("{e}"));
    let (code, _out, err) = publish(dir, &["--lang", "en", "--out", "site"]);
    assert_eq!(code, Some(0), "{err}");
    assert!(files(&elsewhere).is_empty(), "{:?}", files(&elsewhere));
    assert!(err.contains("audio/"), "{err}");

    // A line naming a file outside the audio folder, with its real hash.
    let secret = dir.join("secret.mp3");
    std::fs::write(&secret, b"not for the public site").unwrap_or_else(|e| panic!("{e}"));
    let playlog = dir.join("playlog");
    let state = read_state(&playlog, true).unwrap_or_else(|e| panic!("{e}"));
    let mut log = PlayLog::new(&playlog, TZ, &state);
    for path in ["../secret.mp3", "/etc/../../secret.mp3"] {
        let entry = AudioEntry {
            path: path.into(),
            sha256: sha(&secret),
            length_s: 1.0,
            gain_db: None,
            unmeasured: false,
            speech: None,
        };
        attempt(&mut log, path, local(3, 9, 7, 0), entry, Outcome::Played);
    }
    let clean = dir.join("clean");
    let (code, _out, err) = publish(dir, &["--lang", "en", "--out", "clean"]);
    assert_eq!(code, Some(0), "{err}");
    for (rel, _) in files(&clean) {
        let bytes = std::fs::read(clean.join(&rel)).unwrap_or_default();
        assert_ne!(bytes, b"not for the public site", "{}", rel.display());
    }
}
