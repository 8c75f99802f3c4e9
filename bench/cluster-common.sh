# Sourced by the cluster bench scripts (cluster-load.sh, cluster-failover.sh): the Drover binary and etcd
# checks, a work folder removed at exit with every process started into $pids, and free_port.
#   name=cluster-xyz; source "$(dirname "$0")/cluster-common.sh"
drover=${DROVER_BINARY:-$PWD/src/Drover/bin/Release/net10.0/drover}
[ -x "$drover" ] || { echo "$name: build first: dotnet build src/Drover -c Release" >&2; exit 1; }
command -v etcd >/dev/null || { echo "$name: etcd is missing (apt-get install etcd-server)" >&2; exit 1; }

work=$(mktemp -d "/tmp/drover-$name.XXXXXX")
pids=()
cleanup() {
    for p in "${pids[@]}"; do kill -9 "$p" 2>/dev/null || true; done
    wait 2>/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# A port nobody listens on now (from iproute2's ss); a clash with a port taken meanwhile only fails one run.
free_port() {
    local p
    while :; do
        p=$((20000 + RANDOM % 40000))
        ss -Htln "sport = :$p" | grep -q . || { echo "$p"; return; }
    done
}
