#!/usr/bin/env bash
# Every SPEC §7 figure in one run: start accuracy at a paced ALSA capture,
# idle CPU/wake-ups/memory, reload latency, planning and start-up, and
# reports/verify over a year of log. About four minutes on 2 cores.
# Method and latest numbers: bench/README.md.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
echo "== start accuracy (SPEC §7: median <= 5 ms, p99 <= 20 ms)"
cargo bench --bench start_accuracy
echo "== service: idle, reload, next, start-up"
cargo bench --bench service
echo "== reports and log verify over a year of log (50,000 occurrences)"
cargo bench --bench report
