#!/usr/bin/env bash
# Issue 19 item 5. (1) 4 x N lines (default 500k) through `drover start`, without and with --log-dir: lines/s
# from start to exit, and every line checked once and intact on stdout and in the files. (2) `drover logs --grep`
# over the retained logs of a 2 x 500k run (1M lines in drover.log), plain and rotated+gzipped: wall time.
# Usage: bench/log-files.sh [LINES=500000] [REPS=3]    (DROVER=path/to/drover to choose the binary)
set -euo pipefail
cd "$(dirname "$0")/.."
lines=${1:-500000}
reps=${2:-3}
drover=${DROVER:-$PWD/src/Drover/bin/Release/net10.0/drover}
work=$(mktemp -d "${TMPDIR:-/var/tmp}/drover-logbench.XXXXXX")
trap 'rm -rf "$work"' EXIT
# Each line is unique (type and number) and 60-odd bytes, like the flood in docs/benchmarks.md.
for t in a b c d; do
    echo "$t: seq -f '$t %09.0f a line of output to fill the sixty-odd bytes' 1 $lines"
done > "$work/Procfile"

now() { date +%s.%N; }

# check FILE TYPE: the lines of TYPE in FILE (as "... | TYPE NUMBER ...") are 1..lines, once each, in order, intact.
check() {
    awk -v t="$2" -v n="$lines" -F' [|] ' '
        $2 ~ "^" t " " { k++; want = sprintf("%s %09d a line of output to fill the sixty-odd bytes", t, k); if ($2 != want) bad++ }
        END { if (k != n || bad) { printf "%s: %d lines of %d, %d bad\n", t, k, n, bad; exit 1 } }' "$1"
}

run() { # extra flags... -> seconds in $work/seconds; exits the script when a line is missing, doubled or damaged
    local start end
    rm -rf "$work/logs" "$work/out"
    start=$(now)
    (cd "$work" && "$drover" start --no-color --restart never "$@" > "$work/out" 2>&1)
    end=$(now)
    for t in a b c d; do
        check "$work/out" "$t" || exit 1
        if [ $# -gt 0 ]; then
            check "$work/logs/$t.1.log" "$t" || exit 1
            check "$work/logs/drover.log" "$t" || exit 1
        fi
    done
    awk -v a="$start" -v b="$end" 'BEGIN { printf "%.3f", b - a }' > "$work/seconds"
}

total=$((4 * lines))
echo "4 x $lines lines ($drover)"
for i in $(seq "$reps"); do
    run; off=$(cat "$work/seconds")
    run --log-dir logs; on=$(cat "$work/seconds")
    echo "rep $i: without --log-dir $off s ($(awk -v n=$total -v s="$off" 'BEGIN {printf "%.0f", n / s}') lines/s); with $on s ($(awk -v n=$total -v s="$on" 'BEGIN {printf "%.0f", n / s}') lines/s); ratio $(awk -v a="$off" -v b="$on" 'BEGIN {printf "%.2f", a / b}'); every line once and intact on stdout and in the files"
done

# (2) grep over 1M retained lines: 2 x 500k into drover.log, plain, then rotated every 16 MiB and gzipped.
head -2 "$work/Procfile" | sed "s/ $lines\$/ 500000/" > "$work/Procfile.2" && mv "$work/Procfile.2" "$work/Procfile"
grep_time() { # -> seconds of the best of 3
    local best=999 s e
    for _ in 1 2 3; do
        s=$(now)
        "$drover" logs --log-dir "$work/logs" --grep 'a 0004999[0-9]' > "$work/found"
        e=$(now)
        best=$(awk -v a="$best" -v b="$(awk -v s="$s" -v e="$e" 'BEGIN {print e - s}')" 'BEGIN {print (b < a) ? b : a}')
    done
    [ "$(wc -l < "$work/found")" -eq 100 ] || { echo "grep found $(wc -l < "$work/found") lines, not 100"; exit 1; }
    printf "%.3f" "$best"
}
rm -rf "$work/logs"; (cd "$work" && "$drover" start --no-color --restart never --log-dir logs > /dev/null 2>&1)
echo "grep over $(cat "$work"/logs/drover.log* | wc -l) lines in drover.log (plain): $(grep_time) s (best of 3, process start included)"
rm -rf "$work/logs"; (cd "$work" && "$drover" start --no-color --restart never --log-dir logs --log-max-size 16M --log-gzip --log-keep 100 > /dev/null 2>&1)
echo "grep over $(zcat -f "$work"/logs/drover.log* | wc -l) lines in $(ls "$work"/logs/drover.log* | wc -l) files of drover.log (rotated at 16M, gzipped): $(grep_time) s"
