#!/usr/bin/env bash
# Platform listing benchmark (docs/performance.md, "Platform adapters"):
#   bench/platforms.sh [--users 50000] [--projects 20] [--keys-per-project 10000]
# Starts a seeded OpenAI simulator (its own process, 127.0.0.1), then in separate processes lists every account and
# every API key through the real adapter and through a bare HttpClient reading the same pages (the floor), and lists
# 10 % of each through the adapter to show peak memory does not grow with the listing. Prints one JSON line per run.
set -euo pipefail
cd "$(dirname "$0")/.."
artifacts="${BENCH_ARTIFACTS:-$(pwd)/artifacts/bench}"
users=50000 projects=20 keys=10000
while [ $# -gt 0 ]; do
  case "$1" in
    --users) users=$2; shift 2 ;;
    --projects) projects=$2; shift 2 ;;
    --keys-per-project) keys=$2; shift 2 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
dotnet build bench/ScimBridge.Bench.Platforms/ScimBridge.Bench.Platforms.csproj -c Release --artifacts-path "$artifacts" -nologo -v quiet
bin="$artifacts/bin/ScimBridge.Bench.Platforms/release/scimbridge-platform-bench"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
url="http://127.0.0.1:$port"
"$bin" sim --urls "$url" --users "$users" --projects "$projects" --keys-per-project "$keys" > /tmp/scimbridge-platform-bench-sim.log &
sim=$!
trap 'kill $sim 2>/dev/null || true' EXIT
for _ in $(seq 1 120); do grep -q ready /tmp/scimbridge-platform-bench-sim.log 2>/dev/null && break; sleep 0.5; done
total_keys=$((projects * keys))
for what in accounts keys; do
  n=$users; [ "$what" = keys ] && n=$total_keys
  "$bin" list --base-url "$url/v1" --what "$what" --mode raw          # warm-up of the simulator's JIT, not reported
  "$bin" list --base-url "$url/v1" --what "$what" --mode raw
  "$bin" list --base-url "$url/v1" --what "$what" --mode adapter
  "$bin" list --base-url "$url/v1" --what "$what" --mode adapter --limit $((n / 10))
done | grep -v '^$' | awk 'NR % 4 != 1'
