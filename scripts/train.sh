#!/usr/bin/env bash
# Rebuilds the shipped model (models/contentwatch.model.zip) from scratch: the team corpus in models/corpus and the
# public *_train.csv files in ../shared/data (never the *_test.csv files). Deterministic with the seed.
# Extra options go to `contentwatch train` (--data DIR, --seed N, --trainer NAME, --output PATH).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
exec "$root/scripts/contentwatch" train --corpus models/corpus --data ../shared/data --output models/contentwatch.model.zip "$@"
