#!/usr/bin/python3
"""Builds the speed-test items for scripts/speed.sh from the team corpus (models/corpus, 20 languages).

  speed.py items CORPUS_DIR COUNT OUT.jsonl OUT.txt   COUNT items as {"id","text"} JSONL and as fastText input lines
  speed.py rate LABEL ITEMS WALL_S [START_S]          prints one "items/s" line (START_S = start-up cost subtracted)

Beyond the corpus size, copies are varied with a fixed seed (digits shifted, two words swapped, a reference number
appended, sometimes upper-cased) so no two lines are the same text. The fastText lines get the same preprocessing
as in scripts/baselines.py.
"""
import json
import random
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from baselines import fasttext_line  # noqa: E402


def vary(text, rnd, r):
    text = "".join(chr(48 + (ord(c) - 48 + r) % 10) if "0" <= c <= "9" else c for c in text)
    words = text.split(" ")
    if len(words) > 3:
        i, j = rnd.randrange(len(words)), rnd.randrange(len(words))
        words[i], words[j] = words[j], words[i]
    text = " ".join(words) + f" ref {rnd.randrange(10**6)}"
    return text.upper() if rnd.random() < 0.1 else text


def items(corpus, count, out_jsonl, out_txt):
    texts = [json.loads(line)["text"] for path in sorted(Path(corpus).glob("*.jsonl"))
             for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    rnd = random.Random(1)
    order = list(range(len(texts)))
    rnd.shuffle(order)
    seen = set()
    with open(out_jsonl, "w", encoding="utf-8") as j, open(out_txt, "w", encoding="utf-8") as t:
        for i in range(count):
            r = i // len(texts)
            text = texts[order[i % len(texts)]]
            text = text if r == 0 else vary(text, rnd, r)
            while text in seen:
                text = vary(text, rnd, r + 1)
            seen.add(text)
            j.write(json.dumps({"id": i, "text": text}, ensure_ascii=False) + "\n")
            t.write(fasttext_line(text) + "\n")


def rate(label, count, wall, start=0.0):
    count, wall, start = int(count), float(wall), float(start)
    net = wall - start
    print(f"{label:<14} {count:>8,} items in {wall:7.2f} s wall = {count / wall:>9,.0f} items/s;"
          f"  without start-up/model load ({start:.2f} s): {count / net:>9,.0f} items/s")


if __name__ == "__main__":
    if len(sys.argv) == 6 and sys.argv[1] == "items":
        items(sys.argv[2], int(sys.argv[3]), sys.argv[4], sys.argv[5])
    elif len(sys.argv) in (5, 6) and sys.argv[1] == "rate":
        rate(*sys.argv[2:])
    else:
        sys.exit(__doc__)
