#!/usr/bin/env python3
"""Soak: N simulated citizen sessions through the real app under a private Xvfb, against the
sandbox platform (a real subprocess): identify by ID card, commitment letter through review,
submit, receipt printed, finish. Prints RSS growth after warm-up, threads and file
descriptors, and exits 1 when RSS grows over the budget or threads/fds leak.

    .venv/bin/python scripts/soak.py [--sessions 1000] [--warmup 20] [--budget-mib 20]
"""
from __future__ import annotations

import argparse
import os
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests"), str(ROOT / "tests" / "hardening"), str(ROOT / "tests" / "platform")]
for key, value in dict(KIVY_NO_ARGS="1", KIVY_NO_CONFIG="1", KIVY_NO_FILELOG="1", KIVY_NO_CONSOLELOG="1",
                       KIVY_LOG_MODE="PYTHON").items():
    os.environ.setdefault(key, value)


def rss_mib() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def fds() -> int:
    return len(os.listdir("/proc/self/fd"))


def one_session(app) -> None:
    from tests.ui.test_commitment import _identified, _start, _through_to_review
    _start(app)
    _identified(app)
    review = _through_to_review(app)
    app.tap(review.ids.submit)
    if not app.wait_until(lambda: app.app.current == "commitment_result", 15):
        raise RuntimeError(f"no result: {review.message}")
    app.app.end_session("soak")
    app.app.services.devices.idcard.emulator.remove()
    app.wait_until(lambda: False, 0.7)          # the reader notices the card is gone


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=1000)
    parser.add_argument("--warmup", type=int, default=20)
    parser.add_argument("--budget-mib", type=float, default=20.0)
    parser.add_argument("--max-seconds", type=float, default=4 * 3600)
    args = parser.parse_args(argv)
    from screens.tour.driver import start_xvfb
    xvfb = start_xvfb()
    from kiosk.config import load_settings
    from screens.window import configure_kivy
    from sandbox.testing import Sandbox
    tmp = Path(tempfile.mkdtemp(prefix="soak-"))
    configure_kivy(load_settings(environ={}))
    (tmp / "sandbox").mkdir()
    sandbox = Sandbox(tmp / "sandbox").start()
    try:
        from app_helpers import app_with_platform
        from sandbox.testing import settings_factory
        make_settings = settings_factory(tmp / "state")
        app = app_with_platform(make_settings, sandbox, sandbox.url)
        deadline = time.monotonic() + args.max_seconds
        base = None
        started = time.monotonic()
        done = 0
        for i in range(args.sessions):
            if time.monotonic() > deadline:
                print(f"soak: stopped at the time limit after {i} sessions")
                break
            one_session(app)
            done += 1
            if i + 1 == min(args.warmup, args.sessions):
                base = (rss_mib(), threading.active_count(), fds())
            if (i + 1) % 100 == 0:
                print(f"  {i + 1} sessions, RSS {rss_mib():.1f} MiB", flush=True)
        end = (rss_mib(), threading.active_count(), fds())
        app.stop()
    finally:
        sandbox.stop()
        xvfb.terminate()
    base = base or end
    growth = end[0] - base[0]
    seconds = time.monotonic() - started
    print(f"soak: {done} sessions in {seconds:.0f} s ({seconds / max(done, 1):.2f} s each)")
    print(f"soak: RSS after warm-up ({args.warmup}) {base[0]:.1f} MiB, at the end {end[0]:.1f} MiB, "
          f"growth {growth:+.1f} MiB (budget {args.budget_mib:.0f} MiB)")
    print(f"soak: threads {base[1]} -> {end[1]}, file descriptors {base[2]} -> {end[2]}")
    ok = growth <= args.budget_mib and end[1] <= base[1] + 2 and end[2] <= base[2] + 4
    print("soak: PASS" if ok else "soak: FAIL")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
