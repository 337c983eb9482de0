#!/usr/bin/env bash
# Inventory report benchmark (docs/performance.md, "Inventory report"):
#   bench/inventory.sh [--users 50000] [--projects 20] [--keys-per-project 10000]
# Starts the seeded OpenAI simulator of bench/platforms.sh (its own process, 127.0.0.1: 50,000 users, 200,000 API
# keys), then in separate processes: a bare HttpClient reading every key page and every user page (the floor: the
# same pages the inventory reads), and the inventory report over them (owners resolved against 50,000 identities,
# flags, serialised). Prints one JSON line per run and the ratio of the inventory's time to the bare listing's.
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
log=$(mktemp)
"$bin" sim --urls "$url" --users "$users" --projects "$projects" --keys-per-project "$keys" > "$log" &
sim=$!
trap 'kill $sim 2>/dev/null || true; rm -f "$log"' EXIT
for _ in $(seq 1 120); do grep -q ready "$log" 2>/dev/null && break; sleep 0.5; done
"$bin" list --base-url "$url/v1" --what keys --mode raw > /dev/null       # warm-up of the simulator's JIT, not reported
keys_raw=$("$bin" list --base-url "$url/v1" --what keys --mode raw)
accounts_raw=$("$bin" list --base-url "$url/v1" --what accounts --mode raw)
keys_adapter=$("$bin" list --base-url "$url/v1" --what keys --mode adapter)
accounts_adapter=$("$bin" list --base-url "$url/v1" --what accounts --mode adapter)
inventory=$("$bin" inventory --base-url "$url/v1" --users "$users")
printf '%s\n' "$keys_raw" "$accounts_raw" "$keys_adapter" "$accounts_adapter" "$inventory"
python3 - "$keys_raw" "$accounts_raw" "$keys_adapter" "$accounts_adapter" "$inventory" <<'PY'
import json, sys
keys, accounts, keys_adapter, accounts_adapter, inventory = (json.loads(a) for a in sys.argv[1:6])
floor = keys["seconds"] + accounts["seconds"]
listing = keys_adapter["seconds"] + accounts_adapter["seconds"]
print(json.dumps({"ratio_to_bare_listing": round(inventory["seconds"] / floor, 2), "bare_listing_seconds": round(floor, 2),
                  "ratio_to_adapter_listing": round(inventory["seconds"] / listing, 2), "adapter_listing_seconds": round(listing, 2),
                  "inventory_seconds": round(inventory["seconds"], 2), "inventory_peak_rss_mb": round(inventory["peakRssMb"], 1),
                  "bare_keys_peak_rss_mb": round(keys["peakRssMb"], 1)}))
PY
