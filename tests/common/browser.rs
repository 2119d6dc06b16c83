//! Headless chromium for the tests that look at a page loa wrote (the HTML
//! report, the portal page), and the screenshot read back as pixels.

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// Runs headless chromium with a window of `size` and `args` (profile,
/// `--screenshot=`, `--dump-dom`, the page), at most 90 s; returns what it
/// printed. Panics when chromium is not installed (scripts/setup.sh
/// installs it) or does not finish.
pub fn chromium(size: (u32, u32), args: &[String], scratch: &Path) -> String {
    let bin = ["chromium", "chromium-browser", "google-chrome"]
        .into_iter()
        .find(|c| {
            Command::new(c)
                .arg("--version")
                .output()
                .is_ok_and(|o| o.status.success())
        })
        .unwrap_or_else(|| panic!("chromium not found: run scripts/setup.sh (it installs it)"));
    let out_path = scratch.join("chromium-stdout.txt");
    let out = std::fs::File::create(&out_path).unwrap_or_else(|e| panic!("{e}"));
    let mut child = Command::new(bin)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-dev-shm-usage",
            "--hide-scrollbars",
        ])
        .arg(format!("--window-size={},{}", size.0, size.1))
        .args(args)
        .stdin(Stdio::null())
        .stdout(out)
        .stderr(Stdio::null())
        .spawn()
        .unwrap_or_else(|e| panic!("{e}"));
    let deadline = Instant::now() + Duration::from_secs(90);
    while child.try_wait().ok().flatten().is_none() {
        if Instant::now() > deadline {
            let _ = child.kill();
            panic!("chromium did not finish in 90 s");
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    std::fs::read_to_string(&out_path).unwrap_or_default()
}

/// A screenshot's pixels, 8 bits a sample.
pub struct Shot {
    pub width: u32,
    pub height: u32,
    /// Samples a pixel (3 or 4).
    pub samples: usize,
    pub pixels: Vec<u8>,
}

impl Shot {
    pub fn read(path: &Path) -> Shot {
        let file = std::fs::File::open(path).unwrap_or_else(|e| panic!("no screenshot: {e}"));
        let mut dec = png::Decoder::new(std::io::BufReader::new(file));
        dec.set_transformations(png::Transformations::EXPAND | png::Transformations::STRIP_16);
        let mut reader = dec.read_info().unwrap_or_else(|e| panic!("{e}"));
        let mut buf = vec![0; reader.output_buffer_size().unwrap_or(0)];
        let info = reader
            .next_frame(&mut buf)
            .unwrap_or_else(|e| panic!("{e}"));
        buf.truncate(info.buffer_size());
        Shot {
            width: info.width,
            height: info.height,
            samples: info.color_type.samples(),
            pixels: buf,
        }
    }

    pub fn total(&self) -> usize {
        self.pixels.len() / self.samples
    }

    /// Pixels darker than mid-grey: text and lines.
    pub fn dark(&self) -> usize {
        self.pixels
            .chunks(self.samples)
            .filter(|p| p.iter().take(3).map(|c| u32::from(*c)).sum::<u32>() < 3 * 128)
            .count()
    }

    /// Pixels with one channel well apart from another: colour.
    pub fn coloured(&self) -> usize {
        self.pixels
            .chunks(self.samples)
            .filter(|p| p.len() >= 3 && (i32::from(p[0]) - i32::from(p[2])).abs() > 80)
            .count()
    }
}
