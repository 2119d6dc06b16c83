#!/usr/bin/env bash
# Cross-builds the arm64 Debian package (a Raspberry Pi on 64-bit Raspberry
# Pi OS or Debian) on this x86 Debian machine, and runs the binary it ships
# under qemu-user: `loa check` on this repository's own station, then a
# short `loa run` on the null output that plays one announcement, and
# `loa log verify` on its play log. Installs what it needs, only what is
# missing: the arm64 architecture in dpkg, Debian's gcc-aarch64-linux-gnu,
# libasound2-dev:arm64, qemu-user-static, and the Rust target. Needs root
# for those (CI runs it after check-package.sh). Nothing is installed from
# the arm64 package itself: it is unpacked into target/ and run from there.
set -euo pipefail
cd "$(dirname "$0")/.."

TARGET=aarch64-unknown-linux-gnu
fail() { echo "check-arm64: FAIL: $*" >&2; exit 1; }
step() { echo "== $*"; }
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"

installed() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q "install ok installed"; }

new_arch=no
if ! dpkg --print-foreign-architectures | grep -qx arm64; then
    step "dpkg --add-architecture arm64"
    $sudo dpkg --add-architecture arm64
    new_arch=yes
fi
need=()
for pkg in gcc-aarch64-linux-gnu libc6-dev-arm64-cross libc6:arm64 libasound2-dev:arm64 qemu-user-static pkg-config; do
    installed "$pkg" || need+=("$pkg")
done
if [ ${#need[@]} -gt 0 ] || [ "$new_arch" = yes ]; then
    step "installing: ${need[*]:-(arm64 package lists)}"
    $sudo apt-get update -qq
    if [ ${#need[@]} -gt 0 ]; then
        DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${need[@]}" >/dev/null
    fi
fi
if ! rustup target list --installed 2>/dev/null | grep -qx "$TARGET"; then
    step "rustup target add $TARGET"
    rustup target add "$TARGET"
fi
if ! cargo deb --version >/dev/null 2>&1; then
    step "installing cargo-deb"
    cargo install cargo-deb --version 3.8.0 --locked --quiet
fi

# The linker and pkg-config settings are in .cargo/config.toml.
step "cargo deb --target $TARGET"
work=target/check-arm64
rm -rf "$work" && mkdir -p "$work"
began=$(date +%s)
cargo deb --quiet --target "$TARGET" -o "$work/"
echo "built in $(( $(date +%s) - began )) s"
deb=$(ls "$work"/loa_*_arm64.deb) || fail "no loa_*_arm64.deb in $work"
echo "$deb ($(du -h "$deb" | cut -f1))"
arch=$(dpkg-deb -f "$deb" Architecture)
[ "$arch" = arm64 ] || fail "the package says Architecture: $arch"
dpkg-deb -c "$deb" | grep -q ' ./usr/bin/loa$' || fail "no /usr/bin/loa in the package"
dpkg-deb -x "$deb" "$work/root"
bin=$work/root/usr/bin/loa
file_says=$(od -A n -t x1 -j 18 -N 2 "$bin" | tr -d ' ')
# e_machine 0xb7 (little-endian b7 00): AArch64.
[ "$file_says" = b700 ] || fail "$bin is not an AArch64 ELF (e_machine $file_says)"

qemu=$(command -v qemu-aarch64-static || command -v qemu-aarch64) \
    || fail "no qemu-aarch64-static"
# The binary is dynamically linked against arm64 glibc and libasound: the
# multiarch libc6:arm64 and libasound2:arm64 that libasound2-dev:arm64
# brought, found by their usual paths (/lib/ld-linux-aarch64.so.1,
# /usr/lib/aarch64-linux-gnu). Not QEMU_LD_PREFIX=/usr/aarch64-linux-gnu:
# with that older cross libc (2.36-8cross1) the first thread the process
# starts hangs under qemu 7.2, spinning.
unset QEMU_LD_PREFIX
bin=$PWD/$bin
loa() { "$qemu" "$bin" "$@"; }
loa --version || fail "the arm64 binary does not start under qemu"

step "loa check on the repository's station"
loa --config config.yaml check || fail "loa check on config.yaml"

step "loa run on the null output, one announcement"
st=$work/station
mkdir -p "$st/schedules" "$st/audio"
cat > "$st/config.yaml" <<'EOF'
station: "Đài thử arm64"
output:
  device: "null"
  loudness: off
quiet_hours: []
late_limit: 30s
require_approval: false
EOF
cp tests/fixtures/tones/tone.mp3 "$st/audio/thu.mp3"
(cd "$st" && LOA_LOG=warn exec "$qemu" "$bin" run) &
pid=$!
# On a failure: SIGTERM, and SIGKILL if it does not go within 5 s.
stop() {
    kill -TERM "$pid" 2>/dev/null || return 0
    for _ in $(seq 1 50); do
        kill -0 "$pid" 2>/dev/null || return 0
        sleep 0.1
    done
    kill -KILL "$pid" 2>/dev/null || true
}
trap stop EXIT
for _ in $(seq 1 100); do
    [ -f "$st/state/status.json" ] && break
    kill -0 "$pid" 2>/dev/null || fail "loa run exited at start-up"
    sleep 0.1
done
[ -f "$st/state/status.json" ] || fail "loa run wrote no status in 10 s"
# A few seconds ahead, so that the daemon has taken the file in before it
# is due. (announce warns that loa is not running: under qemu the process
# is called qemu-aarch64-static, not loa, in /proc.)
at=$(date -d '+5 seconds' --rfc-3339=seconds | tr ' ' T)
(cd "$st" && loa announce thu.mp3 --at "$at" --name "Thử arm64" --approved-by CI) \
    || fail "loa announce"
for _ in $(seq 1 300); do
    grep -q '"event":"finish"' "$st"/playlog/*.jsonl 2>/dev/null && break
    sleep 0.1
done
trap - EXIT
stop
wait "$pid" || fail "loa run did not exit 0 on SIGTERM"
finish=$(grep -h '"event":"finish"' "$st"/playlog/*.jsonl) || fail "no finish line in 30 s"
echo "$finish"
printf '%s\n' "$finish" | grep -q '"outcome":"played"' || fail "the announcement was not played"
grep -q '"event":"daemon_stop"' "$st"/playlog/*.jsonl || fail "no daemon_stop in the play log"
(cd "$st" && loa log verify) || fail "loa log verify"

echo "check-arm64: ok ($deb)"
