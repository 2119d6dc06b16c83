#!/usr/bin/env bash
# Compares what two builds of loa print for the same station: every report
# format (text, csv, html, json, xlsx) over each given period, and
# `next --json` for a week, with the clock frozen by libfaketime so the
# "made at" lines agree. For a change that must not change what a user
# sees (issue 22): the two builds' outputs must be byte for byte the same.
#
#   bash bench/same-output.sh OLD_LOA NEW_LOA STATION_DIR [PERIOD_ARGS...]
#
# PERIOD_ARGS default to `--from 2025-01-01 --to 2025-12-31`. Exits 1 on
# the first difference, naming it. Needs faketime (apt install faketime).
set -euo pipefail
old=$(realpath "$1") new=$(realpath "$2") st=$(realpath "$3")
shift 3
[ $# -gt 0 ] || set -- --from 2025-01-01 --to 2025-12-31
lib=$(ls /usr/lib/*/faketime/libfaketime.so.1 2>/dev/null | head -1)
[ -n "$lib" ] || { echo "same-output: apt install faketime" >&2; exit 2; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
frozen="2026-12-07 10:00:00"
run() { # name binary args...
    local name=$1 bin=$2
    shift 2
    (cd "$st" && TZ=UTC FAKETIME="$frozen" LD_PRELOAD="$lib" "$bin" --config "$st/config.yaml" "$@" >"$work/$name" 2>"$work/$name.err") || true
}
differ=0
for lang in vi en; do
    for f in text csv html json xlsx; do
        run "old.$f" "$old" --lang "$lang" report "$@" --format "$f"
        run "new.$f" "$new" --lang "$lang" report "$@" --format "$f"
        if cmp -s "$work/old.$f" "$work/new.$f" && cmp -s "$work/old.$f.err" "$work/new.$f.err"; then
            echo "same: report $lang $f ($(wc -c <"$work/new.$f") bytes)"
        else
            echo "DIFFERENT: report $lang $f" >&2
            cmp "$work/old.$f" "$work/new.$f" >&2 || true
            differ=1
        fi
    done
    run old.next "$old" --lang "$lang" next --days 7 --from "2025-06-02 00:00" --json
    run new.next "$new" --lang "$lang" next --days 7 --from "2025-06-02 00:00" --json
    run old.table "$old" --lang "$lang" next --days 7 --from "2025-06-02 00:00"
    run new.table "$new" --lang "$lang" next --days 7 --from "2025-06-02 00:00"
    for n in next table; do
        if cmp -s "$work/old.$n" "$work/new.$n"; then
            echo "same: next $lang $n ($(wc -l <"$work/new.$n") lines)"
        else
            echo "DIFFERENT: next $lang $n" >&2
            diff "$work/old.$n" "$work/new.$n" | head -5 >&2 || true
            differ=1
        fi
    done
done
exit $differ
