#!/usr/bin/python3
"""Checks corpus v2 files (models/corpus/v2/*.jsonl): schema, ids, genres, lengths, languages, duplicates.

usage: scripts/corpus-check.py FILE [FILE ...]     exit 1 on any error; prints counts per label, genre and language
"""
import collections
import json
import re
import sys

LABELS = {"smuggling_service", "document_fraud", "fake_job_offer", "benign"}
KINDS = {"post", "job_ad", "comment", "message"}
HARMFUL_GENRES = {
    "route_headline", "safety_guarantee", "testimonial", "escrow_payment", "price_list", "agency_taxi",
    "chat_reply", "danger_downplay", "code_words", "document_offer", "scam_compound", "fee_first_seasonal",
    "job_lure", "logistics_dm", "task_scam", "certificate",
}
BENIGN_GENRES = {
    "news_court", "ngo_warning", "licensed_service", "genuine_travel", "genuine_recruitment",
    "private_classified", "family_talk", "scam_question", "everyday", "help_question", "official_info",
}


def words(text):
    return len(text.split())


def main(paths):
    errors, seen_ids, seen_texts = [], set(), {}
    rows = []
    for path in paths:
        with open(path, encoding="utf-8") as f:
            for n, line in enumerate(f, 1):
                where = f"{path}:{n}"
                if not line.strip():
                    errors.append(f"{where}: empty line")
                    continue
                try:
                    r = json.loads(line)
                except json.JSONDecodeError as e:
                    errors.append(f"{where}: not JSON ({e})")
                    continue
                missing = [k for k in ("id", "kind", "lang", "text", "label", "genre", "writer") if not r.get(k)]
                if missing:
                    errors.append(f"{where}: missing {missing}")
                    continue
                if not re.fullmatch(re.escape(f"{r['writer']}-{r['lang']}-") + r"\d{4}", r["id"]):
                    errors.append(f"{where}: id {r['id']!r} is not writer-lang-nnnn")
                if r["id"] in seen_ids:
                    errors.append(f"{where}: duplicate id {r['id']}")
                seen_ids.add(r["id"])
                if r["label"] not in LABELS:
                    errors.append(f"{where}: label {r['label']!r}")
                if r["kind"] not in KINDS:
                    errors.append(f"{where}: kind {r['kind']!r}")
                genres = HARMFUL_GENRES if r["label"] != "benign" else BENIGN_GENRES
                if r["genre"] not in genres:
                    errors.append(f"{where}: genre {r['genre']!r} not allowed for {r['label']}")
                key = re.sub(r"\W+", " ", r["text"].lower()).strip()
                if key in seen_texts:
                    errors.append(f"{where}: same text as {seen_texts[key]}")
                seen_texts[key] = r["id"]
                rows.append(r)
    harmful = [r for r in rows if r["label"] != "benign"]
    benign = [r for r in rows if r["label"] == "benign"]
    short_h = sum(words(r["text"]) <= 12 for r in harmful)
    short_b = sum(words(r["text"]) <= 12 for r in benign)
    print(f"{len(rows)} items: {len(harmful)} harmful, {len(benign)} benign")
    if harmful:
        print(f"harmful with <= 12 words: {short_h} ({short_h / len(harmful):.0%})")
    if benign:
        print(f"benign with <= 12 words: {short_b} ({short_b / len(benign):.0%})")
    print("labels:", dict(collections.Counter(r["label"] for r in rows)))
    print("genres:", dict(collections.Counter(r["genre"] for r in rows).most_common()))
    print("writers:", dict(collections.Counter(r["writer"] for r in rows)))
    langs = collections.Counter(r["lang"] for r in rows)
    print(f"{len(langs)} languages:", dict(langs.most_common()))
    for e in errors[:50]:
        print("ERROR", e)
    if errors:
        print(f"{len(errors)} errors")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
