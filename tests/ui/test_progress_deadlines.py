"""进度查询 shows each deadline the platform knows and, for one beyond every holiday table, a
plain sentence saying how the date will be learnt (no word about data). Real app."""
from __future__ import annotations

import datetime as dt

import pytest

from kiosk.citizen import lookup
from kiosk.platform.models import Case, CaseEvent, CaseMaterial, Deadlines, Extension
from screens.tour.progress import demo_cases

pytestmark = pytest.mark.ui


def _texts(screen):
    return [w.text for w in screen.ids.body.children if hasattr(w, "text")]


def _case(due):
    signed = dt.date(2026, 12, 2)
    return Case("CN-20261202-000001", "TJ-SCJG-002", "个体工商户登记", "承诺审批", "approved", signed,
                Deadlines(due, dt.date(2026, 12, 7), None, None, due is not None), Extension("none", None, 0),
                [CaseMaterial("M03", "经营场所使用证明", "deferred", due, None)], [CaseEvent("approved", signed)])


def test_partly_known_deadlines_are_shown(kiosk):
    app = kiosk.app
    app.start_session()
    app.go("progress")
    kiosk.frames(3)
    screen = kiosk.screen("progress")
    screen.stop_watching()
    screen.show_found(lookup.Found("cases", [_case(None)]))
    kiosk.frames(2)
    texts = _texts(screen)
    assert any("2026-12-07" in t for t in texts)                         # verification start: known
    assert "经营场所使用证明：补交期限由审批部门确定后告知，可拨打88908890查询" in texts
    assert not any("数据" in t or "由平台确认" in t for t in texts)
    screen.show_found(lookup.Found("cases", [_case(dt.date(2027, 3, 3))]))  # once the platform knows it
    kiosk.frames(2)
    assert any("经营场所使用证明" in t and "2027-03-03" in t for t in _texts(screen))
    first, _ = demo_cases(app.services.calendar)                          # the tour counts on the same calendar
    assert first.deadlines.verification_start_due is not None
