#!/usr/bin/env python3
"""Load test of the fleet endpoints: N simulated terminals poll the signed config
repository and send signed heartbeats to the sandbox, on loopback only.

    .venv/bin/python scripts/load_fleet.py --terminals 1000 --seconds 30 --interval 10

Starts its own sandbox (`python -m sandbox`, temporary database and repository,
127.0.0.1, a free port), creates a signed repository with one bundle, enrolls
the terminals, then for `--seconds` each terminal, at a random phase, every
`--interval` seconds: polls like an up-to-date ngclient (GET the next root
version, 404, and timestamp.json) and sends one heartbeat (RFC 9421-signed
POST, kiosk.platform.client's signer). Real terminals use 900 s / 60 s; the interval is
compressed to make the load visible. Prints p50/p99 latency per request kind,
the achieved request rate and the sandbox process's CPU (from /proc). Stops by
itself: the run is bounded by --seconds plus a fixed grace period.
"""
from __future__ import annotations

import argparse
import json
import os
import random
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from kiosk.tools.kioskctl.repository import ConfigRepository  # noqa: E402
from kiosk.platform.client import PlatformClient
from kiosk.platform.signing import DeviceCredential, MessageSignatureAuth  # noqa: E402

ADMIN = "load-fleet-admin"
GRACE = 20.0


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def start_sandbox(tmp: Path) -> tuple[subprocess.Popen, str, Path]:
    port, repo = free_port(), tmp / "repo"
    repo.mkdir()
    proc = subprocess.Popen([sys.executable, "-m", "sandbox", "--host", "127.0.0.1", "--port", str(port),
                             "--db", str(tmp / "sandbox.db"), "--repo-dir", str(repo), "--admin-token", ADMIN],
                            cwd=ROOT, stdout=subprocess.DEVNULL, stderr=open(tmp / "sandbox.log", "wb"))
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        try:
            if requests.get(url + "/api/v1/health", timeout=1).ok:
                return proc, url, repo
        except requests.ConnectionError:
            time.sleep(0.1)
    proc.kill()
    raise SystemExit("sandbox did not start")


def enroll(url: str, n: int) -> list[DeviceCredential]:
    def one(i: int) -> DeviceCredential:
        r = requests.post(url + "/admin/v1/enrollment-tokens", json={}, timeout=10,
                          headers={"Authorization": f"Bearer {ADMIN}"})
        client = PlatformClient(url)
        return client.enroll(r.json()["enrollment_token"], f"TJ-LOAD-{i:05d}")
    with ThreadPoolExecutor(8) as pool:
        return list(pool.map(one, range(n)))


def percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    values = sorted(values)
    return values[min(len(values) - 1, int(q * len(values)))]


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--terminals", type=int, default=1000)
    p.add_argument("--seconds", type=float, default=30.0, help="length of the measured run (max 300)")
    p.add_argument("--interval", type=float, default=10.0, help="seconds between a terminal's cycles")
    p.add_argument("--workers", type=int, default=16, help="client threads")
    p.add_argument("--json", action="store_true")
    a = p.parse_args(argv)
    a.seconds = min(a.seconds, 300.0)
    hard_stop = time.monotonic() + a.seconds + GRACE + 120      # enrollment included: never runs away
    with tempfile.TemporaryDirectory(prefix="load-fleet-") as tmpdir:
        tmp = Path(tmpdir)
        proc, url, repo_dir = start_sandbox(tmp)
        try:
            repo = ConfigRepository(repo_dir, tmp / "keys")
            repo.init()
            bundle = tmp / "bundle"
            bundle.mkdir()
            (bundle / "settings.toml").write_text("[display]\nmaxfps = 20\n")
            repo.publish(bundle)
            t0 = time.monotonic()
            creds = enroll(url, a.terminals)
            print(f"enrolled {len(creds)} terminals in {time.monotonic() - t0:.1f} s", file=sys.stderr)
            lat: dict[str, list[float]] = {"poll": [], "heartbeat": []}
            errors = {"poll": 0, "heartbeat": 0}
            lock = threading.Lock()
            start = time.monotonic() + 1.0
            end = start + a.seconds
            meta = url + "/api/v1/config-repo/metadata/"
            body = json.dumps({"app_version": "0.1.0", "config_version": 2, "uptime_seconds": 100,
                               "outbox_depth": 0, "devices": {"printer": {"status": "ok", "reason": ""}},
                               "acked_commands": [], "command_results": [], "last_error": "",
                               "clock_offset_seconds": 0.0, "maintenance": False,
                               "config": {"outcome": "up-to-date", "version": 2}}).encode()

            def worker(w: int) -> None:
                session = requests.Session()
                session.trust_env = False
                mine = [(i, MessageSignatureAuth(c)) for i, c in enumerate(creds) if i % a.workers == w]
                events = sorted((start + random.uniform(0, a.interval) + k * a.interval, auth)
                                for _i, auth in mine for k in range(int(a.seconds / a.interval) + 1))
                for due, auth in events:
                    if due >= end or time.monotonic() > hard_stop:
                        break
                    delay = due - time.monotonic()
                    if delay > 0:
                        time.sleep(delay)
                    for kind in ("poll", "heartbeat"):
                        t = time.perf_counter()
                        try:
                            if kind == "poll":
                                r1 = session.get(meta + "2.root.json", timeout=10)
                                r2 = session.get(meta + "timestamp.json", timeout=10)
                                ok = r1.status_code == 404 and r2.status_code == 200
                            else:
                                r = session.post(url + "/api/v1/devices/heartbeat", data=body, timeout=10,
                                                 headers={"Content-Type": "application/json"}, auth=auth)
                                ok = r.status_code == 200
                        except requests.RequestException:
                            ok = False
                        took = (time.perf_counter() - t) * 1000
                        with lock:
                            if ok:
                                lat[kind].append(took)
                            else:
                                errors[kind] += 1

            cpu0, wall0 = cpu_seconds(proc.pid), time.monotonic()
            threads = [threading.Thread(target=worker, args=(w,), daemon=True) for w in range(a.workers)]
            for t in threads:
                t.start()
            for t in threads:
                t.join(max(0.0, end + GRACE - time.monotonic()))
            cpu = (cpu_seconds(proc.pid) - cpu0) / (time.monotonic() - wall0) * 100
            wall = time.monotonic() - wall0
            result = {"terminals": a.terminals, "seconds": a.seconds, "interval": a.interval,
                      "server_cpu_percent_of_one_core": round(cpu, 1),
                      "requests_per_second": round((len(lat["poll"]) * 2 + len(lat["heartbeat"])) / wall, 1)}
            for kind, values in lat.items():
                result[kind] = {"count": len(values), "errors": errors[kind],
                                "p50_ms": round(percentile(values, 0.5), 1),
                                "p99_ms": round(percentile(values, 0.99), 1),
                                "mean_ms": round(statistics.fmean(values), 1) if values else None}
        finally:
            proc.send_signal(signal.SIGTERM)
            try:
                proc.wait(10)
            except subprocess.TimeoutExpired:
                proc.kill()
    if a.json:
        print(json.dumps(result, indent=2))
    else:
        print(f"{a.terminals} terminals, {a.seconds:g} s, one poll + one heartbeat per terminal every "
              f"{a.interval:g} s ({result['requests_per_second']} req/s achieved)")
        for kind in ("poll", "heartbeat"):
            r = result[kind]
            print(f"  {kind:<10} n={r['count']:<6} errors={r['errors']:<4} p50={r['p50_ms']} ms  p99={r['p99_ms']} ms")
        print(f"  sandbox CPU: {result['server_cpu_percent_of_one_core']} % of one core")
    return 0


if __name__ == "__main__":
    sys.exit(main())
