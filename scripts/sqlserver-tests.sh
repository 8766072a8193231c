#!/usr/bin/env bash
# Runs every test that needs SQL Server against a real server:
#  - tests/ContentWatch.Storage.Tests, all of it: each storage contract on a fresh database cw_test_<guid> (created and
#    dropped, so the login needs CREATE DATABASE), concurrent migration, the decision locks under read-committed
#    snapshot, rerun inserts, and the offline T-SQL rules;
#  - in the other test projects, the tests whose names carry "SqlServer" (the convention for SQL Server tests):
#    SqlServerMultiWorkerTests (three worker processes, one killed and one frozen mid-batch, on one SQL Server database,
#    Hangfire's jobs in it too; run the server on this machine, as the test compares the server's clock with this one's)
#    and the Hangfire schema upgrade in tests/ContentWatch.Jobs.Tests.
#   scripts/sqlserver-tests.sh 'Server=localhost,1433;User ID=sa;Password=...;TrustServerCertificate=True'
# Extra arguments go to every dotnet test run.
set -euo pipefail
if [[ $# -lt 1 || -z "$1" ]]; then
    echo "usage: $0 CONNECTION_STRING [dotnet test arguments...]" >&2
    echo "  CONNECTION_STRING: a SQL Server login allowed to create and drop databases; the Database part is ignored." >&2
    exit 2
fi
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export CONTENTWATCH_TEST_SQLSERVER="$1"
shift
dotnet test "$root/tests/ContentWatch.Storage.Tests/ContentWatch.Storage.Tests.csproj" -c Release \
    --logger "console;verbosity=normal" "$@"
for project in "$root"/tests/*/*.csproj; do
    [[ "$project" == */ContentWatch.Storage.Tests.csproj ]] && continue
    dotnet test "$project" -c Release --filter "FullyQualifiedName~SqlServer" --logger "console;verbosity=normal" "$@"
done
