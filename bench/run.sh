#!/usr/bin/env bash
# One command for the ScimBridge load benchmark (see docs/performance.md):
#   bench/run.sh [extra scimbridge-bench options, e.g. --users 10000 --duration 5]
#   bench/run.sh --postgres-pass [--replicas 2] [other options]
#       the same on PostgreSQL: starts a throwaway server with tests/postgres/pg.sh in its own folder
#       ($SCIMBRIDGE_PG_DIR, default ${TMPDIR:-/tmp}/scimbridge-bench-pg), passes --postgres <its admin connection
#       string> (the driver creates and drops a fresh database scimbridge_bench_N on it) and stops it on exit.
#   With your own server instead: bench/run.sh --postgres 'Host=...;Port=...;Username=...;Database=postgres' [--replicas N]
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

bench=("$artifacts/bin/ScimBridge.Bench/release/scimbridge-bench" run
  --scimbridge "$artifacts/bin/ScimBridge.Api/release/scimbridge"
  --results "$root/bench/results/latest.md"
  --wrk "$(command -v wrk)")

if [ "${1:-}" = "--postgres-pass" ]; then
  shift
  export SCIMBRIDGE_PG_DIR="${SCIMBRIDGE_PG_DIR:-${TMPDIR:-/tmp}/scimbridge-bench-pg}"
  trap '"$root/tests/postgres/pg.sh" stop' EXIT
  "$root/tests/postgres/pg.sh" start
  admin=$("$root/tests/postgres/pg.sh" env)
  admin=${admin#SCIMBRIDGE_TEST_POSTGRES=}
  "${bench[@]}" --postgres "$admin" "$@"   # not exec: the trap stops PostgreSQL afterwards
  exit $?
fi

exec "${bench[@]}" "$@"
