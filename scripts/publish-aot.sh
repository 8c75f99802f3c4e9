#!/usr/bin/env bash
# Publishes `drover` as a Native AOT binary: scripts/publish-aot.sh [OUTDIR]  (default: artifacts/aot in the repo)
# Trim and AOT analysis warnings are errors, and the publish fails if it printed any warning at all.
# Installs what Native AOT needs when it is missing: a C compiler and linker (gcc, or clang when there is no gcc),
# objcopy (binutils) and the C library's development files. The ILCompiler package itself comes from NuGet.
set -euo pipefail
# OUTDIR is relative to the caller's directory; the default is the repository's artifacts/aot.
out=""
if [ $# -gt 0 ]; then out=$(realpath -m -- "$1"); fi
cd "$(dirname "$0")/.."
out=${out:-$PWD/artifacts/aot}

case "$(uname -m)" in
    x86_64) rid=linux-x64 ;;
    aarch64 | arm64) rid=linux-arm64 ;;
    *) echo "publish-aot: no Native AOT runtime identifier for $(uname -m)" >&2; exit 1 ;;
esac

apt_install() {
    echo "publish-aot: installing $*" >&2
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
}

if command -v gcc >/dev/null 2>&1; then
    cc=gcc
elif command -v clang >/dev/null 2>&1; then
    cc=clang
else
    apt_install gcc
    cc=gcc
fi
command -v objcopy >/dev/null 2>&1 || apt_install binutils
# The linker needs crt1.o, libc and libm from libc6-dev: try a link rather than guessing.
probe=$(mktemp -d)
trap 'rm -rf "$probe"' EXIT
if ! echo 'int main(void) { return 0; }' | "$cc" -x c - -o "$probe/a.out" -lm -ldl -lrt 2>/dev/null; then
    apt_install libc6-dev
fi

log="$probe/publish.log"
status=0
dotnet publish src/Drover -c Release -r "$rid" -o "$out" -nologo \
    -p:PublishAot=true -p:CppCompilerAndLinker="$cc" \
    -p:TreatWarningsAsErrors=true -p:IlcTreatWarningsAsErrors=true -warnaserror \
    2>&1 | tee "$log" || status=$?
if [ "$status" -ne 0 ]; then
    echo "publish-aot: dotnet publish failed ($status)" >&2
    exit "$status"
fi
if grep -qiE ': warning [A-Z]+[0-9]+' "$log"; then
    echo "publish-aot: the publish printed warnings (above); they count as errors" >&2
    exit 1
fi
echo "publish-aot: $out/drover ($(du -h "$out/drover" | cut -f1), $rid, linked with $cc)"
