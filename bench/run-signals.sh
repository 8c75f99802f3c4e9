#!/usr/bin/env bash
# Race loop: SIGTERM sent to `drover run` at a random moment while it starts its command (0 to MAXMS=800 ms after exec).
# The signal must end the command (forwarded, or held until its pid is known), or, sent before Drover's handlers
# exist, end Drover before it started anything. Never: Drover exits and leaves the command running, or hangs.
# Reports the count of each outcome. Usage: bench/run-signals.sh [RUNS=100]   (DROVER=path/to/drover)
set -uo pipefail
cd "$(dirname "$0")/.."
runs=${1:-100}
drover=${DROVER:-$PWD/src/Drover/bin/Release/net10.0/drover}
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
printf 'x: true\n' > "$work/Procfile"
mark="drover-run-signals-$$"
declare -A outcome
for run in $(seq "$runs"); do
    (cd "$work" && exec "$drover" run sh -c "trap 'exit 7' TERM; while :; do sleep 0.01; done # $mark" >/dev/null 2>&1) &
    pid=$!
    sleep "$(printf "0.%03d" $((RANDOM % ${MAXMS:-800})))"
    kill -TERM "$pid" 2>/dev/null
    code=timeout
    for _ in $(seq 100); do
        if ! kill -0 "$pid" 2>/dev/null; then wait "$pid"; code=$?; break; fi
        sleep 0.05
    done
    left=$(pgrep -f "$mark" | grep -vx "$$" | wc -l)
    if [ "$code" = timeout ]; then key="HUNG"; kill -KILL "$pid" 2>/dev/null
    elif [ "$left" -gt 0 ]; then key="ORPHANED (exit $code)"
    else case $code in
        7) key="forwarded: command trapped TERM (exit 7)";;
        143) key="TERM before the trap or before Drover's handlers (exit 143)";;
        *) key="exit $code";;
    esac; fi
    pkill -KILL -f "$mark" 2>/dev/null
    outcome[$key]=$(( ${outcome[$key]:-0} + 1 ))
done
echo "runs $runs:"
for k in "${!outcome[@]}"; do echo "  ${outcome[$k]}  $k"; done
