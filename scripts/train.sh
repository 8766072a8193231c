#!/usr/bin/env bash
# Rebuilds the shipped model (models/contentwatch.model.zip) from scratch: every models/corpus/*.jsonl plus the public
# train splits in ../shared/data (never the *_test.csv files). Deterministic: fixed seed (1), fixed dev split, one
# training thread — the same data gives the same model, version and threshold. It also trains SDCA on the same split
# (--compare) so the dev comparison table is printed and recorded in the model's metadata.json; only L-BFGS is saved.
# Add --compare-trees to compare LightGBM and FastTree too (about 4–5 more minutes; comparison only, never saved).
# About 2.5 CPU-minutes; 4–7 minutes wall-clock on the shared 2-core machine.
# Usage: scripts/train.sh [--corpus DIR] [--data DIR] [--output PATH] [--seed N] [--trainer lbfgs|sdca] [--corpus-weight W] [--compare-trees]
# Runs from the repository root so the default paths (models/corpus, ../shared/data) resolve.
set -euo pipefail
cd "$(dirname "$0")/.."
exec "scripts/contentwatch" train --compare "$@"
