#!/usr/bin/env bash
# Rebuilds the shipped model (models/contentwatch.model.zip) from scratch: every models/corpus/*.jsonl plus the public
# train splits in ../shared/data (never the *_test.csv files). Deterministic: fixed seed (1), fixed dev split, one
# training thread — the same data gives the same model, version and threshold. About 3–5 minutes on 2 cores.
# Usage: scripts/train.sh [--corpus DIR] [--data DIR] [--output PATH] [--seed N] [--trainer lbfgs|sdca] [--compare]
#   --compare also trains the other trainer and prints the dev comparison table (adds ~1 minute).
# Runs from the repository root so the default paths (models/corpus, ../shared/data) resolve.
set -euo pipefail
cd "$(dirname "$0")/.."
exec "scripts/contentwatch" train "$@"
