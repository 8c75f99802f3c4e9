#!/usr/bin/env bash
# CPU of `drover tui` (and of the `drover start` it watches) with PROCS processes, each printing RATE lines/s,
# over SECONDS: utime+stime from /proc/PID/stat, as a percentage of one core. The UI runs in a tmux window of
# 80x24, attached over the control socket like a user's. Goal (issue 20): under 5% of one core.
# Usage: bench/tui-cpu.sh [PROCS=100] [RATE=100] [SECONDS=60]    (DROVER=path/to/drover to choose the binary;
# RATE=0: processes that print nothing, to see the UI's idle cost; UI=0: no UI, for `drover start` alone)
set -euo pipefail
cd "$(dirname "$0")/.."
procs=${1:-100}
rate=${2:-100}
seconds=${3:-60}
drover=${DROVER:-$PWD/src/Drover/bin/Release/net10.0/drover}
command -v tmux > /dev/null || { echo "tui-cpu: needs tmux (apt-get install tmux)" >&2; exit 1; }
command -v perl > /dev/null || { echo "tui-cpu: needs perl" >&2; exit 1; }
app=$(mktemp -d)
sock="drover-bench-$$"
cleanup() {
    tmux -L "$sock" kill-server 2> /dev/null || true
    [ -n "${formation:-}" ] && kill -TERM "$formation" 2> /dev/null && wait "$formation" 2> /dev/null || true
    rm -rf "$app"
}
trap cleanup EXIT
# Bursts of RATE/10 lines every 100 ms: no fork per line, so the printers themselves cost little.
if [ "$rate" -gt 0 ]; then
    burst=$(( (rate + 9) / 10 ))
    echo "busy: exec perl -e '\$|=1; my \$i=0; while (1) { print \"busy line \", ++\$i, \" from \$ENV{PS}, some text to make it longer\\n\" for 1..$burst; select(undef, undef, undef, 0.1) }'" > "$app/Procfile"
else
    echo "busy: exec sleep 100000" > "$app/Procfile"
fi
(cd "$app" && exec "$drover" start -m busy="$procs" --no-color > /dev/null 2>&1) &
formation=$!
until (cd "$app" && "$drover" ps > /dev/null 2>&1); do sleep 0.2; done
sleep 2
if [ "${UI:-1}" = 0 ]; then
    tmux -L "$sock" -f /dev/null new-session -d -s t -x 80 -y 24 -c "$app" "exec sleep 100000"
else
    tmux -L "$sock" -f /dev/null new-session -d -s t -x 80 -y 24 -c "$app" "exec $drover tui"
fi
tui=$(tmux -L "$sock" display -p -t t:0 '#{pane_pid}')
sleep 3 # started, first frame and the recent lines drawn
ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
hz=$(getconf CLK_TCK)
t0=$(ticks "$tui"); f0=$(ticks "$formation"); s0=$(date +%s.%N)
sleep "$seconds"
t1=$(ticks "$tui"); f1=$(ticks "$formation"); s1=$(date +%s.%N)
tmux -L "$sock" capture-pane -p -t t:0 | head -3 >&2
pct() { awk -v a="$1" -v b="$2" -v hz="$hz" -v s0="$s0" -v s1="$s1" 'BEGIN {printf "%.1f", 100 * (b - a) / hz / (s1 - s0)}'; }
echo "tui-cpu: $procs processes x $rate lines/s, ${seconds} s: drover tui $(pct "$t0" "$t1")% of one core; drover start $(pct "$f0" "$f1")%"
