#!/usr/bin/env bash
# Rebuilds the shipped model (models/contentwatch.model.zip) from models/corpus and the public train splits.
# Usage: scripts/train.sh [--corpus DIR] [--data DIR] [--output PATH] [--seed N]
# Runs from the repository root so the default paths (models/corpus, ../shared/data) resolve.
set -euo pipefail
cd "$(dirname "$0")/.."
exec "scripts/contentwatch" train "$@"
