#!/usr/bin/env bash
# Makes sure Debian's chromium is at /usr/bin/chromium for the console's browser tests
# (tests/ScimBridge.Platforms.Tests/Console), installing it with apt-get when it is missing.
# Playwright drives this browser; its own browser download is never used (no internet on our machines).
# A missing browser is a test failure, never a skip: when this script cannot install it, the tests fail and say why.
set -euo pipefail

browser="${SCIMBRIDGE_CHROMIUM:-/usr/bin/chromium}"
if [ -x "$browser" ]; then
  exit 0
fi

if [ "$(id -u)" -ne 0 ]; then
  echo "chromium.sh: $browser is missing; run as root or: apt-get install -y chromium" >&2
  exit 1
fi

echo "Installing chromium from Debian (for the console's browser tests) ..."
export DEBIAN_FRONTEND=noninteractive
if ! apt-get install -y chromium >/dev/null; then
  apt-get update >/dev/null
  apt-get install -y chromium >/dev/null
fi
[ -x "$browser" ] || { echo "chromium.sh: installed chromium, yet $browser is missing" >&2; exit 1; }
