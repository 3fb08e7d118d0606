"""Issue 14 point 3 in the real app: with a damaged outbox key the kiosk still starts; the
commitment flow says plainly, at its start, that it is paused (window, 88908890), an evaluation
says it was not stored, and guide sheets still work."""
from __future__ import annotations

import os

import pytest

from kiosk.platform.outbox import open_outbox
from tests.ui.conftest import online_app, stop_online_app

pytestmark = pytest.mark.ui


@pytest.fixture
def degraded_app(make_settings, sandbox, tmp_path):
    probe = make_settings()
    outbox_dir = probe.state_path("outbox")
    open_outbox(outbox_dir, "TJ").put("evaluation", {"level": "satisfied"})
    (outbox_dir / "outbox.key").write_bytes(os.urandom(7))          # a damaged key beside an entry
    driver = online_app(make_settings, sandbox)
    yield driver
    stop_online_app(driver)


def test_a_damaged_outbox_pauses_commitment_plainly_and_the_rest_works(degraded_app):
    app = degraded_app
    assert app.app.services.outbox.available is False
    app.app.start_session()
    app.app.services.sessions.current.data["item_code"] = "TJ-SCJG-002"
    app.app.go("commitment")
    screen = app.screen("commitment")
    assert app.wait_until(lambda: screen.message, 5)
    assert "暂停承诺办理" in screen.message and "88908890" in screen.message
    app.app.end_session("test")
    app.app.start_session()
    app.app.go("evaluation")
    app.frames(3)
    evaluation = app.screen("evaluation")
    app.tap(evaluation.buttons["level:satisfied"])
    assert app.wait_until(lambda: evaluation.message, 10)
    assert "未提交" in evaluation.message and "88908890" in evaluation.message
    app.app.end_session("test")
    app.app.start_session()
    guide = app.screen("guide_sheet")
    guide.show("TJ-SCJG-001", "guide")
    app.app.go("guide_sheet")
    app.frames(3)
    assert guide.item_code == "TJ-SCJG-001"
