#!/usr/bin/env python3
"""The learning loop's figures on two running nodes (measure-loop.sh starts them).

1. Corpus v2 items posted in batches of 500 and classified by the active model (after a warm-up round): wall time, and
   CPU per item of both node processes, intake and storage included.
2. A shadow model (the shipped model under another version: the same size, so a real second pass) imported with
   `contentwatch models import` and put in shadow through the API: seconds until each node scores with it.
3. Rounds with and without the shadow, alternating (with, retired, without, shadow again, with): the shadow's CPU per
   item is the difference of the means.
4. `contentwatch models promote`: the promotion gate's run (golden set, held-out decisions) and seconds until each
   node scores with the new active model, without a restart.
5. A rescore of everything with the new model through the API's Hangfire jobs: wall time and items per second.
Standard library only.
"""
import argparse, json, os, subprocess, sys, tempfile, time, urllib.request, uuid, zipfile

def call(base, key, method, path, body=None):
    data = None if body is None else json.dumps(body).encode()
    req = urllib.request.Request(base + path, data=data, method=method,
                                 headers={"Authorization": "Bearer " + key, "Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=300) as r:
        return r.status, json.loads(r.read() or b"null")

def cpu_seconds(pid):
    """User + system CPU of a process and its children that are still running (the dotnet server)."""
    total = 0.0
    for p in [pid] + children(pid):
        try:
            fields = open(f"/proc/{p}/stat").read().rsplit(")", 1)[1].split()
            total += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
        except FileNotFoundError:
            pass
    return total

def children(pid):
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                if open(f"/proc/{entry}/stat").read().rsplit(")", 1)[1].split()[1] == str(pid):
                    found += [int(entry)] + children(int(entry))
            except (FileNotFoundError, IndexError):
                pass
    return found

def corpus(folder, skip, count):
    texts = []
    for name in sorted(os.listdir(folder)):
        for line in open(os.path.join(folder, name), encoding="utf-8"):
            texts.append(json.loads(line)["text"])
    texts = texts[skip::6]
    return texts[:count]

def post(base, key, texts, size=500):
    for start in range(0, len(texts), size):
        chunk = [{"platform": "loop", "url": f"https://loop.example/{uuid.uuid4().hex}", "text": t} for t in texts[start:start + size]]
        status, _ = call(base, key, "POST", "/api/reports", chunk)
        assert status == 202, status

def drain(base, key, timeout=1800):
    deadline = time.time() + timeout
    while call(base, key, "GET", "/api/items?status=pending&limit=1")[1]["items"]:
        assert time.time() < deadline, "classification did not finish"
        time.sleep(0.05)

def classify_round(nodes, key, texts, label):
    before = [cpu_seconds(pid) for _, pid in nodes]
    t0 = time.perf_counter()
    post(nodes[0][0], key, texts)
    drain(nodes[0][0], key)
    wall = time.perf_counter() - t0
    cpu = sum(cpu_seconds(pid) for _, pid in nodes) - sum(before)
    print(f"{label}: {len(texts)} items classified in {wall:.1f} s wall, {cpu:.1f} s CPU on both nodes "
          f"({1000 * cpu / len(texts):.2f} ms CPU per item, intake and storage included)")
    return cpu / len(texts)

def until_both(nodes, which, model_id, t0, timeout=120):
    reached = {}
    while len(reached) < len(nodes):
        assert time.perf_counter() - t0 < timeout, f"{which} {model_id} did not reach every node"
        for base, _ in nodes:
            if base not in reached:
                with urllib.request.urlopen(base + "/health", timeout=10) as r:
                    if json.loads(r.read())["models"][which] == model_id:
                        reached[base] = time.perf_counter() - t0
        time.sleep(0.05)
    return [reached[base] for base, _ in nodes]

def copy_model(model, version, folder):
    path = os.path.join(folder, version + ".zip")
    with zipfile.ZipFile(model) as source, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "metadata.json":
                metadata = json.loads(data)
                metadata["model_version"] = version
                data = json.dumps(metadata).encode()
            target.writestr(item, data)
    return path

def cli(args, data):
    t0 = time.perf_counter()
    done = subprocess.run(args + ["--data-dir", data], capture_output=True, text=True)
    return done, time.perf_counter() - t0

def main():
    p = argparse.ArgumentParser()
    p.add_argument("--key", required=True); p.add_argument("--data", required=True); p.add_argument("--work", required=True)
    p.add_argument("--cli", required=True); p.add_argument("--node", action="append", required=True)
    p.add_argument("--corpus", required=True); p.add_argument("--model", required=True)
    p.add_argument("--items", type=int, default=2000)  # 6 rounds of at most 13,787 / 6 = 2,297 distinct corpus v2 items
    a = p.parse_args()
    nodes = [(n.split("=")[0], int(n.split("=")[1])) for n in a.node]
    base, key = nodes[0][0], a.key
    print(f"load average at start: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    started = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(time.time() - 60))

    classify_round(nodes, key, corpus(a.corpus, 0, a.items // 2), "warm-up (not counted)")
    plain = [classify_round(nodes, key, corpus(a.corpus, 1, a.items), "without a shadow")]

    shadow_id = "cw-measure-shadow-" + uuid.uuid4().hex[:7]
    done, seconds = cli([a.cli, "models", "import", copy_model(a.model, shadow_id, a.work)], a.data)
    assert done.returncode == 0, done.stderr
    print(f"models import (7 MB file, golden set scored): {seconds:.1f} s")
    shadowed = []
    for round_ in range(2):
        t0 = time.perf_counter()
        status, _ = call(base, key, "POST", f"/api/models/{shadow_id}/shadow")
        assert status == 200
        print("shadow reached the nodes after " + ", ".join(f"{s:.1f} s" for s in until_both(nodes, "shadow", shadow_id, t0)))
        shadowed.append(classify_round(nodes, key, corpus(a.corpus, 2 + 2 * round_, a.items), "with a shadow"))
        if round_ == 0:
            status, _ = call(base, key, "POST", f"/api/models/{shadow_id}/retire")
            assert status == 200
            until_both(nodes, "shadow", None, time.perf_counter())
            plain.append(classify_round(nodes, key, corpus(a.corpus, 3, a.items), "without a shadow"))

    overhead = sum(shadowed) / len(shadowed) - sum(plain) / len(plain)
    print(f"shadow overhead: {1000 * overhead:.2f} ms CPU per item, {100 * overhead / (sum(plain) / len(plain)):.0f} % of an item's whole cost "
          f"(mean of {len(shadowed)} rounds with against {len(plain)} without)")
    _, report = call(base, key, "GET", f"/api/models/{shadow_id}/shadow-report")
    print(f"shadow report: {report['compared']} compared, agreement {report['agreement']}")

    done, seconds = cli([a.cli, "models", "promote", shadow_id], a.data)
    assert done.returncode == 0, done.stdout + done.stderr
    t0 = time.perf_counter()
    print(f"models promote (the gate on the golden set and held-out decisions): {seconds:.1f} s")
    print("activation reached the nodes after " + ", ".join(f"{s:.1f} s" for s in until_both(nodes, "active", shadow_id, t0))
          + " (Models:PollSeconds 10)")

    t0 = time.perf_counter()
    status, run = call(base, key, "POST", f"/api/models/{shadow_id}/rescore", {"since": started, "includeDismissed": True})
    assert status == 202
    while not run["finished"]:
        time.sleep(0.2)
        _, run = call(base, key, "GET", f"/api/rescores/{run['id']}")
    seconds = time.perf_counter() - t0
    print(f"rescore: {run['total']} items in {run['batches']} batches, {seconds:.1f} s ({run['total'] / seconds:,.0f} items/s): {run['outcomes']}")
    print(f"load average at the end: {os.getloadavg()[0]:.1f}")

if __name__ == "__main__":
    main()
