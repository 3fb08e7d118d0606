"""Device faults, real drivers against the emulators on loopback: each device unplugged in
the middle of its operation, paper running out mid-receipt (the citizen is told, the
reprint is offered once paper is back, never printed by itself), garbage and floods from the ID card reader
and the scanner (the driver stays up, nothing escapes, memory stays bounded)."""
from __future__ import annotations

import os
import random
import threading
import time
import tracemalloc

import pytest

from devices_helpers import PaperRunsOut, PlugPulled
from drivers import open_device
from drivers.idcard.emulator import IdCardEmulator
from drivers.idcard.reader import IdCardRead, IdCardRemoved
from drivers.printer.document import QR, Cut, Document, Row, Text, Title
from drivers.printer.printer import PaperOut, PrinterOffline
from drivers.scanner.emulator import ScannerEmulator
from drivers.scanner.events import Scanned, ScanRejected
from kiosk.devices.fitted import Devices
from kiosk.printing.reprint import ReceiptPrinting
from kiosk.session import Sessions
from tests.drivers.conftest import Recorder, wait_health

IDCARD = "poll=0.01&timeout=1&backoff=0.02&backoff_max=0.1"
PRINTER = "poll=0.05&timeout=0.5&backoff=0.02&backoff_max=0.1"
SCANNER = "backoff=0.02&backoff_max=0.1&debounce=0"
FLOOD_CHUNK, FLOOD_CHUNKS = 64 * 1024, int(os.environ.get("HARDENING_FLOOD_CHUNKS", "16"))
MEMORY_BUDGET = 2 * 1024 * 1024


def receipt(number="TJ2026-000777") -> Document:
    return Document().add(Title("天津市政务服务中心"), Text("受理回执", bold=True),
                          Row("受理号：", number), QR(f"TJCASE:{number}"), Cut())


@pytest.fixture
def recorder():
    return Recorder()


def _wait(predicate, timeout=5.0):
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.01)
    return True


# -- ID card reader -----------------------------------------------------------------------

@pytest.fixture
def idcard(recorder):
    emulator = IdCardEmulator()
    emulator.serve_tcp()
    reader = open_device(f"idcard+socket://127.0.0.1:{emulator.port}?{IDCARD}", on_event=recorder)
    assert reader.wait_connected(3)
    yield reader, emulator
    reader.close()
    emulator.stop()


def test_idcard_unplugged_in_the_middle_of_a_read(idcard, recorder):
    reader, emulator = idcard
    emulator.faults.delay = 0.3               # a real module takes about a second per read
    before = emulator.requests
    emulator.place("resident")
    assert _wait(lambda: emulator.requests >= before + 3)   # find, select, read: the read is in flight
    emulator.stop()
    assert wait_health(reader, "offline", timeout=5).reason
    assert not recorder.of(IdCardRead)                        # no half-read identity
    emulator.faults.delay = 0
    emulator.serve_tcp(emulator._server.port)
    assert recorder.wait(IdCardRead, timeout=5).identity.card_type == "resident"
    wait_health(reader, "ok")


def test_idcard_garbage_flood_is_survived_within_bounded_memory(idcard, recorder):
    reader, emulator = idcard
    rng = random.Random(9)
    tracemalloc.start()
    try:
        start, _ = tracemalloc.get_traced_memory()
        for _ in range(FLOOD_CHUNKS):
            emulator.faults.garbage = rng.randbytes(FLOOD_CHUNK)
            assert _wait(lambda: not emulator.faults.garbage, 5)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak - start < MEMORY_BUDGET + 2 * FLOOD_CHUNK, f"{(peak - start) / 2**20:.1f} MiB"
    emulator.place("hmt")
    assert recorder.wait(IdCardRead, timeout=5).identity.card_type == "hmt"
    assert reader.health().state == "ok"


# -- printer --------------------------------------------------------------------------------

def _printer(emulator_cls, recorder):
    emulator = emulator_cls("generic-80")
    emulator.serve_tcp()
    device = open_device(f"printer+net://127.0.0.1:{emulator.port}?profile=generic-80&{PRINTER}",
                         on_event=recorder)
    assert device.wait_connected(3)
    return device, emulator


def test_printer_unplugged_mid_print_is_an_error_not_a_receipt(recorder):
    device, emulator = _printer(PlugPulled, recorder)
    try:
        emulator.armed = True
        with pytest.raises(PrinterOffline) as err:
            device.print_document(receipt())
        assert "打印机" in err.value.message and not emulator.jobs
        wait_health(device, "ok", timeout=5)                 # the emulator still listens: replugged
        device.print_document(receipt())
        assert "TJ2026-000777" in emulator.wait_job().text
    finally:
        device.close()
        emulator.stop()


def _printing(emulator_cls):
    """A ReceiptPrinting over the real Devices registry with the printer on the emulator."""
    emulator = emulator_cls("generic-80")
    emulator.serve_tcp()
    devices = Devices.open({"printer": f"printer+net://127.0.0.1:{emulator.port}?profile=generic-80&{PRINTER}"})
    assert devices.printer.wait_connected(3)
    sessions = Sessions()
    return ReceiptPrinting(sessions, devices), sessions, devices, emulator


def test_paper_out_mid_receipt_offers_the_reprint_once_paper_is_back_and_never_prints_by_itself():
    printing, sessions, devices, emulator = _printing(PaperRunsOut)
    told = []
    printing.on_ready(lambda: told.append("ready"))
    try:
        emulator.armed = True
        with pytest.raises(PaperOut) as err:
            printing.print(receipt())
        assert err.value.message == "打印纸已用完，请联系工作人员更换打印纸"
        assert not emulator.jobs and devices.printer.health().state == "degraded" and printing.pending
        time.sleep(0.3)
        assert not emulator.jobs and not told                # still out: nothing printed, nothing told
        emulator.paper = "ok"                                # staff refill the paper
        assert _wait(lambda: told == ["ready"])              # the screen is told, once
        time.sleep(0.5)
        assert not emulator.jobs and printing.pending and told == ["ready"]   # nothing came out by itself
        assert printing.reprint()                            # the citizen taps 打印凭条
        job = emulator.wait_job(timeout=5)
        assert "TJ2026-000777" in job.text and job.qr == ["TJCASE:TJ2026-000777"] and job.cuts == 1
        assert not printing.pending
        sessions.restart("next citizen")
        assert not printing.available and printing.reprint() is False
        assert len(emulator.jobs) == 1
    finally:
        devices.close()
        emulator.stop()


def test_a_failed_receipt_is_not_reprinted_for_the_next_citizen():
    printing, sessions, devices, emulator = _printing(PaperRunsOut)
    try:
        emulator.armed = True
        with pytest.raises(PaperOut):
            printing.print(receipt())
        sessions.restart("citizen walked away")
        emulator.paper = "ok"
        wait_health(devices.printer, "ok", timeout=5)
        time.sleep(0.3)
        assert not emulator.jobs and not printing.pending
    finally:
        devices.close()
        emulator.stop()


# -- scanner -----------------------------------------------------------------------------------

@pytest.fixture
def scanner(recorder):
    emulator = ScannerEmulator()
    emulator.serve_tcp()
    device = open_device(f"scanner+socket://127.0.0.1:{emulator.port}?{SCANNER}", on_event=recorder)
    assert device.wait_connected(3)
    yield device, emulator
    device.close()
    emulator.stop()


def test_scanner_unplugged_mid_line_then_replugged(scanner, recorder):
    device, emulator = scanner
    emulator.send(b"TJCASE:TJ2026-0")                       # half a payload, then the cable goes
    time.sleep(0.1)
    emulator.stop()
    assert wait_health(device, "offline", timeout=5).reason
    emulator.serve_tcp(emulator._server.port)
    wait_health(device, "ok", timeout=5)
    emulator.scan("TJCASE:TJ2026-000888")
    assert recorder.wait(Scanned, timeout=10).text == "TJCASE:TJ2026-000888"  # the half line did not stick to it
    assert not [e for e in recorder.of(Scanned) if e.text != "TJCASE:TJ2026-000888"]


def test_scanner_garbage_and_floods_are_survived_within_bounded_memory(scanner, recorder):
    device, emulator = scanner
    rng = random.Random(10)
    tracemalloc.start()
    try:
        start, _ = tracemalloc.get_traced_memory()
        for i in range(FLOOD_CHUNKS):
            chunk = b"X" * FLOOD_CHUNK if i % 2 else rng.randbytes(FLOOD_CHUNK)
            emulator.send(chunk)
        emulator.send(b"\r\n")
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    emulator.scan("天津市政务服务")
    assert recorder.wait(Scanned, lambda e: e.text == "天津市政务服务", timeout=30)
    assert peak - start < MEMORY_BUDGET + 2 * FLOOD_CHUNK, f"{(peak - start) / 2**20:.1f} MiB"
    assert device.health().state == "ok"
    assert all(isinstance(e, (Scanned, ScanRejected)) or not hasattr(e, "text") for e in recorder.events)
    assert threading.active_count() < 50
