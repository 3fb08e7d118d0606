"""信用修复 in the real app against the sandbox: from the credit check's blacklisted path, the
materials of 失信惩戒 第十二条 captured with the emulated document camera, submitted, and the
printed acknowledgement decoded; from the home tile, a citizen not on the blacklist is told
no repair is needed."""
from __future__ import annotations

from dataclasses import replace

import pytest

from drivers.idcard import cards
from tests.ui.test_commitment import ITEM

pytestmark = pytest.mark.ui


def _state(app, screen, state, timeout=10):
    assert app.wait_until(lambda: screen.state == state, timeout), (screen.state, screen.message)
    app.frames(2)


def _capture(app, screen, kind, pages):
    app.tap(screen.buttons[f"kind:{kind}"])
    for _ in range(pages):
        app.tap(screen.buttons["capture"])
        _state(app, screen, "capture")
    app.tap(screen.ids.action)                               # 本项拍完
    _state(app, screen, "documents")


def test_blacklisted_applicant_applies_for_credit_repair_and_gets_an_acknowledgement(app):
    from sandbox.seed import BLACKLISTED_PERSON
    app.app.start_session()
    app.app.services.sessions.current.data["item_code"] = ITEM
    app.app.go("commitment")
    app.frames(3)
    check = app.screen("commitment")
    app.app.services.devices.idcard.emulator.place(
        replace(cards.resident(), name=BLACKLISTED_PERSON[2], id_number=BLACKLISTED_PERSON[1]))
    _state(app, check, "blacklisted")
    app.tap(check.ids.repair_button)
    screen = app.screen("credit_repair")
    assert app.app.current == "credit_repair" and screen.state == "intro"
    assert "修复申请书" in "\n".join(w.text for w in screen.ids.body.children if hasattr(w, "text"))
    app.tap(screen.ids.action)                               # 开始办理: the subject is already known
    _state(app, screen, "documents")
    assert "submit" not in screen.buttons                    # the required materials come first
    _capture(app, screen, "application", 1)
    _capture(app, screen, "subject_qualification", 2)
    assert "submit" in screen.buttons
    app.tap(screen.ids.action)                               # 提交申请
    _state(app, screen, "done")
    text = app.printed(1, timeout=10).text
    for needle in ("信用修复申请回执", screen.receipt.number, "修复申请书", "主体资格证明", "2页",
                   "120103********" + BLACKLISTED_PERSON[1][-4:], "88908890", "TJ-DEMO-0001"):
        assert needle in text, needle
    assert BLACKLISTED_PERSON[1] not in text


def test_from_the_home_tile_a_citizen_not_blacklisted_needs_no_repair(app):
    app.app.start_session()
    app.app.go("credit_repair")
    screen = app.screen("credit_repair")
    app.frames(3)
    app.tap(screen.ids.action)
    assert screen.state == "identify"
    app.app.services.devices.idcard.emulator.place("resident")
    _state(app, screen, "not_needed")
