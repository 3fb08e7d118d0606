#!/usr/bin/env python3
"""Benchmark: screen transition latency in the real app under Xvfb (1080x1920).

Time from a tap to the next screen's first frame drawn (the frame is flipped),
for attract -> home, home -> 办事指南, and a search result -> guide sheet.
Median and worst of ROUNDS rounds. Prints figures; asserts nothing.
"""
from __future__ import annotations

import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "15"))


def timed_tap(driver, widget, target: str) -> float:
    from kivy.base import EventLoop
    from kivy.tests.common import UnitTestTouch
    x, y = widget.to_window(*widget.center)
    touch = UnitTestTouch(x, y)
    start = time.perf_counter()
    touch.touch_down()
    touch.touch_up()
    while driver.app.current != target:
        if time.perf_counter() - start > 10:
            raise RuntimeError(f"the tap never reached {target} (on {driver.app.current})")
        EventLoop.idle()
    EventLoop.idle()  # the frame that draws the new screen
    return (time.perf_counter() - start) * 1000


def main() -> int:
    from screens.tour.driver import started_app
    with started_app({"KIOSK__KIOSK__STATE_DIR": '"/tmp/kiosk-bench-ui"',
                      "KIOSK__LOGGING__LEVEL": '"WARNING"'}, log_level="WARNING") as driver:
        results = {"attract -> home": [], "home -> 办事指南": [], "search result -> guide sheet": []}
        driver.app.services.inputs.load()        # the input engines, as the first touch on a keyboard starts them
        driver.wait_until(lambda: driver.app.services.inputs.ready, 30)
        for _ in range(ROUNDS):
            driver.app.end_session("bench")
            driver.frames(2)
            results["attract -> home"].append(
                timed_tap(driver, driver.screen("attract").ids.start_button, "home"))
            driver.frames(2)
            tile = next(t for t in driver.screen("home").ids.tiles.children if t.tile_key == "guide")
            results["home -> 办事指南"].append(timed_tap(driver, tile, "guide"))
            guide = driver.screen("guide")
            for key in "ypjy":      # 药品经营许可: an item without guided questions
                guide.keyboard.press(key)
            driver.frames(2)
            catalog = driver.app.services.catalog.catalog
            result = next(b for b in reversed(guide.ids.results.children)
                          if not catalog.item(b.item_code).questions)
            results["search result -> guide sheet"].append(timed_tap(driver, result, "guide_sheet"))
    print(f"screen transition, tap to the new screen drawn (Xvfb, software GL), {ROUNDS} rounds:")
    for name, values in results.items():
        print(f"  {name}: median {statistics.median(values):.0f} ms, worst {max(values):.0f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
