"""What scripts/bench_startup.py and scripts/bench_browser.py measure the same way.

ScreenProbe watches the X server itself (DAMAGE on the root window, python-xlib): after every
change it checksums the pixels of the window's area, so "first frame showing the complete
screen" is the moment the screen first looked the way it then stays, seen from outside the
program, whatever the program says about itself. Memory is PSS of the whole process tree
(/proc/PID/smaps_rollup: a shared page counts once, split among its sharers), idle CPU is
utime+stime of the whole tree. Touches are injected with XTEST, answered when the screen
changes.
"""
from __future__ import annotations

import os
import select
import threading
import time
import zlib
from pathlib import Path

TICK = os.sysconf("SC_CLK_TCK")


def tree(pid: int) -> list[int]:
    """`pid` and all its descendants, now."""
    children: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        children.setdefault(int(fields[1]), []).append(int(stat.parent.name))
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        out.append(p)
        todo.extend(children.get(p, []))
    return out


def memory_mib(pids: list[int], field: str = "Pss") -> float:
    """Sum a smaps_rollup field: Rss counts shared pages once per process, Pss splits them."""
    total = 0
    for pid in pids:
        try:
            for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
                if line.startswith(field + ":"):
                    total += int(line.split()[1])
        except OSError:
            pass
    return total / 1024


def cpu_by_pid(pids: list[int]) -> dict[int, float]:
    """utime + stime of each of these processes that is still alive, in seconds."""
    out = {}
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        out[pid] = (int(fields[11]) + int(fields[12])) / TICK
    return out


def cpu_seconds(pids: list[int]) -> float:
    """utime + stime of these processes together."""
    return sum(cpu_by_pid(pids).values())


def idle_cpu_percent(pid: int, seconds: float) -> tuple[float, list[int]]:
    """CPU of the tree under `pid` over `seconds`, in % of one core; and the pids seen at the end.
    Each process counts from its own first sample (a helper started meanwhile from zero); one
    that ended meanwhile is not counted, so the figure is a lower bound if helpers come and go."""
    before = cpu_by_pid(tree(pid))
    t0 = time.perf_counter()
    time.sleep(seconds)
    pids = tree(pid)
    after = cpu_by_pid(pids)
    used = sum(cpu - before.get(p, 0.0) for p, cpu in after.items())
    return used / (time.perf_counter() - t0) * 100, pids


class ScreenProbe:
    """Changes of the screen area (0, 0, width, height) as (monotonic time, checksum)."""

    def __init__(self, width: int = 1080, height: int = 1920):
        from Xlib import X, display
        from Xlib.ext import damage
        self._X = X
        self.width, self.height = width, height
        self.display = display.Display()           # $DISPLAY: the benchmark's Xvfb
        # touches go through a connection of their own: a python-xlib Display is not
        # thread-safe, and the watching thread owns self.display
        self._input = display.Display()
        if not self.display.has_extension("DAMAGE"):
            raise RuntimeError("the X server has no DAMAGE extension")
        self.display.damage_query_version()
        self.root = self.display.screen().root
        self.damage = self.root.damage_create(damage.DamageReportNonEmpty)
        self.records: list[tuple[float, int]] = []
        self._lock = threading.Condition()
        self._stop = threading.Event()
        self.records.append((time.perf_counter(), self._checksum()))
        self._thread = threading.Thread(target=self._watch, name="screen-probe", daemon=True)
        self._thread.start()

    def _checksum(self) -> int:
        image = self.root.get_image(0, 0, self.width, self.height, self._X.ZPixmap, 0xFFFFFFFF)
        return zlib.crc32(image.data)

    def _watch(self) -> None:
        fd = self.display.fileno()
        while not self._stop.is_set():
            if not self.display.pending_events():
                ready, _, _ = select.select([fd], [], [], 0.05)
                if not ready:
                    continue
            seen = time.perf_counter()
            while self.display.pending_events():
                self.display.next_event()
            self.display.damage_subtract(self.damage)
            checksum = self._checksum()                 # the pixels now, after that change
            with self._lock:
                self.records.append((seen, checksum))
                self._lock.notify_all()

    def mark(self) -> int:
        """A position in the record, to look at changes after it."""
        with self._lock:
            return len(self.records)

    def settled(self, since: int, quiet: float = 2.0, timeout: float = 60.0) -> tuple[float, int]:
        """Wait until the screen changed after record `since` to a picture other than the one
        before it and then stayed unchanged for `quiet` seconds; returns (time it first showed
        that final picture, its checksum)."""
        deadline = time.perf_counter() + timeout
        with self._lock:
            before = self.records[since - 1][1]
            while True:
                # a change after `since` that left the picture as it was (the server's own first
                # damage report, an empty window mapped and unmapped) is not the program's frame
                last = self.records[-1][0] if self.records[-1][1] != before else None
                now = time.perf_counter()
                if last is not None and now - last >= quiet:
                    break
                if now > deadline:
                    raise RuntimeError("the screen did not settle")
                self._lock.wait(0.05)
            final = self.records[-1][1]
            first = len(self.records) - 1
            while first - 1 >= since and self.records[first - 1][1] == final:
                first -= 1
            return self.records[first][0], final

    def first_change(self, since: int, timeout: float = 5.0) -> float:
        """Time of the first screen change after record `since` whose pixels differ from the
        picture before it."""
        deadline = time.perf_counter() + timeout
        with self._lock:
            before = self.records[since - 1][1]
            while True:
                for seen, checksum in self.records[since:]:
                    if checksum != before:
                        return seen
                if time.perf_counter() > deadline:
                    raise RuntimeError("the screen did not change")
                self._lock.wait(0.02)

    def press(self, x: int, y: int) -> float:
        return self._button(x, y, self._X.ButtonPress)

    def release(self, x: int, y: int) -> float:
        return self._button(x, y, self._X.ButtonRelease)

    def _button(self, x: int, y: int, kind: int) -> float:
        from Xlib.ext import xtest
        xtest.fake_input(self._input, self._X.MotionNotify, x=x, y=y)
        xtest.fake_input(self._input, kind, 1)
        self._input.sync()
        return time.perf_counter()

    def close(self) -> None:
        self._stop.set()
        self._thread.join(2)
        self.display.close()
        self._input.close()
