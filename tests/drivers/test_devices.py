"""kiosk.devices.fitted: the configured devices opened from settings, as the kiosk uses them."""
from __future__ import annotations

import threading

import pytest

from drivers.idcard.reader import IdCardRead
from drivers.printer.document import Cut, Document, Text, Title
from kiosk.devices.fitted import Devices, PrinterError
from kiosk.services import build_services


@pytest.fixture
def devices(make_settings):
    devices = Devices.from_settings(make_settings())
    yield devices
    devices.close()


def test_demo_config_opens_every_emulated_device(devices):
    assert devices.smartcard is None
    for device in (devices.idcard, devices.scanner, devices.printer, devices.doccam):
        assert device.wait_connected(3)
    assert {f: h.state for f, h in devices.health().items()} == \
        {"idcard": "ok", "scanner": "ok", "printer": "ok", "doccam": "ok"}


def test_print_document_and_events(devices):
    seen, read = [], threading.Event()

    def listener(family, event):
        seen.append((family, event))
        if isinstance(event, IdCardRead):
            read.set()
    devices.listen(listener)
    devices.printer.wait_connected(3)
    devices.printer.print_document(Document().add(Title("回执"), Text("费用：￥0（免费）"), Cut()))
    assert "费用：￥0（免费）" in devices.printer.emulator.wait_job().lines
    devices.idcard.emulator.place("resident")
    assert read.wait(3)
    assert [f for f, e in seen if isinstance(e, IdCardRead)] == ["idcard"]


def test_printer_offline_is_a_typed_error_with_a_citizen_message(devices):
    devices.printer.wait_connected(3)
    devices.printer.emulator.stop()
    with pytest.raises(PrinterError) as err:
        devices.printer.print_document(Document().add(Text("x")))
    assert err.value.message.startswith("打印机")


def test_bad_device_url_is_reported_not_fatal():
    devices = Devices.open({"printer": "printer+net://127.0.0.1:9?profile=unknown", "idcard": ""})
    try:
        assert devices.printer is None and devices.idcard is None
        assert devices.health()["printer"].state == "offline"
        assert "打印机配置错误" in devices.health()["printer"].reason
    finally:
        devices.close()


def test_services_build_and_close_devices(make_settings):
    services = build_services(make_settings(devices__printer=""))
    try:
        assert services.devices.printer is None and services.devices.idcard is not None
    finally:
        services.close()
    assert services.devices.idcard.health().state == "offline"
