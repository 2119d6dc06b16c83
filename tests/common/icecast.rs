//! A real Icecast server on loopback fed by ffmpeg (SPEC §8), for the relay
//! tests and the relay benchmark: `icecast2` with a generated config in a
//! temporary folder, and `ffmpeg` encoding a 440 Hz sine to a mount.
#![allow(dead_code)]

use std::net::{TcpListener, TcpStream};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

pub const PASSWORD: &str = "loatest";

/// A port nobody listens on right now.
pub fn free_port() -> u16 {
    let l = TcpListener::bind("127.0.0.1:0").unwrap_or_else(|e| panic!("bind: {e}"));
    l.local_addr()
        .map(|a| a.port())
        .unwrap_or_else(|e| panic!("{e}"))
}

/// Waits up to `limit` until `port` accepts connections.
pub fn wait_port(port: u16, limit: Duration) -> bool {
    let began = Instant::now();
    while began.elapsed() < limit {
        if TcpStream::connect(("127.0.0.1", port)).is_ok() {
            return true;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    false
}

/// A running icecast2; killed when dropped.
pub struct Icecast {
    pub port: u16,
    child: Child,
}

impl Icecast {
    /// Starts icecast2 on a free loopback port with its logs in `dir`.
    /// As root, it changes to nobody:nogroup (it refuses to run as root),
    /// so `dir` is made writable for that user.
    pub fn start(dir: &Path) -> Icecast {
        let port = free_port();
        let root = unsafe { libc::geteuid() } == 0;
        let security = if root {
            "<security><chroot>0</chroot><changeowner><user>nobody</user><group>nogroup</group></changeowner></security>"
        } else {
            "<security><chroot>0</chroot></security>"
        };
        let logs = dir.join("icecast-log");
        std::fs::create_dir_all(&logs).unwrap_or_else(|e| panic!("{e}"));
        for d in [dir, logs.as_path()] {
            use std::os::unix::fs::PermissionsExt;
            let _ = std::fs::set_permissions(d, std::fs::Permissions::from_mode(0o777));
        }
        let conf = format!(
            "<icecast>\n<location>loa test</location><admin>test@localhost</admin>\n\
             <limits><clients>20</clients><sources>4</sources><queue-size>524288</queue-size>\
             <client-timeout>30</client-timeout><header-timeout>15</header-timeout>\
             <source-timeout>5</source-timeout><burst-on-connect>1</burst-on-connect>\
             <burst-size>65535</burst-size></limits>\n\
             <authentication><source-password>{PASSWORD}</source-password>\
             <relay-password>{PASSWORD}</relay-password><admin-user>admin</admin-user>\
             <admin-password>{PASSWORD}</admin-password></authentication>\n\
             <hostname>127.0.0.1</hostname>\n\
             <listen-socket><port>{port}</port><bind-address>127.0.0.1</bind-address></listen-socket>\n\
             <fileserve>1</fileserve>\n\
             <paths><basedir>{d}</basedir><logdir>{l}</logdir>\
             <webroot>/usr/share/icecast2/web</webroot><adminroot>/usr/share/icecast2/admin</adminroot>\
             <pidfile>{l}/icecast.pid</pidfile></paths>\n\
             <logging><accesslog>access.log</accesslog><errorlog>error.log</errorlog>\
             <loglevel>2</loglevel></logging>\n{security}\n</icecast>\n",
            d = dir.display(),
            l = logs.display(),
        );
        let path = dir.join("icecast.xml");
        std::fs::write(&path, conf).unwrap_or_else(|e| panic!("{e}"));
        let child = Command::new("icecast2")
            .arg("-c")
            .arg(&path)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| panic!("icecast2 (scripts/setup.sh installs it): {e}"));
        let ice = Icecast { port, child };
        assert!(
            wait_port(port, Duration::from_secs(10)),
            "icecast2 did not listen on {port}; see {}",
            logs.join("error.log").display()
        );
        ice
    }

    pub fn url(&self, mount: &str) -> String {
        format!("http://127.0.0.1:{}/{mount}", self.port)
    }
}

impl Drop for Icecast {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A codec ffmpeg sends with.
#[derive(Clone, Copy, Debug)]
pub enum Codec {
    Mp3,
    Aac,
    Vorbis,
}

impl Codec {
    /// ffmpeg's output arguments for this codec to Icecast.
    fn args(self) -> [&'static str; 6] {
        match self {
            Codec::Mp3 => [
                "-c:a",
                "libmp3lame",
                "-content_type",
                "audio/mpeg",
                "-f",
                "mp3",
            ],
            Codec::Aac => ["-c:a", "aac", "-content_type", "audio/aac", "-f", "adts"],
            Codec::Vorbis => [
                "-c:a",
                "libvorbis",
                "-content_type",
                "application/ogg",
                "-f",
                "ogg",
            ],
        }
    }
}

/// ffmpeg feeding a 440 Hz sine (amplitude 1/8, ffmpeg's default), in real
/// time, to a mount; killed when dropped.
pub struct Feed {
    child: Child,
}

impl Feed {
    pub fn start(port: u16, mount: &str, codec: Codec) -> Feed {
        let target = format!("icecast://source:{PASSWORD}@127.0.0.1:{port}/{mount}");
        let child = Command::new("ffmpeg")
            .args([
                "-nostdin",
                "-hide_banner",
                "-loglevel",
                "error",
                "-re",
                "-f",
                "lavfi",
            ])
            .args(["-i", "sine=frequency=440:sample_rate=44100", "-b:a", "128k"])
            .args(codec.args())
            .arg(target)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| panic!("ffmpeg (scripts/setup.sh installs it): {e}"));
        Feed { child }
    }

    pub fn stop(mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for Feed {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Whether `url` (http on loopback) answers 200 now.
pub fn mount_up(url: &str) -> bool {
    use std::io::{Read, Write};
    let Some(rest) = url.strip_prefix("http://") else {
        return false;
    };
    let Some((host, path)) = rest.split_once('/') else {
        return false;
    };
    let Ok(mut s) = TcpStream::connect(host) else {
        return false;
    };
    let _ = s.set_read_timeout(Some(Duration::from_millis(500)));
    let req = format!("GET /{path} HTTP/1.0\r\nHost: {host}\r\n\r\n");
    if s.write_all(req.as_bytes()).is_err() {
        return false;
    }
    let mut head = [0u8; 12];
    s.read_exact(&mut head).is_ok() && head.ends_with(b"200")
}

/// A running icecast2 with ffmpeg's 440 Hz sine on `mount`, up (waited for
/// at most 10 s): the server, the feed and the mount's URL.
pub fn serving(dir: &Path, mount: &str, codec: Codec) -> (Icecast, Feed, String) {
    let ice = Icecast::start(dir);
    let feed = Feed::start(ice.port, mount, codec);
    let url = ice.url(mount);
    let began = Instant::now();
    while !mount_up(&url) {
        assert!(
            began.elapsed() < Duration::from_secs(10),
            "{url} never came up"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    (ice, feed, url)
}
