#!/usr/bin/env bash
# Measures the learning loop on a realistic run: two `contentwatch serve` nodes on one fresh SQLite data folder, 2,000
# corpus items classified without and with a shadow model (CPU per item of both nodes), the time a shadow and an
# activation take to reach each node, the promotion gate's run, and a rescore. See measure-loop.py.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
data="$(mktemp -d)"
work="$(mktemp -d)"
ports=(${PORTS:-47181 47182})
key="cw_measure_loop_$(date +%s%N)"
"$root/scripts/contentwatch" --help >/dev/null 2>&1 || true   # builds on first use
pids=()
for port in "${ports[@]}"; do
  CONTENTWATCH_BOOTSTRAP_ADMIN_KEY="$key" Logging__LogLevel__Default=Warning Workers__PollSeconds=1 \
    "$root/scripts/contentwatch" serve --urls "http://127.0.0.1:$port" --data-dir "$data" &
  pids+=($!)
  for _ in $(seq 1 240); do curl -sf "http://127.0.0.1:$port/health" >/dev/null && break; sleep 0.5; done
done
trap 'kill ${pids[*]} 2>/dev/null; wait ${pids[*]} 2>/dev/null; rm -rf "$data" "$work"' EXIT
# the dotnet processes serving (scripts/contentwatch execs dotnet, so these are the servers' own ids)
python3 "$root/scripts/measure-loop.py" --key "$key" --data "$data" --work "$work" --cli "$root/scripts/contentwatch" \
  --node "http://127.0.0.1:${ports[0]}=${pids[0]}" --node "http://127.0.0.1:${ports[1]}=${pids[1]}" --corpus "$root/models/corpus/v2" \
  --model "$root/models/contentwatch.model.zip" "$@"
