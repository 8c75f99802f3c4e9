#!/usr/bin/env bash
# Peak RSS of a Drover whose output floods, without log followers and with N `drover logs -f` clients that stop
# reading (SIGSTOP) during the flood. Each follower may queue a bounded number of bytes, then is disconnected, so
# the second figure must stay close to the first (issue 13 asked for within 2x).
# With MODE=events the clients are the dashboard's event stream (`curl -N /api/events` with the Bearer token),
# stopped the same way, and both runs have the dashboard on.
# Usage: [MODE=logs|events] bench/slow-followers.sh [FOLLOWERS=10] [SECONDS=15]    (DROVER=path/to/drover)
set -euo pipefail
cd "$(dirname "$0")/.."
followers=${1:-10}
seconds=${2:-15}
drover=${DROVER:-$PWD/src/Drover/bin/Release/net10.0/drover}
mode=${MODE:-logs}
dashboard=(); [ "$mode" = events ] && dashboard=(--dashboard 127.0.0.1:0)
app=$(mktemp -d)
trap 'rm -rf "$app"' EXIT
# The flood starts once the followers are connected and stopped (the file "go").
echo 'flood: while [ ! -e go ]; do sleep 0.1; done; exec yes "a line of flood output, sixty-odd bytes long"' > "$app/Procfile"

peak_rss() { # pid seconds -> peak VmRSS in KiB, sampled every 0.2 s
    local pid=$1 end=$((SECONDS + $2)) peak=0 rss
    while [ $SECONDS -lt $end ]; do
        rss=$(awk '/^VmRSS/ {print $2}' "/proc/$pid/status" 2>/dev/null || echo 0)
        [ "${rss:-0}" -gt "$peak" ] && peak=$rss
        sleep 0.2
    done
    echo "$peak"
}

run() { # followers -> peak RSS KiB
    local n=$1 pids=() pid
    (cd "$app" && exec "$drover" start --no-color "${dashboard[@]}" > /dev/null 2>&1) &
    pid=$!
    until (cd "$app" && "$drover" ps > /dev/null 2>&1); do sleep 0.1; done
    local url base token
    if [ "$mode" = events ]; then
        url=$(cd "$app" && "$drover" dashboard | grep -o 'http://[^ ]*')
        base=${url%%/\?*}; token=${url##*token=}
    fi
    for _ in $(seq "$n"); do
        if [ "$mode" = events ]; then
            curl -sN -H "Authorization: Bearer $token" "$base/api/events" > /dev/null 2>&1 &
        else
            (cd "$app" && exec "$drover" logs -f > /dev/null 2>&1) &
        fi
        pids+=($!)
    done
    sleep 3 # every client connected and following (a JIT client takes a while to start)
    for p in "${pids[@]}"; do kill -STOP "$p" 2>/dev/null || echo "follower $p is gone before the flood" >&2; done
    touch "$app/go"
    peak_rss "$pid" "$seconds"
    for p in "${pids[@]}"; do kill -KILL "$p" 2>/dev/null || true; done
    kill -TERM "$pid"; wait "$pid" 2>/dev/null || true
    rm -f "$app/go"
}

none=$(run 0)
stalled=$(run "$followers")
echo "peak RSS, ${seconds} s flood ($mode): no clients $((none / 1024)) MiB; $followers stalled clients $((stalled / 1024)) MiB; ratio $(awk -v a="$stalled" -v b="$none" 'BEGIN {printf "%.2f", a / b}')"
