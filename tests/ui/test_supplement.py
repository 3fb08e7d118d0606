"""补交材料 and 进度查询 in the real app: emulated ID card reader, scanner, document camera and
printer, the sandbox platform as a subprocess. The seeded cases of the pending person
(sandbox/seed.py) are found by the receipt's QR code or the ID card; pages captured with
the document camera are uploaded and the updated receipt is decoded from the printer."""
from __future__ import annotations

from dataclasses import replace

import pytest

from drivers.idcard import cards

pytestmark = pytest.mark.ui


def _scan(app, screen_name, text):
    app.app.start_session()
    app.app.go(screen_name)
    screen = app.screen(screen_name)
    app.frames(3)
    assert screen.state == "ask"
    app.app.services.devices.scanner.emulator.scan(text)
    return screen


def _wait_state(app, screen, state, timeout=10):
    assert app.wait_until(lambda: screen.state == state, timeout), (screen.state, screen.message)
    app.frames(2)


def _texts(screen):
    return "\n".join(w.text for w in screen.ids.body.children[::-1] if hasattr(w, "text"))


def test_supplement_by_the_receipt_code_captures_uploads_and_prints(app):
    printer = app.app.services.devices.printer.emulator
    screen = _scan(app, "supplement", "TJCASE:CN-SEED-0002")
    _wait_state(app, screen, "cases")
    app.tap(screen.buttons["material:CN-SEED-0002:M02"])
    assert screen.state == "capture" and "capture" in screen.buttons and "retake" not in screen.buttons
    for button in ("capture", "capture", "retake"):          # two pages, the second one retaken
        app.tap(screen.buttons[button])
        _wait_state(app, screen, "capture")
    assert screen.pages.count("M02") == 2 and "2" in screen.action_text
    app.tap(screen.ids.action)                               # 上传
    _wait_state(app, screen, "cases")
    text = app.printed(1, timeout=10).text
    for needle in ("补交材料凭条", "CN-SEED-0002", "营业执照复印件", "已补交", "场所平面图", "补交截止",
                   "尚有 1 项材料待补交", "88908890", "TJ-DEMO-0001"):
        assert needle in text, needle
    assert printer.jobs[-1].qr == ["TJCASE:CN-SEED-0002"]
    case = app.client.case("CN-SEED-0002")
    assert {m.code: m.status for m in case.materials}["M02"] == "supplied"

    app.tap(screen.buttons["material:CN-SEED-0002:M03"])     # the last one: the case is complete
    app.tap(screen.buttons["capture"])
    _wait_state(app, screen, "capture")
    app.tap(screen.ids.action)
    _wait_state(app, screen, "done")
    assert "全部补齐" in app.printed(2, timeout=10).text
    assert not app.client.case("CN-SEED-0002").deferred_materials


def test_progress_by_id_card_shows_each_case_timeline_with_dates(app):
    from sandbox.seed import PENDING_PERSON
    app.app.start_session()
    app.app.go("progress")
    screen = app.screen("progress")
    app.frames(3)
    app.app.services.devices.idcard.emulator.place(
        replace(cards.resident(), name=PENDING_PERSON[2], id_number=PENDING_PERSON[1]))
    _wait_state(app, screen, "cases")
    shown = _texts(screen)
    for needle in ("CN-SEED-0001", "CN-SEED-0003", "CN-SEED-0004", "承诺审批通过", "开始核查", "核查完成",
                   "审批决定已撤销", "已补交材料", "营业执照复印件"):
        assert needle in shown, needle
    assert any(line[:4].isdigit() and "开始核查" in line for line in shown.splitlines())   # with its date
    assert PENDING_PERSON[1] not in shown


def test_a_letter_still_in_the_outbox_is_reported_as_queued(app):
    services = app.app.services
    entry = services.outbox.put("commitment", {"item_code": "TJ-SCJG-002"}, hold=600)   # the sender leaves it
    screen = _scan(app, "progress", f"TJREF:{entry.ref}")
    _wait_state(app, screen, "queued")
    assert entry.ref in _texts(screen) and "等待提交" in _texts(screen)
    app.tap(screen.ids.back)
    services.devices.scanner.emulator.scan("https://example.com/not-a-receipt")
    assert app.wait_until(lambda: "不是本系统凭条" in screen.message, 10)
