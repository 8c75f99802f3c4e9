#!/usr/bin/env bash
# Issue 20 item 4 (watch): what --watch costs. A generated app of ~10k files (a node_modules-like tree of 1,000
# packages x 10 files, plus src/), and Drover's own CPU time (utime+stime from /proc/PID/stat) over DURATION idle
# seconds after its start, in three runs: without --watch; with --watch web=. (node_modules ignored by default);
# and with the same tree named vendor/ (not ignored: a watch on each of its ~2,000 directories). Then, in the two
# watching runs, every file of the tree is rewritten once (a `git checkout` or `npm install`): CPU for it and the
# number of restarts it caused.
# Usage: bench/watch-idle.sh [DURATION=60] [REPS=1]    (DROVER=path/to/drover to choose the binary)
set -euo pipefail
cd "$(dirname "$0")/.."
duration=${1:-60}
reps=${2:-1}
drover=${DROVER:-$PWD/src/Drover/bin/Release/net10.0/drover}
work=$(mktemp -d "${TMPDIR:-/var/tmp}/drover-watchbench.XXXXXX")
pid=""
trap '[ -n "$pid" ] && kill "$pid" 2>/dev/null; rm -rf "$work"' EXIT
tck=$(getconf CLK_TCK)

make_app() { # DIR TREE-NAME
    mkdir -p "$1/src"
    for f in $(seq 1 20); do echo "puts $f" > "$1/src/file$f.rb"; done
    for p in $(seq 1 1000); do
        mkdir -p "$1/$2/pkg$p/lib"
        for f in $(seq 1 5); do echo "module.exports = $f" > "$1/$2/pkg$p/index$f.js"; echo "x" > "$1/$2/pkg$p/lib/part$f.js"; done
    done
    echo "web: exec sleep 100000" > "$1/Procfile"
}

cpu() { awk -v t="$tck" '{ printf "%.2f", ($14 + $15) / t }' "/proc/$1/stat"; }
rss() { awk '/^VmRSS/ { r = $2 } /^RssAnon/ { a = $2 } /^RssFile/ { f = $2 } END { printf "%.1f MiB (anon %.1f, file %.1f)", r / 1024, a / 1024, f / 1024 }' "/proc/$1/status"; }

# run LABEL DIR [FLAGS...]: starts drover, waits until it is up, measures idle CPU, leaves $pid running
run() {
    local label=$1 dir=$2 t0 c0 c1 start ready
    shift 2
    start=$(date +%s.%N)
    (cd "$dir" && exec "$drover" start --no-color --no-timestamp -p 47000 "$@" > "$work/out.$label" 2>&1) &
    pid=$!
    until grep -q "web.1 started" "$work/out.$label" 2>/dev/null && { [ $# -eq 0 ] || grep -q "watching" "$work/out.$label"; }; do sleep 0.05; done
    ready=$(awk -v a="$start" -v b="$(date +%s.%N)" 'BEGIN { printf "%.2f", b - a }')
    sleep 1
    c0=$(cpu "$pid")
    sleep "$duration"
    c1=$(cpu "$pid")
    echo "$label: up in ${ready} s; $(grep -o 'watching [0-9]* director[a-z]*' "$work/out.$label" || echo 'no watch'); CPU over ${duration} s idle: $(awk -v a="$c0" -v b="$c1" 'BEGIN { printf "%.2f s", b - a }') (startup included: ${c1} s); RSS $(rss "$pid")"
}

# burst LABEL DIR TREE: rewrites every file of TREE, waits 3 s, reports CPU and restarts
burst() {
    local c0 c1
    c0=$(cpu "$pid")
    find "$2/$3" -type f -exec sh -c 'for f; do echo y >> "$f"; done' _ {} +
    sleep 3
    c1=$(cpu "$pid")
    echo "$1: every file of $3/ ($(find "$2/$3" -type f | wc -l) files) rewritten: CPU $(awk -v a="$c0" -v b="$c1" 'BEGIN { printf "%.2f s", b - a }'), restarts $(grep -c 'restarting (rolling)' "$work/out.$1" || true)"
}

stop() { kill -TERM "$pid"; wait "$pid" || true; pid=""; }

make_app "$work/a" node_modules
make_app "$work/b" vendor
echo "tree: $(find "$work/a" -type f | wc -l) files in $(find "$work/a" -type d | wc -l) directories ($drover, $(nproc) cores)"
for rep in $(seq "$reps"); do
    echo "rep $rep"
    run no-watch "$work/a"; stop
    run watch-node_modules-ignored "$work/a" --watch web=.; burst watch-node_modules-ignored "$work/a" node_modules; stop
    run watch-vendor-watched "$work/b" --watch web=.; burst watch-vendor-watched "$work/b" vendor; stop
done
