#!/usr/bin/env bash
# Runs the daemon in the foreground on this repository's own station
# (config.yaml, schedules/, audio/). Ctrl-C stops it cleanly.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
cargo build --release --quiet
./target/release/loa check || true
exec ./target/release/loa --config config.yaml run "$@"
