#!/usr/bin/env bash
# Reconciliation benchmark (docs/performance.md, "Reconciliation"):
#   bench/reconcile.sh [--identities 100000] [--leavers 20] [--latency-ms 50]
# Seeds N identities into a real scimbridge (SQLite, 127.0.0.1) and the same N people onto simulated OpenAI, Anthropic
# and Cursor; times a full dry-run reconciliation by the CLI (wall time, peak RSS), then leaver latency: SCIM
# active=false until the last platform has removed the account, with every simulated call answered after --latency-ms.
set -euo pipefail
cd "$(dirname "$0")/.."
artifacts="${BENCH_ARTIFACTS:-$(pwd)/artifacts/bench}"
dotnet build src/ScimBridge.Api/ScimBridge.Api.csproj -c Release --artifacts-path "$artifacts" -nologo -v quiet
dotnet build bench/ScimBridge.Bench.Platforms/ScimBridge.Bench.Platforms.csproj -c Release --artifacts-path "$artifacts" -nologo -v quiet
exec "$artifacts/bin/ScimBridge.Bench.Platforms/release/scimbridge-platform-bench" reconcile \
  --scimbridge "$artifacts/bin/ScimBridge.Api/release/scimbridge" "$@"
