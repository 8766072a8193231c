#!/usr/bin/env bash
# Measures classification throughput with 1, 2 and 4 worker processes (`contentwatch serve --roles worker`) sharing one
# SQLite file of 30,000 pending items, and prints a table. Extra arguments go to measure-workers.py
# (--items N, --workers 1 2 4, --batch-size N).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
"$root/scripts/contentwatch" --help >/dev/null 2>&1 || true   # builds .build/cli on first use
exec /usr/bin/python3 "$root/scripts/measure-workers.py" "$root/.build/cli/contentwatch.dll" "$@"
