"""Wakes Kivy's clock the moment the X server has input for the window.

Kivy looks at SDL's input only between frames, so an idle screen at a low frame rate answers a
touch late (up to a frame interval) and a high rate burns CPU doing nothing. With Kivy's
`interrupt` clock (screens/window.py) a frame starts as soon as something is scheduled; this
module's thread sleeps in select() on the X connection SDL reads and schedules a frame when it
becomes readable, then waits until the frame after has read it. The idle attract screen then
runs at 1 frame a second (screens/app.py) and a touch is still drawn in the next frame.

Only for SDL on X11 (Xorg, Xvfb, Xwayland under cage); elsewhere `start()` returns False and
the frame rate alone decides.
"""
from __future__ import annotations

import ctypes
import ctypes.util
import logging
import os
import select
import threading

log = logging.getLogger("kiosk.ui")

SDL_SYSWM_X11 = 2


class _Version(ctypes.Structure):
    _fields_ = [("major", ctypes.c_uint8), ("minor", ctypes.c_uint8), ("patch", ctypes.c_uint8)]


class _WMInfo(ctypes.Structure):
    """SDL_SysWMinfo with the X11 member of its union (padded as SDL pads the union)."""
    _fields_ = [("version", _Version), ("subsystem", ctypes.c_int),
                ("display", ctypes.c_void_p), ("window", ctypes.c_ulong), ("_pad", ctypes.c_uint8 * 64)]


def _loaded_sdl() -> ctypes.CDLL | None:
    """The SDL2 library Kivy loaded (its wheel bundles its own, under a hashed name)."""
    with open("/proc/self/maps", encoding="utf-8", errors="replace") as maps:
        for line in maps:
            path = line.split()[-1]
            if "/libSDL2-2" in path or path.endswith("/libSDL2-2.0.so.0"):
                return ctypes.CDLL(path)
    return None


def x_connection() -> int | None:
    """The file descriptor of SDL's X connection, or None. Call on the thread owning the GL
    context (Kivy's main thread), after the window exists."""
    try:
        sdl = _loaded_sdl()
        if sdl is None:
            return None
        sdl.SDL_GL_GetCurrentWindow.restype = ctypes.c_void_p
        window = sdl.SDL_GL_GetCurrentWindow()
        if not window:
            return None
        info = _WMInfo()
        sdl.SDL_GetVersion(ctypes.byref(info.version))
        sdl.SDL_GetWindowWMInfo.argtypes = [ctypes.c_void_p, ctypes.POINTER(_WMInfo)]
        if not sdl.SDL_GetWindowWMInfo(window, ctypes.byref(info)) or info.subsystem != SDL_SYSWM_X11:
            return None
        x11 = ctypes.CDLL(ctypes.util.find_library("X11") or "libX11.so.6")
        x11.XConnectionNumber.argtypes = [ctypes.c_void_p]
        fd = x11.XConnectionNumber(info.display)
        return fd if fd >= 0 else None
    except (OSError, AttributeError) as exc:
        log.info("no X connection to watch: %s", exc)
        return None


RESOLUTION = 0.002     # seconds: a frame due sooner than this is not slept for


def fine_resolution(clock) -> None:
    """Kivy's clock takes a third of the frame interval as its resolution: at 1 frame a second
    it would not sleep for anything due within 0.6 s, and the 0.5 s idle tick made it spin."""
    target = object.__getattribute__(clock, "_obj") if type(clock).__name__ == "ProxyContext" else clock
    target.get_resolution = lambda: RESOLUTION


class InputWake:
    """`start(clock)` on the main thread; `stop()` ends the thread."""

    def __init__(self):
        self._stop_r, self._stop_w = os.pipe()
        self._read = threading.Event()
        self._clock = None
        self.wakes = 0          # times input was seen (for tests)
        self.frames_started = 0

    def start(self, clock) -> bool:
        fd = x_connection()
        if fd is None:
            return False
        self._clock = clock
        fine_resolution(clock)
        threading.Thread(target=self._watch, args=(fd,), name="ui-input-wake", daemon=True).start()
        return True

    def _watch(self, fd: int) -> None:
        while True:
            try:
                ready, _, _ = select.select([fd, self._stop_r], [], [])
            except (OSError, ValueError):
                return
            if self._stop_r in ready:
                return
            self._read.clear()
            self.wakes += 1
            self._clock.schedule_once(self._frame, 0)
            # until SDL has read what came (the frame after this one), the fd stays readable
            if not self._read.wait(1.0) and self._stop_r in select.select([self._stop_r], [], [], 0)[0]:
                return

    def _frame(self, _dt) -> None:
        """This frame reads SDL's input after the clock's events; the next one has read it."""
        self.frames_started += 1
        self._clock.schedule_once(self._after, 0)

    def _after(self, _dt) -> None:
        self._read.set()

    def stop(self) -> None:
        try:
            os.write(self._stop_w, b"\0")
        except OSError:
            pass
