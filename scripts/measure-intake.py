#!/usr/bin/env python3
"""Measures a running ContentWatch: reports/s through POST /api/reports in batches, and seconds from report to verdict.

usage: measure-intake.py BASE_URL ADMIN_KEY [--batches N] [--batch-size N] [--clients N]
Standard library only. Every report gets a unique URL and text, so none is a duplicate.
"""
import argparse, concurrent.futures, json, statistics, time, urllib.request, uuid

def call(base, key, method, path, body=None):
    data = None if body is None else json.dumps(body).encode()
    req = urllib.request.Request(base + path, data=data, method=method,
                                 headers={"Authorization": "Bearer " + key, "Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=120) as r:
        return r.status, json.loads(r.read() or b"null")

TEXTS = [
    "Boat to UK from Calais every night, 1500 euro, guaranteed arrival, WhatsApp +44 7700 900{n:03d}",
    "Real passports and visas, registered in the system, delivery in 7 days. Telegram @docs{n}",
    "Farm work in Canada, visa guaranteed, pay 350 USD processing fee first, salary 4000 USD. Ref {n}",
    "Lovely afternoon at the beach with the family, the kids built a sandcastle number {n}",
    "City council announces new bus timetable for line {n} starting next Monday",
]

def batch(tag, size):
    return [{"platform": "measure", "url": f"https://measure.example/{tag}/{i}",
             "text": TEXTS[i % len(TEXTS)].format(n=i) + f" [{tag}-{i}]"} for i in range(size)]

def main():
    p = argparse.ArgumentParser()
    p.add_argument("base"); p.add_argument("key")
    p.add_argument("--batches", type=int, default=50); p.add_argument("--batch-size", type=int, default=1000)
    p.add_argument("--clients", type=int, default=2)
    a = p.parse_args()
    bodies = [batch(uuid.uuid4().hex, a.batch_size) for _ in range(a.batches)]
    started = time.perf_counter()
    with concurrent.futures.ThreadPoolExecutor(a.clients) as pool:
        statuses = list(pool.map(lambda b: call(a.base, a.key, "POST", "/api/reports", b)[0], bodies))
    elapsed = time.perf_counter() - started
    assert all(s == 202 for s in statuses), statuses
    total = a.batches * a.batch_size
    print(f"intake: {total} reports in {a.batches} batches of {a.batch_size} from {a.clients} clients: "
          f"{elapsed:.2f} s, {total / elapsed:,.0f} reports/s")
    deadline = time.time() + 600
    while call(a.base, a.key, "GET", "/api/items?status=pending&limit=1")[1]["items"]:
        assert time.time() < deadline, "classification did not finish in 10 minutes"
        time.sleep(0.05)
    drained = time.perf_counter() - started
    print(f"backlog: all {total} classified {drained:.2f} s after the first POST ({total / drained:,.0f} items/s end to end)")
    latencies = []
    for i in range(20):
        _, body = call(a.base, a.key, "POST", "/api/reports", batch(uuid.uuid4().hex, 1))
        item_id = body["items"][0]["id"]
        t0 = time.perf_counter()
        while call(a.base, a.key, "GET", f"/api/items/{item_id}")[1]["status"] == "pending":
            time.sleep(0.005)
        latencies.append(time.perf_counter() - t0)
    print(f"report to verdict (single reports, idle service, n=20): median {statistics.median(latencies):.3f} s, "
          f"max {max(latencies):.3f} s")

if __name__ == "__main__":
    main()
