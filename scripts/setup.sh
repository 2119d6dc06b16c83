#!/usr/bin/env bash
# Installs what building and testing loa needs on Debian/Ubuntu: the ALSA
# headers and pkg-config (for the audio crates), chromium (the HTML report
# test), espeak-ng (the speech engine, spoken notices and their tests),
# icecast2 and ffmpeg (the relay tests), and a Rust toolchain if there is
# none. Safe to run again; installs only what is missing.
set -euo pipefail

need=()
# chromium renders the HTML report in a test (screenshot, not blank);
# systemd provides systemd-analyze, which checks the shipped unit;
# espeak-ng speaks `say:` and .txt notices (Vietnamese voices included);
# libxml2-utils gives xmllint, which checks the RSS feed `loa publish` writes;
# GNU time measures a report's peak memory from outside in a test;
# icecast2 and ffmpeg are the live stream and HLS sources the relay tests
# receive (tests only; icecast2's package asks nothing when noninteractive);
# acl gives setfacl, for the test of a folder with a default ACL as the
# package sets on /var/lib/loa/audio.
for pkg in libasound2-dev pkg-config chromium systemd espeak-ng libxml2-utils time icecast2 ffmpeg acl; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || need+=("$pkg")
done
if [ ${#need[@]} -gt 0 ]; then
    sudo=""
    [ "$(id -u)" -eq 0 ] || sudo="sudo"
    echo "installing: ${need[*]}"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${need[@]}" >/dev/null
fi
if ! command -v cargo >/dev/null 2>&1; then
    echo "cargo not found: install Rust from your distribution (apt-get install cargo) or rustup" >&2
    exit 1
fi
