#!/usr/bin/env bash
# Probe cost (issue 16): 100 instances, each with an HTTP readiness probe every second, against the same 100
# without probes; Drover's own CPU (utime+stime of the supervising process, from /proc) over SECONDS once all are
# ready. The probes all hit one HTTP server outside the measured process, so only Drover's side is counted.
# The bench runs with drover's own runtime options (src/Drover/RuntimeOptions.props) and measures after SETTLE (10)
# more seconds, once the JIT build has compiled its hot code (the AOT drover compiles nothing at run time).
# Usage: bash bench/probe-cost.sh [INSTANCES] [SECONDS]
set -euo pipefail
cd "$(dirname "$0")/.."
n="${1:-100}"
seconds="${2:-60}"
dotnet build bench/Drover.Probes -c Release -nologo -v quiet >/dev/null
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
# HTTP/1.1 with keep-alive, as most web servers answer a health check (python's default is HTTP/1.0, a new
# connection per check: KEEPALIVE=0 measures that too).
python3 - "$port" "${KEEPALIVE:-1}" >/dev/null 2>&1 <<'PY' &
import http.server, sys
class H(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1" if sys.argv[2] == "1" else "HTTP/1.0"
    def do_GET(self):
        self.send_response(200); self.send_header("Content-Length", "2"); self.end_headers(); self.wfile.write(b"ok")
    def log_message(self, *a): pass
http.server.ThreadingHTTPServer(("127.0.0.1", int(sys.argv[1])), H).serve_forever()
PY
server=$!
trap 'kill $server 2>/dev/null' EXIT
for _ in $(seq 50); do (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && break; sleep 0.1; done
dll=bench/Drover.Probes/bin/Release/net10.0/Drover.Probes.dll
echo "nproc=$(nproc) keepalive=${KEEPALIVE:-1} load=$(cut -d' ' -f1-3 /proc/loadavg)"
dotnet "$dll" probe-cost "$n" "$seconds" "$port" none
dotnet "$dll" probe-cost "$n" "$seconds" "$port" http
echo "load=$(cut -d' ' -f1-3 /proc/loadavg)"
