#!/usr/bin/env bash
# Runs every test: the whole suite, then the end-to-end tests again against the Native AOT binary (every feature
# must work there too). `--no-aot` skips the second pass for a quicker local run. Installs what the tests need when
# it is missing (a fresh machine has only the .NET SDK).
set -euo pipefail
cd "$(dirname "$0")/.."

# Debian packages the tests use: "command package" pairs, installed only when the command is missing.
need_apt=()
while read -r cmd pkg; do
    [ -n "$cmd" ] && ! command -v "$cmd" >/dev/null 2>&1 && need_apt+=("$pkg")
done <<'LIST'
perl perl-base
setpriv util-linux
systemd-analyze systemd
supervisord supervisor
runsvdir runit
chromium chromium
etcd etcd-server
ip iproute2
nft nftables
mmdebstrap mmdebstrap
systemd-nspawn systemd-container
podman podman
runc runc
slirp4netns slirp4netns
podman-compose podman-compose
docker-compose docker-compose
dockerd docker.io
catatonit catatonit
curl curl
tmux tmux
python3 python3
ruby ruby
pry pry
byebug ruby-byebug
LIST
# The dashboard's browser tests drive Debian's chromium through Playwright, which must never fetch a browser.
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1
if [ ${#need_apt[@]} -gt 0 ]; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need_apt[@]}"
fi

# Compose v2, the `docker compose` CLI plugin: Debian 12 has only docker-compose 1.29, so take Debian 13's package
# (Go, needs only libc >= 2.34) from the same Debian archive the machine uses, unpack its one binary as a plugin,
# and install nothing else: the system keeps its own packages and apt lists.
compose_plugin=/usr/local/lib/docker/cli-plugins/docker-compose
if [ ! -x "$compose_plugin" ]; then
    # Not fatal: without it only the Compose v2 tests skip, each saying why.
    bash scripts/compose-v2.sh "$compose_plugin" || echo "warning: Compose v2 could not be installed; its tests will skip" >&2
fi

dotnet build Drover.slnx -c Release -warnaserror -nologo -v quiet
log=$(mktemp)
status=0
dotnet test Drover.slnx -c Release --no-build -nologo 2>&1 | tee "$log" || status=$?
# One plain summary line over every test assembly.
passed=$(grep -oE 'Passed: +[0-9]+' "$log" | awk '{s+=$2} END {print s+0}')
failed=$(grep -oE 'Failed: +[0-9]+' "$log" | awk '{s+=$2} END {print s+0}')
skipped=$(grep -oE 'Skipped: +[0-9]+' "$log" | awk '{s+=$2} END {print s+0}')
# The end-to-end tests once more, against the Native AOT binary.
if [ "${1:-}" != "--no-aot" ]; then
    bash scripts/publish-aot.sh artifacts/aot
    DROVER_BINARY="$PWD/artifacts/aot/drover" dotnet test tests/Drover.Cli.Tests -c Release --no-build -nologo 2>&1 | tee -a "$log" || status=$?
    DROVER_BINARY="$PWD/artifacts/aot/drover" dotnet test tests/Drover.Dashboard.Tests -c Release --no-build -nologo 2>&1 | tee -a "$log" || status=$?
    DROVER_BINARY="$PWD/artifacts/aot/drover" dotnet test tests/Drover.Cluster.Tests -c Release --no-build -nologo 2>&1 | tee -a "$log" || status=$?
    DROVER_BINARY="$PWD/artifacts/aot/drover" dotnet test tests/Drover.Export.Tests -c Release --no-build -nologo --filter "FullyQualifiedName~DroverInContainer" 2>&1 | tee -a "$log" || status=$?
    passed=$(grep -oE 'Passed: +[0-9]+' "$log" | awk '{s+=$2} END {print s+0}')
    failed=$(grep -oE 'Failed: +[0-9]+' "$log" | awk '{s+=$2} END {print s+0}')
    skipped=$(grep -oE 'Skipped: +[0-9]+' "$log" | awk '{s+=$2} END {print s+0}')
fi
rm -f "$log"
echo "tests: $passed passed, $failed failed, $skipped skipped"
exit "$status"
