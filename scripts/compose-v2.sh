#!/usr/bin/env bash
# Installs Compose v2 as the docker CLI plugin at $1, from Debian 13's docker-compose package (see scripts/test.sh).
# apt runs with a sources list, lists and cache of its own in a temporary folder, so nothing of the system's apt
# state changes; the archive is the one the system's own sources name.
set -euo pipefail
target=$1
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# The first Debian archive the system uses (deb822 .sources or a classic sources.list), without its suite.
archive=$(awk '/^URIs:/ {print $2; exit}' /etc/apt/sources.list.d/*.sources 2>/dev/null || true)
if [ -z "$archive" ]; then
    archive=$(awk '$1 == "deb" {for (i = 2; i <= NF; i++) if ($i ~ /^[a-z]+:\/\//) {print $i; exit}}' /etc/apt/sources.list 2>/dev/null || true)
fi
if [ -z "$archive" ]; then
    echo "compose-v2.sh: no Debian archive found in /etc/apt sources" >&2
    exit 1
fi
echo "deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] $archive trixie main" >"$work/sources.list"
mkdir -p "$work/lists/partial" "$work/archives/partial"
apt=(-o "Dir::Etc::sourcelist=$work/sources.list" -o Dir::Etc::sourceparts=- -o "Dir::State::Lists=$work/lists"
    -o "Dir::Cache::archives=$work/archives" -o APT::Sandbox::User=root -qq)
apt-get "${apt[@]}" update
(cd "$work" && apt-get "${apt[@]}" download docker-compose)
dpkg-deb -x "$work"/docker-compose_*.deb "$work/root"
install -D -m 0755 "$work/root/usr/libexec/docker/cli-plugins/docker-compose" "$target"
"$target" version
