#!/usr/bin/env bash
# Relay (issue 11): CPU of a process receiving a live MP3 stream from a
# real icecast2 on loopback, measured from outside (wait4's rusage over
# wall time). RELAY_S seconds of relaying, 20 by default. Method and
# numbers: bench/README.md, "Relay".
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
cargo bench --bench relay
