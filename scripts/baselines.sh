#!/usr/bin/env bash
# Compares ContentWatch with two standard peers on the trainer's own dev split, and prints one table.
#
#   scripts/baselines.sh [--corpus DIR] [--data DIR] [--model PATH] [--work DIR] [--retrain] [--json] [--writers [--jobs N] [--writer-groups K]]
#
# --writers: leave-one-writer-out instead of the dev split (with --writer-groups K, the K writer groups of
# `contentwatch train --writer-groups K`: one fold per group, figures still per writer). `contentwatch split --writers` writes one fold per corpus
# writer (train = every other row, public data included; test = that writer's items); fastText and scikit-learn are
# trained and scored on each fold; scripts/baselines.py writer-report prints per-writer harmful F1, PR-AUC and benign
# FPR (threshold chosen on the other writers) for both, beside ContentWatch's own figures from the model's metadata
# (`contentwatch train --leave-one-writer-out` folds the same rows the same way). --jobs N runs N folds at once
# (about 8 minutes per fold on this machine, most of it scikit-learn).
#
# 1. builds the CLI and runs `contentwatch split` (train.jsonl = exactly what the trainer trains on, dev.jsonl = its
#    grouped dev split);
# 2. ContentWatch: trains with `contentwatch train` (ModelTrainer always holds the dev split out) to time it, and
#    scores dev with the shipped model when scripts/baselines.py check-model proves it was trained on this train split
#    (same row counts and training-file hashes); otherwise, or with --retrain, scores the model trained here;
# 3. fastText (`fasttext supervised`, Debian fasttext 0.9.2) and scikit-learn TF-IDF + LogisticRegression, both
#    trained on train.jsonl only and scored on dev.jsonl;
# 4. scripts/baselines.py report computes every figure from the three per-item prediction files.
# Needs /usr/bin/fasttext and /usr/bin/python3 with sklearn (apt-get install fasttext python3-sklearn).
# fastText: -seed is honoured, but with -thread > 1 training is not bit-reproducible (FASTTEXT_THREADS=1 for that).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
corpus="models/corpus"
data="../shared/data"
model="models/contentwatch.model.zip"
work=".build/baselines"
retrain=0
json=""
writers=0
groups=()
jobs=1
while [ $# -gt 0 ]; do
  case "$1" in
    --corpus) corpus="$2"; shift 2 ;;
    --data) data="$2"; shift 2 ;;
    --model) model="$2"; shift 2 ;;
    --work) work="$2"; shift 2 ;;
    --retrain) retrain=1; shift ;;
    --json) json="--json"; shift ;;
    --writers) writers=1; shift ;;
    --writer-groups) groups=(--writer-groups "$2"); shift 2 ;;
    --jobs) jobs="$2"; shift 2 ;;
    *) echo "usage: scripts/baselines.sh [--corpus DIR] [--data DIR] [--model PATH] [--work DIR] [--retrain] [--json] [--writers [--jobs N] [--writer-groups K]]" >&2; exit 2 ;;
  esac
done
py=/usr/bin/python3
threads="${FASTTEXT_THREADS:-2}"
command -v fasttext >/dev/null || { echo "baselines: fasttext not found (apt-get install fasttext)" >&2; exit 1; }
"$py" -c "import sklearn" 2>/dev/null || { echo "baselines: $py has no sklearn (apt-get install python3-sklearn)" >&2; exit 1; }

now() { date +%s.%N; }
since() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.3f", b - a }'; }
say() { echo "baselines: $*" >&2; }

if [ -d "$work" ] && [ -n "$(ls -A "$work")" ] && [ ! -f "$work/train.jsonl" ]; then
  echo "baselines: $work is not empty and holds no earlier baselines run; choose another --work" >&2; exit 2
fi
rm -rf "$work"
mkdir -p "$work"

if [ "$writers" = 1 ]; then
  scripts/contentwatch split --out "$work" --corpus "$corpus" --data "$data" --writers "${groups[@]}" >&2
  run_fold() {
    local fold="$1" w
    w=$(basename "$fold")
    echo "baselines: fold $w: fastText" >&2
    "$py" scripts/baselines.py fasttext-input "$fold/train.jsonl" "$fold/test.jsonl" "$fold/fasttext.train.txt" "$fold/fasttext.test.txt"
    fasttext supervised -input "$fold/fasttext.train.txt" -output "$fold/fasttext" -wordNgrams 2 -minn 2 -maxn 5 \
      -epoch 25 -dim 100 -lr 0.5 -loss softmax -thread "$threads" -seed 1 -verbose 0
    fasttext predict-prob "$fold/fasttext.bin" "$fold/fasttext.test.txt" 4 > "$fold/fasttext.raw.txt"
    "$py" scripts/baselines.py fasttext-preds "$fold/test.jsonl" "$fold/fasttext.raw.txt" "$fold/fasttext.preds.jsonl"
    rm -f "$fold/fasttext.bin" "$fold/fasttext.vec"
    echo "baselines: fold $w: scikit-learn" >&2
    "$py" scripts/baselines.py sklearn "$fold/train.jsonl" "$fold/test.jsonl" "$fold/sklearn.preds.jsonl" "$fold/sklearn.times.json"
  }
  export -f run_fold
  export py threads
  # One fold per process, --jobs at a time (each fold is single-threaded unless FASTTEXT_THREADS says otherwise).
  printf '%s\n' "$work"/writers/*/ | xargs -P "$jobs" -I{} bash -c 'set -euo pipefail; run_fold "$1"' _ {}
  exec "$py" scripts/baselines.py writer-report "$work" "$model" $json
fi
scripts/contentwatch split --out "$work" --corpus "$corpus" --data "$data" >&2
train_rows=$(wc -l < "$work/train.jsonl")

# ContentWatch: always trained here (for its training time); the shipped model is scored when it provably was
# trained on this train split, else the model trained here.
say "training ContentWatch on the train split"
t=$(now)
scripts/contentwatch train --corpus "$corpus" --data "$data" --output "$work/contentwatch.model.zip" >"$work/contentwatch-train.log"
cw_train_s=$(since "$t")
if [ "$retrain" = 0 ] && version=$("$py" scripts/baselines.py check-model "$model" "$work/train.jsonl" "$work/dev.jsonl" "$corpus" "$data"); then
  cw_model="$model"
  cw_note="scored: shipped model $version, verified trained on this train split only (dev held out)"
else
  cw_model="$work/contentwatch.model.zip"
  cw_note="scored: model trained here by contentwatch train on the train split only (dev held out)"
fi
cw_trainer=$(unzip -p "$cw_model" metadata.json | "$py" -c "import json,sys; print({'lbfgs': 'L-BFGS', 'sdca': 'SDCA'}.get(t := json.load(sys.stdin)['trainer'], t))")
cw_note="$cw_note; train time is contentwatch train here ($(grep -o 'model cw-[^)]*' "$work/contentwatch-train.log"))"
say "scoring dev with ContentWatch"
t=$(now)
scripts/contentwatch classify --input "$work/dev.jsonl" --output "$work/contentwatch.preds.jsonl" --model "$cw_model" 2>"$work/contentwatch-classify.log"
cw_score_s=$(since "$t")

# fastText
say "training fastText"
"$py" scripts/baselines.py fasttext-input "$work/train.jsonl" "$work/dev.jsonl" "$work/fasttext.train.txt" "$work/fasttext.dev.txt"
t=$(now)
fasttext supervised -input "$work/fasttext.train.txt" -output "$work/fasttext" -wordNgrams 2 -minn 2 -maxn 5 \
  -epoch 25 -dim 100 -lr 0.5 -loss softmax -thread "$threads" -seed 1 -verbose 0
ft_train_s=$(since "$t")
t=$(now)
fasttext predict-prob "$work/fasttext.bin" "$work/fasttext.dev.txt" 4 > "$work/fasttext.raw.txt"
ft_score_s=$(since "$t")
"$py" scripts/baselines.py fasttext-preds "$work/dev.jsonl" "$work/fasttext.raw.txt" "$work/fasttext.preds.jsonl"

# scikit-learn
say "training scikit-learn TF-IDF + LogisticRegression"
"$py" scripts/baselines.py sklearn "$work/train.jsonl" "$work/dev.jsonl" "$work/sklearn.preds.jsonl" "$work/sklearn.times.json"
sk_train_s=$("$py" -c "import json,sys; print(json.load(open(sys.argv[1]))['train_s'])" "$work/sklearn.times.json")
sk_score_s=$("$py" -c "import json,sys; print(json.load(open(sys.argv[1]))['score_s'])" "$work/sklearn.times.json")

cat > "$work/systems.json" <<EOF
[
  {"system": "ContentWatch (ML.NET $cw_trainer)", "preds": "$work/contentwatch.preds.jsonl", "train_s": $cw_train_s, "score_s": $cw_score_s,
   "note": "$cw_note; score time is the whole classify process (start-up and model load included)"},
  {"system": "fastText supervised", "preds": "$work/fasttext.preds.jsonl", "train_s": $ft_train_s, "score_s": $ft_score_s,
   "note": "-wordNgrams 2 -minn 2 -maxn 5 -epoch 25 -dim 100 -lr 0.5 -loss softmax -thread $threads -seed 1; score time is predict-prob on the dev file"},
  {"system": "sklearn TF-IDF w1-2+cwb2-5 + LogReg", "preds": "$work/sklearn.preds.jsonl", "train_s": $sk_train_s, "score_s": $sk_score_s,
   "note": "TfidfVectorizer word 1-2 + char_wb 2-5 (min_df 2, sublinear tf), LogisticRegression C=10 class_weight=balanced; fit and predict_proba times in-process"}
]
EOF
"$py" scripts/baselines.py report "$work/dev.jsonl" "$work/systems.json" --train-rows "$train_rows" $json
