//! Who the station belongs to, and acting as that user.
//!
//! An installed station's folders belong to the daemon's user (`loa`), and
//! the installer runs commands with `sudo` (config.yaml is `640 root:loa`).
//! A command run as root that wrote into `state/` would leave files the
//! daemon cannot use: one `sudo loa check` once left `state/tts` owned by
//! root, and spoken notices failed from then on. So a command run as root
//! on a station whose `state/` belongs to another user takes that user's
//! identity for everything it does in the station: its effective user,
//! group and supplementary groups become the owner's, so what it creates
//! is theirs, and what it can read is what the daemon can read. The real
//! user stays root, so a file the person named (`say -o`, `report -o`) is
//! written with their own rights ([`as_invoker`]); `publish` writes the
//! portal as the owner, as loa-publish.service does. The daemon (`run`)
//! drops root for good, and so does every child process loa starts.

use std::ffi::CString;
use std::os::unix::fs::MetadataExt as _;
use std::path::Path;

/// The user and groups a station's `state/` folder belongs to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Owner {
    pub uid: u32,
    pub gid: u32,
    /// The user's name, when the system knows it.
    pub name: Option<String>,
    /// Every group the user is in (its primary group first).
    pub groups: Vec<u32>,
}

impl Owner {
    /// The owner of `dir` (the station's `state/`), with the groups the
    /// system gives that user; `None` when `dir` cannot be looked at.
    pub fn of(dir: &Path) -> Option<Owner> {
        let m = std::fs::metadata(dir).ok()?;
        let (uid, gid) = (m.uid(), m.gid());
        let name = user_name(uid);
        let groups = match &name {
            Some(n) => group_list(n, gid),
            None => vec![gid],
        };
        Some(Owner {
            uid,
            gid,
            name,
            groups,
        })
    }

    /// Whether this user may read a file with metadata `m`, by its mode
    /// bits (the check the kernel makes, without ACLs and capabilities).
    pub fn can_read(&self, m: &std::fs::Metadata) -> bool {
        let mode = m.mode();
        if self.uid == 0 {
            return true;
        }
        if m.uid() == self.uid {
            return mode & 0o400 != 0;
        }
        if self.groups.contains(&m.gid()) {
            return mode & 0o040 != 0;
        }
        mode & 0o004 != 0
    }

    /// The user's name, or its number.
    pub fn shown(&self) -> String {
        self.name.clone().unwrap_or_else(|| self.uid.to_string())
    }
}

/// Whether `path` carries a POSIX ACL (then its mode bits do not tell who
/// may read it).
pub fn has_acl(path: &Path) -> bool {
    use std::os::unix::ffi::OsStrExt as _;
    let (Ok(p), Ok(name)) = (
        CString::new(path.as_os_str().as_bytes()),
        CString::new("system.posix_acl_access"),
    ) else {
        return false;
    };
    // SAFETY: a size query (no buffer) on NUL-terminated strings we own.
    unsafe { libc::getxattr(p.as_ptr(), name.as_ptr(), std::ptr::null_mut(), 0) > 0 }
}

/// The name of user `uid`.
pub fn user_name(uid: u32) -> Option<String> {
    let mut buf = vec![0u8; 4096];
    let mut pwd: libc::passwd = unsafe { std::mem::zeroed() };
    let mut out: *mut libc::passwd = std::ptr::null_mut();
    // SAFETY: getpwuid_r writes into `pwd` and `buf`, which we own and
    // which outlive the call; `out` is null or points at `pwd`.
    let r =
        unsafe { libc::getpwuid_r(uid, &mut pwd, buf.as_mut_ptr().cast(), buf.len(), &mut out) };
    if r != 0 || out.is_null() || pwd.pw_name.is_null() {
        return None;
    }
    // SAFETY: pw_name points into `buf`, NUL-terminated by getpwuid_r.
    let name = unsafe { std::ffi::CStr::from_ptr(pwd.pw_name) };
    Some(name.to_string_lossy().into_owned())
}

/// The groups of user `name` whose primary group is `gid`.
fn group_list(name: &str, gid: u32) -> Vec<u32> {
    let Ok(c) = CString::new(name) else {
        return vec![gid];
    };
    let mut n: libc::c_int = 64;
    for _ in 0..4 {
        let mut groups = vec![0 as libc::gid_t; n as usize];
        // SAFETY: `groups` holds `n` entries; getgrouplist writes at most
        // that many and sets `n` to how many there are.
        let r = unsafe { libc::getgrouplist(c.as_ptr(), gid, groups.as_mut_ptr(), &mut n) };
        if r >= 0 {
            groups.truncate(n.max(0) as usize);
            return groups;
        }
    }
    vec![gid]
}

/// When this process runs as root and `state_dir` belongs to another user,
/// takes that user's identity as its effective one (see the module's
/// note) and returns who it now acts as; `for_good` (the daemon) drops
/// root for good, real and saved ids too. Otherwise (not root, a station of
/// root's own, no `state/` yet) changes nothing. An error leaves the
/// process as it was: the caller must not go on as root.
pub fn act_as_station_owner(state_dir: &Path, for_good: bool) -> std::io::Result<Option<Owner>> {
    // SAFETY: geteuid has no preconditions.
    if unsafe { libc::geteuid() } != 0 {
        return Ok(None);
    }
    let Some(owner) = Owner::of(state_dir) else {
        return Ok(None);
    };
    if owner.uid == 0 {
        return Ok(None);
    }
    if for_good {
        // SAFETY: plain system calls on values we own, as root.
        let dropped = unsafe {
            libc::setgroups(owner.groups.len(), owner.groups.as_ptr()) == 0
                && libc::setresgid(owner.gid, owner.gid, owner.gid) == 0
                && libc::setresuid(owner.uid, owner.uid, owner.uid) == 0
        };
        if !dropped {
            return Err(std::io::Error::last_os_error());
        }
    } else {
        become_effective(&owner)?;
    }
    Ok(Some(owner))
}

/// Sets the effective ids to `o`'s (the real and saved ids stay root's).
/// On an error, goes back to root's and says so.
fn become_effective(o: &Owner) -> std::io::Result<()> {
    let before = current_groups();
    // SAFETY: plain system calls on values we own; glibc applies them to
    // every thread of the process.
    unsafe {
        if libc::setgroups(o.groups.len(), o.groups.as_ptr()) != 0 {
            return Err(std::io::Error::last_os_error());
        }
        if libc::setegid(o.gid) != 0 || libc::seteuid(o.uid) != 0 {
            let e = std::io::Error::last_os_error();
            let _ = libc::seteuid(0);
            let _ = libc::setegid(0);
            let _ = libc::setgroups(before.len(), before.as_ptr());
            return Err(e);
        }
    }
    Ok(())
}

/// Runs `f` with the rights of the person who started the command (root,
/// when [`act_as_station_owner`] changed the effective ids), then takes the
/// owner's identity again: for writing a file that person named. If the
/// owner's identity cannot be taken back, the process stops rather than go
/// on as root in the station.
pub fn as_invoker<T>(f: impl FnOnce() -> T) -> T {
    // SAFETY: getuid/geteuid/getegid have no preconditions.
    let (real, effective, group) = unsafe { (libc::getuid(), libc::geteuid(), libc::getegid()) };
    if real != 0 || effective == 0 {
        return f();
    }
    let back = Owner {
        uid: effective,
        gid: group,
        name: None,
        groups: current_groups(),
    };
    // SAFETY: the real uid is root, so the effective ids may go back to it.
    let root = unsafe { libc::seteuid(0) == 0 && libc::setegid(0) == 0 };
    let out = f();
    if root && become_effective(&back).is_err() {
        eprintln!("loa: cannot act as the station's owner again; stopping");
        std::process::exit(1);
    }
    out
}

/// For a child process (a speech engine, its wrapper script): when loa
/// acts as the station's owner with root as its real user, the child drops
/// root for good before it runs, so a shell that resets its effective user
/// to the real one cannot make files of root's. Call between fork and
/// exec (async-signal-safe: system calls only).
pub fn child_drops_root() -> std::io::Result<()> {
    // SAFETY: plain system calls; an unprivileged process may set its
    // real and saved ids to its effective ones.
    unsafe {
        let (real, effective, group) = (libc::getuid(), libc::geteuid(), libc::getegid());
        if real == 0
            && effective != 0
            && (libc::setresgid(group, group, group) != 0
                || libc::setresuid(effective, effective, effective) != 0)
        {
            return Err(std::io::Error::last_os_error());
        }
    }
    Ok(())
}

fn current_groups() -> Vec<u32> {
    // SAFETY: with a size of 0 getgroups only counts; then it fills at most
    // the `n` entries we give it.
    unsafe {
        let n = libc::getgroups(0, std::ptr::null_mut());
        if n <= 0 {
            return Vec::new();
        }
        let mut g = vec![0 as libc::gid_t; n as usize];
        let got = libc::getgroups(n, g.as_mut_ptr());
        g.truncate(got.max(0) as usize);
        g
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::unix::fs::PermissionsExt as _;

    #[test]
    fn readability_by_mode_bits_for_owner_group_and_others() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let f = dir.path().join("a.mp3");
        std::fs::write(&f, b"x").unwrap_or_else(|e| panic!("{e}"));
        let m = |mode: u32| {
            std::fs::set_permissions(&f, std::fs::Permissions::from_mode(mode))
                .unwrap_or_else(|e| panic!("{e}"));
            std::fs::metadata(&f).unwrap_or_else(|e| panic!("{e}"))
        };
        let meta = m(0o600);
        let file_uid = meta.uid();
        let file_gid = meta.gid();
        // Someone else, in the file's group.
        let member = Owner {
            uid: file_uid + 1000,
            gid: file_gid,
            name: None,
            groups: vec![file_gid],
        };
        let stranger = Owner {
            groups: vec![file_gid + 1000],
            gid: file_gid + 1000,
            ..member.clone()
        };
        let own = Owner {
            uid: file_uid,
            ..stranger.clone()
        };
        assert!(!member.can_read(&m(0o600)));
        assert!(member.can_read(&m(0o640)));
        assert!(!stranger.can_read(&m(0o640)));
        assert!(stranger.can_read(&m(0o644)));
        assert!(own.can_read(&m(0o600)) || file_uid == 0);
        assert!(!own.can_read(&m(0o044)) || file_uid == 0);
    }
}
