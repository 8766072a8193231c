import sys, json, os
label = sys.argv[1]
pre = {"smuggling_service": "smg", "document_fraud": "doc", "fake_job_offer": "job", "benign": "ben"}[label]
fn = os.path.join(os.path.dirname(os.path.abspath(__file__)), label + ".jsonl")
cnt = {}
if os.path.exists(fn):
    for l in open(fn, encoding="utf-8"):
        o = json.loads(l); k = o["lang"]
        cnt[k] = max(cnt.get(k, 0), int(o["id"].rsplit("-", 1)[1]))
items = []; cur = None
for line in sys.stdin.read().split("\n"):
    if line.startswith("§§"):
        if cur: items.append(cur)
        k, lg, st = line[2:].strip().split("|"); cur = [k, lg, st, []]
    elif cur is not None:
        cur[3].append(line)
if cur: items.append(cur)
with open(fn, "a", encoding="utf-8") as f:
    for k, lg, st, t in items:
        assert k in ("post", "job_ad", "comment"), k
        t = "\n".join(t).strip(); assert t
        cnt[lg] = cnt.get(lg, 0) + 1
        f.write(json.dumps({"id": f"{pre}-{lg}-{cnt[lg]:04d}", "kind": k, "lang": lg, "text": t, "label": label, "subtype": st}, ensure_ascii=False) + "\n")
print(label, "added", len(items), "total", sum(1 for _ in open(fn, encoding="utf-8")))
