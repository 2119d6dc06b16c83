#!/usr/bin/env bash
# An endless HLS segment (issue 25, item 6): the daemon's peak resident
# memory while it relays a live playlist whose segment never ends, served
# as fast as loopback takes it by a hostile server on 127.0.0.1 (a PAT, a
# PMT naming an AAC stream, then null packets without end).
#
#   LOA=/path/to/loa bash bench/hls-endless.sh    # default: target/release/loa
#
# Prints the peak VmHWM over SECONDS (15 by default) of relaying, and the
# daemon's last words on the relay. A build that holds a segment whole is
# stopped once it passes 4 GiB.
set -euo pipefail
cd "$(dirname "$0")/.."
loa=$(realpath "${LOA:-target/release/loa}")
secs=${SECONDS_RELAYED:-15}
work=$(mktemp -d)
cleanup() { kill "$server" "$daemon" 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
python3 - "$port" "$((secs + 30))" <<'PY' &
import sys, time, threading
from http.server import ThreadingHTTPServer, BaseHTTPRequestHandler
port, life = int(sys.argv[1]), float(sys.argv[2])
def packet(pid, start, payload):
    p = bytes([0x47, ((pid >> 8) & 0x1F) | (0x40 if start else 0), pid & 0xFF, 0x10]) + bytes(payload)
    return p + b"\xff" * (188 - len(p))
PAT = [0, 0x00, 0xB0, 0x0D, 0, 1, 0xC1, 0, 0, 0, 1, 0xF0, 0x00, 0, 0, 0, 0]
PMT = [0, 0x02, 0xB0, 0x12, 0, 1, 0xC1, 0, 0, 0xE1, 0x00, 0xF0, 0x00, 0x0F, 0xE1, 0x00, 0xF0, 0x00, 0, 0, 0, 0]
NULL = packet(0x1FFF, False, []) * 1024
class H(BaseHTTPRequestHandler):
    def log_message(self, *a): pass
    def do_GET(self):
        if self.path.startswith("/live.m3u8"):
            body = b"#EXTM3U\n#EXT-X-VERSION:3\n#EXT-X-TARGETDURATION:2\n#EXT-X-MEDIA-SEQUENCE:1\n#EXTINF:2.0,\nseg1.ts\n#EXTINF:2.0,\nseg2.ts\n"
            self.send_response(200); self.send_header("Content-Length", str(len(body))); self.end_headers(); self.wfile.write(body); return
        self.send_response(200); self.send_header("Content-Type", "video/mp2t"); self.end_headers()
        self.wfile.write(packet(0, True, PAT) + packet(0x1000, True, PMT))
        t = time.time()
        try:
            while time.time() - t < life:
                self.wfile.write(NULL)
        except OSError:
            pass
srv = ThreadingHTTPServer(("127.0.0.1", port), H)
threading.Timer(life, srv.shutdown).start()
srv.serve_forever()
PY
server=$!
mkdir -p "$work/schedules" "$work/audio"
cat >"$work/config.yaml" <<YAML
station: bench
output:
  device: "null"
quiet_hours: []
YAML
at=$(TZ=Asia/Ho_Chi_Minh date -d '+8 seconds' '+%Y-%m-%d %H:%M:%S')
cat >"$work/schedules/hls.yaml" <<YAML
broadcasts:
  - name: HLS
    relay: "http://127.0.0.1:$port/live.m3u8"
    for: 60s
    chime: false
    on: ["$at"]
YAML
(cd "$work" && LOA_LOG=info exec "$loa" --lang en run >"$work/out" 2>&1) &
daemon=$!
# From 5 s before its time (the relay connects then) for $secs seconds.
sleep 3
peak=0
for _ in $(seq $((secs * 4))); do
    kb=$(awk '/^VmHWM:/ {print $2}' "/proc/$daemon/status" 2>/dev/null || echo 0)
    [ "${kb:-0}" -gt "$peak" ] && peak=$kb
    [ "$peak" -gt $((4 * 1024 * 1024)) ] && break
    sleep 0.25
done
echo "peak VmHWM: $((peak / 1024)) MiB over ${secs} s ($loa)"
grep -i "relay\|segment" "$work/out" | tail -3 || true
