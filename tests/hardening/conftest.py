"""Fixtures of the hardening suites: the sandbox platform as a real subprocess (helpers
imported from tests/platform), a fault proxy in front of it, the real app wired to the
proxy, a frame meter on the UI thread and a record of which threads did network I/O."""
from __future__ import annotations

import threading

import pytest
import requests.adapters

from app_helpers import app_with_platform  # noqa: E402
from faultproxy import FaultProxy  # noqa: E402


@pytest.fixture
def network_threads(monkeypatch):
    """The names of the threads that sent each HTTP request (through requests' real adapter)."""
    seen: list[str] = []
    send = requests.adapters.HTTPAdapter.send

    def recording_send(adapter, request, *args, **kwargs):
        seen.append("ui" if threading.current_thread() is threading.main_thread() else "worker")
        return send(adapter, request, *args, **kwargs)
    monkeypatch.setattr(requests.adapters.HTTPAdapter, "send", recording_send)
    return seen


@pytest.fixture
def proxy(sandbox):
    fp = FaultProxy(sandbox.port).start()
    yield fp
    fp.stop()


class FrameGaps:
    """Records the time between consecutive UI-thread clock ticks (one per frame)."""

    def __init__(self):
        from kivy.clock import Clock
        self.stamps: list[float] = []
        self._event = Clock.schedule_interval(self._tick, 0)

    def _tick(self, _dt):
        from kivy.clock import Clock
        self.stamps.append(Clock.get_boottime())

    def stop(self) -> None:
        self._event.cancel()

    @property
    def worst(self) -> float:
        gaps = [b - a for a, b in zip(self.stamps, self.stamps[1:])]
        return max(gaps, default=float("inf"))


@pytest.fixture
def frame_gaps():
    meters = []

    def start():
        meters.append(FrameGaps())
        return meters[-1]
    yield start
    for meter in meters:
        meter.stop()


@pytest.fixture
def faulty_app(make_settings, sandbox, proxy):
    """The real app whose platform traffic goes through `proxy`."""
    driver = app_with_platform(make_settings, sandbox, proxy.url)
    driver.proxy = proxy
    yield driver
    proxy.fault = None
    driver.app.services.devices.idcard.emulator.remove()
    driver.stop()
