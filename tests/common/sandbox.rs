//! A systemd unit's sandbox, reproduced for a child process on a machine
//! where systemd is not PID 1 (the test machines): the unit's own
//! `[Service]` lines are read and applied with the kernel's primitives,
//! so a test of the daemon "as installed" runs under what the shipped unit
//! says, and goes red when the unit forbids what the daemon needs.
//!
//! Applied, in the child before exec:
//! - `PrivateNetwork=yes`: a new network namespace (its loopback down);
//! - `ProtectSystem=strict` with `ReadWritePaths=`: a private mount
//!   namespace where every mount is read-only but the writable paths
//!   (which a test may replace by its own station folder);
//! - `UMask=`; `User=`/`Group=`/`SupplementaryGroups=` when the test asks
//!   to run as the unit's user;
//! - `CapabilityBoundingSet=` (empty): every capability dropped, also for
//!   a child that stays uid 0;
//! - `NoNewPrivileges=yes`;
//! - a seccomp filter for `SystemCallFilter=` (allow list and `~` deny
//!   lists, groups expanded by `systemd-analyze syscall-filter`, so the
//!   groups are systemd's own), `ProtectClock=yes` (denies `@clock`), and
//!   `RestrictAddressFamilies=` (`socket()` of another family fails with
//!   EAFNOSUPPORT), with `SystemCallErrorNumber=` as the error.
//!
//! Not reproduced: `PrivateTmp`, `ProtectHome`, `DevicePolicy`, the
//! argument filters of `RestrictNamespaces`, `RestrictRealtime` and
//! `MemoryDenyWriteExecute`; x86_64 only (the test machines).
#![allow(dead_code)]

use std::collections::{BTreeMap, BTreeSet};
use std::ffi::CString;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::Command;

/// The `[Service]` settings of a unit file, in order (a key may repeat).
pub struct Unit {
    lines: Vec<(String, String)>,
}

impl Unit {
    pub fn read(path: &Path) -> Unit {
        let text =
            std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        Unit::parse(&text)
    }

    pub fn parse(text: &str) -> Unit {
        let mut section = String::new();
        let mut lines = Vec::new();
        for line in text.lines().map(str::trim) {
            if line.starts_with('[') {
                section = line.to_string();
            } else if section == "[Service]"
                && !line.starts_with('#')
                && let Some((k, v)) = line.split_once('=')
            {
                lines.push((k.trim().to_string(), v.trim().to_string()));
            }
        }
        Unit { lines }
    }

    /// Every value of `key`, in order; an empty value resets the list, as
    /// systemd reads it.
    pub fn values(&self, key: &str) -> Vec<String> {
        let mut out = Vec::new();
        for (k, v) in &self.lines {
            if k == key {
                if v.is_empty() {
                    out.clear();
                } else {
                    out.push(v.clone());
                }
            }
        }
        out
    }

    pub fn value(&self, key: &str) -> Option<String> {
        self.values(key).pop()
    }

    fn yes(&self, key: &str) -> bool {
        self.value(key)
            .is_some_and(|v| matches!(v.as_str(), "yes" | "true" | "1" | "on" | "strict"))
    }

    /// The sandbox this unit describes; `rw` replaces `ReadWritePaths=`
    /// (a test's station folder instead of /var/lib/loa) when given.
    pub fn sandbox(&self, rw: Option<Vec<PathBuf>>) -> Sandbox {
        let rw = rw.unwrap_or_else(|| {
            self.values("ReadWritePaths")
                .iter()
                .flat_map(|v| v.split_whitespace().map(PathBuf::from).collect::<Vec<_>>())
                .collect()
        });
        let umask = self
            .value("UMask")
            .and_then(|m| u32::from_str_radix(&m, 8).ok());
        Sandbox {
            new_net: self.yes("PrivateNetwork"),
            read_only: matches!(self.value("ProtectSystem").as_deref(), Some("strict")),
            rw,
            umask,
            user: None,
            no_caps: self
                .values("CapabilityBoundingSet")
                .iter()
                .all(|v| v.trim().is_empty()),
            no_new_privs: self.yes("NoNewPrivileges"),
            run: None,
            filter: self.filter(),
        }
    }

    /// The unit's user, group and supplementary groups, looked up here.
    pub fn ids(&self) -> Ids {
        let user = self.value("User").unwrap_or_else(|| "root".into());
        let group = self.value("Group").unwrap_or_else(|| user.clone());
        let mut groups: Vec<u32> = vec![gid(&group)];
        for g in self.values("SupplementaryGroups") {
            groups.extend(g.split_whitespace().map(gid));
        }
        Ids {
            uid: uid(&user),
            gid: gid(&group),
            groups,
        }
    }

    fn filter(&self) -> Vec<Insn> {
        let nr = syscall_numbers();
        let mut allowed: Option<BTreeSet<u32>> = None;
        let mut denied = BTreeSet::new();
        for v in self.values("SystemCallFilter") {
            let (deny, list) = match v.strip_prefix('~') {
                Some(rest) => (true, rest),
                None => (false, v.as_str()),
            };
            let names: BTreeSet<u32> = list
                .split_whitespace()
                .flat_map(expand)
                .filter_map(|n| nr.get(&n).copied())
                .collect();
            match (deny, allowed.as_mut()) {
                (true, Some(a)) => a.retain(|n| !names.contains(n)),
                (true, None) => denied.extend(names),
                (false, Some(a)) => a.extend(names),
                (false, None) => allowed = Some(names),
            }
        }
        if self.yes("ProtectClock") {
            let clock: BTreeSet<u32> = expand("@clock")
                .into_iter()
                .filter_map(|n| nr.get(&n).copied())
                .collect();
            match allowed.as_mut() {
                Some(a) => a.retain(|n| !clock.contains(n)),
                None => denied.extend(clock),
            }
        }
        let families: Option<Vec<u32>> = self.value("RestrictAddressFamilies").map(|v| {
            v.split_whitespace()
                .map(|f| match f {
                    "AF_UNIX" | "AF_LOCAL" => libc::AF_UNIX as u32,
                    "AF_INET" => libc::AF_INET as u32,
                    "AF_INET6" => libc::AF_INET6 as u32,
                    "AF_NETLINK" => libc::AF_NETLINK as u32,
                    "AF_PACKET" => libc::AF_PACKET as u32,
                    other => panic!("address family {other} is not known to the test sandbox"),
                })
                .collect()
        });
        let errno = match self.value("SystemCallErrorNumber").as_deref() {
            Some("EPERM") | None => libc::EPERM as u32,
            Some("EACCES") => libc::EACCES as u32,
            Some(other) => panic!("SystemCallErrorNumber={other} is not known to the test sandbox"),
        };
        program(allowed, denied, families, errno)
    }
}

/// Who the child runs as.
#[derive(Clone, Debug)]
pub struct Ids {
    pub uid: u32,
    pub gid: u32,
    pub groups: Vec<u32>,
}

fn uid(name: &str) -> u32 {
    let c = CString::new(name).unwrap_or_else(|e| panic!("{e}"));
    let pw = unsafe { libc::getpwnam(c.as_ptr()) };
    assert!(!pw.is_null(), "no user {name}");
    unsafe { (*pw).pw_uid }
}

fn gid(name: &str) -> u32 {
    let c = CString::new(name).unwrap_or_else(|e| panic!("{e}"));
    let gr = unsafe { libc::getgrnam(c.as_ptr()) };
    assert!(!gr.is_null(), "no group {name}");
    unsafe { (*gr).gr_gid }
}

/// What a child gets before exec.
pub struct Sandbox {
    pub new_net: bool,
    pub read_only: bool,
    pub rw: Vec<PathBuf>,
    pub umask: Option<u32>,
    pub user: Option<Ids>,
    pub no_caps: bool,
    pub no_new_privs: bool,
    /// A fresh /run holding these folders and empty files (paths under
    /// /run; a name ending in `/` is a folder): what services such as
    /// systemd-timesyncd would have put there.
    pub run: Option<Vec<String>>,
    filter: Vec<Insn>,
}

impl Sandbox {
    /// A fresh, private /run with `entries` in it (see [`Sandbox::run`]).
    pub fn with_run(mut self, entries: &[&str]) -> Sandbox {
        self.run = Some(entries.iter().map(|e| e.to_string()).collect());
        self
    }

    /// Runs the child as these ids (the unit's `User=`, say).
    pub fn run_as(mut self, ids: Ids) -> Sandbox {
        self.user = Some(ids);
        self
    }

    /// Puts this sandbox on `cmd`. Needs root (the namespaces and the
    /// change of user); the tests run as root.
    pub fn apply(&self, cmd: &mut Command) {
        let c = |p: &Path| CString::new(p.as_os_str().as_encoded_bytes()).ok();
        let root = CString::new("/").unwrap_or_default();
        let rw: Vec<CString> = self.rw.iter().filter_map(|p| c(p)).collect();
        let new_net = self.new_net;
        let read_only = self.read_only;
        let umask = self.umask;
        let user = self.user.clone();
        let no_caps = self.no_caps;
        let no_new_privs = self.no_new_privs;
        let filter = self.filter.clone();
        let run_dir = CString::new("/run").unwrap_or_default();
        let tmpfs = CString::new("tmpfs").unwrap_or_default();
        let fresh_run = self.run.is_some();
        let run_entries: Vec<(CString, bool)> = self
            .run
            .iter()
            .flatten()
            .filter_map(|e| {
                let dir = e.ends_with('/');
                CString::new(format!("/run/{}", e.trim_end_matches('/')))
                    .ok()
                    .map(|c| (c, dir))
            })
            .collect();
        let fail = std::io::Error::last_os_error;
        // SAFETY: between fork and exec the closure calls only system
        // calls on memory made before the fork.
        unsafe {
            cmd.pre_exec(move || {
                if new_net && libc::unshare(libc::CLONE_NEWNET) != 0 {
                    return Err(fail());
                }
                if read_only {
                    if libc::unshare(libc::CLONE_NEWNS) != 0 {
                        return Err(fail());
                    }
                    let none = std::ptr::null();
                    if libc::mount(
                        none,
                        root.as_ptr(),
                        none,
                        libc::MS_REC | libc::MS_PRIVATE,
                        std::ptr::null(),
                    ) != 0
                    {
                        return Err(fail());
                    }
                    for p in &rw {
                        if libc::mount(
                            p.as_ptr(),
                            p.as_ptr(),
                            none,
                            libc::MS_BIND | libc::MS_REC,
                            std::ptr::null(),
                        ) != 0
                        {
                            return Err(fail());
                        }
                    }
                    if fresh_run {
                        let flags = 0;
                        if libc::mount(
                            tmpfs.as_ptr(),
                            run_dir.as_ptr(),
                            tmpfs.as_ptr(),
                            flags,
                            std::ptr::null(),
                        ) != 0
                        {
                            return Err(fail());
                        }
                        for (p, dir) in &run_entries {
                            let made = if *dir {
                                libc::mkdir(p.as_ptr(), 0o755)
                            } else {
                                // Closed at once: a file open for writing
                                // would keep the remount read-only busy.
                                let fd = libc::open(
                                    p.as_ptr(),
                                    libc::O_CREAT | libc::O_WRONLY | libc::O_CLOEXEC,
                                    0o644,
                                );
                                if fd >= 0 {
                                    libc::close(fd);
                                }
                                fd
                            };
                            if made < 0 {
                                return Err(fail());
                            }
                        }
                    }
                    set_read_only(&root, true)?;
                    for p in &rw {
                        set_read_only(p, false)?;
                    }
                }
                if let Some(m) = umask {
                    libc::umask(m as libc::mode_t);
                }
                if no_caps {
                    for cap in 0..64 {
                        libc::prctl(libc::PR_CAPBSET_DROP, cap, 0, 0, 0);
                    }
                }
                if let Some(ids) = &user
                    && (libc::setgroups(ids.groups.len(), ids.groups.as_ptr()) != 0
                        || libc::setresgid(ids.gid, ids.gid, ids.gid) != 0
                        || libc::setresuid(ids.uid, ids.uid, ids.uid) != 0)
                {
                    return Err(fail());
                }
                if no_caps {
                    drop_capabilities()?;
                }
                if no_new_privs && libc::prctl(libc::PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0 {
                    return Err(fail());
                }
                if !filter.is_empty() {
                    let prog = SockFprog {
                        len: filter.len() as u16,
                        filter: filter.as_ptr(),
                    };
                    if libc::prctl(
                        libc::PR_SET_SECCOMP,
                        libc::SECCOMP_MODE_FILTER,
                        &prog as *const SockFprog,
                        0,
                        0,
                    ) != 0
                    {
                        return Err(fail());
                    }
                }
                Ok(())
            });
        }
    }
}

#[repr(C)]
struct MountAttr {
    attr_set: u64,
    attr_clr: u64,
    propagation: u64,
    userns_fd: u64,
}

const MOUNT_ATTR_RDONLY: u64 = 0x1;
const AT_RECURSIVE: libc::c_int = 0x8000;

/// Makes the mount at `path` and every mount below it read-only or
/// writable (mount_setattr(2), Linux 5.12).
fn set_read_only(path: &CString, on: bool) -> std::io::Result<()> {
    let attr = MountAttr {
        attr_set: if on { MOUNT_ATTR_RDONLY } else { 0 },
        attr_clr: if on { 0 } else { MOUNT_ATTR_RDONLY },
        propagation: 0,
        userns_fd: 0,
    };
    let r = unsafe {
        libc::syscall(
            libc::SYS_mount_setattr,
            libc::AT_FDCWD,
            path.as_ptr(),
            AT_RECURSIVE,
            &attr as *const MountAttr,
            std::mem::size_of::<MountAttr>(),
        )
    };
    if r != 0 {
        return Err(std::io::Error::last_os_error());
    }
    Ok(())
}

#[repr(C)]
struct CapHeader {
    version: u32,
    pid: i32,
}

#[repr(C)]
#[derive(Default, Clone, Copy)]
struct CapData {
    effective: u32,
    permitted: u32,
    inheritable: u32,
}

/// Clears the effective, permitted and inheritable sets (capset(2)).
fn drop_capabilities() -> std::io::Result<()> {
    let header = CapHeader {
        version: 0x2008_0522,
        pid: 0,
    };
    let data = [CapData::default(); 2];
    let r = unsafe { libc::syscall(libc::SYS_capset, &header as *const CapHeader, data.as_ptr()) };
    if r != 0 {
        return Err(std::io::Error::last_os_error());
    }
    Ok(())
}

#[repr(C)]
#[derive(Clone, Copy, Debug)]
struct Insn {
    code: u16,
    jt: u8,
    jf: u8,
    k: u32,
}

#[repr(C)]
struct SockFprog {
    len: u16,
    filter: *const Insn,
}

const LD_W_ABS: u16 = 0x20;
const JEQ_K: u16 = 0x15;
const JGE_K: u16 = 0x35;
const RET_K: u16 = 0x06;
const RET_ALLOW: u32 = 0x7fff_0000;
const RET_ERRNO: u32 = 0x0005_0000;
const RET_KILL_PROCESS: u32 = 0x8000_0000;
const AUDIT_ARCH_X86_64: u32 = 0xc000_003e;
const X32_BIT: u32 = 0x4000_0000;
/// Offsets in `struct seccomp_data`.
const NR: u32 = 0;
const ARCH: u32 = 4;
const ARG0: u32 = 16;

fn insn(code: u16, jt: u8, jf: u8, k: u32) -> Insn {
    Insn { code, jt, jf, k }
}

/// The BPF program: the native architecture only; `socket()` of a family
/// not in `families` fails with EAFNOSUPPORT; then the allow list (or the
/// deny list), each other system call failing with `errno`. A `clone3`
/// that is not allowed fails with ENOSYS, as systemd does, so the C
/// library falls back to `clone`.
fn program(
    allowed: Option<BTreeSet<u32>>,
    denied: BTreeSet<u32>,
    families: Option<Vec<u32>>,
    errno: u32,
) -> Vec<Insn> {
    if allowed.is_none() && denied.is_empty() && families.is_none() {
        return Vec::new();
    }
    let mut p = vec![
        insn(LD_W_ABS, 0, 0, ARCH),
        insn(JEQ_K, 1, 0, AUDIT_ARCH_X86_64),
        insn(RET_K, 0, 0, RET_KILL_PROCESS),
        insn(LD_W_ABS, 0, 0, NR),
        insn(JGE_K, 0, 1, X32_BIT),
        insn(RET_K, 0, 0, RET_ERRNO | errno),
    ];
    if let Some(fams) = families {
        // Skip the family check unless this is socket().
        let block = 1 + 2 * fams.len() + 1;
        p.push(insn(JEQ_K, 0, block as u8, libc::SYS_socket as u32));
        p.push(insn(LD_W_ABS, 0, 0, ARG0));
        let socket_allowed = allowed
            .as_ref()
            .map(|a| a.contains(&(libc::SYS_socket as u32)))
            .unwrap_or(!denied.contains(&(libc::SYS_socket as u32)));
        let on_match = if socket_allowed {
            RET_ALLOW
        } else {
            RET_ERRNO | errno
        };
        for f in fams {
            p.push(insn(JEQ_K, 0, 1, f));
            p.push(insn(RET_K, 0, 0, on_match));
        }
        p.push(insn(RET_K, 0, 0, RET_ERRNO | libc::EAFNOSUPPORT as u32));
    }
    let clone3 = libc::SYS_clone3 as u32;
    match allowed {
        Some(a) => {
            for n in &a {
                p.push(insn(JEQ_K, 0, 1, *n));
                p.push(insn(RET_K, 0, 0, RET_ALLOW));
            }
            if !a.contains(&clone3) {
                p.push(insn(JEQ_K, 0, 1, clone3));
                p.push(insn(RET_K, 0, 0, RET_ERRNO | libc::ENOSYS as u32));
            }
            p.push(insn(RET_K, 0, 0, RET_ERRNO | errno));
        }
        None => {
            for n in &denied {
                let ret = if *n == clone3 {
                    libc::ENOSYS as u32
                } else {
                    errno
                };
                p.push(insn(JEQ_K, 0, 1, *n));
                p.push(insn(RET_K, 0, 0, RET_ERRNO | ret));
            }
            p.push(insn(RET_K, 0, 0, RET_ALLOW));
        }
    }
    assert!(p.len() < 4096, "the filter is too long: {}", p.len());
    p
}

/// A system call name, or a `@group` expanded as systemd defines it.
fn expand(name: &str) -> Vec<String> {
    if !name.starts_with('@') {
        return vec![name.to_string()];
    }
    let out = Command::new("systemd-analyze")
        .args(["syscall-filter", name])
        .output()
        .unwrap_or_else(|e| panic!("systemd-analyze: {e} (scripts/setup.sh installs systemd)"));
    let text = String::from_utf8_lossy(&out.stdout);
    let mut names = Vec::new();
    for line in text.lines().skip(1) {
        let l = line.trim();
        if l.is_empty() || l.starts_with('#') {
            continue;
        }
        names.extend(expand(l));
    }
    assert!(!names.is_empty(), "systemd-analyze knows no {name}: {text}");
    names
}

/// System call names to numbers, from the kernel headers of this machine.
fn syscall_numbers() -> BTreeMap<String, u32> {
    let path = "/usr/include/x86_64-linux-gnu/asm/unistd_64.h";
    let text =
        std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{path}: {e} (linux-libc-dev)"));
    text.lines()
        .filter_map(|l| {
            let mut w = l.strip_prefix("#define __NR_")?.split_whitespace();
            Some((w.next()?.to_string(), w.next()?.parse().ok()?))
        })
        .collect()
}
