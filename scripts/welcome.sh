#!/usr/bin/env bash
# Writes a one-off spoken broadcast, due 20 seconds from now, into the
# station folder given (default: this repository's own station), so that
# whoever starts the station hears it work within the first minute. Prints
# the file's path; the caller removes it again (run-station.sh does, when
# the daemon stops). The file is always the same one, so a run that was
# killed leaves nothing a second run does not replace.
#
#   bash scripts/welcome.sh [STATION_DIR]
set -euo pipefail
dir=${1:-$(dirname "$0")/..}
file="$dir/schedules/zz-chay-thu.yaml"
# The station's time zone is the commune's (config.yaml `timezone`).
at=$(TZ=Asia/Ho_Chi_Minh date -d '+20 seconds' '+%Y-%m-%d %H:%M:%S')
cat >"$file" <<YAML
# Chạy thử: một bản tin phát một lần, 20 giây sau khi chạy
# scripts/run-station.sh; tệp này bị xóa khi loa dừng.
title: Chạy thử
topic: Chạy thử
approved_by: "Người chạy thử (scripts/run-station.sh)"
broadcasts:
  - name: Chạy thử loa
    say: "Đài truyền thanh xã Xuân Đám đang chạy thử phần mềm loa. Đây là bản tin chạy thử, chỉ phát một lần."
    on: ["$at"]
YAML
echo "$file"
