"""Issue 14 point 9: endless line noise on the ID card reader, the scanner and the printer.
Real drivers against the real emulators (loopback TCP and socat PTYs) flooding random
bytes without end: each request still ends within its timeout, health goes to degraded
with a reason within a bounded time, `close()` returns at once, and once the noise
stops the device works again."""
from __future__ import annotations

import threading
import time

import pytest

from drivers import open_device
from drivers.emulation import SocatPair
from drivers.idcard.emulator import IdCardEmulator
from drivers.idcard.reader import IdCardRead
from drivers.printer.document import Cut, Document, Text
from drivers.printer.emulator import PrinterEmulator
from drivers.printer.printer import PrinterOffline
from drivers.scanner.emulator import ScannerEmulator
from drivers.scanner.events import Scanned
from drivers.scanner.serial_scanner import NOISE_SECONDS
from tests.drivers.conftest import Recorder, served, wait_health

IDCARD = "poll=0.05&timeout=0.5&backoff=0.02&backoff_max=0.1"
PRINTER = "poll=0.1&timeout=0.5&backoff=0.02&backoff_max=0.1"
SCANNER = "backoff=0.02&backoff_max=0.1&debounce=0"
CLOSE_BUDGET = 1.0        # seconds close() may take, noise or not


def closes_quickly(device) -> float:
    """close() in a thread, so that a hang fails the test instead of freezing it."""
    started = time.monotonic()
    thread = threading.Thread(target=device.close, daemon=True)
    thread.start()
    thread.join(10)
    assert not thread.is_alive(), "close() blocked"
    return time.monotonic() - started


@pytest.fixture
def recorder():
    return Recorder()


@pytest.fixture
def pty(tmp_path):
    pairs = []

    def make(name):
        pairs.append(SocatPair(str(tmp_path / f"{name}-driver"), str(tmp_path / f"{name}-device")).start())
        return pairs[-1]
    yield make
    for pair in pairs:
        pair.stop()


@pytest.mark.parametrize("transport", ["tcp", "pty"])
def test_idcard_reader_under_endless_noise(transport, pty, recorder):
    emulator = IdCardEmulator()
    reader = open_device(served(emulator, "idcard", transport, pty, IDCARD, "baudrate=115200&"), on_event=recorder)
    try:
        assert reader.wait_connected(3)
        wait_health(reader, "ok")
        started = time.monotonic()
        emulator.flood(pause=0.005)
        health = wait_health(reader, "degraded", timeout=5)
        took = time.monotonic() - started
        assert "线路干扰" in health.reason, health
        assert took < 3, f"degraded after {took:.1f}s"
        time.sleep(1)                                         # still serving requests, not stuck in one
        assert reader.health().state == "degraded"
        emulator.flood(False)
        wait_health(reader, "ok", timeout=5)
        emulator.place("resident")
        assert recorder.wait(IdCardRead, timeout=5).identity.card_type == "resident"
        emulator.remove()
        emulator.flood(pause=0.005)
        wait_health(reader, "degraded", timeout=5)
        assert closes_quickly(reader) < CLOSE_BUDGET
    finally:
        reader.close()
        emulator.stop()


def test_idcard_reader_noisy_from_the_start_is_degraded_not_stuck(recorder):
    emulator = IdCardEmulator()
    emulator.serve_tcp()
    emulator.flood(pause=0.005)
    reader = open_device(f"idcard+socket://127.0.0.1:{emulator.port}?{IDCARD}", on_event=recorder)
    try:
        health = wait_health(reader, "degraded", timeout=5)
        assert "线路干扰" in health.reason
        assert closes_quickly(reader) < CLOSE_BUDGET
    finally:
        reader.close()
        emulator.stop()


@pytest.mark.parametrize("transport", ["tcp", "pty"])
def test_scanner_under_endless_noise(transport, pty, recorder):
    emulator = ScannerEmulator()
    device = open_device(served(emulator, "scanner", transport, pty, SCANNER, "baudrate=115200&"), on_event=recorder)
    try:
        assert device.wait_connected(3)
        emulator.flood(pause=0.002)
        health = wait_health(device, "degraded", timeout=NOISE_SECONDS + 3)
        assert "线路干扰" in health.reason
        events = len(recorder.events)
        time.sleep(1.5)
        assert len(recorder.events) == events                 # no event per garbage line while noisy
        emulator.flood(False)
        wait_health(device, "ok", timeout=5)
        emulator.scan("TJCASE:TJ2026-000999")
        assert recorder.wait(Scanned, lambda e: e.text == "TJCASE:TJ2026-000999", timeout=5)
        emulator.flood(pause=0.002)
        wait_health(device, "degraded", timeout=NOISE_SECONDS + 3)
        assert closes_quickly(device) < CLOSE_BUDGET
    finally:
        device.close()
        emulator.stop()


def test_printer_under_endless_noise(recorder):
    emulator = PrinterEmulator("generic-80")
    emulator.serve_tcp()
    device = open_device(f"printer+net://127.0.0.1:{emulator.port}?profile=generic-80&{PRINTER}",
                         on_event=recorder)
    receipt = Document().add(Text("受理回执"), Cut())
    try:
        assert device.wait_connected(3)
        emulator.flood(pause=0.005)
        health = wait_health(device, "degraded", timeout=3)
        assert "线路干扰" in health.reason
        assert device.paper is None                            # unknown, not guessed from garbage
        started = time.monotonic()
        with pytest.raises(PrinterOffline):                    # not printed blind
            device.print_document(receipt)
        assert time.monotonic() - started < 2
        emulator.flood(False)
        wait_health(device, "ok", timeout=5)
        device.print_document(receipt)
        assert "受理回执" in emulator.wait_job(1, 5).text
        emulator.flood(pause=0.005)
        wait_health(device, "degraded", timeout=3)
        assert closes_quickly(device) < CLOSE_BUDGET
    finally:
        device.close()
        emulator.stop()
