"""进度查询 in the real app (issue 17): each case says where it stands and what the citizen can
do (lookup.progress), and a case before its deadline offers the extension, asked for with one
tap on the special circumstance and routed to the deciding agency's legal representative
(信用承诺 第十六条); the embedded platform holds the case."""
from __future__ import annotations

import datetime as dt

import pytest

from kiosk.citizen import lookup
from kiosk.platform.client import new_idempotency_key
from sandbox.testing import letter

pytestmark = pytest.mark.ui


def _texts(screen):
    return [w.text for w in screen.ids.body.children if hasattr(w, "text")]


def test_progress_offers_the_extension_and_shows_it_pending(kiosk):
    app = kiosk.app
    platform = app.services.platform
    now = dt.datetime.now(dt.timezone(dt.timedelta(hours=8)))
    case = platform.submit_commitment(letter(signed_at=now), new_idempotency_key())
    app.start_session()
    app.go("progress")
    kiosk.frames(3)
    screen = kiosk.screen("progress")
    screen.stop_watching()
    screen.show_found(lookup.Found("cases", [case]))
    kiosk.frames(2)
    texts = _texts(screen)
    assert any("请在补交截止日前补齐" in t for t in texts)                  # the state, in plain words
    assert any(t.startswith("申请延期：") for t in texts)                  # what can be done
    kiosk.tap(screen.buttons[f"extend:{case.case_number}"])
    assert screen.state == "extension"
    assert "reason:0" in screen.buttons
    kiosk.tap(screen.buttons["reason:0"])
    assert kiosk.wait_until(lambda: screen.state == "cases", 10)
    assert screen.message == app.t("extension.sent")
    shown = screen.found.cases[0]
    assert shown.extension.status == "requested" and shown.extension.routed_to.endswith("法定代表人")
    kiosk.frames(2)
    texts = _texts(screen)
    assert any(t.startswith("延期申请已提交，等待审批部门法定代表人审批") for t in texts)
    assert f"extend:{case.case_number}" not in screen.buttons           # asked once (第十六条)
    assert platform.case(case.case_number).extension.status == "requested"
