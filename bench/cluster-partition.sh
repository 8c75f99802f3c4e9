#!/usr/bin/env bash
# Fencing under network partitions: a 3-member etcd cluster and three `drover agent`s, each in its own network
# namespace (bridged, 10.78.0.0/24); repeatedly one agent is cut off from etcd with nftables (outgoing and incoming
# packets in turn), then healed. Every process logs its own start, 0.2 s heartbeats and stop against
# /proc/uptime (one clock for every namespace). Reports, per cut, when the cut-off node's `fenced` processes
# were gone and when their slots ran elsewhere, and counts overlaps: moments when a slot of a fenced type ran
# on two nodes (must be 0). `web` is a `keep` type: it may run twice during a cut, which is counted, not a fault.
# Per cut it also reports the slack: from the end of the cut-off node's run of the slot to the start of the next
# run elsewhere (what is left of the fence margin; negative would be an overlap).
#   bash bench/cluster-partition.sh [CUTS] [LEASE_TTL]     (defaults: 20 cuts, TTL 5 s, -t 1)
# LOAD=N adds N busy loops (one shell `while :` each) for the whole run, to see the margin on a loaded machine.
# Needs root, iproute2, nftables and etcd (Debian etcd-server). DROVER_BINARY selects the binary (default: the
# Release build in src/Drover; copy it elsewhere first if you rebuild while this runs).
set -euo pipefail
cd "$(dirname "$0")/.."
cuts=${1:-20}
ttl=${2:-5}
stop_timeout=1
drover=${DROVER_BINARY:-$PWD/src/Drover/bin/Release/net10.0/drover}
[ -x "$drover" ] || { echo "cluster-partition: build first: dotnet build src/Drover -c Release" >&2; exit 1; }
for tool in ip nft etcd; do
    command -v "$tool" >/dev/null || { echo "cluster-partition: $tool is missing (apt-get install iproute2 nftables etcd-server)" >&2; exit 1; }
done

id=$$
hub="dvb${id}h"
work=$(mktemp -d /tmp/drover-partition.XXXXXX)
log="$work/slots.log"
namespaces=()
pids=()
cleanup() {
    for p in "${pids[@]}"; do kill -9 "$p" 2>/dev/null || true; done
    wait 2>/dev/null || true
    for ns in "${namespaces[@]}"; do ip netns del "$ns" 2>/dev/null || true; done
    [ -n "${KEEP_WORK:-}" ] && echo "work folder kept: $work" >&2 || rm -rf "$work"
}
trap cleanup EXIT INT TERM
for _ in $(seq 1 "${LOAD:-0}"); do sh -c 'while :; do :; done' & pids+=($!); done

addns() { ip netns add "$1"; namespaces+=("$1"); ip -n "$1" link set lo up; }
addns "$hub"
ip -n "$hub" link add br0 type bridge
ip -n "$hub" link set br0 up
host() { # host NAME N: a namespace with 10.78.0.N on the bridge
    local ns="dvb${id}$1" peer="q${id}$2"
    addns "$ns"
    ip -n "$ns" link add eth0 type veth peer name "$peer" netns "$hub"
    ip -n "$ns" addr add "10.78.0.$2/24" dev eth0
    ip -n "$ns" link set eth0 up
    ip -n "$hub" link set "$peer" master br0
    ip -n "$hub" link set "$peer" up
}
host e 1; host a1 2; host a2 3; host a3 4
etcd_ip=10.78.0.1
ens="dvb${id}e"

initial="m0=http://127.0.0.1:2380,m1=http://127.0.0.1:2382,m2=http://127.0.0.1:2384"
for i in 0 1 2; do
    c=$((2379 + 2 * i)); p=$((2380 + 2 * i))
    ip netns exec "$ens" etcd --name "m$i" --data-dir "$work/m$i" \
        --listen-client-urls "http://$etcd_ip:$c" --advertise-client-urls "http://$etcd_ip:$c" \
        --listen-peer-urls "http://127.0.0.1:$p" --initial-advertise-peer-urls "http://127.0.0.1:$p" \
        --initial-cluster "$initial" --initial-cluster-state new --initial-cluster-token "b$id" \
        --logger=zap --log-outputs="$work/m$i.log" --pre-vote=true >/dev/null 2>&1 &
    pids+=($!)
done
endpoints="http://$etcd_ip:2379,http://$etcd_ip:2381,http://$etcd_ip:2383"
cluster() { ip netns exec "$ens" "$drover" cluster --etcd "$endpoints" --app bench "$@"; }
uptime_now() { read -r up _ < /proc/uptime; echo "$up"; }

line() { # a Procfile line whose process logs UPTIME EVENT SLOT NODE PID
    echo "$1: w() { read up rest < /proc/uptime; echo \"\$up \$1 \$PS \$NODE \$\$\" >> $log; }; trap 'w stop; exit 0' TERM; w start; while :; do w alive; sleep 0.2 & wait \$!; done"
}
{ line clock; line web; } > "$work/Procfile"

waited=0
until cluster nodes >/dev/null 2>&1; do
    sleep 0.2; waited=$((waited + 1))
    [ "$waited" -lt 300 ] || { echo "cluster-partition: etcd did not start" >&2; exit 1; }
done
for n in 1 2 3; do
    NODE="n$n" ip netns exec "dvb${id}a$n" env NODE="n$n" "$drover" agent --etcd "$endpoints" --app bench --node "n$n" \
        -f "$work/Procfile" -m clock=3,web=3 --lease-ttl "$ttl" -t "$stop_timeout" --no-color >"$work/n$n.log" 2>&1 &
    pids+=($!)
done
# On a loaded machine a `drover cluster` call can time out: retried (a few times for `fence`, which older
# builds do not have).
policy="all types fenced (no per-type policy in this build)"
for _ in 1 2 3 4 5; do
    if cluster fence clock=fenced >/dev/null 2>&1; then policy="clock fenced, web keep"; break; fi
    sleep 1
done
# `fence` may have written the cluster's first desired state (no counts) before any agent wrote its -m.
until cluster scale clock=3 web=3 >/dev/null; do sleep 1; done

running() { cluster ps 2>/dev/null | awk '$3 == "running"' || true; }
settled() { # every slot running, two per node
    local r; r=$(running)
    [ "$(echo "$r" | grep -c .)" = 6 ] && [ "$(echo "$r" | awk '{print $2}' | sort | uniq -c | awk '$1 == 2' | wc -l)" = 3 ]
}
wait_for() { # wait_for WHAT CMD...: up to 90 s
    local what=$1; shift; local n=0
    until "$@"; do
        sleep 0.2; n=$((n + 1))
        [ "$n" -lt 450 ] || { echo "cluster-partition: timed out waiting for $what" >&2; cluster ps >&2 || true; KEEP_WORK=1; exit 1; }
    done
}
wait_for "six slots on three nodes" settled

echo "cluster-partition: $cuts cuts, lease TTL $ttl s, -t $stop_timeout, $policy"
printf '%-4s %-8s %-4s %10s %12s %8s %s\n' cut dir node fenced_s clock_moved_s slack_s load
results="$work/results"
: > "$results"
for c in $(seq 1 "$cuts"); do
    n=$(( (c - 1) % 3 + 1 )); node="n$n"; ns="dvb${id}a$n"
    dir=output; [ $((c % 2)) = 0 ] && dir=input
    clock_slot=$(running | awk -v n="$node" '$2 == n && $1 ~ /^clock/ {print $1; exit}')
    t0=$(uptime_now)
    ip netns exec "$ns" nft add table inet drovercut
    ip netns exec "$ns" nft add chain inet drovercut c "{ type filter hook $dir priority 0 ; }"
    if [ "$dir" = output ]; then ip netns exec "$ns" nft add rule inet drovercut c ip daddr "$etcd_ip" drop
    else ip netns exec "$ns" nft add rule inet drovercut c ip saddr "$etcd_ip" drop; fi
    moved() { running | awk -v s="$clock_slot" -v n="$node" '$1 == s && $2 != n' | grep -q .; }
    wait_for "$clock_slot to run elsewhere" moved
    sleep 1
    ip netns exec "$ns" nft delete table inet drovercut
    wait_for "the cluster to settle again" settled
    # From the processes' own lines: when the cut node's run of the slot ended, when the next run elsewhere began.
    awk -v s="$clock_slot" -v n="$node" -v t0="$t0" -v c="$c" -v d="$dir" -v l="$(cut -d' ' -f1 /proc/loadavg)" '
        $3 == s { k = $4 " " $5; if (!(k in first)) first[k] = $1; last[k] = $1; if ($2 == "stop") stopped[k] = 1 }
        END {
            for (k in first) { split(k, f, " ")
                if (f[1] == n && first[k] < t0 && last[k] >= t0 - 1) { end = last[k] + (stopped[k] ? 0 : 0.25); gone = end }
            }
            moved = -1
            for (k in first) { split(k, f, " "); if (f[1] != n && first[k] >= t0 && (moved < 0 || first[k] < moved)) moved = first[k] }
            printf "%-4s %-8s %-4s %10.2f %12.2f %8.2f %s\n", c, d, n, gone - t0, moved - t0, moved - gone, l
        }' "$log" | tee -a "$results"
done

# Overlaps over the whole run: two runs of one slot alive at the same moment (a run without its stop line ended
# at most 0.25 s after its last heartbeat, as when SIGKILLed).
overlaps() { # overlaps TYPE
    awk -v t="$1" '
        index($3, t ".") == 1 { k = $3 " " $4 " " $5; if (!(k in first)) first[k] = $1; last[k] = $1; if ($2 == "stop") stopped[k] = 1 }
        END {
            for (k in first) { split(k, f, " "); runs[f[1]] = runs[f[1]] " " k }
            count = 0
            for (a in first) for (b in first) if (a < b) {
                split(a, x, " "); split(b, y, " ")
                if (x[1] != y[1]) continue
                ea = last[a] + (stopped[a] ? 0 : 0.25); eb = last[b] + (stopped[b] ? 0 : 0.25)
                if (first[a] < eb && first[b] < ea) count++
            }
            print count
        }' "$log"
}
fenced_overlaps=$(overlaps clock)
web_overlaps=$(overlaps web)
stats() { # stats COLUMN: median and max of one column of the results
    awk -v c="$1" '{print $c}' "$results" | sort -n | awk '{a[NR] = $1} END {printf "median %.2f s, max %.2f s", a[int((NR + 1) / 2)], a[NR]}'
}
echo "fenced processes gone after the cut: $(stats 4) (fence deadline: TTL - (-t + allowance, a fifth of the TTL, at least 1 s) = $(awk -v l="$ttl" -v t="$stop_timeout" 'BEGIN {a = l / 5; if (a < 1) a = 1; printf "%.1f", l - t - a}') s after the last renewal)"
echo "fenced slot running elsewhere after the cut: $(stats 5)"
echo "slack between the fenced run's end and the next run elsewhere: $(awk '{print $6}' "$results" | sort -n | head -n 1 | xargs printf 'min %.2f s'), $(stats 6)"
echo "load average (1 min) during the cuts: $(awk '{print $7}' "$results" | sort -n | awk '{a[NR] = $1} END {printf "%s-%s", a[1], a[NR]}')"
echo "overlaps of a fenced slot (clock) on two nodes: $fenced_overlaps in $cuts cuts"
echo "pairs of runs of a keep slot (web) alive at once: $web_overlaps (allowed: at-least-once)"
# The fence clock's own lines: how long after the last confirmed renewal it fired (the deadline is TTL - margin).
echo "fence fired, after the last confirmed renewal: $(grep -ho 'lease not confirmed for [0-9.]* s' "$work"/n*.log | awk '{print $5}' | sort -n | awk '{a[NR] = $1} END {if (NR) printf "median %.1f s, max %.1f s (%d fences)", a[int((NR + 1) / 2)], a[NR], NR; else printf "none"}')"
[ "$fenced_overlaps" = 0 ]
