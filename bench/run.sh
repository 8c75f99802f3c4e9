#!/usr/bin/env bash
# The benchmark suite in one command: installs the peers when missing, publishes Drover (Native AOT) and builds the
# JIT one, runs the BenchmarkDotNet micro-benchmarks and the whole-process harness, and writes docs/benchmarks.md
# with its chart docs/benchmarks.svg.
#
#   bash bench/run.sh                      # everything (about 20-30 minutes on 2 cores)
#   MICRO=0 bash bench/run.sh              # skip the micro-benchmarks (the report keeps the last summary, if any)
#   bash bench/run.sh --reps 2 --heavy-reps 1 --measures start,kill9     # options go to the harness (Options.cs)
#
# docs/benchmarks.md embeds bench/observations.md, the hand-written reading of the last full run: update it
# after a new run. To re-render the page and chart from bench/.out/results.json without measuring again:
#   dotnet run -c Release --project bench/Drover.Bench -- --render-only --json bench/.out/results.json \
#       --micro bench/.out/micro.md --note bench/.out/build-notes.md --observations bench/observations.md
#
# Peers: Foreman (Debian ruby-foreman), supervisord (Debian supervisor), node-foreman and PM2 (npm, installed into
# bench/.tools, never globally). Build outputs and raw results go to bench/.out (git-ignored).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
out=$root/bench/.out
tools=$root/bench/.tools
mkdir -p "$out" "$tools"

log() { printf '%s %s\n' "$(date +%H:%M:%S)" "$*" >&2; }

# --- peers and what the workloads need: "command package" pairs, installed only when the command is missing.
need=()
while read -r cmd pkg; do
    [ -n "$cmd" ] && ! command -v "$cmd" >/dev/null 2>&1 && need+=("$pkg")
done <<'LIST'
foreman ruby-foreman
supervisord supervisor
node nodejs
npm npm
perl perl
cc gcc
setsid util-linux
LIST
if [ ${#need[@]} -gt 0 ]; then
    log "installing ${need[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
fi
if [ ! -x "$tools/node_modules/.bin/nf" ] || [ ! -x "$tools/node_modules/.bin/pm2-runtime" ]; then
    log "installing node-foreman and PM2 into bench/.tools"
    (cd "$tools" && npm install --no-audit --no-fund --loglevel=error --prefix . foreman@3.0.1 pm2@7.0.4 >/dev/null)
fi

# --- dotnet: every build goes to its own artifacts folder (bench/.out/artifacts), so the builds other engineers run
# in the same work tree at the same time cannot clash with these. A failure is retried (3 tries), except trim/AOT
# analysis errors, which are real.
artifacts=$out/artifacts
retry() {
    local attempt
    for attempt in 1 2 3; do
        if "$@" >"$out/build.log" 2>&1; then return 0; fi
        grep -qE 'error IL[0-9]+' "$out/build.log" && return 1
        log "build failed, retrying ($attempt): $(grep -m1 -E 'error' "$out/build.log" | cut -c1-160)"; sleep 10
    done
    return 1
}

notes=$out/build-notes.md
aot=$out/drover-aot
publish=(dotnet publish src/Drover -c Release -r linux-x64 -p:PublishAot=true -p:CppCompilerAndLinker=gcc -nologo --artifacts-path "$artifacts" -o "$aot")
log "publishing drover (Native AOT)"
rm -rf "$aot"
start=$(date +%s)
if retry "${publish[@]}"; then
    aot_note="published with \`dotnet publish src/Drover -c Release -r linux-x64 -p:PublishAot=true -p:CppCompilerAndLinker=gcc\` (trim and AOT warnings are errors), no warnings"
else
    # A library that is not yet trim-safe fails the strict publish; measure the binary anyway and say so.
    warnings=$(grep -oE '(warning|error) IL[0-9]+: [^[]*' "$out/build.log" | sort -u | head -5 | sed 's/^/  - /')
    [ -n "$warnings" ] || { cat "$out/build.log" >&2; exit 1; }
    log "strict AOT publish failed; publishing again with warnings not treated as errors"
    retry "${publish[@]}" -p:TreatWarningsAsErrors=false || { cat "$out/build.log" >&2; exit 1; }
    aot_note="publishing with \`dotnet publish src/Drover -c Release -r linux-x64 -p:PublishAot=true -p:CppCompilerAndLinker=gcc\` **failed** with trim/AOT warnings as errors:
$warnings
  so the measured binary was published with \`-p:TreatWarningsAsErrors=false\` (the code paths measured here do not use those libraries)"
fi
aot_seconds=$(( $(date +%s) - start ))
aot_size=$(du -m "$aot/drover" | cut -f1)

log "building drover (JIT)"
retry dotnet build src/Drover -c Release -nologo --artifacts-path "$artifacts" || { cat "$out/build.log" >&2; exit 1; }
rm -rf "$out/drover-jit"
cp -r "$artifacts/bin/Drover/release" "$out/drover-jit"

cat >"$notes" <<NOTES
Drover binaries:
- AOT: $aot_note; ${aot_size} MB, ${aot_seconds} s to publish.
- JIT: \`dotnet build src/Drover -c Release\` (the framework-dependent \`drover\` apphost, tiered JIT).
- Both built from the work tree into bench/.out/artifacts (\`--artifacts-path\`), apart from other builds.
- Commit: $(git rev-parse --short HEAD 2>/dev/null || echo '?')$(git diff --quiet HEAD -- src 2>/dev/null || echo ' plus uncommitted changes in src/ (the work tree as it was at the time of the run)').
- Peers' runtimes: $(ruby --version | cut -d' ' -f1-2), node $(node --version), $(perl -e 'print "perl $^V"'), $("$(head -1 "$(command -v supervisord)" | sed 's/^#! *//; s/ .*//')" --version 2>&1) (supervisord).
NOTES

# --- micro-benchmarks
if [ "${MICRO:-1}" != 0 ]; then
    log "micro-benchmarks (BenchmarkDotNet, short run)"
    retry dotnet build bench/Drover.Micro -c Release -nologo --artifacts-path "$artifacts" || { cat "$out/build.log" >&2; exit 1; }
    dotnet "$artifacts/bin/Drover.Micro/release/Drover.Micro.dll" \
        --summary "$out/micro.md" --artifacts "$out/micro" >"$out/micro.log" 2>&1 \
        || { tail -30 "$out/micro.log" >&2; exit 1; }
fi

# --- the whole-process harness
log "whole-process benchmarks"
retry dotnet build bench/Drover.Bench -c Release -nologo --artifacts-path "$artifacts" || { cat "$out/build.log" >&2; exit 1; }
dotnet "$artifacts/bin/Drover.Bench/release/Drover.Bench.dll" \
    --drover "$aot/drover" --drover-jit "$out/drover-jit/drover" \
    --nf "$tools/node_modules/.bin/nf" --pm2-runtime "$tools/node_modules/.bin/pm2-runtime" \
    --micro "$out/micro.md" --note "$notes" --json "$out/results.json" --observations bench/observations.md \
    --out docs/benchmarks.md --svg docs/benchmarks.svg "$@"

if command -v rsvg-convert >/dev/null 2>&1; then
    rsvg-convert -o "$out/benchmarks.png" docs/benchmarks.svg && log "PNG preview: bench/.out/benchmarks.png"
fi
