"""Classification throughput with 1, 2, 4 ... worker processes sharing one SQLite file (see measure-workers.sh).

For each worker count: a fresh data folder; `contentwatch ingest` stores N distinct reports (texts from the team corpus,
each made unique); the items are held under a lease while the workers start (`serve --roles worker`), so no worker
starts early; the hold is lifted at t0, and the time until the last verdict is written (verdict_writes) is measured.
The run also checks that every item has exactly one verdict write. Besides wall-clock time it reports the CPU time the
workers spent per item (from /proc) and the load average, because on a shared machine other work takes cores too.
"""
import argparse
import json
import os
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
import urllib.request
from datetime import datetime, timedelta, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HOLD = "measure-workers-hold"


def iso(t):
    return t.strftime("%Y-%m-%dT%H:%M:%S.") + f"{t.microsecond // 1000:03d}Z"


def parse(text):
    return datetime.strptime(text, "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=timezone.utc)


def write_reports(path, count):
    texts = []
    for f in sorted((ROOT / "models" / "corpus").glob("*.jsonl")):
        texts += [json.loads(line)["text"] for line in f.open(encoding="utf-8") if line.strip()]
    with path.open("w", encoding="utf-8") as out:
        for i in range(count):
            text = f"{texts[i % len(texts)]} (ref {i})"
            out.write(json.dumps({"platform": "measurebook", "url": f"https://measure.example/p/{i}", "text": text}) + "\n")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def cpu_seconds(pid):
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def wait_healthy(port, process, deadline):
    while time.monotonic() < deadline:
        if process.poll() is not None:
            sys.exit(f"worker on port {port} exited with {process.returncode}")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/health", timeout=1) as r:
                if r.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.2)
    sys.exit(f"worker on port {port} did not answer /health")


def run(cli, reports, count, workers, batch_size):
    data = Path(tempfile.mkdtemp(prefix="cw-measure-workers-"))
    db = data / "contentwatch.db"
    env = dict(os.environ, Logging__LogLevel__Default="Warning", Classification__BatchSize=str(batch_size),
               Workers__PollSeconds="1", Classification__ClaimLeaseSeconds="30")
    subprocess.run(["dotnet", cli, "ingest", str(reports), "--data-dir", str(data)], env=env, check=True,
                   stdout=subprocess.DEVNULL)
    with sqlite3.connect(db, timeout=30) as c:
        hold_until = iso(datetime.now(timezone.utc) + timedelta(hours=1))
        c.execute("UPDATE items SET claim_token = ?, claim_until = ? WHERE status = 'pending'", (HOLD, hold_until))
    processes = []
    try:
        for _ in range(workers):
            port = free_port()
            p = subprocess.Popen(["dotnet", cli, "serve", "--roles", "worker", "--urls", f"http://127.0.0.1:{port}",
                                  "--data-dir", str(data)], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            processes.append((port, p))
        deadline = time.monotonic() + 120
        for port, p in processes:
            wait_healthy(port, p, deadline)
        cpu0 = sum(cpu_seconds(p.pid) for _, p in processes)
        with sqlite3.connect(db, timeout=30) as c:
            t0 = datetime.now(timezone.utc)
            c.execute("UPDATE items SET claim_token = NULL, claim_until = NULL WHERE claim_token = ?", (HOLD,))
        deadline = time.monotonic() + 900
        with sqlite3.connect(db, timeout=30) as c:
            while c.execute("SELECT COUNT(*) FROM items WHERE status = 'pending'").fetchone()[0] > 0:
                if time.monotonic() > deadline:
                    sys.exit("classification did not finish within 15 minutes")
                time.sleep(0.2)
            cpu = sum(cpu_seconds(p.pid) for _, p in processes) - cpu0
            last, = c.execute("SELECT MAX(written_at) FROM verdict_writes").fetchone()
            writes, items, claims = c.execute(
                "SELECT COUNT(*), COUNT(DISTINCT item_id), COUNT(DISTINCT claim_token) FROM verdict_writes").fetchone()
        if writes != count or items != count:
            sys.exit(f"{workers} workers: {writes} verdict writes for {items} items, expected exactly one for each of {count}")
        seconds = (parse(last) - t0).total_seconds()
        return seconds, cpu, claims
    finally:
        for _, p in processes:
            p.terminate()
        for _, p in processes:
            p.wait()
        subprocess.run(["rm", "-rf", str(data)], check=False)


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("cli", help="path of contentwatch.dll")
    parser.add_argument("--items", type=int, default=30_000)
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2, 4])
    parser.add_argument("--batch-size", type=int, default=256)
    args = parser.parse_args()
    reports = Path(tempfile.mkdtemp(prefix="cw-measure-reports-")) / "reports.jsonl"
    write_reports(reports, args.items)
    print(f"{args.items:,} pending items, one SQLite file, batch size {args.batch_size}, {os.cpu_count()} cores")
    print(f"{'workers':>7}  {'seconds':>8}  {'items/s':>8}  {'speed-up':>8}  {'CPU ms/item':>11}  {'claims':>6}  {'load avg':>8}")
    base = None
    for n in args.workers:
        load = os.getloadavg()[0]
        seconds, cpu, claims = run(args.cli, reports, args.items, n, args.batch_size)
        rate = args.items / seconds
        base = base or rate
        print(f"{n:>7}  {seconds:>8.1f}  {rate:>8,.0f}  {rate / base:>7.2f}x  {cpu * 1000 / args.items:>11.2f}  {claims:>6}  {load:>8.1f}",
              flush=True)
    reports.unlink()


if __name__ == "__main__":
    main()
