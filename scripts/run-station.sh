#!/usr/bin/env bash
# Runs the daemon in the foreground on this repository's own station
# (config.yaml, schedules/, audio/). Ctrl-C stops it cleanly.
#
# The station's 2025 plan has ended and its regular items sound at 06:00
# and 18:00, so a one-off spoken broadcast is added 20 seconds ahead
# (scripts/welcome.sh) for a first run to be heard; its file is removed
# when the daemon stops.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
cargo build --release --quiet
welcome=$(bash scripts/welcome.sh .)
trap 'rm -f "$welcome"' EXIT
./target/release/loa check || true
# What sounds next, the welcome first (at night its line says it is kept
# silent by the station's quiet hours).
./target/release/loa next --days 1 | head -4 || true
./target/release/loa --config config.yaml run "$@"
