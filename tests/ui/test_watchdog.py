"""sd_notify: READY after the first frame, pings driven by the UI thread's clock,
so a UI thread that stops turning stops the pings."""
import socket
import time

import pytest

from kiosk.watchdog import Watchdog


@pytest.fixture
def notify_socket(tmp_path, monkeypatch):
    path = tmp_path / "notify"
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    sock.bind(str(path))
    sock.setblocking(False)
    monkeypatch.setenv("NOTIFY_SOCKET", str(path))
    monkeypatch.setenv("WATCHDOG_USEC", "300000")  # ping every 0.1 s
    yield sock
    sock.close()


def drain(sock):
    got = []
    while True:
        try:
            got.append(sock.recv(256).decode())
        except BlockingIOError:
            return got


def test_ready_then_pings_only_while_ui_thread_turns(notify_socket, make_settings):
    from screens.tour.driver import AppDriver
    driver = AppDriver(make_settings())
    watchdog = driver.app.services.watchdog
    assert watchdog.enabled and watchdog.interval == pytest.approx(0.1)
    driver.start()
    try:
        driver.wait_until(lambda: False, timeout=0.6)  # UI thread turning for 0.6 s
        messages = drain(notify_socket)
        assert messages[0] == "READY=1"
        assert messages.count("WATCHDOG=1") >= 3
        time.sleep(0.6)  # the UI thread is "hung": no frames, no clock ticks
        assert "WATCHDOG=1" not in drain(notify_socket)
        driver.wait_until(lambda: False, timeout=0.4)
        assert "WATCHDOG=1" in drain(notify_socket)
    finally:
        driver.stop()


def test_no_socket_means_no_op(monkeypatch):
    monkeypatch.delenv("NOTIFY_SOCKET", raising=False)
    watchdog = Watchdog()
    assert not watchdog.enabled
    watchdog.ready()
    watchdog.ping()
