//! Runs a command under a systemd unit's sandbox, reproduced from the
//! unit's own lines (tests/common/sandbox.rs), on a machine where systemd
//! is not PID 1: how scripts/check-installed.sh starts the installed daemon
//! "as systemd would". A test tool; not installed by the package.
//!
//!     unit_sandbox --unit /lib/systemd/system/loa.service [--as-unit-user]
//!                  [--rw DIR]... [--run ENTRY]... -- COMMAND [ARGS...]
//!
//! `--rw` replaces the unit's ReadWritePaths; `--run` gives a fresh /run
//! holding ENTRY (a folder when it ends in `/`); `--as-unit-user` runs as
//! the unit's User=, Group= and SupplementaryGroups=.

#[path = "../tests/common/sandbox.rs"]
mod sandbox;

use std::os::unix::process::CommandExt as _;
use std::path::PathBuf;
use std::process::{Command, ExitCode};

fn main() -> ExitCode {
    let mut args = std::env::args().skip(1);
    let mut unit = None;
    let mut rw: Vec<PathBuf> = Vec::new();
    let mut run: Vec<String> = Vec::new();
    let mut as_user = false;
    let mut command: Vec<String> = Vec::new();
    while let Some(a) = args.next() {
        match a.as_str() {
            "--unit" => unit = args.next().map(PathBuf::from),
            "--rw" => rw.extend(args.next().map(PathBuf::from)),
            "--run" => run.extend(args.next()),
            "--as-unit-user" => as_user = true,
            "--" => {
                command.extend(args.by_ref());
                break;
            }
            other => {
                eprintln!("unit_sandbox: unknown argument {other}");
                return ExitCode::from(2);
            }
        }
    }
    let (Some(unit), Some((program, rest))) = (unit, command.split_first()) else {
        eprintln!(
            "unit_sandbox --unit FILE [--as-unit-user] [--rw DIR]... [--run ENTRY]... -- COMMAND..."
        );
        return ExitCode::from(2);
    };
    let unit = sandbox::Unit::read(&unit);
    let mut sb = unit.sandbox((!rw.is_empty()).then_some(rw));
    if !run.is_empty() {
        let entries: Vec<&str> = run.iter().map(String::as_str).collect();
        sb = sb.with_run(&entries);
    }
    if as_user {
        sb = sb.run_as(unit.ids());
    }
    let mut cmd = Command::new(program);
    cmd.args(rest);
    sb.apply(&mut cmd);
    let err = cmd.exec();
    eprintln!("unit_sandbox: {program}: {err}");
    ExitCode::from(1)
}
