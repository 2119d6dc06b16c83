#!/usr/bin/env bash
# The station as installed (issue 27): the Debian package installed on this
# machine, two operators in group loa, the installer using sudo (root), and
# the daemon run as user loa under loa.service's own sandbox, reproduced
# from the installed unit by examples/unit_sandbox.rs (namespaces,
# read-only / but /var/lib/loa, no capabilities, NoNewPrivileges and the
# unit's seccomp filter, ProtectClock's @clock included), since systemd is
# not PID 1 here. Changes the machine (a package, users loa, lan and minh,
# /var/lib/loa): root on a throwaway machine only; CI runs it after
# scripts/check-package.sh.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ "$(id -u)" -ne 0 ]; then
    echo "check-installed: run as root (it installs the package and adds users)" >&2
    exit 2
fi
fail() { echo "check-installed: FAIL: $*" >&2; exit 1; }
step() { echo "== $*"; }

deb=$(ls target/check-package/loa_*.deb 2>/dev/null | head -1 || true)
if [ -z "$deb" ]; then
    cargo deb --version >/dev/null 2>&1 || cargo install cargo-deb --version 3.8.0 --locked --quiet
    mkdir -p target/check-package
    cargo deb --quiet -o target/check-package/
    deb=$(ls target/check-package/loa_*.deb | head -1)
fi
cargo build --release --quiet --example unit_sandbox
sandbox=$PWD/target/release/examples/unit_sandbox
work=$(mktemp -d)
chmod 755 "$work"
daemon=""
# Whatever happens, the machine is left without the package, its users
# and its station: a later `cargo test` must not find /etc/loa/config.yaml
# (commands fall back to it) on a machine where a check failed.
cleanup() {
    if [ -n "$daemon" ]; then
        kill -TERM "$daemon" 2>/dev/null || true
        wait "$daemon" 2>/dev/null || true
    fi
    rm -rf "$work"
    DEBIAN_FRONTEND=noninteractive apt-get purge -y -qq loa >/dev/null 2>&1 || true
    for u in lan minh; do userdel -r "$u" >/dev/null 2>&1 || true; done
    rm -rf /var/lib/loa /etc/loa
    userdel loa >/dev/null 2>&1 || true
    groupdel loa >/dev/null 2>&1 || true
}
trap cleanup EXIT

step "clean machine"
apt-get purge -y -qq loa >/dev/null 2>&1 || true
rm -rf /var/lib/loa /etc/loa
for u in lan minh loa; do userdel -r "$u" >/dev/null 2>&1 || true; done
groupdel loa >/dev/null 2>&1 || true

step "apt install ./$(basename "$deb")"
out=$(DEBIAN_FRONTEND=noninteractive apt-get install -y "./$deb" 2>&1) || fail "install: $out"
printf '%s\n' "$out" | grep -iE "warn|cảnh báo" | grep -v "apt does not have a stable CLI" \
    && fail "the install printed a warning"
dpkg -s acl >/dev/null 2>&1 || fail "acl is not installed with the package"

step "two operators in group loa"
for op in lan minh; do
    useradd -m -s /bin/bash "$op"
    adduser --quiet "$op" loa
done
# An operator's shell: her own umask (077, the strictest), her groups.
as() { local who=$1; shift; runuser -u "$who" -- sh -c "umask 077; cd ~; $*"; }
loa_cfg="/usr/bin/loa --config /etc/loa/config.yaml"

step "an operator just added to group loa, not logged in again"
# Her session still has the groups of before: none of them is loa.
out=$(cd / && setpriv --reuid=lan --regid=lan --clear-groups /usr/bin/loa status 2>&1) \
    && fail "loa status read the config without group loa: $out"
printf '%s\n' "$out" | grep -q "đăng xuất và đăng nhập lại" \
    || fail "the message does not say to log in again: $out"
printf '%s\n' "$out" | grep -q "status.json" && fail "the message blames a status file: $out"

step "the installer (root) makes the output silent for the test"
sed -i 's/^\(\s*device:\).*/\1 "null"/' /etc/loa/config.yaml
grep -q 'device: "null"' /etc/loa/config.yaml || fail "could not set device null in $(cat /etc/loa/config.yaml)"

step "item 1: sudo loa check leaves nothing of root's in the station"
cat > "$work/tin.yaml" <<'EOF'
title: Thông báo của xã
broadcasts:
  - name: Loa thử
    say: "Xin chào bà con xã Xuân Đám"
    chime: false
    at: "05:30"
EOF
# Written as an editor writes a new file (not cp, which keeps the mode of
# the copy it makes): the folder's default ACL makes it group-writable.
as lan "cat $work/tin.yaml > /var/lib/loa/schedules/tin.yaml" || fail "lan cannot write schedules/"
$loa_cfg check >"$work/check.out" 2>&1 || fail "sudo loa check: $(cat "$work/check.out")"
[ "$(stat -c %U /var/lib/loa/state/tts)" = loa ] \
    || fail "state/tts is $(stat -c %U:%G /var/lib/loa/state/tts) after sudo loa check"
left=$(find /var/lib/loa -user root)
[ -z "$left" ] || fail "root left in the station: $left"

step "item 3: two operators share the folders"
cp tests/fixtures/tones/tone.wav "$work/thu.wav"
chmod 644 "$work/thu.wav"
as lan "cp $work/thu.wav ~/thu.wav && $loa_cfg --lang en announce ~/thu.wav --at 23:59 --name 'Lan báo'" \
    >"$work/a1" 2>&1 || fail "lan's announce: $(cat "$work/a1")"
as minh "cp $work/thu.wav ~/thu2.wav && $loa_cfg --lang en announce ~/thu2.wav --at 23:58 --name 'Minh báo'" \
    >"$work/a2" 2>&1 || fail "minh's announce after lan's: $(cat "$work/a2")"
as lan "mkdir /var/lib/loa/audio/cchc" || fail "lan cannot make a folder in audio/"
as minh "cp $work/thu.wav /var/lib/loa/audio/cchc/" || fail "minh cannot copy into lan's folder"
as minh "echo '# sửa bởi minh' >> /var/lib/loa/schedules/tin.yaml" || fail "minh cannot edit lan's schedule"
as lan "rm /var/lib/loa/audio/cchc/thu.wav" || fail "lan cannot remove minh's recording"

step "item 4: a recording the daemon cannot read is named as a permission problem"
as lan "cp $work/thu.wav ~/rieng.wav && chmod 600 ~/rieng.wav && cp ~/rieng.wav /var/lib/loa/audio/rieng.wav"
cat > "$work/rieng.yaml" <<'EOF'
broadcasts:
  - name: Riêng
    audio: rieng.wav
    chime: false
    at: "05:45"
EOF
as lan "cp $work/rieng.yaml /var/lib/loa/schedules/rieng.yaml"
if as lan "$loa_cfg check" >"$work/check2" 2>&1; then
    fail "lan's check passed a file loa cannot read: $(cat "$work/check2")"
fi
grep -q "không có quyền đọc tệp" "$work/check2" && grep -q "chmod g+r" "$work/check2" \
    || fail "check did not name the permission: $(cat "$work/check2")"
as lan "chmod g+r /var/lib/loa/audio/rieng.wav"
as lan "$loa_cfg check" >"$work/check3" 2>&1 || fail "check after chmod g+r: $(cat "$work/check3")"

step "publish by an operator: the error names what it could not write"
if as lan "$loa_cfg publish --out ~/www" >"$work/pub" 2>&1; then
    : # the lock was there already (made by loa): publishing is allowed
else
    grep -q "publish.lock" "$work/pub" || fail "publish blamed the wrong path: $(cat "$work/pub")"
    grep -q "sudo -u loa" "$work/pub" || fail "publish gave no fix: $(cat "$work/pub")"
fi

step "item 5: approval is never implied"
sed -i 's/^\(\s*require_approval:\).*/\1 true/' /etc/loa/config.yaml
grep -q "^require_approval: true" /etc/loa/config.yaml \
    || echo "require_approval: true" >> /etc/loa/config.yaml
as lan "USER='Chủ tịch UBND xã' SUDO_USER='Chủ tịch UBND xã' $loa_cfg announce ~/thu.wav --at 23:57 --name 'Tự duyệt'" \
    >"$work/a3" 2>&1 || fail "announce: $(cat "$work/a3")"
f=$(grep -l "Tự duyệt" /var/lib/loa/schedules/*.yaml | head -1)
grep -q "approved_by" "$f" && fail "announce approved itself: $(cat "$f")"
sed -i 's/^\(\s*require_approval:\).*/\1 false/' /etc/loa/config.yaml

step "the daemon as user loa under loa.service's sandbox"
unit=$(ls /lib/systemd/system/loa.service /usr/lib/systemd/system/loa.service 2>/dev/null | head -1)
exec_start=$(sed -n 's/^ExecStart=//p' "$unit" | head -1)
soon=$(TZ=Asia/Ho_Chi_Minh date -d '+4 seconds' '+%Y-%m-%d %H:%M:%S')
cat > "$work/ngay.yaml" <<EOF
broadcasts:
  - name: Nói ngay
    say: "Thông báo thử của đài truyền thanh xã"
    chime: false
    priority: emergency        # whatever the hour: quiet hours do not hold it
    on: ["$soon"]
EOF
as minh "cp $work/ngay.yaml /var/lib/loa/schedules/ngay.yaml"
# shellcheck disable=SC2086 # ExecStart is split into words, as systemd does.
"$sandbox" --unit "$unit" --as-unit-user \
    --run systemd/ --run systemd/timesync/ --run systemd/timesync/synchronized \
    -- $exec_start &
daemon=$!
log() { cat /var/lib/loa/playlog/*.jsonl 2>/dev/null; }
for _ in $(seq 1 400); do
    log | grep -q '"broadcast":"Nói ngay".*"event":"finish"\|"event":"finish".*"broadcast":"Nói ngay"' && break
    log | grep '"event":"finish"' | grep -q "Nói ngay" && break
    sleep 0.1
done
finish=$(log | grep '"event":"finish"' | grep "Nói ngay" | tail -1)
[ -n "$finish" ] || fail "no finish for the spoken notice: $(log | tail -5)"
printf '%s\n' "$finish" | grep -q '"outcome":"played"' || fail "the spoken notice did not play: $finish"
start=$(log | grep '"event":"daemon_start"' | tail -1)
printf '%s\n' "$start" | grep -q '"clock_synced":true' \
    || fail "item 2: clock_synced under the unit: $start"
kill -TERM "$daemon"
wait "$daemon" || fail "the daemon did not exit 0 on SIGTERM"
daemon=""
runuser -u loa -- /usr/bin/loa --config /etc/loa/config.yaml log verify >/dev/null \
    || fail "log verify"
left=$(find /var/lib/loa -user root)
[ -z "$left" ] || fail "root-owned files in the station: $left"
[ ! -e /var/lib/loa/.config ] || fail "something made /var/lib/loa/.config"

step "remove (and the station, the users: see cleanup)"
DEBIAN_FRONTEND=noninteractive apt-get purge -y -qq loa >/dev/null
echo "check-installed: ok"
