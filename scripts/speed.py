#!/usr/bin/python3
"""Builds the speed-test items for scripts/speed.sh from the team corpus (models/corpus, 20 languages).

  speed.py items CORPUS_DIR COUNT OUT.jsonl OUT.txt   COUNT items as {"id","text"} JSONL and as fastText input lines
  speed.py rate COUNT CW.time CW1.time FT.time FT1.time  items/s for both tools from GNU time files ("%e %U %S"),
                                                       the *1 files being the one-item (start-up) runs

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


def rate(count, cw, cw1, ft, ft1):
    """Items/s per wall and per CPU second for both tools, with and without the one-item start-up run, and the ratio."""
    count = int(count)
    cw, cw1, ft, ft1 = ([float(x) for x in Path(p).read_text().split()[-3:]] for p in (cw, cw1, ft, ft1))

    def line(label, full, one):
        wall, cpu = full[0], full[1] + full[2]
        wall1, cpu1 = one[0], one[1] + one[2]
        print(f"{label:<13} {count:,} items: {wall:7.2f} s wall, {cpu:7.2f} s CPU  -> {count / wall:8,.0f} items/s wall, "
              f"{count / cpu:8,.0f} items/CPU-s; start-up + model load {wall1:.2f} s wall / {cpu1:.2f} s CPU, "
              f"without it {count / max(wall - wall1, 1e-9):8,.0f} items/s wall, {count / max(cpu - cpu1, 1e-9):8,.0f} items/CPU-s")
        return count / wall, count / cpu, count / max(cpu - cpu1, 1e-9)

    c = line("ContentWatch", cw, cw1)
    f = line("fastText", ft, ft1)
    print(f"ratio ContentWatch / fastText: {c[0] / f[0]:.2f} (items/s wall), {c[1] / f[1]:.2f} (items/CPU-s), "
          f"{c[2] / f[2]:.2f} (items/CPU-s without start-up); above 1 means ContentWatch is faster")


if __name__ == "__main__":
    if len(sys.argv) == 6 and sys.argv[1] == "items":
        items(sys.argv[2], int(sys.argv[3]), sys.argv[4], sys.argv[5])
    elif len(sys.argv) == 7 and sys.argv[1] == "rate":
        rate(*sys.argv[2:])
    else:
        sys.exit(__doc__)
