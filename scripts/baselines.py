#!/usr/bin/python3
"""Peer baselines for ContentWatch, driven by scripts/baselines.sh.

Every system is trained on exactly train.jsonl and scored on exactly dev.jsonl from `contentwatch split`, and writes
one prediction per dev row: {"id": ..., "scores": {label: probability}}. `report` computes every figure from those
files with one decision rule, so the systems are comparable:

  label       benign when the harmful score (1 - P(benign)) is below 0.5, otherwise the most probable harmful label
              (ContentWatch's own rule, applied to all systems)
  harmful F1  harmful = any of the three harmful labels, from the gold and the predicted label
  macro-F1    over the four labels
  PR-AUC      average precision of the harmful score against gold harmful
  FPR@R       share of benign dev rows flagged at the highest harmful-score threshold that keeps harmful recall >= R

Subcommands: fasttext-input, fasttext-preds, sklearn, check-model, report, writer-report. Run with /usr/bin/python3
(Debian's python3-sklearn).

writer-report (scripts/baselines.sh --writers) reads the leave-one-writer-out folds of `contentwatch split --writers`
(DIR/writers/W/test.jsonl and each system's predictions for it, made by a model trained on DIR/writers/W/train.jsonl)
and applies ContentWatch's rule: each writer is judged at the threshold that gives the best harmful F1 on the other
writers' out-of-fold scores; harmful F1, PR-AUC and benign FPR per writer, then the mean and the worst. ContentWatch's
own row is read from the model's metadata (`contentwatch train --leave-one-writer-out` computes it the same way).
"""
import argparse
import hashlib
import json
import re
import sys
import time
import zipfile
from pathlib import Path

LABELS = ["smuggling_service", "document_fraud", "fake_job_offer", "benign"]
HARMFUL = set(LABELS) - {"benign"}
MAX_TEXT = 20_000  # ContentWatch cuts input here too
TOKEN = re.compile(r"\w+|[^\w\s]")


def read_jsonl(path):
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def write_preds(path, ids, score_dicts):
    with open(path, "w", encoding="utf-8") as f:
        for i, scores in zip(ids, score_dicts):
            f.write(json.dumps({"id": i, "scores": scores}, ensure_ascii=False) + "\n")


def fasttext_line(text):
    """fastText's usual preprocessing: lower case, punctuation split off, one line."""
    tokens = TOKEN.findall(text[:MAX_TEXT].lower())
    return " ".join(tokens) if tokens else "<empty>"


def cmd_fasttext_input(a):
    """train.jsonl -> train.txt (__label__X tokens); dev.jsonl -> dev.txt (tokens only)."""
    with open(a.train_txt, "w", encoding="utf-8") as f:
        for r in read_jsonl(a.train):
            f.write(f"__label__{r['label']} {fasttext_line(r['text'])}\n")
    with open(a.dev_txt, "w", encoding="utf-8") as f:
        for r in read_jsonl(a.dev):
            f.write(fasttext_line(r["text"]) + "\n")


def cmd_fasttext_preds(a):
    """`fasttext predict-prob model dev.txt 4` output -> prediction lines in dev order."""
    dev = read_jsonl(a.dev)
    with open(a.raw, encoding="utf-8") as f:
        lines = f.read().splitlines()
    if len(lines) != len(dev):
        sys.exit(f"fastText wrote {len(lines)} predictions for {len(dev)} dev rows")
    scores = []
    for line in lines:
        parts = line.split()
        s = {label: 0.0 for label in LABELS}
        for k in range(0, len(parts), 2):
            s[parts[k].removeprefix("__label__")] = min(1.0, float(parts[k + 1]))  # fastText can print 1.00001
        scores.append(s)
    write_preds(a.out, [r["id"] for r in dev], scores)


def cmd_sklearn(a):
    """TF-IDF (word 1-2 + char_wb 2-5, sublinear tf) + multinomial LogisticRegression, class_weight balanced."""
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline, make_union

    train, dev = read_jsonl(a.train), read_jsonl(a.dev)
    model = make_pipeline(
        make_union(
            TfidfVectorizer(analyzer="word", ngram_range=(1, 2), min_df=2, sublinear_tf=True),
            TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), min_df=2, sublinear_tf=True),
        ),
        LogisticRegression(C=10.0, max_iter=2000, class_weight="balanced"),
    )
    started = time.perf_counter()
    model.fit([r["text"][:MAX_TEXT] for r in train], [r["label"] for r in train])
    train_s = time.perf_counter() - started
    started = time.perf_counter()
    proba = model.predict_proba([r["text"][:MAX_TEXT] for r in dev])
    score_s = time.perf_counter() - started
    classes = list(model.classes_)
    scores = [{label: float(p[classes.index(label)]) if label in classes else 0.0 for label in LABELS} for p in proba]
    write_preds(a.out, [r["id"] for r in dev], scores)
    json.dump({"train_s": train_s, "score_s": score_s}, open(a.times, "w"))


def sha256(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def cmd_check_model(a):
    """Exit 0 when the model was trained on this split: same row counts and same bytes of every training file."""
    with zipfile.ZipFile(a.model) as z:
        meta = json.loads(z.read("metadata.json"))
    problems = []
    train, dev = len(read_jsonl(a.train)), len(read_jsonl(a.dev))
    if meta.get("all_rows_count"):
        problems.append(f"model weights trained on all {meta['all_rows_count']} rows, dev included (its dev figures are a twin's)")
    if (meta["train_count"], meta["dev_count"]) != (train, dev):
        problems.append(f"model counts train {meta['train_count']} / dev {meta['dev_count']}, split {train} / {dev}")
    used = set()
    for f in meta["training_files"]:
        name = f["name"]
        path = Path(a.corpus) / name.removeprefix("corpus/") if name.startswith("corpus/") else Path(a.data) / name
        used.add(str(path.resolve()))
        if not path.exists() or sha256(path) != f["sha256"]:
            problems.append(f"{name} differs from {path}")
    for path in sorted(Path(a.corpus).rglob("*.jsonl")):
        if str(path.resolve()) not in used:
            problems.append(f"{path} was not used by the model")
    print(meta["model_version"])
    for p in problems:
        print("  " + p, file=sys.stderr)
    sys.exit(1 if problems else 0)


def decide(scores):
    harmful = 1.0 - scores["benign"]
    if harmful < 0.5:
        return "benign", harmful
    return max(HARMFUL, key=lambda label: (scores[label], label)), harmful


def f1(tp, fp, fn):
    return 0.0 if tp == 0 else 2 * tp / (2 * tp + fp + fn)


def fpr_at_recall(gold_harmful, harmful_scores, target):
    """Threshold = the highest score keeping harmful recall >= target; returns (benign FPR, threshold)."""
    positives = sorted((s for g, s in zip(gold_harmful, harmful_scores) if g), reverse=True)
    if not positives:
        return float("nan"), float("nan")
    needed = max(1, -(-int(round(target * len(positives) * 1e9)) // int(1e9)))  # ceil, robust to float noise
    t = positives[min(needed, len(positives)) - 1]
    negatives = [s for g, s in zip(gold_harmful, harmful_scores) if not g]
    return sum(s >= t for s in negatives) / len(negatives), t


def metrics(dev, preds):
    from sklearn.metrics import average_precision_score

    if [p["id"] for p in preds] != [r["id"] for r in dev]:
        sys.exit("predictions are not in dev order")
    gold = [r["label"] for r in dev]
    decided = [decide(p["scores"]) for p in preds]
    labels = [d[0] for d in decided]
    harmful_scores = [d[1] for d in decided]
    gold_harmful = [g in HARMFUL for g in gold]
    pred_harmful = [p in HARMFUL for p in labels]

    def counts(is_gold, is_pred):
        tp = sum(g and p for g, p in zip(is_gold, is_pred))
        return tp, sum(p and not g for g, p in zip(is_gold, is_pred)), sum(g and not p for g, p in zip(is_gold, is_pred))

    per_label = {}
    for label in LABELS:
        per_label[label] = f1(*counts([g == label for g in gold], [p == label for p in labels]))
    result = {
        "harmful_f1": f1(*counts(gold_harmful, pred_harmful)),
        "macro_f1": sum(per_label.values()) / len(LABELS),
        "f1_per_label": per_label,
        "harmful_pr_auc": float(average_precision_score(gold_harmful, harmful_scores)),
    }
    for target in (0.95, 0.90):
        fpr, t = fpr_at_recall(gold_harmful, harmful_scores, target)
        result[f"benign_fpr_at_recall_{target:.2f}"] = fpr
        result[f"threshold_at_recall_{target:.2f}"] = t
    return result


def cmd_report(a):
    dev = read_jsonl(a.dev)
    systems = json.loads(Path(a.systems).read_text())
    harmful = sum(r["label"] in HARMFUL for r in dev)
    rows = []
    for s in systems:
        m = metrics(dev, read_jsonl(s["preds"]))
        rows.append({k: v for k, v in s.items() if k != "preds"} | m)
    if a.json:
        print(json.dumps({"dev_rows": len(dev), "dev_harmful": harmful, "train_rows": a.train_rows,
                          "decision": "harmful when 1 - P(benign) >= 0.5, then the top harmful label", "systems": rows},
                         indent=2))
        return
    print(f"dev: {len(dev)} rows ({harmful} harmful, {len(dev) - harmful} benign); train: {a.train_rows} rows")
    head = f"{'system':<36} {'harm-F1':>7} {'macroF1':>7} {'PR-AUC':>7} {'FPR@R.95':>8} {'FPR@R.90':>8} {'train s':>8} {'score s':>8}"
    print(head)
    print("-" * len(head))
    for r in rows:
        train_s = f"{r['train_s']:.1f}" if r.get("train_s") is not None else "shipped"
        print(f"{r['system']:<36} {r['harmful_f1']:>7.3f} {r['macro_f1']:>7.3f} {r['harmful_pr_auc']:>7.3f} "
              f"{r['benign_fpr_at_recall_0.95']:>8.3f} {r['benign_fpr_at_recall_0.90']:>8.3f} {train_s:>8} {r['score_s']:>8.2f}")
    print("label per item: harmful when 1 - P(benign) >= 0.5, then the top harmful label (same rule for every system)")
    print("FPR@R = share of benign dev rows flagged at the threshold that keeps that harmful recall")
    for r in rows:
        if r.get("note"):
            print(f"{r['system']}: {r['note']}")


def best_f1_threshold(gold_harmful, scores):
    """The score threshold (rounded down to 4 decimals) with the best harmful F1 over these rows (ContentWatch's WriterFolds)."""
    order = sorted(range(len(scores)), key=lambda i: -scores[i])
    positives = sum(gold_harmful)
    best, best_t, tp = -1.0, 0.5, 0
    for k, i in enumerate(order):
        tp += gold_harmful[i]
        if k + 1 < len(order) and scores[order[k + 1]] == scores[i]:
            continue
        f = 2 * tp / (k + 1 + positives)
        if f > best:
            best, best_t = f, scores[i]
    import math
    return math.floor(best_t * 10_000) / 10_000


def writer_metrics(folds):
    """folds: {writer: [(gold_harmful, harmful_score), ...]} -> per-writer figures with the nested threshold."""
    from sklearn.metrics import average_precision_score

    rows = []
    for writer in sorted(folds):
        others = [x for w, items in folds.items() if w != writer for x in items]
        t = best_f1_threshold([g for g, _ in others], [s for _, s in others])
        own = folds[writer]
        tp = sum(g and s >= t for g, s in own)
        fp = sum((not g) and s >= t for g, s in own)
        fn = sum(g and s < t for g, s in own)
        benign = sum(not g for g, _ in own)
        rows.append({"writer": writer, "count": len(own), "threshold": t, "harmful_f1": f1(tp, fp, fn),
                     "harmful_pr_auc": float(average_precision_score([g for g, _ in own], [s for _, s in own])),
                     "benign_fpr": fp / benign if benign else 0.0})
    return rows


def summary(rows):
    return {"mean_f1": sum(r["harmful_f1"] for r in rows) / len(rows), "worst_f1": min(r["harmful_f1"] for r in rows),
            "mean_pr_auc": sum(r["harmful_pr_auc"] for r in rows) / len(rows), "worst_pr_auc": min(r["harmful_pr_auc"] for r in rows),
            "mean_fpr": sum(r["benign_fpr"] for r in rows) / len(rows), "worst_fpr": max(r["benign_fpr"] for r in rows)}


def cmd_writer_report(a):
    base = Path(a.folds) / "writers"
    fold_dirs = sorted(p.name for p in base.iterdir() if p.is_dir())
    systems = {}
    for system in ("fasttext", "sklearn"):
        folds = {}
        for d in fold_dirs:
            test = read_jsonl(base / d / "test.jsonl")
            preds = read_jsonl(base / d / f"{system}.preds.jsonl")
            if [p["id"] for p in preds] != [r["id"] for r in test]:
                sys.exit(f"{system} predictions for {d} are not in test order")
            # A fold is one writer, or a group of writers (split --writer-groups): figures are per writer either way.
            for r, p in zip(test, preds):
                folds.setdefault(r.get("writer", d), []).append((r["label"] in HARMFUL, 1.0 - p["scores"]["benign"]))
        systems[system] = writer_metrics(folds)
    writers = sorted({r["writer"] for r in systems["sklearn"]})
    with zipfile.ZipFile(a.model) as z:
        meta = json.loads(z.read("metadata.json"))
    lowo = meta.get("leave_one_writer_out")
    if lowo:
        systems = {"contentwatch": [{"writer": w["writer"], "count": w["count"], "threshold": w["threshold"],
                                     "harmful_f1": w["harmful_f1"], "harmful_pr_auc": w["harmful_pr_auc"],
                                     "benign_fpr": w["benign_false_positive_rate"]} for w in lowo["writers"]]} | systems
    names = {"contentwatch": f"ContentWatch {meta['model_version']}", "fasttext": "fastText supervised",
             "sklearn": "sklearn TF-IDF w1-2+cwb2-5 + LogReg"}
    if a.json:
        print(json.dumps({s: {"writers": r, **summary(r)} for s, r in systems.items()}, indent=2))
        return
    print("leave-one-writer-out: each writer scored by a model trained without it; threshold = best harmful F1 on the other writers")
    head = f"{'writer':<10}" + "".join(f" {names[s][:24]:>26}" for s in systems)
    print(head)
    print(f"{'':<10}" + "".join(f" {'F1   PR-AUC  FPR':>26}" for _ in systems))
    for i, w in enumerate(writers):
        line = f"{w:<10}"
        for s, rows in systems.items():
            r = next((x for x in rows if x["writer"] == w), None)
            line += f" {'-':>26}" if r is None else f" {r['harmful_f1']:>10.3f} {r['harmful_pr_auc']:>7.3f} {r['benign_fpr']:>7.3f}"
        print(line)
    for label, key in (("mean", "mean"), ("worst", "worst")):
        line = f"{label:<10}"
        for rows in systems.values():
            m = summary(rows)
            line += f" {m[key + '_f1']:>10.3f} {m[key + '_pr_auc']:>7.3f} {m[key + '_fpr']:>7.3f}"
        print(line)
    if not lowo:
        print(f"{a.model} has no leave-one-writer-out figures (train it with --leave-one-writer-out)")


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = p.add_subparsers(dest="cmd", required=True)
    s = sub.add_parser("fasttext-input")
    s.add_argument("train"), s.add_argument("dev"), s.add_argument("train_txt"), s.add_argument("dev_txt")
    s.set_defaults(fn=cmd_fasttext_input)
    s = sub.add_parser("fasttext-preds")
    s.add_argument("dev"), s.add_argument("raw"), s.add_argument("out")
    s.set_defaults(fn=cmd_fasttext_preds)
    s = sub.add_parser("sklearn")
    s.add_argument("train"), s.add_argument("dev"), s.add_argument("out"), s.add_argument("times")
    s.set_defaults(fn=cmd_sklearn)
    s = sub.add_parser("check-model")
    s.add_argument("model"), s.add_argument("train"), s.add_argument("dev"), s.add_argument("corpus"), s.add_argument("data")
    s.set_defaults(fn=cmd_check_model)
    s = sub.add_parser("report")
    s.add_argument("dev"), s.add_argument("systems"), s.add_argument("--train-rows", type=int, default=0)
    s.add_argument("--json", action="store_true")
    s.set_defaults(fn=cmd_report)
    s = sub.add_parser("writer-report")
    s.add_argument("folds"), s.add_argument("model"), s.add_argument("--json", action="store_true")
    s.set_defaults(fn=cmd_writer_report)
    a = p.parse_args()
    a.fn(a)


if __name__ == "__main__":
    main()
