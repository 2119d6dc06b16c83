//! The shipped systemd unit and Debian packaging.

mod common;

use std::process::Command;

fn analyze(args: &[&str]) -> std::process::Output {
    Command::new("systemd-analyze")
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("systemd-analyze: {e} (scripts/setup.sh installs systemd)"))
}

#[test]
fn the_unit_scores_2_or_lower_on_systemd_analyze_security() {
    let unit = common::repo().join("deploy/loa.service");
    let out = analyze(&["security", "--offline=true", &unit.display().to_string()]);
    let text = String::from_utf8_lossy(&out.stdout);
    let line = text
        .lines()
        .find(|l| l.contains("Overall exposure level for loa.service:"))
        .unwrap_or_else(|| panic!("{text}{}", String::from_utf8_lossy(&out.stderr)));
    let score: f64 = line
        .split(':')
        .nth(1)
        .and_then(|v| v.split_whitespace().next())
        .and_then(|v| v.parse().ok())
        .unwrap_or(10.0);
    println!("{line}");
    assert!(score <= 2.0, "{line}");
}

#[test]
fn the_unit_passes_systemd_analyze_verify() {
    // Verify needs the binary where ExecStart says; point it at this build.
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let text =
        std::fs::read_to_string(common::repo().join("deploy/loa.service")).unwrap_or_default();
    assert!(text.contains("ExecStart=/usr/bin/loa --config /etc/loa/config.yaml run"));
    let unit = dir.path().join("loa.service");
    common::write(
        &unit,
        &text.replace("/usr/bin/loa", env!("CARGO_BIN_EXE_loa")),
    );
    let out = analyze(&["verify", &unit.display().to_string()]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    let ours: Vec<&str> = stderr
        .lines()
        .filter(|l| l.contains("loa.service"))
        .collect();
    assert!(out.status.success() && ours.is_empty(), "{stderr}");
    for want in [
        "Type=notify",
        "WatchdogSec=",
        "User=loa",
        "SupplementaryGroups=audio",
        "Restart=always",
        "After=time-sync.target sound.target",
        "Wants=time-sync.target sound.target",
        "ExecReload=/bin/kill -HUP $MAINPID",
        "ProtectSystem=strict",
        "ReadWritePaths=/var/lib/loa",
        "DeviceAllow=char-alsa rw",
        "RestrictAddressFamilies=AF_UNIX",
    ] {
        assert!(text.lines().any(|l| l.starts_with(want)), "missing {want}");
    }
}
