"""Drives the real KioskApp in-process: display, frames, taps, screenshots.

Used by the UI tests, scripts/tour and scripts/bench. Starts a private Xvfb
when there is no display (or when asked), sized to hold either orientation.
"""
from __future__ import annotations

import ctypes
import os
import shutil
import signal
import subprocess
import time
from contextlib import contextmanager
from pathlib import Path


class XvfbError(RuntimeError):
    pass


def _die_with_parent() -> None:
    """In the child: get SIGTERM when the parent dies, even by kill -9 (no orphan Xvfb)."""
    PR_SET_PDEATHSIG = 1
    ctypes.CDLL("libc.so.6", use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGTERM)


def start_xvfb(width: int = 1920, height: int = 1920) -> subprocess.Popen:
    """Start Xvfb on a free display number and point DISPLAY at it."""
    if shutil.which("Xvfb") is None:
        raise XvfbError("Xvfb is not installed: run `make setup` (Debian package xvfb)")
    read_fd, write_fd = os.pipe()
    proc = subprocess.Popen(
        ["Xvfb", "-displayfd", str(write_fd), "-screen", "0", f"{width}x{height}x24",
         "-nolisten", "tcp", "-noreset"],
        pass_fds=(write_fd,), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        preexec_fn=_die_with_parent)
    os.close(write_fd)
    with os.fdopen(read_fd) as pipe:
        number = pipe.readline().strip()
    if not number:
        proc.kill()
        raise XvfbError("Xvfb did not start")
    os.environ["DISPLAY"] = f":{number}"
    os.environ["SDL_VIDEODRIVER"] = "x11"
    return proc


def ensure_display() -> subprocess.Popen | None:
    if os.environ.get("DISPLAY") and os.environ.get("KIOSK_USE_DISPLAY") == "1":
        return None
    return start_xvfb()


class AppDriver:
    """One KioskApp instance on the process's single Window."""

    def __init__(self, settings, dev: bool = False):
        from screens.app import KioskApp
        self.app = KioskApp(settings, dev=dev)

    def start(self) -> "AppDriver":
        from kivy.base import EventLoop, runTouchApp
        self.app._run_prepare()
        runTouchApp(embedded=True)
        self.app.dispatch("on_start")
        self.app.build_all_screens()          # the steady state a running kiosk reaches after start-up:
        self.app.services.catalog.index()   # every screen built, the search index too
        EventLoop.window.dispatch("on_resize", *EventLoop.window.size)
        self.frames(3)
        return self

    def stop(self) -> None:
        self.frames(2)  # let pending layout settle while the app can still answer kv rules
        self.app.stop()

    def frames(self, count: int = 2) -> None:
        from kivy.base import EventLoop
        for _ in range(count):
            EventLoop.idle()

    def wait_until(self, predicate, timeout: float = 5.0) -> bool:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            self.frames(1)
            if predicate():
                return True
        return predicate()

    def printed(self, count: int = 1, timeout: float = 10.0):
        """The receipt printer emulator's `count`-th job, frames drawn while it comes: the print is
        started from a screen's on_enter, which runs only once its transition has been drawn."""
        emulator = self.app.services.devices.printer.emulator
        if not self.wait_until(lambda: len(emulator.jobs) >= count, timeout):
            raise TimeoutError(f"printer emulator got {len(emulator.jobs)} jobs, expected {count}")
        return emulator.wait_job(count, timeout=1)

    def tap(self, widget) -> None:
        from kivy.tests.common import UnitTestTouch
        x, y = widget.to_window(*widget.center)
        touch = UnitTestTouch(x, y)
        touch.touch_down()
        touch.touch_up()
        self.frames(3)

    def key(self, keycode: int) -> bool:
        from kivy.base import EventLoop
        handled = EventLoop.window.dispatch("on_keyboard", keycode, 0, None, [])
        self.frames(1)
        return bool(handled)

    def screen(self, name: str | None = None):
        manager = self.app.manager
        return self.app.screen(name) if name else manager.current_screen

    def screenshot(self, path: str | Path) -> Path:
        """Write the window to exactly `path` (Kivy appends a counter; undo that)."""
        from kivy.base import EventLoop
        self.frames(3)
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.unlink(missing_ok=True)
        written = EventLoop.window.screenshot(name=str(path))
        Path(written).replace(path)
        return path


@contextmanager
def started_app(environ: dict[str, str], *, log_level: str | None = None,
                private_display: bool = True, dev: bool = False):
    """The real app started on a display (a private Xvfb, or the one there is) with the
    settings `environ` gives (KIOSK__... overrides), logging at `log_level` (the settings'
    level if None); stopped, and its Xvfb ended, on leaving. For the tour and the benchmarks."""
    import sys
    xvfb = start_xvfb() if private_display else ensure_display()
    try:
        from kiosk.config import load_settings
        from kiosk.logs import setup_logging
        from screens.window import configure_kivy
        settings = load_settings(environ=environ)
        setup_logging(log_level or settings["logging"]["level"], stream=sys.stderr)
        configure_kivy(settings)
        driver = AppDriver(settings, dev=dev).start()
        try:
            yield driver
        finally:
            driver.stop()
    finally:
        if xvfb is not None:
            xvfb.terminate()
