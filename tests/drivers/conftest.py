"""Fixtures for the driver tests: an event recorder that waits on events instead of sleeping,
and socat PTY pairs."""
from __future__ import annotations

import threading
import time

import pytest

from drivers.emulation import SocatPair


class Recorder:
    """The `on_event` callback of a device under test; `wait(kind)` blocks until such an event came."""

    def __init__(self):
        self.events = []
        self._cond = threading.Condition()

    def __call__(self, event):
        with self._cond:
            self.events.append(event)
            self._cond.notify_all()

    def of(self, kind):
        with self._cond:
            return [e for e in self.events if isinstance(e, kind)]

    def wait(self, kind, predicate=lambda e: True, timeout=3.0, count=1):
        deadline = time.monotonic() + timeout
        with self._cond:
            while True:
                found = [e for e in self.events if isinstance(e, kind) and predicate(e)]
                if len(found) >= count:
                    return found[count - 1]
                left = deadline - time.monotonic()
                if left <= 0:
                    raise AssertionError(f"no {kind.__name__} within {timeout}s; got {self.events!r}")
                self._cond.wait(left)

    def clear(self):
        with self._cond:
            self.events.clear()


def wait_health(device, state, timeout=3.0):
    deadline = time.monotonic() + timeout
    while device.health().state != state:
        if time.monotonic() > deadline:
            raise AssertionError(f"health stayed {device.health()}, wanted {state}")
        time.sleep(0.01)
    return device.health()


@pytest.fixture
def recorder():
    return Recorder()


@pytest.fixture
def socat(tmp_path):
    pairs = []

    def make(name="dev"):
        pair = SocatPair(str(tmp_path / f"{name}-driver"), str(tmp_path / f"{name}-device")).start()
        pairs.append(pair)
        return pair
    yield make
    for pair in pairs:
        pair.stop()


def served(emulator, family: str, transport: str, pairs, query: str, serial_query: str = "") -> str:
    """Serve `emulator` over TCP ("tcp") or a PTY pair made by `pairs(name)` ("pty") and return
    the device URL that reaches it."""
    if transport == "tcp":
        emulator.serve_tcp()
        return f"{family}+socket://127.0.0.1:{emulator.port}?{query}"
    pair = pairs(family)
    emulator.serve_serial(pair.device_link)
    return f"{family}+serial://{pair.driver_link}?{serial_query}{query}"
