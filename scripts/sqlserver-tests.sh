#!/usr/bin/env bash
# Runs every test that uses SQL Server against a real server: the storage contract tests on a fresh database per test
# (cw_test_<guid>, created and dropped; the login needs CREATE DATABASE), plus concurrent migration.
#   scripts/sqlserver-tests.sh 'Server=localhost,1433;User ID=sa;Password=...;TrustServerCertificate=True'
# Extra arguments go to dotnet test (e.g. --filter SqlServerIntakeTests).
set -euo pipefail
if [[ $# -lt 1 || -z "$1" ]]; then
    echo "usage: $0 CONNECTION_STRING [dotnet test arguments...]" >&2
    echo "  CONNECTION_STRING: a SQL Server login allowed to create and drop databases; the Database part is ignored." >&2
    exit 2
fi
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export CONTENTWATCH_TEST_SQLSERVER="$1"
shift
exec dotnet test "$root/tests/ContentWatch.Storage.Tests/ContentWatch.Storage.Tests.csproj" -c Release \
    --logger "console;verbosity=normal" "$@"
