#!/usr/bin/env bash
# Final figures on the public test splits (../shared/data/*_test.csv) for the model card. Never used for training,
# tuning or the review threshold: run it once a model is fixed.
#
#   scripts/test-splits.sh [--model PATH] [--data DIR] [--work DIR]
#
# `contentwatch split --tests` converts each test split with the trainer's own label mapping (every row kept), then
# `contentwatch evaluate --json` scores each file with the model; one table is printed.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
model="models/contentwatch.model.zip"
data="../shared/data"
work=".build/test-splits"
while [ $# -gt 0 ]; do
  case "$1" in
    --model) model="$2"; shift 2 ;;
    --data) data="$2"; shift 2 ;;
    --work) work="$2"; shift 2 ;;
    *) echo "usage: scripts/test-splits.sh [--model PATH] [--data DIR] [--work DIR]" >&2; exit 2 ;;
  esac
done

scripts/contentwatch split --out "$work" --data "$data" --tests > /dev/null
shopt -s nullglob
files=("$work"/test-*.jsonl)
if [ ${#files[@]} -eq 0 ]; then
  echo "test-splits: no *_test.csv in $data" >&2
  exit 1
fi
for f in "${files[@]}"; do
  scripts/contentwatch evaluate --input "$f" --model "$model" --json > "${f%.jsonl}.eval.json"
done

python3 - "$work" <<'PY'
import glob, json, os, sys
def f(v): return "–" if v is None else f"{v:.3f}"
print(f"{'test set':34} {'rows':>6} {'harmful':>7} {'PR-AUC':>7} {'ROC-AUC':>7} {'harm-F1':>7} {'R@thr':>6} {'FPR@thr':>7}")
model = None
for path in sorted(glob.glob(os.path.join(sys.argv[1], "test-*.eval.json"))):
    doc = json.load(open(path, encoding="utf-8"))
    r, model = doc["report"], doc["model"]
    harmful = sum(p["support"] for p in r["per_label"] if p["label"] != "benign")
    has = harmful > 0
    name = os.path.basename(path)[len("test-"):-len(".eval.json")]
    print(f"{name:34} {r['count']:>6} {harmful:>7} {f(r['harmful_pr_auc'] if has else None):>7} {f(r['harmful_roc_auc'] if has else None):>7}"
          f" {f(r['harmful_f1'] if has else None):>7} {f(r['harmful_recall_at_threshold'] if has else None):>6}"
          f" {f(r['benign_false_positive_rate_at_threshold']):>7}")
print(f"model {model}; R@thr / FPR@thr at the model's review threshold (the label follows it: benign below, harmful at or above)")
PY
