#!/usr/bin/env bash
# One command for the ScimBridge load benchmark (see docs/performance.md):
#   bench/run.sh [extra scimbridge-bench options, e.g. --users 10000 --duration 5]
# Installs wrk from Debian when missing, builds the service and the driver in Release, and runs
# bench/ScimBridge.Bench, which starts a minimal Kestrel baseline and the real scimbridge binary on an empty
# temp data folder (127.0.0.1 only), seeds it, measures, prints a table and writes bench/results/latest.md.
# BENCH_ARTIFACTS sets the build output folder (default: artifacts/bench, ignored by git).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
artifacts="${BENCH_ARTIFACTS:-$root/artifacts/bench}"

if ! command -v wrk >/dev/null 2>&1; then
  echo "Installing wrk (Debian) ..."
  if ! apt-get install -y wrk >/dev/null 2>&1; then
    apt-get update >/dev/null && apt-get install -y wrk >/dev/null
  fi
fi

echo "Building Release into $artifacts ..."
dotnet build src/ScimBridge.Api/ScimBridge.Api.csproj -c Release --artifacts-path "$artifacts" -nologo -v quiet
dotnet build bench/ScimBridge.Bench/ScimBridge.Bench.csproj -c Release --artifacts-path "$artifacts" -nologo -v quiet

exec "$artifacts/bin/ScimBridge.Bench/release/scimbridge-bench" run \
  --scimbridge "$artifacts/bin/ScimBridge.Api/release/scimbridge" \
  --results "$root/bench/results/latest.md" \
  --wrk "$(command -v wrk)" \
  "$@"
