#!/usr/bin/env bash
# Every SPEC §7 figure in one run: start accuracy at a paced ALSA capture,
# idle CPU/wake-ups/memory, reload latency, planning and start-up, and
# reports/verify over a year of log, with cron + aplay as the baseline for
# start accuracy. About eight minutes on 2 cores.
# Method and latest numbers: bench/README.md.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
# The baseline: Debian's cron running aplay (needs root to add a job); lame
# makes the MP3 whose playback CPU is measured.
if [ "$(id -u)" -eq 0 ] && { ! [ -x /usr/sbin/cron ] || ! command -v aplay >/dev/null || ! command -v lame >/dev/null; }; then
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends cron alsa-utils lame >/dev/null \
        || echo "could not install cron, alsa-utils and lame: the cron + aplay baseline or the playback CPU will be skipped"
fi
echo "== start accuracy at the device (SPEC §7: median |error| <= 5 ms, p99 <= 10 ms, log within 5 ms), playback CPU, cron + aplay beside it"
CRON=3 cargo bench --bench start_accuracy
echo "== service: idle, reload, next, start-up"
cargo bench --bench service
echo "== reports and log verify over a year of log (50,000 occurrences)"
cargo bench --bench report
echo "== loa publish over a year of log: 4 weeks and 52, first run and rerun"
bash bench/publish.sh
echo "== a district's roll-up: 20 stations x a year of log, every format"
bash bench/rollup.sh
echo "== relay at the device: start error, a 2 s outage, CPU while relaying"
cargo bench --bench relay_device
echo "== speech: render time per 100 characters, the cache hit"
bash bench/tts.sh
