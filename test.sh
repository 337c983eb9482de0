#!/usr/bin/env bash
# The whole test suite, from a fresh clone: installs what the tests need when it is missing (newman for
# Microsoft's SCIM conformance collection), builds, runs every test project, and ends with
# "N passed, N failed". Exit code 0 only when nothing failed.
set -euo pipefail
cd "$(dirname "$0")"
root=$(pwd)
results="$root/artifacts/test-results"
rm -rf "$results"
mkdir -p "$results"

# newman (npm) runs ../shared/conformance against a live server in ScimBridge.IntegrationTests.
if [ ! -x "$root/.tools/node_modules/.bin/newman" ]; then
  echo "Installing newman into .tools/ ..."
  npm install --prefix "$root/.tools" --no-audit --no-fund --loglevel=error newman@6 >/dev/null
fi
export SCIMBRIDGE_NEWMAN="$root/.tools/node_modules/.bin/newman"

dotnet build ScimBridge.sln -c Release -nologo -v quiet
status=0
dotnet test ScimBridge.sln -c Release --no-build -nologo \
  --logger "trx" --logger "console;verbosity=minimal" --results-directory "$results" || status=$?

# Sum the TRX counters of every test project into the one closing line CI reads.
py=0
python3 - "$results" <<'PY' || py=$?
import glob, sys, xml.etree.ElementTree as ET
passed = failed = skipped = 0
files = glob.glob(sys.argv[1] + "/*.trx")
for f in files:
    c = ET.parse(f).getroot().find(".//{*}Counters")
    passed += int(c.get("passed", 0))
    failed += int(c.get("failed", 0)) + int(c.get("error", 0)) + int(c.get("timeout", 0)) + int(c.get("aborted", 0))
    skipped += int(c.get("notExecuted", 0))
if not files:
    failed += 1
print(f"{passed} passed, {failed} failed" + (f", {skipped} skipped" if skipped else ""))
sys.exit(1 if failed else 0)
PY
if [ "$status" -ne 0 ]; then exit "$status"; fi
exit "$py"
