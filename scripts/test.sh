#!/usr/bin/env bash
# The whole test suite, from a fresh Debian/Ubuntu machine: installs what it
# needs, then runs every unit, integration and real-ALSA test.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
cargo test "$@"
