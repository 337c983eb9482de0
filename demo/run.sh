#!/usr/bin/env bash
# The whole bridge on one machine, nothing to install but .NET: three simulated AI platforms (OpenAI, Anthropic,
# Cursor, each seeded from demo/seeds/), and ScimBridge with demo/policy.yaml pointing at them.
#   demo/run.sh            then, in another terminal: demo/entra-cycle.sh
# Ports (127.0.0.1): ScimBridge 8080, OpenAI 9101, Anthropic 9102, Cursor 9103. State under demo/.data (fresh each run).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
artifacts="$root/artifacts/demo"
data="$root/demo/.data"
rm -rf "$data" && mkdir -p "$data"

echo "Building ScimBridge and the simulators ..."
dotnet build src/ScimBridge.Api/ScimBridge.Api.csproj -c Release --artifacts-path "$artifacts" -nologo -v quiet
dotnet build src/ScimBridge.Simulators/ScimBridge.Simulators.csproj -c Release --artifacts-path "$artifacts" -nologo -v quiet
sim="$artifacts/bin/ScimBridge.Simulators/release/scimbridge-sim"
bridge="$artifacts/bin/ScimBridge.Api/release/scimbridge"

pids=()
trap 'kill "${pids[@]}" 2>/dev/null || true' EXIT INT TERM
"$sim" --platform openai --urls http://127.0.0.1:9101 --admin-key sk-admin-demo --seed demo/seeds/openai.json > "$data/openai.log" 2>&1 & pids+=($!)
"$sim" --platform anthropic --urls http://127.0.0.1:9102 --admin-key sk-ant-admin01-demo > "$data/anthropic.log" 2>&1 & pids+=($!)
"$sim" --platform cursor --urls http://127.0.0.1:9103 --admin-key key_demo --seed demo/seeds/cursor.json > "$data/cursor.log" 2>&1 & pids+=($!)

# A console operator for the demo: the password is hashed by the service's own CLI, as an operator would do it.
demo_password=demo-console-password
demo_hash=$(printf '%s\n' "$demo_password" | "$bridge" operators hash-password)

# The IdP connection is declared in configuration; its bearer secret comes from the environment, as in production.
export DEMO_SCIM_SECRET=demo-entra-secret-not-for-production-0123456789
"$bridge" --urls http://127.0.0.1:8080 --Storage:DataDirectory="$data" \
  --Connections:Declared:0:Name=entra-demo --Connections:Declared:0:Kind=entra \
  --Connections:Declared:0:SecretEnvironmentVariable=DEMO_SCIM_SECRET \
  --Platforms:Targets:openai:Platform=openai --Platforms:Targets:openai:BaseUrl=http://127.0.0.1:9101/v1 \
  --Platforms:Targets:openai:ApiKey=sk-admin-demo \
  --Platforms:Targets:anthropic:Platform=anthropic --Platforms:Targets:anthropic:BaseUrl=http://127.0.0.1:9102 \
  --Platforms:Targets:anthropic:ApiKey=sk-ant-admin01-demo \
  --Platforms:Targets:cursor:Platform=cursor --Platforms:Targets:cursor:BaseUrl=http://127.0.0.1:9103 \
  --Platforms:Targets:cursor:ApiKey=key_demo \
  --Platforms:Targets:cursor:Scim:BaseUrl=http://127.0.0.1:9103/scim/v2 --Platforms:Targets:cursor:Scim:Token=sim-scim-token \
  --Reconciliation:PolicyPath=demo/policy.yaml --Reconciliation:PollInterval=00:00:00.100 \
  --Admin:Token=demo-admin-token \
  --Admin:Operators:0:Name=demo --Admin:Operators:0:Role=admin --Admin:Operators:0:PasswordHash="$demo_hash" \
  > "$data/scimbridge.log" 2>&1 & pids+=($!)

for _ in $(seq 1 100); do
  curl -sf http://127.0.0.1:8080/health/ready >/dev/null 2>&1 && break
  sleep 0.2
done
curl -sf http://127.0.0.1:8080/health/ready >/dev/null || { echo "ScimBridge did not start; see $data/scimbridge.log" >&2; exit 1; }
cat <<TXT

ScimBridge is up on http://127.0.0.1:8080 with demo/policy.yaml.
  SCIM (as an Entra connection):   http://127.0.0.1:8080/scim/v2   Bearer demo-entra-secret-not-for-production-0123456789
  Operator API:                    http://127.0.0.1:8080/admin     Bearer demo-admin-token
  Web console:                     http://127.0.0.1:8080/console/  sign in as demo / $demo_password
  Simulated platforms (state):     http://127.0.0.1:9101/_sim/state (OpenAI), :9102 (Anthropic), :9103 (Cursor)
Now run demo/entra-cycle.sh in another terminal. Logs: $data/*.log. Ctrl-C stops everything.
TXT
wait
