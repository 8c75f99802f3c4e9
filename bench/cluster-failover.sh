#!/usr/bin/env bash
# Failover time of `drover agent`: a 3-member etcd cluster on loopback, three agents, web=6; kill -9 one agent and
# measure until `drover cluster ps` shows all six slots running on the two survivors.
#   bash bench/cluster-failover.sh [REPS] [LEASE_TTL]     (defaults: 5 repetitions, TTL 10 s)
# DROVER_BINARY selects the binary (default: the Release build in src/Drover). Needs `etcd` (Debian etcd-server).
# The time includes lease expiry (TTL after the last renewal etcd received), etcd's expiry check, the watch
# event, the claim and the start, and the polling of `drover cluster ps` (about 0.1 s plus one ps call).
set -euo pipefail
cd "$(dirname "$0")/.."
reps=${1:-5}
ttl=${2:-10}
# The agent needs --lease-ttl >= -t + fence allowance (TTL/5, at least 1 s) + 2: short leases get a 1 s stop timeout.
stop_timeout=3; [ "$ttl" -lt 6 ] && stop_timeout=1
name=cluster-failover
# shellcheck source=bench/cluster-common.sh
source bench/cluster-common.sh
now() { date +%s.%N; }

printf 'web: exec sleep 100000\n' > "$work/Procfile"
results=()
for rep in $(seq 1 "$reps"); do
    pids=()
    dir="$work/r$rep"; mkdir -p "$dir"
    cp=(); pp=()
    for i in 0 1 2; do cp+=("$(free_port)"); pp+=("$(free_port)"); done
    initial="m0=http://127.0.0.1:${pp[0]},m1=http://127.0.0.1:${pp[1]},m2=http://127.0.0.1:${pp[2]}"
    for i in 0 1 2; do
        etcd --name "m$i" --data-dir "$dir/m$i" --listen-client-urls "http://127.0.0.1:${cp[$i]}" \
            --advertise-client-urls "http://127.0.0.1:${cp[$i]}" --listen-peer-urls "http://127.0.0.1:${pp[$i]}" \
            --initial-advertise-peer-urls "http://127.0.0.1:${pp[$i]}" --initial-cluster "$initial" \
            --initial-cluster-state new --initial-cluster-token "r$rep-$$" --logger=zap \
            --log-outputs="$dir/m$i.log" --pre-vote=true >/dev/null 2>&1 &
        pids+=($!); disown
    done
    endpoints="http://127.0.0.1:${cp[0]},http://127.0.0.1:${cp[1]},http://127.0.0.1:${cp[2]}"
    cluster() { "$drover" cluster --etcd "$endpoints" --app bench "$@"; }
    until cluster nodes >/dev/null 2>&1; do sleep 0.2; done
    agents=()
    for n in n1 n2 n3; do
        "$drover" agent --etcd "$endpoints" --app bench --node "$n" -f "$work/Procfile" -m web=6 \
            --lease-ttl "$ttl" -t "$stop_timeout" --no-color >"$dir/$n.log" 2>&1 &
        pids+=($!); agents+=($!); disown
    done
    cluster scale web=6 >/dev/null
    waited=0
    until [ "$(cluster ps | awk '$3 == "running" {print $2}' | sort -u | wc -l)" = 3 ] \
        && [ "$(cluster ps | grep -c ' running ')" = 6 ]; do
        sleep 0.2; waited=$((waited + 1))
        [ "$waited" -lt 300 ] || { echo "cluster-failover: the agents did not start (see $dir/n1.log):" >&2; cat "$dir/n1.log" >&2; exit 1; }
    done
    sleep 1
    start=$(now)
    kill -9 "${agents[0]}"
    until [ "$(cluster ps | awk '$3 == "running" && $2 != "n1"' | wc -l)" = 6 ]; do sleep 0.1; done
    end=$(now)
    t=$(awk -v a="$start" -v b="$end" 'BEGIN { printf "%.3f", b - a }')
    results+=("$t")
    printf 'repetition %d: failover %.2f s (lease TTL %d s)\n' "$rep" "$t" "$ttl"
    for p in "${pids[@]}"; do kill -9 "$p" 2>/dev/null || true; done
    wait 2>/dev/null || true
done
printf '%s\n' "${results[@]}" | sort -n | awk -v ttl="$ttl" '{a[NR]=$1} END {
    m = (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2
    printf "failover after kill -9 of an agent (TTL %d s, %d runs): median %.2f s, min %.2f s, max %.2f s\n", ttl, NR, m, a[1], a[NR] }'
