#!/usr/bin/python3
"""Prints a model's leave-one-writer-out figures (metadata.json) as Markdown tables for the model card.

usage: scripts/lowo-tables.py [MODEL] [--out-of-fold FILE]      (default models/contentwatch.model.zip)

--out-of-fold FILE (the file `contentwatch train --out-of-fold` wrote for this model) adds the operating points: pooled
harmful recall, precision, F1 and benign FPR over every writer's out-of-fold scores at the review threshold and at the
thresholds an operator might choose instead (Classification:ReviewThreshold), for a given FPR or recall.
"""
import json
import os
import sys
import zipfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from baselines import f1, fpr_at_recall  # noqa: E402  (the peers' figures use the same rules)

args = sys.argv[1:]
if {"-h", "--help"} & set(args):
    print(__doc__.strip())
    sys.exit(0)
out_of_fold = None
if "--out-of-fold" in args:
    k = args.index("--out-of-fold")
    if k + 1 == len(args):
        sys.exit("--out-of-fold needs a FILE (the one `contentwatch train --out-of-fold` wrote)")
    out_of_fold = args[k + 1]
    del args[k:k + 2]
model = args[0] if args else "models/contentwatch.model.zip"
if not os.path.isfile(model):
    sys.exit(f"{model}: no such model file")
with zipfile.ZipFile(model) as z:
    meta = json.loads(z.read("metadata.json"))
lowo = meta.get("leave_one_writer_out")
if not lowo:
    sys.exit(f"{model} has no leave-one-writer-out figures (train with --leave-one-writer-out)")

print(f"Model `{meta['model_version']}`, review threshold {meta['review_threshold']:.4f} ({meta.get('threshold_rule', '')}).\n")
print("| writer | items | harmful | threshold | precision | recall | harmful F1 | PR-AUC | benign FPR |")
print("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
for w in lowo["writers"]:
    print(f"| `{w['writer']}` | {w['count']:,} | {w['harmful']:,} | {w['threshold']:.4f} | {w['harmful_precision']:.3f} | "
          f"{w['harmful_recall']:.3f} | {w['harmful_f1']:.3f} | {w['harmful_pr_auc']:.3f} | {w['benign_false_positive_rate']:.3f} |")
print(f"| **mean** | | | | | | **{lowo['mean_harmful_f1']:.3f}** | **{lowo['mean_harmful_pr_auc']:.3f}** | **{lowo['mean_benign_false_positive_rate']:.3f}** |")
print(f"| **worst** | | | | | | **{lowo['worst_harmful_f1']:.3f}** | **{lowo['worst_harmful_pr_auc']:.3f}** | **{lowo['worst_benign_false_positive_rate']:.3f}** |")


def groups(title, rows, minimum):
    print(f"\n| {title} | items | harmful | harmful recall | benign FPR | label accuracy |")
    print("|---|---:|---:|---:|---:|---:|")
    small = []
    for g in rows:
        if g["count"] < minimum:
            small.append(g["group"])
            continue
        recall = f"{g['harmful_recall']:.3f}" if g["harmful"] else "–"
        fpr = f"{g['benign_false_positive_rate']:.3f}" if g["count"] > g["harmful"] else "–"
        print(f"| `{g['group']}` | {g['count']:,} | {g['harmful']:,} | {recall} | {fpr} | {g['label_accuracy']:.3f} |")
    if small:
        print(f"\nFewer than {minimum} items (in metadata.json): {', '.join(small)}.")


groups("genre", [g for g in lowo["per_genre"]], 40)
groups("language", sorted(lowo["per_language"], key=lambda g: -g["count"]), 40)


def operating_points(path, review_threshold):
    """Pooled out-of-fold figures at the review threshold and at the highest threshold reaching each recall, or the lowest keeping each FPR."""
    rows = [json.loads(line) for line in open(path, encoding="utf-8")]
    scored = sorted(((r["score"], r["label"] != "benign") for r in rows), reverse=True)
    positives = sum(h for _, h in scored)
    negatives = len(scored) - positives

    def at(threshold):
        tp = sum(1 for s, h in scored if h and s >= threshold)
        fp = sum(1 for s, h in scored if not h and s >= threshold)
        precision = tp / (tp + fp) if tp + fp else 0.0
        return tp / positives, precision, f1(tp, fp, positives - tp), fp / negatives

    harmful, scores = [h for _, h in scored], [s for s, _ in scored]
    points = [("review threshold (best pooled F1)", review_threshold)]
    points += [(f"recall ≥ {t:.2f}", fpr_at_recall(harmful, scores, t)[1]) for t in (0.95, 0.90, 0.85, 0.80)]
    for target in (0.15, 0.10, 0.05, 0.02):
        fp, best = 0, 1.0
        for k, (s, h) in enumerate(scored):
            fp += not h
            if fp > target * negatives:
                break
            if k + 1 == len(scored) or scored[k + 1][0] < s:
                best = s
        points.append((f"benign FPR ≤ {target:.2f}", best))
    print(f"\n| operating point ({len(scored):,} out-of-fold items) | threshold | harmful recall | precision | harmful F1 | benign FPR |")
    print("|---|---:|---:|---:|---:|---:|")
    for name, threshold in points:
        recall, precision, harmful_f1, fpr = at(threshold)
        print(f"| {name} | {threshold:.4f} | {recall:.3f} | {precision:.3f} | {harmful_f1:.3f} | {fpr:.3f} |")


if out_of_fold:
    operating_points(out_of_fold, meta["review_threshold"])
