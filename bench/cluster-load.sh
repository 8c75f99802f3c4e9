#!/usr/bin/env bash
# Steady-state load on etcd of a change-free formation: one etcd member on loopback, AGENTS `drover agent`s
# (capacity CAP each, processes `sleep`), scaled to SLOTS slots; once every slot runs, etcd's own request counter
# (grpc_server_msg_received_total from /metrics: requests and stream messages) is read 30 s apart. Also reports the time to converge after the scale.
# With KILL > 0, then kill -9s that many agents and reports the time until every slot runs on the survivors
# (lease TTL 10 s: the goal is TTL + 2 s).
#   bash bench/cluster-load.sh [AGENTS] [SLOTS] [CAP] [KILL]     (defaults: 10 agents, 100 slots, capacity 20, 0)
# DROVER_BINARY selects the binary (default: the Release build in src/Drover). Needs `etcd` (Debian etcd-server).
set -euo pipefail
cd "$(dirname "$0")/.."
agents=${1:-10}
slots=${2:-100}
cap=${3:-20}
kill_count=${4:-0}
name=cluster-load
# shellcheck source=bench/cluster-common.sh
source bench/cluster-common.sh
cp=$(free_port); pp=$(free_port)
etcd --name m0 --data-dir "$work/m0" --listen-client-urls "http://127.0.0.1:$cp" --advertise-client-urls "http://127.0.0.1:$cp" \
    --listen-peer-urls "http://127.0.0.1:$pp" --initial-advertise-peer-urls "http://127.0.0.1:$pp" \
    --initial-cluster "m0=http://127.0.0.1:$pp" --logger=zap --log-outputs="$work/m0.log" >/dev/null 2>&1 &
pids+=($!)
endpoint="http://127.0.0.1:$cp"
cluster() { "$drover" cluster --etcd "$endpoint" --app load "$@"; }
until cluster nodes >/dev/null 2>&1; do sleep 0.2; done
printf 'web: exec sleep 100000\n' > "$work/Procfile"
agent_pids=()
for i in $(seq 1 "$agents"); do
    "$drover" agent --etcd "$endpoint" --app load --node "n$i" --capacity "$cap" -f "$work/Procfile" -m web=0 \
        --no-color >"$work/n$i.log" 2>&1 &
    pids+=($!); agent_pids+=($!)
    # Staggered: many JIT starts at once on a small machine starve the first joins past their 5 s call timeout
    # (retried with backoff, but the agents then join seconds later).
    sleep 0.3
done
until [ "$(cluster nodes 2>/dev/null | tail -n +2 | grep -c .)" = "$agents" ]; do sleep 0.5; done
start=$(date +%s.%N)
cluster scale "web=$slots" >/dev/null
until [ "$(cluster ps 2>/dev/null | awk '$3 == "running"' | wc -l)" = "$slots" ]; do sleep 0.2; done
end=$(date +%s.%N)
requests() { curl -s "$endpoint/metrics" | awk '/^grpc_server_msg_received_total/ {s += $2} END {printf "%d", s}'; }
sleep 5
a=$(requests); sleep 30; b=$(requests)
awk -v n="$agents" -v s="$slots" -v a="$a" -v b="$b" -v t0="$start" -v t1="$end" 'BEGIN {
    printf "%d agents, %d slots: converged %.2f s after the scale; steady state %.1f etcd requests/s\n", n, s, t1 - t0, (b - a) / 30 }'
if [ "$kill_count" -gt 0 ]; then
    start=$(date +%s.%N)
    kill -9 "${agent_pids[@]:0:$kill_count}"
    dead=$(seq 1 "$kill_count" | sed 's/^/n/' | paste -sd'|')
    until [ "$(cluster ps 2>/dev/null | awk -v dead="^($dead)$" '$3 == "running" && $2 !~ dead' | wc -l)" = "$slots" ]; do sleep 0.2; done
    end=$(date +%s.%N)
    awk -v k="$kill_count" -v t0="$start" -v t1="$end" 'BEGIN {
        printf "after kill -9 of %d agents: every slot running on the survivors %.2f s later (lease TTL 10 s)\n", k, t1 - t0 }'
fi
