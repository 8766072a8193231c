#!/usr/bin/python3
"""Prints a model's leave-one-writer-out figures (metadata.json) as Markdown tables for the model card.

usage: scripts/lowo-tables.py [MODEL]      (default models/contentwatch.model.zip)
"""
import json
import sys
import zipfile

model = sys.argv[1] if len(sys.argv) > 1 else "models/contentwatch.model.zip"
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
