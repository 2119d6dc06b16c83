//! The relay's receiving side against real sources (SPEC §8): icecast2 fed
//! by ffmpeg (MP3, AAC, Ogg Vorbis), HLS written live by ffmpeg and served
//! by a small HTTP server here, and sources that are down.
//!
//! The tests take turns (one lock): they count the process's `loa-relay`
//! threads and measure their CPU time.

#[path = "common/icecast.rs"]
mod icecast;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use icecast::{Codec, Feed, Icecast};
use loa::sound::relay::{CHANNELS, Live, RATE, Source};

static TURN: Mutex<()> = Mutex::new(());

fn turn() -> MutexGuard<'static, ()> {
    let guard = TURN.lock().unwrap_or_else(|p| p.into_inner());
    // What an earlier test left has gone (it must within a second).
    assert!(wait(Duration::from_secs(2), || relay_threads().is_empty()));
    guard
}

fn live(url: &str) -> Live {
    Live::start(Source::parse(url).unwrap_or_else(|e| panic!("{url}: {e:?}")))
}

fn wait(limit: Duration, mut ok: impl FnMut() -> bool) -> bool {
    let began = Instant::now();
    while began.elapsed() < limit {
        if ok() {
            return true;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    ok()
}

/// The task ids of this process's receiving threads.
fn relay_threads() -> Vec<String> {
    let Ok(tasks) = std::fs::read_dir("/proc/self/task") else {
        return Vec::new();
    };
    tasks
        .flatten()
        .filter(|t| {
            std::fs::read_to_string(t.path().join("comm")).is_ok_and(|c| c.trim() == "loa-relay")
        })
        .map(|t| t.file_name().to_string_lossy().into_owned())
        .collect()
}

/// User + system CPU time of the receiving threads, from /proc.
fn relay_cpu() -> Duration {
    let hz = unsafe { libc::sysconf(libc::_SC_CLK_TCK) }.max(1) as u64;
    let ticks: u64 = relay_threads()
        .iter()
        .filter_map(|t| std::fs::read_to_string(format!("/proc/self/task/{t}/stat")).ok())
        .map(|s| {
            let after = s.rsplit_once(')').map_or("", |(_, r)| r);
            let f: Vec<&str> = after.split_whitespace().collect();
            // Fields 14 and 15 (utime, stime), counted from the state (3).
            f.get(11).and_then(|v| v.parse::<u64>().ok()).unwrap_or(0)
                + f.get(12).and_then(|v| v.parse::<u64>().ok()).unwrap_or(0)
        })
        .sum();
    Duration::from_millis(ticks * 1000 / hz)
}

/// Waits until the ring holds `secs` of sound, then takes `secs` of it
/// (left channel), after a quarter second let go (a decoder's start).
fn take_left(live: &Live, secs: f32, limit: Duration) -> Option<Vec<f32>> {
    let want = Duration::from_secs_f32(secs + 0.25);
    if !wait(limit, || live.buffered() >= want) {
        return None;
    }
    let mut skip = vec![0.0f32; RATE as usize / 4 * usize::from(CHANNELS)];
    live.take(&mut skip);
    let mut all = vec![0.0f32; (RATE as f32 * secs) as usize * usize::from(CHANNELS)];
    let got = live.take(&mut all);
    Some(all[..got * 2].iter().step_by(2).copied().collect())
}

/// Upward zero crossings a second.
fn frequency(left: &[f32]) -> f32 {
    let ups = left
        .windows(2)
        .filter(|w| w[0] < 0.0 && w[1] >= 0.0)
        .count();
    ups as f32 * RATE as f32 / left.len().max(1) as f32
}

fn rms(left: &[f32]) -> f32 {
    (left.iter().map(|s| s * s).sum::<f32>() / left.len().max(1) as f32).sqrt()
}

/// ffmpeg's sine (amplitude 1/8) at 440 Hz, within a codec's tolerance.
fn assert_tone(what: &str, left: &[f32]) {
    let (f, level) = (frequency(left), rms(left));
    eprintln!("{what}: {f:.1} Hz, rms {level:.4}");
    assert!((f - 440.0).abs() < 3.0, "{what}: {f} Hz");
    let want = 0.125 / 2f32.sqrt();
    assert!((level - want).abs() < want * 0.15, "{what}: rms {level}");
}

#[test]
fn mp3_aac_and_vorbis_streams_from_icecast_are_heard() {
    let _turn = turn();
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let ice = Icecast::start(dir.path());
    for (codec, mount) in [
        (Codec::Mp3, "test.mp3"),
        (Codec::Aac, "test.aac"),
        (Codec::Vorbis, "test.ogg"),
    ] {
        let _feed = Feed::start(ice.port, mount, codec);
        assert!(wait(Duration::from_secs(10), || icecast::mount_up(
            &ice.url(mount)
        )));
        let began = Instant::now();
        let live = live(&ice.url(mount));
        assert!(
            wait(Duration::from_secs(3), || live.stats().ever_received),
            "{codec:?}: no sound within 3 s: {:?}",
            live.stats()
        );
        eprintln!("{codec:?}: first sound after {:?}", began.elapsed());
        let left = take_left(&live, 1.0, Duration::from_secs(5))
            .unwrap_or_else(|| panic!("{codec:?}: not 1.25 s of sound: {:?}", live.stats()));
        assert_tone(&format!("{codec:?}"), &left);
        let s = live.stats();
        assert_eq!((s.dropouts, s.failures), (0, 0), "{s:?}");
    }
}

/// Takes from a live in real time, as the output does, noting for each
/// 10 ms whether sound came.
struct Player {
    stop: Arc<AtomicBool>,
    thread: Option<std::thread::JoinHandle<Vec<(Instant, bool)>>>,
}

impl Player {
    fn start(live: Arc<Live>) -> Player {
        let stop = Arc::new(AtomicBool::new(false));
        let s = stop.clone();
        let thread = std::thread::spawn(move || {
            let mut log = Vec::new();
            let mut buf = vec![0.0f32; RATE as usize / 100 * 2];
            let began = Instant::now();
            let mut n = 0u32;
            while !s.load(Ordering::Acquire) {
                n += 1;
                let due = began + Duration::from_millis(10) * n;
                if let Some(w) = due.checked_duration_since(Instant::now()) {
                    std::thread::sleep(w);
                }
                let got = live.take(&mut buf);
                log.push((Instant::now(), got * 2 == buf.len()));
            }
            log
        });
        Player {
            stop,
            thread: Some(thread),
        }
    }

    fn finish(mut self) -> Vec<(Instant, bool)> {
        self.stop.store(true, Ordering::Release);
        self.thread
            .take()
            .and_then(|t| t.join().ok())
            .unwrap_or_default()
    }
}

#[test]
fn a_two_second_outage_is_bridged_without_spinning() {
    let _turn = turn();
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let ice = Icecast::start(dir.path());
    let url = ice.url("live.mp3");
    let feed = Feed::start(ice.port, "live.mp3", Codec::Mp3);
    assert!(wait(Duration::from_secs(10), || icecast::mount_up(&url)));
    let live = Arc::new(live(&url));
    let player = Player::start(live.clone());
    assert!(wait(Duration::from_secs(3), || live.stats().ever_received));
    std::thread::sleep(Duration::from_secs(2));
    // The outage: the encoder goes away for 2 s.
    let cpu_before = relay_cpu();
    let down = Instant::now();
    feed.stop();
    std::thread::sleep(Duration::from_secs(2));
    let cpu = relay_cpu().saturating_sub(cpu_before);
    let outage = down.elapsed();
    let back = Instant::now();
    let _feed = Feed::start(ice.port, "live.mp3", Codec::Mp3);
    assert!(wait(Duration::from_secs(10), || icecast::mount_up(&url)));
    let mount = Instant::now();
    std::thread::sleep(Duration::from_secs(4));
    let log = player.finish();
    let stats = live.stats();
    let dry = log
        .iter()
        .filter(|(t, sound)| *t > down + Duration::from_millis(500) && *t < back && !*sound)
        .count();
    let heard = log
        .iter()
        .find(|(t, sound)| *t > back && *sound)
        .map(|(t, _)| *t);
    eprintln!(
        "outage: relay thread CPU {cpu:?} over {outage:?}; mount back {:?} after the encoder restarted; \
         sound back {:?} after the mount; {stats:?}",
        mount - back,
        heard.map(|t| t.saturating_duration_since(mount))
    );
    assert!(stats.dropouts >= 1, "{stats:?}");
    assert!(
        dry > 50,
        "the ring did not run dry in the outage ({dry} empty 10 ms)"
    );
    let heard = heard.unwrap_or_else(|| panic!("no sound after the source came back: {stats:?}"));
    assert!(
        heard.saturating_duration_since(mount) < Duration::from_millis(1300),
        "sound came back {:?} after the mount",
        heard - mount
    );
    assert!(
        cpu < Duration::from_millis(200),
        "CPU {cpu:?} in a 2 s outage"
    );
}

/// A small static HTTP/1.1 server for a folder (GET with Content-Length,
/// 404 for what is not there), one connection at a time.
struct Server {
    port: u16,
    stop: Arc<AtomicBool>,
}

impl Server {
    fn start(root: PathBuf) -> Server {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap_or_else(|e| panic!("{e}"));
        let port = listener.local_addr().map(|a| a.port()).unwrap_or(0);
        let stop = Arc::new(AtomicBool::new(false));
        let s = stop.clone();
        std::thread::spawn(move || {
            for conn in listener.incoming() {
                if s.load(Ordering::Acquire) {
                    return;
                }
                if let Ok(c) = conn {
                    serve(&root, c);
                }
            }
        });
        Server { port, stop }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Release);
        let _ = std::net::TcpStream::connect(("127.0.0.1", self.port));
    }
}

fn serve(root: &Path, mut conn: std::net::TcpStream) {
    let _ = conn.set_read_timeout(Some(Duration::from_secs(2)));
    let mut reader = BufReader::new(match conn.try_clone() {
        Ok(c) => c,
        Err(_) => return,
    });
    let mut line = String::new();
    if reader.read_line(&mut line).is_err() {
        return;
    }
    let path = line.split_whitespace().nth(1).unwrap_or("/").to_string();
    loop {
        let mut h = String::new();
        if reader.read_line(&mut h).map_or(true, |n| n == 0) || h.trim().is_empty() {
            break;
        }
    }
    let name = path.split('?').next().unwrap_or("").trim_start_matches('/');
    let file = root.join(name);
    let (status, body, mime) = match std::fs::read(&file) {
        Ok(b) if !name.contains("..") && !name.is_empty() => {
            let mime = match file.extension().and_then(|e| e.to_str()) {
                Some("m3u8") => "application/vnd.apple.mpegurl",
                Some("ts") => "video/mp2t",
                Some("aac") => "audio/aac",
                Some("mp3") => "audio/mpeg",
                _ => "application/octet-stream",
            };
            ("200 OK", b, mime)
        }
        _ => ("404 Not Found", b"not found".to_vec(), "text/plain"),
    };
    let head = format!(
        "HTTP/1.1 {status}\r\nContent-Type: {mime}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    );
    let _ = conn.write_all(head.as_bytes());
    let _ = conn.write_all(&body);
}

#[test]
fn sources_that_are_down_fail_and_stop_promptly() {
    let _turn = turn();
    // Nobody listens.
    let port = icecast::free_port();
    let refused = live(&format!("http://127.0.0.1:{port}/vov1"));
    // A server with nothing there: 404.
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let server = Server::start(dir.path().to_path_buf());
    let missing = live(&format!("http://127.0.0.1:{}/nothing.mp3", server.port));
    // A server that accepts and never answers.
    let mute = TcpListener::bind("127.0.0.1:0").unwrap_or_else(|e| panic!("{e}"));
    let mute_port = mute.local_addr().map(|a| a.port()).unwrap_or(0);
    let held = Arc::new(Mutex::new(Vec::new()));
    let h = held.clone();
    std::thread::spawn(move || {
        for c in mute.incoming().flatten() {
            h.lock().unwrap_or_else(|p| p.into_inner()).push(c);
        }
    });
    let silent = live(&format!("http://127.0.0.1:{mute_port}/stream"));
    assert!(wait(Duration::from_secs(5), || {
        refused.stats().failures >= 2 && missing.stats().failures >= 2
    }));
    let s = refused.stats();
    assert!(!s.ever_received && s.dropouts == 0, "{s:?}");
    let s = missing.stats();
    assert!(
        s.last_error.as_deref().is_some_and(|e| e.contains("404")),
        "{s:?}"
    );
    assert!(!s.ever_received);
    assert!(
        wait(Duration::from_secs(6), || silent.stats().failures >= 1),
        "a server that never answers is not counted: {:?}",
        silent.stats()
    );
    assert!(!silent.stats().ever_received);
    assert_eq!(relay_threads().len(), 3);
    // Dropped while blocked in a read on the mute server: gone within 1 s.
    std::thread::sleep(Duration::from_millis(300));
    let dropped = Instant::now();
    drop((refused, missing, silent));
    assert!(
        wait(Duration::from_secs(1), || relay_threads().is_empty()),
        "receiving threads left after 1 s: {:?}",
        relay_threads()
    );
    eprintln!("threads gone {:?} after the drop", dropped.elapsed());
}

/// ffmpeg writing a live HLS of a 440 Hz sine into `dir`, in real time.
fn hls_writer(dir: &Path, args: &[&str]) -> Child {
    Command::new("ffmpeg")
        .args([
            "-nostdin",
            "-hide_banner",
            "-loglevel",
            "error",
            "-re",
            "-f",
            "lavfi",
        ])
        .args(["-i", "sine=frequency=440:sample_rate=44100"])
        .args(args)
        .current_dir(dir)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap_or_else(|e| panic!("ffmpeg (scripts/setup.sh installs it): {e}"))
}

#[test]
fn live_hls_in_mpeg_ts_and_packed_audio_is_heard() {
    let _turn = turn();
    let hls = "-f hls -hls_time 1 -hls_list_size 5 -hls_flags delete_segments index.m3u8";
    // Packed audio (RFC 8216 §3.4): ffmpeg's segment muxer writes raw
    // ADTS or MP3 segments and a live playlist.
    let packed = "-f segment -segment_time 1 -segment_list index.m3u8 -segment_list_type m3u8 \
                  -segment_list_size 5 -segment_list_flags +live";
    for (what, args) in [
        ("TS with AAC", format!("-c:a aac -b:a 96k {hls}")),
        ("TS with MP3", format!("-c:a libmp3lame -b:a 96k {hls}")),
        (
            "packed AAC",
            format!("-c:a aac -b:a 96k {packed} -segment_format adts seg%03d.aac"),
        ),
        (
            "packed MP3",
            format!("-c:a libmp3lame -b:a 96k {packed} -segment_format mp3 seg%03d.mp3"),
        ),
    ] {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let all: Vec<&str> = args.split_whitespace().collect();
        let mut writer = hls_writer(dir.path(), &all);
        let playlist = dir.path().join("index.m3u8");
        // Three segments out, so the live edge has some.
        assert!(wait(Duration::from_secs(15), || {
            std::fs::read_to_string(&playlist).is_ok_and(|t| t.matches("#EXTINF").count() >= 3)
        }));
        let server = Server::start(dir.path().to_path_buf());
        let live = live(&format!("http://127.0.0.1:{}/index.m3u8", server.port));
        let left = take_left(&live, 1.0, Duration::from_secs(5))
            .unwrap_or_else(|| panic!("{what}: no sound: {:?}", live.stats()));
        assert_tone(what, &left);
        // Live: it keeps coming, paced (about 2 s waiting, not the 3 s
        // of the ring).
        std::thread::sleep(Duration::from_secs(3));
        let buffered = live.buffered();
        assert!(
            buffered > Duration::from_millis(1500) && buffered < Duration::from_millis(2900),
            "{what}: {buffered:?} buffered"
        );
        let _ = writer.kill();
        let _ = writer.wait();
        drop(live);
        drop(server);
    }
}

#[test]
fn an_ended_hls_playlist_plays_to_its_end_then_counts_lost() {
    let _turn = turn();
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let ok = Command::new("ffmpeg")
        .args([
            "-nostdin",
            "-hide_banner",
            "-loglevel",
            "error",
            "-f",
            "lavfi",
        ])
        .args(["-i", "sine=frequency=440:sample_rate=44100:duration=4"])
        .args([
            "-c:a",
            "aac",
            "-f",
            "hls",
            "-hls_time",
            "1",
            "-hls_list_size",
            "0",
        ])
        .args(["-hls_playlist_type", "vod", "vod.m3u8"])
        .current_dir(dir.path())
        .status()
        .is_ok_and(|s| s.success());
    assert!(ok, "ffmpeg could not write the playlist");
    let mut text = String::new();
    let _ = std::fs::File::open(dir.path().join("vod.m3u8"))
        .and_then(|mut f| f.read_to_string(&mut text));
    assert!(text.contains("#EXT-X-ENDLIST"));
    let server = Server::start(dir.path().to_path_buf());
    let live = live(&format!("http://127.0.0.1:{}/vod.m3u8", server.port));
    assert!(
        wait(Duration::from_secs(5), || live.stats().dropouts >= 1),
        "{:?}",
        live.stats()
    );
    let s = live.stats();
    assert!(s.ever_received, "{s:?}");
    assert!(
        s.last_error.as_deref().is_some_and(|e| e.contains("ended")),
        "{s:?}"
    );
    // The live edge: the last three segments (about 3 s), not all four.
    let held = live.buffered();
    assert!(held > Duration::from_millis(1500), "{held:?}");
}

/// This process's resident memory, from /proc.
fn rss() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .unwrap_or_default()
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
        .unwrap_or(0)
        * 1024
}

/// One MPEG-TS packet on `pid` with `payload` after a 4-byte header
/// (stuffed with 0xFF), the payload unit start flag set when `start`.
fn ts_packet(pid: u16, start: bool, payload: &[u8]) -> Vec<u8> {
    let mut p = vec![0x47, (pid >> 8) as u8 & 0x1F, pid as u8, 0x10];
    if start {
        p[1] |= 0x40;
    }
    p.extend_from_slice(payload);
    p.resize(188, 0xFF);
    p
}

/// A hostile HLS server on 127.0.0.1 (issue 25, item 6): a live playlist
/// whose segment never ends (a PAT and a PMT naming an AAC stream, then
/// null packets without end, as fast as the socket takes them). It stops
/// by itself after `life`; returns the playlist's URL and how many bytes
/// of segment it sent.
fn endless_segment_server(life: Duration) -> (String, Arc<std::sync::atomic::AtomicU64>) {
    use std::io::{Read as _, Write as _};
    use std::sync::atomic::{AtomicU64, Ordering};
    let listener = TcpListener::bind("127.0.0.1:0").unwrap_or_else(|e| panic!("{e}"));
    let port = listener.local_addr().map(|a| a.port()).unwrap_or(0);
    listener
        .set_nonblocking(true)
        .unwrap_or_else(|e| panic!("{e}"));
    let sent = Arc::new(AtomicU64::new(0));
    let counted = sent.clone();
    std::thread::spawn(move || {
        let began = Instant::now();
        while began.elapsed() < life {
            let Ok((mut conn, _)) = listener.accept() else {
                std::thread::sleep(Duration::from_millis(10));
                continue;
            };
            let counted = counted.clone();
            std::thread::spawn(move || {
                let _ = conn.set_nonblocking(false);
                let mut req = [0u8; 2048];
                let n = conn.read(&mut req).unwrap_or(0);
                let req = String::from_utf8_lossy(&req[..n]).into_owned();
                if req.starts_with("GET /live.m3u8") {
                    let body = "#EXTM3U\n#EXT-X-VERSION:3\n#EXT-X-TARGETDURATION:2\n#EXT-X-MEDIA-SEQUENCE:1\n#EXTINF:2.0,\nseg1.ts\n#EXTINF:2.0,\nseg2.ts\n";
                    let _ = write!(
                        conn,
                        "HTTP/1.1 200 OK\r\nContent-Type: application/vnd.apple.mpegurl\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                        body.len()
                    );
                    return;
                }
                let _ = write!(
                    conn,
                    "HTTP/1.1 200 OK\r\nContent-Type: video/mp2t\r\nConnection: close\r\n\r\n"
                );
                // PAT: program 1 → PMT on PID 0x1000; PMT: AAC (0x0F) on 0x100.
                let pat = [
                    0, 0x00, 0xB0, 0x0D, 0, 1, 0xC1, 0, 0, 0, 1, 0xF0, 0x00, 0, 0, 0, 0,
                ];
                let pmt = [
                    0, 0x02, 0xB0, 0x12, 0, 1, 0xC1, 0, 0, 0xE1, 0x00, 0xF0, 0x00, 0x0F, 0xE1,
                    0x00, 0xF0, 0x00, 0, 0, 0, 0,
                ];
                let mut head = ts_packet(0, true, &pat);
                head.extend(ts_packet(0x1000, true, &pmt));
                if conn.write_all(&head).is_err() {
                    return;
                }
                let null: Vec<u8> = (0..1024)
                    .flat_map(|_| ts_packet(0x1FFF, false, &[]))
                    .collect();
                let began = Instant::now();
                while began.elapsed() < life {
                    if conn.write_all(&null).is_err() {
                        return;
                    }
                    counted.fetch_add(null.len() as u64, Ordering::Relaxed);
                }
            });
        }
    });
    (format!("http://127.0.0.1:{port}/live.m3u8"), sent)
}

#[test]
fn an_endless_hls_segment_costs_a_bounded_amount_and_is_on_record() {
    let _turn = turn();
    let (url, sent) = endless_segment_server(Duration::from_secs(12));
    let before = rss();
    let live = live(&url);
    let mut peak = 0;
    let said = wait(Duration::from_secs(10), || {
        peak = peak.max(rss());
        live.stats()
            .last_error
            .is_some_and(|e| e.contains("holds more than"))
    });
    let grew = peak.saturating_sub(before);
    let st = live.stats();
    drop(live);
    assert!(said, "{:?}", st.last_error);
    assert!(!st.ever_received && st.aired.is_zero(), "{st:?}");
    // The cap for a 2 s target is 1 MiB a segment: the ring and a few
    // buffers, not the segment, are what the receiver holds.
    assert!(
        grew < 48 << 20,
        "grew {} MiB while the server sent {} MiB",
        grew >> 20,
        sent.load(std::sync::atomic::Ordering::Relaxed) >> 20
    );
}
