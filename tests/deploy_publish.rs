//! The shipped systemd service and timer that run `loa publish` hourly.

mod common;

use std::process::Command;

#[test]
fn the_publish_service_and_timer_pass_systemd_analyze_verify() {
    // Verify needs the binary where ExecStart says; point it at this build.
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let service = std::fs::read_to_string(common::repo().join("deploy/loa-publish.service"))
        .unwrap_or_default();
    let timer = std::fs::read_to_string(common::repo().join("deploy/loa-publish.timer"))
        .unwrap_or_default();
    assert!(
        service.contains("ExecStart=/usr/bin/loa --config /etc/loa/config.yaml publish --out "),
        "{service}"
    );
    for want in [
        "Type=oneshot",
        "User=loa",
        "UMask=0022",
        "ProtectSystem=strict",
    ] {
        assert!(service.contains(want), "the service lacks {want}");
    }
    for want in [
        "OnCalendar=*-*-* *:07:00",
        "Persistent=true",
        "WantedBy=timers.target",
    ] {
        assert!(timer.contains(want), "the timer lacks {want}");
    }
    common::write(
        &dir.path().join("loa-publish.service"),
        &service.replace("/usr/bin/loa", env!("CARGO_BIN_EXE_loa")),
    );
    common::write(&dir.path().join("loa-publish.timer"), &timer);
    let out = Command::new("systemd-analyze")
        .arg("verify")
        .arg(dir.path().join("loa-publish.service"))
        .arg(dir.path().join("loa-publish.timer"))
        .output()
        .unwrap_or_else(|e| panic!("systemd-analyze: {e} (scripts/setup.sh installs systemd)"));
    let stderr = String::from_utf8_lossy(&out.stderr);
    let ours: Vec<&str> = stderr
        .lines()
        .filter(|l| l.contains("loa-publish"))
        .collect();
    assert!(out.status.success() && ours.is_empty(), "{stderr}");
}
