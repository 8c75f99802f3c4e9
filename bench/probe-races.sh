#!/usr/bin/env bash
# Probe vs exit vs stop, repeated (issue 16): per round two real instances with a fast exec liveness probe that
# fails half the time and a TCP readiness probe exit at a random moment while a stop (even rounds) or a shutdown
# (odd rounds) arrives at another; counts supervisor faults, stops that never completed and processes left behind
# (each must be 0), and how the rounds ended.  Usage: bash bench/probe-races.sh [ROUNDS]
set -euo pipefail
cd "$(dirname "$0")/.."
rounds="${1:-100}"
dotnet build bench/Drover.Probes -c Release -nologo -v quiet >/dev/null
dotnet bench/Drover.Probes/bin/Release/net10.0/Drover.Probes.dll races "$rounds"
