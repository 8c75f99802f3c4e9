#!/usr/bin/env bash
# Log throughput and CPU through pseudo-terminals against pipes (issue 17 item 5): four processes each write 500,000
# lines of 55 bytes (perl, 4 KiB writes) and exit; Drover's stdout goes to a pipe read by cat into a file, checked afterwards. Reports wall
# time, lines/s, Drover's CPU (user+sys, children excluded) and how many lines came out intact, per mode.
# Usage: bench/pty-throughput.sh [REPEATS=3]    (DROVER=path/to/drover to choose the binary)
set -euo pipefail
cd "$(dirname "$0")/.."
repeats=${1:-3}
drover=${DROVER:-$PWD/src/Drover/bin/Release/net10.0/drover}
app=$(mktemp -d)
trap 'rm -rf "$app"' EXIT
lines=500000
# Each line: "pN 00000001 " + payload, 55 bytes with the newline; written in 4 KiB blocks like the main benchmark.
cat > "$app/gen.pl" <<'PERL'
my ($tag, $n) = @ARGV; $| = 0; my $buf = "";
for my $i (1 .. $n) { $buf .= sprintf("%s %08d abcdefghijklmnopqrstuvwxyz0123456789ABCDEF#\n", $tag, $i);
  if (length($buf) >= 4096) { syswrite(STDOUT, $buf); $buf = ""; } }
syswrite(STDOUT, $buf) if length($buf);
PERL
for p in 1 2 3 4; do echo "p$p: perl gen.pl p$p $lines"; done > "$app/Procfile"

# Lines that are exactly "HH:MM:SS pN.1 | pN SEQ payload#", as written.
check='$ok++ if /^[0-9:]{8} p([1-4])\.1 +\| p\1 [0-9]{8} abcdefghijklmnopqrstuvwxyz0123456789ABCDEF#$/; END { print $ok + 0 }'

run() { # mode -> "seconds cpu intact"
    local mode=$1 start end
    start=$(date +%s.%N)
    local out
    # A reader as fast as cat (a file on the side), so the checker's own speed is not measured; checked after.
    ( cd "$app" && /usr/bin/time -f "%U %S" "$drover" start --tty "$mode" --no-color --restart never 2> "$app/time" ) | cat > "$app/out"
    end=$(date +%s.%N)
    out=$(perl -ne "$check" "$app/out")
    local cpu
    cpu=$(tail -1 "$app/time" | awk '{printf "%.2f", $1 + $2}')
    echo "$(echo "$end - $start" | bc) $cpu $out"
}

echo "mode   run  seconds  lines/s   drover-cpu-s  intact/2000000"
for mode in never always; do
    for r in $(seq 1 "$repeats"); do
        read -r secs cpu intact < <(run "$mode")
        printf "%-6s %-4s %-8.3f %-9.0f %-13s %s\n" "$([ "$mode" = never ] && echo pipe || echo pty)" "$r" "$secs" \
            "$(echo "2000000 / $secs" | bc)" "$cpu" "$intact"
    done
done
