#!/usr/bin/env bash
# Starts `contentwatch serve` on a fresh data folder and a free port, measures intake throughput and report-to-verdict
# time with measure-intake.py, then stops it. Extra arguments go to measure-intake.py (--batches, --batch-size, --clients).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
data="$(mktemp -d)"
port="${PORT:-5181}"
key="cw_measure_$(date +%s%N)"
"$root/scripts/contentwatch" --help >/dev/null 2>&1 || true   # builds on first use
CONTENTWATCH_BOOTSTRAP_ADMIN_KEY="$key" Logging__LogLevel__Default=Warning \
  "$root/scripts/contentwatch" serve --urls "http://127.0.0.1:$port" --data-dir "$data" &
pid=$!
trap 'kill $pid 2>/dev/null; wait $pid 2>/dev/null; rm -rf "$data"' EXIT
for _ in $(seq 1 120); do
  curl -sf -H "Authorization: Bearer $key" "http://127.0.0.1:$port/api/review/queue?limit=1" >/dev/null && break
  sleep 0.5
done
python3 "$root/scripts/measure-intake.py" "http://127.0.0.1:$port" "$key" "$@"
