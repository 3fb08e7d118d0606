#!/usr/bin/env python3
"""Benchmark: launch to first interactive frame, peak RSS and idle CPU of the attract screen.

Runs the real `python -m kiosk` under a private Xvfb, five times (median):
startup = process spawn until the app reports its first frame; then the app
sits on the attract screen for IDLE_SECONDS and we read its CPU time and peak
RSS (VmHWM) from /proc. The platform is the sandbox as its own process on loopback, as a
real terminal talks to a remote platform (`embedded`, the demo default, would put the
sandbox server inside the kiosk process). Prints figures; asserts nothing.
"""
from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests" / "platform")]
RUNS = int(os.environ.get("BENCH_RUNS", "5"))
IDLE_SECONDS = float(os.environ.get("BENCH_IDLE_SECONDS", "30"))
TICK = os.sysconf("SC_CLK_TCK")
SETTLE = float(os.environ.get("BENCH_SETTLE_SECONDS", "10"))


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICK  # utime + stime


def peak_rss_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def one_run(env: dict) -> tuple[float, float, float]:
    start = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-m", "kiosk", "--bench-first-frame"], cwd=ROOT, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    try:
        for line in proc.stdout:
            if line.startswith("FIRST_FRAME"):
                break
        startup = time.perf_counter() - start
        time.sleep(SETTLE)  # screens built after the first frame, the search index: start-up, not idle
        cpu0, t0 = cpu_seconds(proc.pid), time.perf_counter()
        time.sleep(IDLE_SECONDS)
        idle = (cpu_seconds(proc.pid) - cpu0) / (time.perf_counter() - t0) * 100
        rss = peak_rss_mib(proc.pid)
    finally:
        proc.terminate()
        proc.wait(10)
    return startup, rss, idle


def main() -> dict:
    import tempfile
    from sandbox.testing import Sandbox
    from screens.tour.driver import start_xvfb
    xvfb = start_xvfb()
    tmp = Path(tempfile.mkdtemp(prefix="bench-startup-"))
    sandbox = Sandbox(tmp).start()
    env = {**os.environ, "KIOSK__LOGGING__LEVEL": '"WARNING"', "KIOSK__PLATFORM__URL": f'"{sandbox.url}"',
           "KIOSK__KIOSK__STATE_DIR": f'"{tmp / "state"}"'}
    try:
        runs = [one_run(env) for _ in range(RUNS)]
    finally:
        sandbox.stop()
        xvfb.terminate()
    startup, rss, idle = (statistics.median(col) for col in zip(*runs))
    figures = {
        "startup_s": round(startup, 3),
        "peak_rss_mib": round(rss, 1),
        "idle_cpu_percent": round(idle, 2),
    }
    print(f"launch to first interactive frame (Xvfb, 1080x1920, median of {RUNS}): {startup:.3f} s  (budget <= 1.5 s)")
    print(f"peak RSS: {rss:.1f} MiB  (budget <= 250 MiB)")
    print(f"idle CPU on the attract screen over {IDLE_SECONDS:.0f} s, from {SETTLE:.0f} s after the first frame: "
          f"{idle:.2f} % of one core  (budget <= 2 %)")
    return figures


if __name__ == "__main__":
    main()
