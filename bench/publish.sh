#!/usr/bin/env bash
# `loa publish` over a year of log, measured from outside: wall time and
# peak RSS of the release binary (/usr/bin/time), for the first run (copies
# the recordings) and a rerun (nothing to copy), with the default 4-week
# window and with --weeks 52.
#
# Method: the sample station (audio/, schedules/, config.yaml on the null
# output) with a year (2025) of play log: 50,000 occurrences spread evenly,
# 88 % played (start + finish with the real SHA-256 of one of the ten sample
# recordings), the rest missed (finish only); lines chained with SHA-256 as
# loa writes them. `--now` is 2025-12-31 20:00 (+07:00). RUNS runs each
# (default 5), median and worst. Results: bench/README.md.
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS="${RUNS:-5}"
cargo build --release --bin loa -q
LOA="$PWD/target/release/loa"
[ -n "${CARGO_TARGET_DIR:-}" ] && LOA="$CARGO_TARGET_DIR/release/loa"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cp -r audio chimes schedules config.yaml "$work/"
sed -i 's/device: default /device: "null" /' "$work/config.yaml"
python3 - "$work" <<'PY'
import hashlib, json, os, sys, datetime
root = sys.argv[1]
files = sorted(os.listdir(os.path.join(root, "audio/cchc")))
sha = {f: hashlib.sha256(open(os.path.join(root, "audio/cchc", f), "rb").read()).hexdigest() for f in files}
tz = datetime.timezone(datetime.timedelta(hours=7))
t0 = datetime.datetime(2025, 1, 1, tzinfo=tz)
n = 50000
step = datetime.timedelta(seconds=365 * 86400 // n)
os.makedirs(os.path.join(root, "playlog"), exist_ok=True)
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
    f = files[k % len(files)]
    name = "Bản tin số %d" % (k % 17)
    sched = t.isoformat(timespec="seconds")
    d = {"id": "nam-2025.yaml#%s@%s" % (name, sched), "schedule": "nam-2025.yaml", "broadcast": name,
         "topic": "CCHC", "priority": "normal", "scheduled": sched}
    if k % 25 < 22:
        s = dict(d); s.update({"audio": [{"path": "cchc/" + f, "sha256": sha[f], "length_s": 60.0}],
                               "repeat": 1, "device": "null"})
        line(t, "start", s)
        line(t + datetime.timedelta(seconds=60), "finish", {"id": d["id"], "outcome": "played", "reason": None,
             "played_s": 60.0, "start_error_ms": 1.0})
    else:
        e = dict(d); e.update({"outcome": "missed", "reason": "daemon_down", "played_s": 0.0, "start_error_ms": None})
        line(t, "finish", e)
for m, ls in out.items():
    open(os.path.join(root, "playlog", m + ".jsonl"), "w").write("\n".join(ls) + "\n")
PY
echo "log: $(cat "$work"/playlog/*.jsonl | wc -l) lines, $(du -sh "$work/playlog" | cut -f1)"
cd "$work"
measure() { # label, then loa's arguments; the first run is on an empty folder
    local label="$1"; shift
    local times=() rss=()
    for _ in $(seq "$RUNS"); do
        rm -rf web
        [ "$label" = "rerun" ] || [ "$label" = "rerun, --weeks 52" ] && "$LOA" "$@" >/dev/null
        /usr/bin/time -f "%e %M" -o t.txt "$LOA" "$@" >/dev/null
        read -r s kb < t.txt
        times+=("$s"); rss+=("$kb")
    done
    local sorted; sorted=$(printf '%s\n' "${times[@]}" | sort -n)
    local med; med=$(echo "$sorted" | sed -n "$(( (RUNS + 1) / 2 ))p")
    local worst; worst=$(echo "$sorted" | tail -1)
    local peak; peak=$(printf '%s\n' "${rss[@]}" | sort -n | tail -1)
    echo "$label: median ${med} s, worst ${worst} s, peak RSS $((peak / 1024)) MB, folder $(du -sh web | cut -f1)"
}
args=(--now 2025-12-31T20:00:00+07:00 publish --out web --base-url https://xa.example.vn/loa/)
measure "first run" "${args[@]}"
measure "rerun" "${args[@]}"
measure "first run, --weeks 52" "${args[@]}" --weeks 52
measure "rerun, --weeks 52" "${args[@]}" --weeks 52
