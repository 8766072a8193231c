#!/usr/bin/env bash
# Runs the whole test suite: unit, storage contract (SQLite; SQL Server when CONTENTWATCH_TEST_SQLSERVER is set),
# classifier, and the service end to end over HTTP, including the kill -9 recovery test.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
exec dotnet test "$root/ContentWatch.sln" -c Release --logger "console;verbosity=minimal" "$@"
