"""Kiosk-mode lockdown in the real app: escape keys, the window's close request (Alt+F4 or a
window manager's close), multi-touch and long-press gestures lead nowhere out of the app;
the attract screen's burn-in shift moves; and a hung process stops the systemd watchdog
pings (`python -m kiosk` as a subprocess under a test notify socket)."""
from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

pytestmark = pytest.mark.ui
ROOT = Path(__file__).resolve().parents[2]
# Esc, Android back, F1 (settings), F12 (screenshot), Ctrl+E inspector's e, F4 (with Alt)
ESCAPE_KEYS = [27, 1001, 282, 293, 285]


@pytest.mark.parametrize("key", ESCAPE_KEYS)
def test_escape_keys_are_swallowed(kiosk, key):
    kiosk.app.start_session()
    from kivy.base import EventLoop
    EventLoop.window.dispatch("on_keyboard", key, 0, None, ["alt"] if key == 285 else [])
    kiosk.frames(2)
    assert kiosk.app.current == "home" and kiosk.app.root is not None
    assert not kiosk.app.open_settings()


def test_window_close_request_is_refused(kiosk):
    from kivy.base import EventLoop
    assert EventLoop.window.dispatch("on_request_close") is True   # Alt+F4 / WM close: refused
    kiosk.frames(2)
    assert EventLoop.status == "started" and kiosk.app.root is not None


def _touch(x, y):
    from kivy.tests.common import UnitTestTouch
    return UnitTestTouch(x, y)


def test_multi_touch_on_a_button_acts_once(kiosk):
    attract = kiosk.screen("attract")
    number = kiosk.app.services.sessions.current.number
    x, y = attract.to_window(*attract.center)
    fingers = [_touch(x, y), _touch(x + 30, y + 30), _touch(x - 30, y + 10)]
    for finger in fingers:
        finger.touch_down()
    for finger in fingers:
        finger.touch_up()
    kiosk.frames(3)
    assert kiosk.app.current == "home"
    assert kiosk.app.services.sessions.current.number == number + 1   # one session, not three


def test_long_press_opens_nothing_extra(kiosk):
    from kivy.base import EventLoop
    kiosk.app.start_session()
    before = list(EventLoop.window.children)
    x, y = EventLoop.window.width / 2, EventLoop.window.height / 2
    finger = _touch(x, y)
    finger.touch_down()
    kiosk.wait_until(lambda: False, 1.2)
    finger.touch_up()
    kiosk.frames(3)
    assert list(EventLoop.window.children) == before      # no bubble, menu or inspector appeared
    assert kiosk.app.root is not None


def test_attract_burn_in_shift_moves(kiosk):
    attract = kiosk.screen("attract")
    seen = {(attract.shift_x, attract.shift_y)}
    attract._next_hint(0)
    attract._next_hint(0)
    seen.add((attract.shift_x, attract.shift_y))
    assert len(seen) > 1


def _drain(sock):
    got = []
    while True:
        try:
            got.append(sock.recv(256).decode())
        except BlockingIOError:
            return got


def _wait_message(sock, wanted, timeout):
    deadline = time.monotonic() + timeout
    seen = []
    while time.monotonic() < deadline:
        seen += _drain(sock)
        if wanted in seen:
            return seen
        time.sleep(0.05)
    raise AssertionError(f"no {wanted} within {timeout}s: {seen[-5:]}")


def test_hung_app_stops_watchdog_pings_and_sigterm_stops_it_cleanly(tmp_path):
    path = tmp_path / "notify"
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    sock.bind(str(path))
    sock.setblocking(False)
    env = dict(os.environ, NOTIFY_SOCKET=str(path), WATCHDOG_USEC="300000",
               KIOSK__KIOSK__STATE_DIR=f'"{tmp_path / "state"}"')
    proc = subprocess.Popen([sys.executable, "-m", "kiosk"], cwd=ROOT, env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        _wait_message(sock, "READY=1", 60)
        _wait_message(sock, "WATCHDOG=1", 5)
        proc.send_signal(signal.SIGSTOP)                 # the app hangs
        time.sleep(0.3)
        _drain(sock)                                     # pings sent just before the hang
        time.sleep(1.0)                                  # > WATCHDOG_USEC: systemd would act now
        assert "WATCHDOG=1" not in _drain(sock)
        proc.send_signal(signal.SIGCONT)
        _wait_message(sock, "WATCHDOG=1", 5)             # and they resume when it turns again
        proc.terminate()                                 # systemctl stop: SIGTERM, not refused
        assert proc.wait(10) == 0
        _wait_message(sock, "STOPPING=1", 1)
    finally:
        proc.send_signal(signal.SIGCONT)
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        sock.close()
