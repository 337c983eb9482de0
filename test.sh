#!/usr/bin/env bash
# The whole test suite, from a fresh clone: installs what the tests need when it is missing (newman for
# Microsoft's SCIM conformance collection), builds, runs every test project, and ends with
# "N passed, N failed". Exit code 0 only when nothing failed.
#
# The integration tests run twice: on SQLite, then on a throwaway PostgreSQL that this script starts (and installs
# from Debian when missing). SCIMBRIDGE_POSTGRES_PASS=0 skips the PostgreSQL pass for a quick local run; CI never sets it.
# SCIMBRIDGE_ARTIFACTS_PATH=DIR builds outside the work tree (dotnet --artifacts-path DIR); the TRX files go there too.
set -euo pipefail
cd "$(dirname "$0")"
root=$(pwd)
results="$root/artifacts/test-results"
artifacts=()
if [ -n "${SCIMBRIDGE_ARTIFACTS_PATH:-}" ]; then
  artifacts=(--artifacts-path "$SCIMBRIDGE_ARTIFACTS_PATH")
  results="$SCIMBRIDGE_ARTIFACTS_PATH/test-results"
fi
rm -rf "$results"
mkdir -p "$results"

# newman (npm) runs ../shared/conformance against a live server in ScimBridge.IntegrationTests.
if [ ! -x "$root/.tools/node_modules/.bin/newman" ]; then
  echo "Installing newman into .tools/ ..."
  npm install --prefix "$root/.tools" --no-audit --no-fund --loglevel=error newman@6 >/dev/null
fi
export SCIMBRIDGE_NEWMAN="$root/.tools/node_modules/.bin/newman"

# Debian's chromium for the console's browser tests (installed when missing); screenshots land in $results.
# If it cannot be installed, those tests fail (never skip) and say why.
tests/browser/chromium.sh || echo "tests/browser/chromium.sh failed: the console's browser tests will fail" >&2
export SCIMBRIDGE_TEST_RESULTS="$results"

dotnet build ScimBridge.sln -c Release -nologo -v quiet ${artifacts[@]+"${artifacts[@]}"}
status=0
extra_failures=0
# The SQLite pass: every test project; PostgreSQL-only tests (several replicas over one database) wait for the next pass.
dotnet test ScimBridge.sln -c Release --no-build -nologo ${artifacts[@]+"${artifacts[@]}"} --filter "Category!=PostgresOnly" \
  --logger "trx" --logger "console;verbosity=minimal" --results-directory "$results" || status=$?

# The deploy files cannot run here (no Docker): check them statically.
python3 tests/deploy/validate.py || extra_failures=$((extra_failures + 1))

# The PostgreSQL pass: ScimBridge.IntegrationTests once more with SCIMBRIDGE_TEST_BACKEND=postgres, so that every
# ScimServer gets a fresh database (Storage:ConnectionString) on a throwaway server from tests/postgres/pg.sh, which
# this run starts in its own folder and stops on any exit. Tests with the trait Category=SqliteOnly are
# left out; Category=PostgresOnly ones run here only. Its TRX lands beside the others, so the
# closing line counts both passes. pg.sh installs Debian's postgresql on a machine that lacks it.
if [ "${SCIMBRIDGE_POSTGRES_PASS:-1}" = 1 ]; then
  pg="$root/tests/postgres/pg.sh"
  export SCIMBRIDGE_PG_DIR="${SCIMBRIDGE_PG_DIR:-${TMPDIR:-/tmp}/scimbridge-pg-$$}"
  trap '"$pg" stop >/dev/null 2>&1 || true; rm -f "$SCIMBRIDGE_PG_DIR.lock"' EXIT
  trap 'exit 130' INT
  trap 'exit 143' TERM
  echo
  echo "PostgreSQL pass (SCIMBRIDGE_TEST_BACKEND=postgres, --filter Category!=SqliteOnly):"
  if "$pg" start && pg_env=$("$pg" env); then
    SCIMBRIDGE_TEST_BACKEND=postgres SCIMBRIDGE_TEST_POSTGRES="${pg_env#SCIMBRIDGE_TEST_POSTGRES=}" \
      dotnet test tests/ScimBridge.IntegrationTests/ScimBridge.IntegrationTests.csproj -c Release --no-build -nologo \
      ${artifacts[@]+"${artifacts[@]}"} --filter "Category!=SqliteOnly" \
      --logger "trx;LogFileName=postgres-ScimBridge.IntegrationTests.trx" --logger "console;verbosity=minimal" \
      --results-directory "$results" || status=$?
  else
    echo "PostgreSQL pass: could not start PostgreSQL (tests/postgres/pg.sh start); counted as one failure" >&2
    extra_failures=1
  fi
  "$pg" stop >/dev/null 2>&1 || true
fi

# Sum the TRX counters of every test project into the one closing line CI reads.
py=0
python3 - "$results" "$extra_failures" <<'PY' || py=$?
import glob, os, sys, xml.etree.ElementTree as ET
passed = failed = skipped = 0
files = glob.glob(sys.argv[1] + "/*.trx")
for f in sorted(files):
    c = ET.parse(f).getroot().find(".//{*}Counters")
    p = int(c.get("passed", 0))
    x = int(c.get("failed", 0)) + int(c.get("error", 0)) + int(c.get("timeout", 0)) + int(c.get("aborted", 0))
    if os.path.basename(f).startswith("postgres-"):
        print(f"PostgreSQL pass: {p} passed, {x} failed")
    passed += p
    failed += x
    skipped += int(c.get("notExecuted", 0))
failed += int(sys.argv[2])
if not files:
    failed += 1
print(f"{passed} passed, {failed} failed" + (f", {skipped} skipped" if skipped else ""))
sys.exit(1 if failed else 0)
PY
if [ "$status" -ne 0 ]; then exit "$status"; fi
exit "$py"
