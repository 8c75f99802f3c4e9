#!/usr/bin/env bash
# Steady-state load on etcd of a change-free formation: one etcd member on loopback, AGENTS `drover agent`s
# (capacity CAP each, processes `sleep`), scaled to SLOTS slots; once every slot runs, etcd's own counters are
# read 30 s apart: grpc_server_msg_received_total (requests and stream messages) and, of those, the prefix reads
# (Range calls). Also reports the time to converge after the scale, and the machine's load average.
# With KILL > 0, then kill -9s that many agents and reports the time until every slot runs on the survivors
# (lease TTL 10 s: the goal is TTL + 2 s).
#   bash bench/cluster-load.sh [AGENTS] [SLOTS] [CAP] [KILL]     (defaults: 10 agents, 100 slots, capacity 20, 0)
# DROVER_BINARY selects the binary (default: the Release build in src/Drover). Needs `etcd` (Debian etcd-server).
# Every wait gives up after LIMIT seconds (default 600) and says what was missing, instead of hanging; a step
# that fails (a `drover cluster` call that timed out on a loaded machine) is retried and counted, not fatal.
set -uo pipefail
cd "$(dirname "$0")/.."
agents=${1:-10}
slots=${2:-100}
cap=${3:-20}
kill_count=${4:-0}
limit=${LIMIT:-600}
name=cluster-load
# shellcheck source=bench/cluster-common.sh
source bench/cluster-common.sh
load() { cut -d' ' -f1-3 /proc/loadavg; }
say() { printf '%s [load %s] %s\n' "$(date -u +%T)" "$(load)" "$*"; }
cp=$(free_port); pp=$(free_port)
etcd --name m0 --data-dir "$work/m0" --listen-client-urls "http://127.0.0.1:$cp" --advertise-client-urls "http://127.0.0.1:$cp" \
    --listen-peer-urls "http://127.0.0.1:$pp" --initial-advertise-peer-urls "http://127.0.0.1:$pp" \
    --initial-cluster "m0=http://127.0.0.1:$pp" --logger=zap --log-outputs="$work/m0.log" >/dev/null 2>&1 &
pids+=($!)
endpoint="http://127.0.0.1:$cp"
cluster() { "$drover" cluster --etcd "$endpoint" --app load "$@"; }
failed_calls=0
# Runs a `drover cluster` command until it succeeds (a loaded machine can time one out).
cluster_retry() {
    local out
    until out=$(cluster "$@" 2>&1); do
        failed_calls=$((failed_calls + 1))
        say "drover cluster $* failed (retrying): $(printf '%s' "$out" | tail -n 1)"
        sleep 1
    done
    printf '%s\n' "$out"
}
# wait_for DESCRIPTION COMMAND...: polls COMMAND until it succeeds, at most $limit s; false when it never did.
wait_for() {
    local what=$1; shift
    local t0=$SECONDS
    until "$@"; do
        if [ $((SECONDS - t0)) -ge "$limit" ]; then
            say "gave up after $limit s waiting for $what"
            return 1
        fi
        sleep 0.2
    done
}
dead_agents() {
    local n=0 p
    for p in "${agent_pids[@]}"; do kill -0 "$p" 2>/dev/null || n=$((n + 1)); done
    echo "$n"
}
report_failure() {
    say "$1: $(dead_agents) of $agents agents have exited; last lines of their logs:"
    for i in $(seq 1 "$agents"); do
        if ! kill -0 "${agent_pids[$((i - 1))]}" 2>/dev/null; then tail -n 3 "$work/n$i.log" | sed "s/^/  n$i: /"; fi
    done | head -n 40
    grep -h "cannot\|failed\|not readable" "$work"/n*.log | sed 's/^[^|]*| //' | sort | uniq -c | sort -rn | head -n 10
    exit 1
}
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
live_nodes() { [ "$(cluster nodes 2>/dev/null | tail -n +2 | grep -c .)" = "$agents" ]; }
wait_for "$agents live nodes" live_nodes || report_failure "not every agent joined"
say "$agents agents joined"
running() { cluster ps 2>/dev/null | awk '$3 == "running"' | wc -l; }
all_running() { [ "$(running)" = "$slots" ]; }
# The last "claimed" line of any agent after a moment (HH:MM:SS, the agents' log resolution), in seconds after it.
last_claim() {
    grep -h "| claimed" "$work"/n*.log | awk -v t0="$1" '
        function s(t) { split(t, a, ":"); return a[1] * 3600 + a[2] * 60 + a[3] }
        s($1) >= s(t0) && s($1) - s(t0) > m { m = s($1) - s(t0) } END { printf "%d", m }'
}
start=$(date +%s.%N); start_clock=$(date +%T)
cluster_retry scale "web=$slots" >/dev/null
wait_for "$slots running slots" all_running || report_failure "not converged ($(running) of $slots running)"
end=$(date +%s.%N)
say "converged"
metric() { curl -s --max-time 10 "$endpoint/metrics" | awk -v m="$1" '$0 ~ m {s += $NF} END {printf "%d", s}'; }
sleep 5
a=$(metric '^grpc_server_msg_received_total'); r1=$(metric '^grpc_server_handled_total.*grpc_method="Range"')
l1=$(load)
sleep 30
b=$(metric '^grpc_server_msg_received_total'); r2=$(metric '^grpc_server_handled_total.*grpc_method="Range"')
awk -v n="$agents" -v s="$slots" -v a="$a" -v b="$b" -v r1="$r1" -v r2="$r2" -v t0="$start" -v t1="$end" -v l="$l1" 'BEGIN {
    printf "%d agents, %d slots: converged %.2f s after the scale; steady state %.1f etcd requests/s (%.2f prefix reads/s); load average %s\n", n, s, t1 - t0, (b - a) / 30, (r2 - r1) / 30, l }'
echo "  every slot claimed within $(last_claim "$start_clock") s of the scale (1 s resolution); the rest is starting the processes"
if [ "$kill_count" -gt 0 ]; then
    start=$(date +%s.%N); start_clock=$(date +%T)
    kill -9 "${agent_pids[@]:0:$kill_count}" 2>/dev/null
    dead=$(seq 1 "$kill_count" | sed 's/^/n/' | paste -sd'|')
    on_survivors() { [ "$(cluster ps 2>/dev/null | awk -v dead="^($dead)$" '$3 == "running" && $2 !~ dead' | wc -l)" = "$slots" ]; }
    wait_for "every slot on the survivors" on_survivors || report_failure "no failover"
    end=$(date +%s.%N)
    awk -v k="$kill_count" -v t0="$start" -v t1="$end" -v l="$(load)" 'BEGIN {
        printf "after kill -9 of %d agents: every slot running on the survivors %.2f s later (lease TTL 10 s); load average %s\n", k, t1 - t0, l }'
    echo "  their slots claimed within $(last_claim "$start_clock") s of the kill (1 s resolution)"
fi
echo "drover cluster calls retried: $failed_calls; agents exited: $(dead_agents) (of which $kill_count killed)"
echo "agents' complaints (each agent logs a message once until it changes):"
grep -h "cannot\|failed\|not readable" "$work"/n*.log | sed 's/^[^|]*| //' | sort | uniq -c | sort -rn | head -n 10
