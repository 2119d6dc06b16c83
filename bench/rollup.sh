#!/usr/bin/env bash
# A district's roll-up (`loa report --station DIR ...`, issue 13) measured
# from outside: wall time and peak RSS (/usr/bin/time) of the release
# binary over STATIONS stations (default 20) of a year of log each, in
# every format, with the floor (`cat FILES | sha256sum` over the same
# month files) and one station's report of the same year beside it.
#
# Method: one year (2025) of play log like benches/report.rs's: 50,000
# occurrences spread evenly over four topics, 88 % played (start + finish),
# the rest failed, missed or skipped (finish only), lines chained with
# SHA-256 as loa writes them (about 94,000 lines, twelve month files).
# Each station is its own folder with its own config.yaml (its own name);
# its playlog/ files are hard links to the one generated log (the same
# bytes each station; the page cache holds them once, so the floor reads
# them from memory too). `loa report --from 2025-01-01 --to 2025-12-31
# --station s01 ... --format F -o FILE`, RUNS runs each (default 3):
# median and worst wall time, largest peak RSS. Results: bench/README.md.
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS="${RUNS:-3}"
STATIONS="${STATIONS:-20}"
cargo build --release --bin loa -q
LOA="$PWD/target/release/loa"
[ -n "${CARGO_TARGET_DIR:-}" ] && LOA="$CARGO_TARGET_DIR/release/loa"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/log"
python3 - "$work/log" <<'PY'
import hashlib, json, os, sys, datetime
root = sys.argv[1]
tz = datetime.timezone(datetime.timedelta(hours=7))
t0 = datetime.datetime(2025, 1, 1, tzinfo=tz)
n = 50000
step = datetime.timedelta(seconds=365 * 86400 // n)
topics = ["CCHC", "Phòng chống thiên tai", "Pháp luật", "An ninh trật tự"]
prev = "0" * 64
seq = 0
out = {}
def line(at, event, body):
    global prev, seq
    seq += 1
    head = {"v": 1, "seq": seq, "at": at.isoformat(timespec="milliseconds"), "event": event, "prev": prev}
    head.update(body)
    s = json.dumps(head, ensure_ascii=False, separators=(",", ":"))
    prev = hashlib.sha256(s.encode()).hexdigest()
    out.setdefault(at.strftime("%Y-%m"), []).append(s)
for k in range(n):
    t = t0 + step * k
    topic = topics[k % 4]
    name = "Bản tin %s số %d" % (topic, k % 17)
    sched = t.isoformat(timespec="seconds")
    d = {"id": "nam-2025.yaml#%s@%s" % (name, sched), "schedule": "nam-2025.yaml", "broadcast": name,
         "topic": topic, "priority": "emergency" if k % 50 == 0 else "normal", "scheduled": sched}
    if k % 25 >= 3:
        s = dict(d); s.update({"audio": [{"path": "cchc/tin-%d.mp3" % (k % 10), "sha256": "ab" * 32, "length_s": 60.0}],
                               "repeat": 1, "device": "default", "output": "trung-tam"})
        line(t, "start", s)
        line(t + datetime.timedelta(seconds=60), "finish", {"id": d["id"], "outcome": "played", "reason": None,
             "played_s": 60.0, "start_error_ms": 1.0 + (k % 7)})
    else:
        why = [("failed", "device_error"), ("missed", "daemon_down"), ("skipped", "quiet_hours")][k % 25]
        e = dict(d); e.update({"outcome": why[0], "reason": why[1], "played_s": 0.0, "start_error_ms": None})
        line(t, "finish", e)
for m, ls in out.items():
    open(os.path.join(root, m + ".jsonl"), "w").write("\n".join(ls) + "\n")
PY
args=()
for i in $(seq -w 1 "$STATIONS"); do
    mkdir -p "$work/s$i/playlog"
    printf 'station: "Đài truyền thanh xã số %s"\n' "$i" > "$work/s$i/config.yaml"
    ln "$work"/log/*.jsonl "$work/s$i/playlog/"
    args+=(--station "s$i")
done
echo "$STATIONS stations, each $(cat "$work"/log/*.jsonl | wc -l) lines, $(du -sh "$work/log" | cut -f1)"
cd "$work"
all=(s*/playlog/*.jsonl)
measure() { # label, then the command
    local label="$1"; shift
    local times=() rss=()
    for _ in $(seq "$RUNS"); do
        /usr/bin/time -f "%e %M" -o t.txt "$@" >/dev/null
        read -r s kb < t.txt
        times+=("$s"); rss+=("$kb")
    done
    local sorted; sorted=$(printf '%s\n' "${times[@]}" | sort -n)
    local med; med=$(echo "$sorted" | sed -n "$(( (RUNS + 1) / 2 ))p")
    local worst; worst=$(echo "$sorted" | tail -1)
    local peak; peak=$(printf '%s\n' "${rss[@]}" | sort -n | tail -1)
    printf '%-34s median %6s s, worst %6s s, peak RSS %5.1f MiB\n' "$label" "$med" "$worst" "$(awk -v k="$peak" 'BEGIN { print k / 1024 }')"
}
period=(--from 2025-01-01 --to 2025-12-31)
measure "floor: cat | sha256sum, all" sh -c "cat ${all[*]} | sha256sum"
measure "one station, text" "$LOA" report "${period[@]}" --station s01 -o one.txt
for f in text csv xlsx html json; do
    measure "roll-up of $STATIONS, $f" "$LOA" report "${period[@]}" "${args[@]}" --format "$f" -o "rollup.$f"
done
echo "csv rows: $(( $(wc -l < rollup.csv) - 1 ))"
