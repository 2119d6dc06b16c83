#!/usr/bin/env bash
# Builds the Debian package and puts it through what an installer does with
# it: install, start the daemon as systemd would (user loa, the shipped
# config), upgrade, remove and purge, checking that the play log survives
# each step byte for byte. Changes the machine (a package, the user loa,
# /var/lib/loa), so it needs root and belongs on a throwaway machine: CI
# runs it after the test suite. Without systemd as PID 1, the unit is
# checked to be enabled but is not started by systemctl; the daemon is
# started with the unit's own ExecStart, user and group instead.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ "$(id -u)" -ne 0 ]; then
    echo "check-package: run as root (it installs and removes the loa package)" >&2
    exit 2
fi
fail() { echo "check-package: FAIL: $*" >&2; exit 1; }
# A failed check must not leave the package installed: a later `cargo test`
# would find /etc/loa/config.yaml (commands fall back to it). The play log
# under /var/lib/loa is kept by design, so only a failure removes it here.
on_exit() {
    rc=$?
    if [ "$rc" -ne 0 ]; then
        [ -n "${pid:-}" ] && kill -TERM "$pid" 2>/dev/null
        DEBIAN_FRONTEND=noninteractive apt-get purge -y -qq loa >/dev/null 2>&1 || true
        rm -rf /var/lib/loa /etc/loa
    fi
}
trap on_exit EXIT
step() { echo "== $*"; }

if ! cargo deb --version >/dev/null 2>&1; then
    step "installing cargo-deb"
    cargo install cargo-deb --version 3.8.0 --locked --quiet
fi

step "cargo deb"
work=target/check-package
rm -rf "$work" && mkdir -p "$work"
cargo deb --quiet -o "$work/"
deb=$(ls "$work"/loa_*.deb)
echo "$deb ($(du -h "$deb" | cut -f1))"
# The same build as a later Debian revision, to try an upgrade with.
version=$(dpkg-deb -f "$deb" Version)
mkdir -p "$work/upgrade"
newer=$work/upgrade/loa_${version}+check_$(dpkg-deb -f "$deb" Architecture).deb
cargo deb --quiet --no-build --deb-version "${version}+check" -o "$newer"

step "apt install ./$(basename "$deb")"
# A previous run may have left the user and the station folders; start clean
# so that postinst is what creates them.
apt-get purge -y -qq loa >/dev/null 2>&1 || true
rm -rf /var/lib/loa /etc/loa
userdel loa >/dev/null 2>&1 || true
groupdel loa >/dev/null 2>&1 || true
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "./$deb" >/dev/null

[ -x /usr/bin/loa ] || fail "/usr/bin/loa is not installed"
[ -f /lib/systemd/system/loa.service ] || [ -f /usr/lib/systemd/system/loa.service ] \
    || fail "the unit is not installed"
[ -L /etc/systemd/system/multi-user.target.wants/loa.service ] \
    || fail "the unit is not enabled"
for u in loa-publish.service loa-publish.timer; do
    [ -f "/lib/systemd/system/$u" ] || [ -f "/usr/lib/systemd/system/$u" ] \
        || fail "$u is not installed"
done
ls /etc/systemd/system/timers.target.wants/loa-publish.timer >/dev/null 2>&1 \
    && fail "loa-publish.timer is enabled before the portal's folder is set"
id -nG loa | tr ' ' '\n' | grep -qx audio || fail "user loa is not in group audio"
[ "$(stat -c '%U:%G %a' /etc/loa/config.yaml)" = "root:loa 640" ] \
    || fail "/etc/loa/config.yaml is $(stat -c '%U:%G %a' /etc/loa/config.yaml)"
for d in schedules:2775 audio:2775 playlog:2750 state:2750; do
    want="loa:loa ${d#*:}"
    got=$(stat -c '%U:%G %a' "/var/lib/loa/${d%%:*}")
    [ "$got" = "$want" ] || fail "/var/lib/loa/${d%%:*} is $got, not $want"
done

step "start it as the unit does"
unit=$(ls /lib/systemd/system/loa.service /usr/lib/systemd/system/loa.service 2>/dev/null | head -1)
exec_start=$(sed -n 's/^ExecStart=//p' "$unit" | head -1)
[ -n "$exec_start" ] || fail "no ExecStart in the installed unit"
# An operator (group loa) drops in a schedule for tomorrow morning.
cat > /var/lib/loa/schedules/kiem-tra.yaml <<'EOF'
title: Kiểm tra cài đặt
broadcasts:
  - name: Thông báo thử
    audio: thu.mp3
    chime: false
    at: "06:30"
EOF
cp audio/cchc/iso-9001.mp3 /var/lib/loa/audio/thu.mp3
chown loa:loa /var/lib/loa/schedules/kiem-tra.yaml /var/lib/loa/audio/thu.mp3
runuser -u loa -- /usr/bin/loa --config /etc/loa/config.yaml check \
    || fail "loa check fails on the installed station"
# shellcheck disable=SC2086 # ExecStart is split into words, as systemd does.
setpriv --reuid=loa --regid=loa --init-groups $exec_start &
pid=$!
for _ in $(seq 1 50); do
    runuser -u loa -- /usr/bin/loa --config /etc/loa/config.yaml status 2>/dev/null \
        | grep -q "Thông báo thử" && break
    sleep 0.1
done
status=$(runuser -u loa -- /usr/bin/loa --config /etc/loa/config.yaml status) \
    || fail "loa status: $status"
echo "$status"
printf '%s\n' "$status" | grep -q "Thông báo thử" || fail "status does not show the next broadcast"
kill -TERM "$pid"
wait "$pid" || fail "the daemon did not exit 0 on SIGTERM"
grep -q '"daemon_stop"' /var/lib/loa/playlog/*.jsonl || fail "no daemon_stop in the play log"
runuser -u loa -- /usr/bin/loa --config /etc/loa/config.yaml log verify \
    || fail "log verify"

fingerprint() { (cd /var/lib/loa/playlog && sha256sum -- *); }
before=$(fingerprint)

step "upgrade to ${version}+check"
echo "station: \"Đài truyền thanh xã Kiểm Tra\"" >> /etc/loa/config.yaml
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq -o Dpkg::Options::=--force-confold "./$newer" >/dev/null
[ "$(dpkg-query -W -f='${Version}' loa)" = "${version}+check" ] || fail "the upgrade did not take"
[ "$(fingerprint)" = "$before" ] || fail "the upgrade changed the play log"
grep -q "Kiểm Tra" /etc/loa/config.yaml || fail "the upgrade overwrote the edited config"

step "apt remove loa"
DEBIAN_FRONTEND=noninteractive apt-get remove -y -qq loa >/dev/null
[ ! -e /usr/bin/loa ] || fail "/usr/bin/loa is still there after remove"
[ "$(fingerprint)" = "$before" ] || fail "remove changed the play log"

step "apt purge loa"
DEBIAN_FRONTEND=noninteractive apt-get purge -y -qq loa >/dev/null
[ ! -e /etc/loa/config.yaml ] || fail "/etc/loa/config.yaml is still there after purge"
[ "$(fingerprint)" = "$before" ] || fail "purge changed the play log"

step "install again: the old log is taken up and still verifies"
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "./$deb" >/dev/null
runuser -u loa -- /usr/bin/loa --config /etc/loa/config.yaml log verify \
    || fail "log verify after reinstalling"
DEBIAN_FRONTEND=noninteractive apt-get purge -y -qq loa >/dev/null

echo "check-package: ok"
