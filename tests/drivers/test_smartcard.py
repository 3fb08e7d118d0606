"""Smart card: pyscard through a real pcscd (started here) and vpcd, with the virtual
social-security card inserted and pulled out."""
from __future__ import annotations

import json
import time

import pytest

from drivers import open_device
from drivers.smartcard.emulator import SocialSecurityCard
from drivers.smartcard.pcscd import PcscDaemon
from drivers.smartcard.reader import SmartCardError, SmartCardInserted, SmartCardRead, SmartCardRemoved
from tests.drivers.conftest import wait_health

FAST = "backoff=0.05&backoff_max=0.2"
REINSERT_PAUSE = 1.0     # pcscd may stay at "no card" when a card returns sooner (HARDWARE.md)


@pytest.fixture(scope="module")
def pcscd():
    if PcscDaemon.running():
        yield None            # someone else's pcscd: use it, leave it alone
        return
    daemon = PcscDaemon().start()
    yield daemon
    daemon.stop()


@pytest.fixture
def card(pcscd):
    cards = []

    def make(**kw):
        c = SocialSecurityCard(**kw)
        cards.append(c)
        return c
    yield make
    for c in cards:
        c.remove()


def test_insert_read_remove_and_pcscd_restart(pcscd, card, recorder):
    device = open_device(f"smartcard+pcsc://?reader=Virtual%20PCD%2000%2000&{FAST}", on_event=recorder)
    try:
        assert device.wait_connected(3)
        assert "Virtual PCD 00 00" in device.readers()
        vicc = card().insert()
        inserted = recorder.wait(SmartCardInserted, timeout=3)
        assert inserted.atr == "3B8880010000000000000000000009"
        info = recorder.wait(SmartCardRead).info
        assert info["name"] == "李四" and info["id_number"] == "120101199003071234"
        assert info["card_number"] == "A12345678" and info["issue_date"] == "20230115"
        assert "李四" not in repr(recorder.wait(SmartCardRead))
        vicc.remove()
        recorder.wait(SmartCardRemoved, timeout=3)
        if pcscd is None:
            return
        pcscd.stop()                       # the reader's service goes away
        assert wait_health(device, "offline").reason
        pcscd.start()
        wait_health(device, "ok", timeout=5)
        time.sleep(REINSERT_PAUSE)
        card().insert()
        assert recorder.wait(SmartCardRead, count=2, timeout=5).info["name"] == "李四"
    finally:
        device.close()


def test_refused_apdu_is_a_card_error(pcscd, card, recorder, tmp_path):
    script = tmp_path / "script.json"
    script.write_text(json.dumps([{"apdu": "00A4000002EF99"}]))
    time.sleep(REINSERT_PAUSE)
    device = open_device(f"smartcard+pcsc://?reader=Virtual%20PCD%2000%2000&script={script}&{FAST}",
                         on_event=recorder)
    try:
        assert device.wait_connected(3)
        card().insert()
        assert recorder.wait(SmartCardError, timeout=5).message == "社保卡读取失败，请重新插卡"
        assert device.health().state == "degraded"
    finally:
        device.close()


def test_emu_url_inserts_the_virtual_card(pcscd, recorder):
    time.sleep(REINSERT_PAUSE)
    device = open_device(f"smartcard+emu://?{FAST}", on_event=recorder)
    try:
        assert recorder.wait(SmartCardRead, timeout=5).info["card_number"] == "A12345678"
    finally:
        device.close()
    recorder.wait(SmartCardRemoved)
