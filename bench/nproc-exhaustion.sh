#!/usr/bin/env bash
# Attack: another program of the same (non-root) user takes every process slot left under `ulimit -u` while Drover
# runs a crash-looping process. Drover must report the failed start with RLIMIT_NPROC named, keep the rest running,
# and start the crasher again once the slots are free. Reports what happened; repeat it to find races.
# Usage (as root): bench/nproc-exhaustion.sh [RUNS=3] [NPROC=90]    (DROVER=path/to/drover to choose the binary)
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-3}
nproc=${2:-90}
drover=${DROVER:-$PWD/src/Drover/bin/Release/net10.0/drover}
user=drovertest
id -u "$user" >/dev/null 2>&1 || useradd --system --no-create-home --shell /usr/sbin/nologin "$user"
as_user() { setpriv --reuid="$(id -u "$user")" --regid="$(id -g "$user")" --clear-groups env -u XDG_RUNTIME_DIR "$@"; }
app=$(mktemp -d); chmod 777 "$app"
trap 'rm -rf "$app"' EXIT
printf 's: sleep 1000\ncrash: sleep 0.2; exit 1\n' > "$app/Procfile"
survived=0 recovered=0 reported=0
for run in $(seq "$runs"); do
    (cd "$app" && as_user prlimit --nproc="$nproc" "$drover" start -m s=3,crash=1 --max-restart-delay 0.2 > out.txt 2> err.txt) &
    pid=$!
    sleep 5 # past the runtime's start-up: its own threads exist
    dpid=$(pgrep -P "$pid" -x drover || echo "$pid")
    rm -f "$app/pids"
    as_user sh -c "{ i=0; while [ \$i -lt $nproc ]; do sleep 1000 & echo \$! >> $app/pids; i=\$((i+1)); done; } >/dev/null 2>&1" || true
    sleep 3
    grep -q "failed to start.*RLIMIT_NPROC" "$app/out.txt" 2>/dev/null && reported=$((reported + 1))
    starts=$(grep -c "crash.1 started" "$app/out.txt" || true)
    xargs -r kill -KILL < "$app/pids" 2>/dev/null || true
    sleep 3
    if kill -0 "$dpid" 2>/dev/null; then survived=$((survived + 1)); fi
    [ "$(grep -c "crash.1 started" "$app/out.txt" || true)" -gt "$starts" ] && recovered=$((recovered + 1))
    kill -TERM "$dpid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
    [ -s "$app/err.txt" ] && { echo "run $run stderr:"; cat "$app/err.txt"; }
done
echo "runs $runs: limit reported $reported, Drover survived $survived, crasher started again $recovered"
