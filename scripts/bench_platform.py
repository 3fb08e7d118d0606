#!/usr/bin/env python3
"""Benchmark of the platform sandbox and client on loopback.

Prints (median of RUNS runs):
- commitment submissions per second the sandbox sustains (budget >= 200/s),
  several client threads submitting distinct letters, each with its own key;
- the client's per-call overhead (budget <= 5 ms): time in PlatformClient
  (signing, idempotency, JSON, contract checks, typed results) outside the
  HTTP exchange itself, for a case lookup; the full round trip is shown too.

Usage: .venv/bin/python scripts/bench_platform.py [--runs 3] [--letters 300] [--threads 4]
"""
from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from requests.adapters import HTTPAdapter

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from kiosk.platform.client import new_idempotency_key  # noqa: E402
from sandbox.testing import Sandbox, letter


class TimedAdapter(HTTPAdapter):
    """Accumulates the time spent in the HTTP exchange (per thread)."""

    local = threading.local()

    def send(self, *a, **kw):
        start = time.perf_counter()
        try:
            return super().send(*a, **kw)
        finally:
            self.local.wire = getattr(self.local, "wire", 0.0) + time.perf_counter() - start


def submissions_per_second(sandbox: Sandbox, n: int, threads: int) -> float:
    clients = [sandbox.enrolled_client(f"TJ-BENCH-{i}") for i in range(threads)]
    letters = [letter() for _ in range(n)]
    for c in clients:                                      # warm the connections
        c.health()

    def work(i: int):
        clients[i % threads].submit_commitment(letters[i], new_idempotency_key())
    start = time.perf_counter()
    with ThreadPoolExecutor(threads) as pool:
        list(pool.map(work, range(n)))
    return n / (time.perf_counter() - start)


def client_overhead(sandbox: Sandbox, calls: int) -> tuple[float, float]:
    client = sandbox.enrolled_client("TJ-BENCH-OVERHEAD")
    client.session.mount("http://", TimedAdapter())
    number = client.submit_commitment(letter(), new_idempotency_key()).case_number
    totals, overheads = [], []
    for _ in range(calls):
        TimedAdapter.local.wire = 0.0
        start = time.perf_counter()
        client.case(number)
        total = time.perf_counter() - start
        totals.append(total)
        overheads.append(total - TimedAdapter.local.wire)
    return statistics.median(overheads) * 1000, statistics.median(totals) * 1000


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--runs", type=int, default=3)
    p.add_argument("--letters", type=int, default=300)
    p.add_argument("--threads", type=int, default=4)
    p.add_argument("--calls", type=int, default=200)
    a = p.parse_args()
    rates, overheads, round_trips = [], [], []
    with tempfile.TemporaryDirectory() as tmp:
        sandbox = Sandbox(Path(tmp)).start()
        try:
            for run in range(a.runs):
                rates.append(submissions_per_second(sandbox, a.letters, a.threads))
                o, t = client_overhead(sandbox, a.calls)
                overheads.append(o)
                round_trips.append(t)
                print(f"run {run + 1}: {rates[-1]:.0f} submissions/s, client overhead {o:.2f} ms "
                      f"(round trip {t:.2f} ms)", flush=True)
        finally:
            sandbox.stop()
    rate, overhead = statistics.median(rates), statistics.median(overheads)
    print(f"commitment submissions/s (median of {a.runs}): {rate:.0f}  (budget >= 200) "
          f"{'OK' if rate >= 200 else 'OVER BUDGET'}")
    print(f"client per-call overhead (median of {a.runs}): {overhead:.2f} ms  (budget <= 5 ms) "
          f"{'OK' if overhead <= 5 else 'OVER BUDGET'}; round trip {statistics.median(round_trips):.2f} ms")
    return 0 if rate >= 200 and overhead <= 5 else 1


if __name__ == "__main__":
    sys.exit(main())
