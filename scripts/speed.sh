#!/usr/bin/env bash
# Throughput of `contentwatch classify` against `fasttext predict-prob` on the same items, in one run.
#
#   scripts/speed.sh [--count N] [--model PATH] [--fasttext-model PATH] [--corpus DIR] [--data DIR]
#
# Builds N (default 100,000) items from the team corpus (varied copies, no two alike; scripts/speed.py), then times
# on one machine, one after the other: `contentwatch classify --input items.jsonl --output out.jsonl` with the shipped
# model, and `fasttext predict-prob MODEL items.txt 4` (all four label probabilities, like ContentWatch's scores).
# The fastText model is the one scripts/baselines.sh trained (.build/baselines/fasttext.bin); when it is missing,
# scripts/baselines.sh is run first. Each tool is also run on a single item, to show its start-up and model-load cost.
# Figures are given per wall second and per CPU second (user + system), the latter being steadier on a shared machine.
# fastText reads pre-tokenised lines (tokenising is done beforehand, not timed); ContentWatch parses JSONL, normalises
# and writes JSONL with all scores inside the timed run.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
count=100000
model="models/contentwatch.model.zip"
ft_model=".build/baselines/fasttext.bin"
corpus="models/corpus"
data="../shared/data"
while [ $# -gt 0 ]; do
  case "$1" in
    --count) count="$2"; shift 2 ;;
    --model) model="$2"; shift 2 ;;
    --fasttext-model) ft_model="$2"; shift 2 ;;
    --corpus) corpus="$2"; shift 2 ;;
    --data) data="$2"; shift 2 ;;
    *) echo "usage: scripts/speed.sh [--count N] [--model PATH] [--fasttext-model PATH] [--corpus DIR] [--data DIR]" >&2; exit 2 ;;
  esac
done
py=/usr/bin/python3
command -v fasttext >/dev/null || { echo "speed: fasttext not found (apt-get install fasttext)" >&2; exit 1; }
if [ ! -f "$ft_model" ]; then
  echo "speed: no fastText model at $ft_model; running scripts/baselines.sh to train one" >&2
  scripts/baselines.sh --corpus "$corpus" --data "$data" >&2
  ft_model=".build/baselines/fasttext.bin"
fi

work=".build/speed"
rm -rf "$work"
mkdir -p "$work"

"$py" scripts/speed.py items "$corpus" "$count" "$work/items.jsonl" "$work/items.txt"
head -n 1 "$work/items.jsonl" > "$work/one.jsonl"
head -n 1 "$work/items.txt" > "$work/one.txt"
scripts/contentwatch --help >/dev/null 2>&1 || true   # builds on first use, outside the timing

# Each timed run: wall seconds, then user + system CPU seconds (GNU time), so a busy machine shows up as wall > CPU.
timed() { local out="$1"; shift; /usr/bin/time -f "%e %U %S" -o "$out" "$@"; }
timed "$work/cw1.time" scripts/contentwatch classify --input "$work/one.jsonl" --output "$work/one.out.jsonl" --model "$model" 2>/dev/null
timed "$work/cw.time" scripts/contentwatch classify --input "$work/items.jsonl" --output "$work/out.jsonl" --model "$model" 2>"$work/classify.log"
timed "$work/ft1.time" fasttext predict-prob "$ft_model" "$work/one.txt" 4 > /dev/null
timed "$work/ft.time" fasttext predict-prob "$ft_model" "$work/items.txt" 4 > "$work/fasttext.out.txt"

[ "$(wc -l < "$work/out.jsonl")" -eq "$count" ] || { echo "speed: contentwatch wrote $(wc -l < "$work/out.jsonl") lines for $count items" >&2; exit 1; }
[ "$(wc -l < "$work/fasttext.out.txt")" -eq "$count" ] || { echo "speed: fasttext wrote $(wc -l < "$work/fasttext.out.txt") lines for $count items" >&2; exit 1; }
echo "$(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg); $(wc -c < "$work/items.jsonl") bytes of JSONL"
"$py" scripts/speed.py rate "$count" "$work/cw.time" "$work/cw1.time" "$work/ft.time" "$work/ft1.time"
echo "contentwatch: $(tr '\r' '\n' < "$work/classify.log" | grep classified | tail -n 1)"
