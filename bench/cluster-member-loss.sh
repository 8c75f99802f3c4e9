#!/usr/bin/env bash
# Repeats FailureTests.Losing_one_etcd_member_of_three_changes_nothing (3-member etcd, three agents, web=3; one
# etcd member killed; nothing may move or fence, and `scale web=4` must still be carried out) and counts passes
# and failures by cause. With --load, the Cli test project runs in a loop meanwhile, as on CI where `dotnet test
# Drover.slnx` runs test assemblies in parallel on 2 cores.
#   bash bench/cluster-member-loss.sh [REPS] [--load]        (default: 10 repetitions, no extra load)
# Needs a Release build of the solution (dotnet build Drover.slnx -c Release) and etcd (Debian etcd-server).
# DROVER_BINARY selects the agent binary (default: the JIT build). Failed runs' logs stay in the printed folder.
set -euo pipefail
cd "$(dirname "$0")/.."
reps=${1:-10}
load=0; [ "${2:-}" = "--load" ] && load=1
out=$(mktemp -d /tmp/drover-member-loss.XXXXXX)
loader=
cleanup() { [ -n "$loader" ] && kill -- "-$loader" 2>/dev/null; wait 2>/dev/null || true; }
trap cleanup EXIT
trap 'exit 130' INT TERM

if [ "$load" = 1 ]; then
    # Its own process group, so that the whole loop (dotnet test and its test host) stops with the script.
    set -m
    ( while :; do dotnet test tests/Drover.Cli.Tests -c Release --no-build >/dev/null 2>&1 || true; done ) &
    loader=$!
    set +m
fi

pass=0; fenced=0; stalled=0; other=0
for rep in $(seq 1 "$reps"); do
    log="$out/run$rep.log"
    if dotnet test tests/Drover.Cluster.Tests -c Release --no-build --filter "FullyQualifiedName~Losing_one_etcd_member" \
        --logger "console;verbosity=detailed" >"$log" 2>&1; then
        pass=$((pass + 1)); result=pass; rm -f "$log"
    elif grep -q '(fencing)' "$log"; then
        fenced=$((fenced + 1)); result="fail: an agent fenced"
    elif grep -q 'web.4 started with one member down' "$log"; then
        stalled=$((stalled + 1)); result="fail: web.4 never started"
    else
        other=$((other + 1)); result="fail: other"
    fi
    echo "repetition $rep: $result$( [ "$result" = pass ] || echo " ($log)")"
done
echo "member loss, $reps runs$( [ "$load" = 1 ] && echo ", Cli tests looping meanwhile"): pass $pass, fenced $fenced, web.4 stalled $stalled, other $other (logs: $out)"
