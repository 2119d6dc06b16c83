#!/usr/bin/env bash
# Speech (issue 12): wall time of `loa say TEXT -o x.wav` per 100 characters
# of text, rendered by espeak-ng (first run, empty cache) and again (the
# cache hit: nothing rendered, the WAV copied out), and `loa say --print`
# for a real notice. Whole processes, timed from outside; RUNS each.
# Method and latest numbers: bench/README.md.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh >/dev/null
cargo build --release --quiet
loa="$PWD/target/release/loa"
RUNS="${RUNS:-5}"
st="$(mktemp -d)"
trap 'rm -rf "$st"' EXIT
mkdir -p "$st/schedules" "$st/audio"
printf 'station: "bench"\noutput:\n  device: "null"\n' > "$st/config.yaml"
cd "$st"

notices=(
  "UBND xã thông báo lịch tiêm phòng dại lúc 7h30 ngày 5/12/2026 tại nhà văn hóa thôn Đông."
  "Thông báo: từ ngày 1/12/2026, người dân làm thủ tục hành chính (TTHC) trên Cổng dịch vụ công, lệ phí giảm 50%. Mọi thắc mắc xin gọi đường dây nóng 0912 345 678 trong giờ hành chính, từ 7h30 đến 17h00."
  "Ban chỉ huy PCCC xã đề nghị các hộ gia đình kiểm tra hệ thống điện, không để chất dễ cháy gần bếp; khi phát hiện cháy, gọi ngay 114. Mùa khô năm 2026, nhiệt độ có ngày trên 38 độ C, độ ẩm dưới 40%. UBND xã yêu cầu các thôn tổ chức trực 24/24, bảo đảm an toàn cho 1.250 hộ dân và 3 trường học (THCS, tiểu học, mầm non). Thông báo được phát lại vào 17g15 hằng ngày đến hết ngày 30/4/2026."
)

now_ms() { date +%s%3N; }

echo "sample: loa say --print"
echo "  in:  ${notices[0]}"
echo "  out: $("$loa" say --print "${notices[0]}")"
echo
printf '%-6s %-6s %-14s %-14s %-16s %-10s\n' chars words "first (ms)" "cached (ms)" "first/100 ch" "sound (s)"
for text in "${notices[@]}"; do
  chars=$(printf '%s' "$text" | wc -m)
  words=$(printf '%s' "$text" | wc -w)
  first=(); cached=()
  for _ in $(seq "$RUNS"); do
    rm -rf state/tts
    t0=$(now_ms); "$loa" say "$text" -o x.wav >/dev/null 2>&1; t1=$(now_ms)
    "$loa" say "$text" -o y.wav >/dev/null 2>&1; t2=$(now_ms)
    first+=($((t1 - t0))); cached+=($((t2 - t1)))
    cmp -s x.wav y.wav || { echo "cached WAV differs" >&2; exit 1; }
    [ "$(ls state/tts | wc -l)" -eq 1 ] || { echo "second say rendered again" >&2; exit 1; }
  done
  med() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
  f=$(med "${first[@]}"); c=$(med "${cached[@]}")
  bytes=$(stat -c %s x.wav)
  # espeak-ng writes 16-bit mono at 22,050 Hz.
  secs=$(awk -v b="$bytes" 'BEGIN {printf "%.1f", (b - 44) / 44100}')
  per=$(awk -v f="$f" -v c="$chars" 'BEGIN {printf "%.1f", f * 100 / c}')
  printf '%-6s %-6s %-14s %-14s %-16s %-10s\n' "$chars" "$words" "$f" "$c" "$per ms" "$secs"
done

# A hung engine (issue 12 review, item 3): a command that never answers,
# two spoken broadcasts of the same text. `loa next` renders nothing (the
# length is estimated); `loa check` asks the engine once per distinct text,
# so it waits for one time limit (30 s + 50 ms a character), not one per
# item and per plan step.
echo
hung="$(mktemp -d)"
trap 'rm -rf "$st" "$hung"' EXIT
mkdir -p "$hung/schedules" "$hung/audio"
printf 'station: "bench"\noutput:\n  device: "null"\ntts:\n  engine: command\n  command: [sh, hang.sh, "{out}"]\n' > "$hung/config.yaml"
printf 'sleep 3600\n' > "$hung/hang.sh"
printf 'broadcasts:\n  - name: a\n    say: "Họp dân lúc 7h30."\n    at: "07:00"\n  - name: b\n    say: "Họp dân lúc 7h30."\n    at: "17:00"\n' > "$hung/schedules/s.yaml"
cd "$hung"
t0=$(now_ms); "$loa" next --days 7 >/dev/null 2>&1 || true; t1=$(now_ms)
"$loa" check >/dev/null 2>&1 || true; t2=$(now_ms)
echo "hung engine, 2 spoken broadcasts of one text:"
echo "  loa next --days 7: $((t1 - t0)) ms"
echo "  loa check:         $((t2 - t1)) ms"
