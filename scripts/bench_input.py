#!/usr/bin/env python3
"""Benchmark: Chinese input with the real engines (librime pinyin, zinnia handwriting).

- engine alone: one pinyin key fed to rime and the first candidate page read, p50/p99
  (budget p99 <= 5 ms);
- keystroke -> candidates drawn: a tap on a key of the complaint form's keyboard in the real
  app under Xvfb until the frame with the new candidate bar is drawn (budget p99 <= 50 ms);
- stroke -> candidates drawn: a finger stroke on the handwriting pad (real touches) until
  the frame with the new candidates is drawn (budget p99 <= 50 ms);
- the keyboard's own work before the frame and, for comparison, a frame with nothing
  changed (on software GL the buffer swap of a 1080x1920 window dominates);
- memory added by loading and using both engines, in a fresh process: RSS and, of it, the
  private anonymous memory (the rest is the read-only mapped zinnia model and libraries,
  page cache the kernel can drop) (budget: 30 MiB).

Prints figures; exits 1 when a figure is over its budget.
"""
from __future__ import annotations

import os
import re
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
WORDS = ("zhengwufuwu", "shenfenzheng", "yingyezhizhao", "gongjijin", "woyaotousu", "bumanyi",
         "chuangkoupaiduitaijiule", "zw", "sfz", "tyshxydm", "chushengzhengming", "shebaoka")
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "5"))
BUDGET_ENGINE_MS, BUDGET_DRAWN_MS, BUDGET_MEMORY_MIB = 5.0, 50.0, 30.0


def p99(values):
    return statistics.quantiles(values, n=100)[98] if len(values) >= 2 else values[0]


def line(name, values, budget=None):
    """Print one figure; with a budget, say whether p99 is within it (True if so or no budget)."""
    ok = budget is None or p99(values) <= budget
    verdict = f"  (budget p99 <= {budget:.0f} ms) {'OK' if ok else 'OVER'}" if budget is not None else ""
    print(f"{name}: p50 {statistics.median(values):.2f} ms, p99 {p99(values):.2f} ms, "
          f"max {max(values):.2f} ms over {len(values)}{verdict}")
    return ok


def engine_alone() -> list[float]:
    from kiosk.input import InputMethods
    inputs = InputMethods()
    inputs.load_now()
    engine, times = inputs.pinyin, []
    for _ in range(ROUNDS * 4):
        for word in WORDS:
            for letter in word:
                start = time.perf_counter()
                engine.feed(letter)
                engine.candidates(0)
                times.append((time.perf_counter() - start) * 1000)
            engine.reset()
    inputs.close()
    return times


def memory_child() -> int:
    """In a fresh process: memory before and after both engines are loaded and used."""
    def rollup():
        fields = {}
        for text in Path("/proc/self/smaps_rollup").read_text().splitlines():
            m = re.match(r"(\w+):\s+(\d+) kB", text)
            if m:
                fields[m[1]] = int(m[2]) / 1024
        return fields
    from kiosk.input import InputMethods
    from screens.tour.strokes import CHARACTERS
    before = rollup()
    inputs = InputMethods()
    inputs.load_now()
    for word in WORDS:
        for letter in word:
            inputs.pinyin.feed(letter)
            inputs.pinyin.candidates(0)
        inputs.pinyin.reset()
    for strokes in CHARACTERS.values():
        for stroke in strokes:
            inputs.handwriting.add_stroke(stroke)
        inputs.handwriting.clear()
    after = rollup()
    print(" ".join(f"{k}={after[k] - before[k]:.1f}" for k in ("Rss", "Pss", "Anonymous", "Private_Dirty")))
    inputs.close()
    return 0


def memory() -> dict[str, float]:
    out = subprocess.run([sys.executable, __file__, "--memory"], capture_output=True, text=True, check=True,
                         cwd=ROOT).stdout.split()
    return {k: float(v) for k, v in (item.split("=") for item in out)}


def in_the_app():
    from kivy.base import EventLoop
    from kivy.tests.common import UnitTestTouch
    from screens.tour.driver import started_app
    from screens.tour.strokes import CHARACTERS, finger_on
    with started_app({"KIOSK__KIOSK__STATE_DIR": '"/tmp/kiosk-bench-input"',
                      "KIOSK__LOGGING__LEVEL": '"WARNING"'}, log_level="WARNING") as driver:
        keys, strokes, work, idle, stroke_work = [], [], [], [], []
        driver.app.start_session()
        driver.app.go("complaint")
        driver.frames(3)
        screen = driver.screen("complaint")
        screen.go_to("form")
        driver.app.services.inputs.load()        # as the first touch on the keyboard does
        driver.wait_until(lambda: driver.app.services.inputs.ready, 30)
        keyboard = screen.keyboard
        screen.ids.scroll.scroll_to(keyboard, padding=0, animate=False)
        driver.frames(3)

        def tap(widget):
            x, y = widget.to_window(*widget.center)
            touch = UnitTestTouch(x, y)
            start = time.perf_counter()
            touch.touch_down()
            touch.touch_up()            # the key's work: engine, candidate bar, field text
            work.append((time.perf_counter() - start) * 1000)
            EventLoop.idle()            # the frame with the new candidate bar
            return (time.perf_counter() - start) * 1000

        for _ in range(ROUNDS * 10):    # the same frame with nothing changed, for comparison
            start = time.perf_counter()
            EventLoop.idle()
            idle.append((time.perf_counter() - start) * 1000)

        for _ in range(ROUNDS):
            for word in WORDS:
                for letter in word:
                    keys.append(tap(keyboard.keys[letter]))
                keyboard.reset()
                driver.frames(1)
        keyboard.press("layout:handwriting")
        driver.frames(3)
        pad = keyboard.pad
        for _ in range(ROUNDS * 2):
            for character in CHARACTERS.values():
                for touch in finger_on(pad, character):
                    start = time.perf_counter()
                    touch.touch_up()     # the stroke ends: recognise, redraw the bar
                    stroke_work.append((time.perf_counter() - start) * 1000)
                    EventLoop.idle()
                    strokes.append((time.perf_counter() - start) * 1000)
                keyboard.press("rewrite")
                driver.frames(1)
    return keys, strokes, work, idle, stroke_work


def main() -> int:
    if sys.argv[1:] == ["--memory"]:
        return memory_child()
    ok = line("pinyin engine alone, key -> first candidate page", engine_alone(), BUDGET_ENGINE_MS)
    keys, strokes, work, idle, stroke_work = in_the_app()
    ok &= line("keystroke -> candidates drawn (Xvfb, software GL)", keys, BUDGET_DRAWN_MS)
    line("  of which the keyboard's work before the frame (engine, bar, field)", work)
    line("  for comparison, one frame with nothing changed (software GL buffer swap)", idle)
    ok &= line("stroke -> candidates drawn (Xvfb, software GL)", strokes, BUDGET_DRAWN_MS)
    line("  of which recognition and the bar before the frame", stroke_work)
    mem = memory()
    rss_ok = mem["Rss"] <= BUDGET_MEMORY_MIB
    print(f"memory added by both engines: RSS {mem['Rss']:.1f} MiB (PSS {mem['Pss']:.1f}), of which private "
          f"anonymous {mem['Anonymous']:.1f} MiB; the rest is the mapped zinnia model and libraries  "
          f"(budget RSS <= {BUDGET_MEMORY_MIB:.0f} MiB) {'OK' if rss_ok else 'OVER'}")
    return 0 if ok and rss_ok else 1


if __name__ == "__main__":
    sys.exit(main())
