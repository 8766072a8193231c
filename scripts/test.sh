#!/usr/bin/env bash
# Runs the whole test suite: unit, storage contract (SQLite; SQL Server when CONTENTWATCH_TEST_SQLSERVER is set),
# classifier, the service end to end over HTTP (including the kill -9 recovery test and the README's "Using it" block,
# which needs curl and jq), and the review desk in Debian's Chromium.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
missing=()
[ -x /usr/bin/chromium ] || missing+=(chromium)
command -v jq >/dev/null || missing+=(jq)
command -v curl >/dev/null || missing+=(curl)
if [ ${#missing[@]} -gt 0 ]; then
  echo "scripts/test.sh: the tests need ${missing[*]}: install with 'sudo apt-get install -y ${missing[*]}' (Debian; .ci/run does it)" >&2
  exit 1
fi
exec dotnet test "$root/ContentWatch.sln" -c Release --logger "console;verbosity=minimal" "$@"
