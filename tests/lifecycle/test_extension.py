"""The extension request (issue 17 point 4; 信用承诺 第十六条: a written request, approved by the
legal representative of the deciding agency, +20 working days): platform side through the
sandbox's clock and admin commands, kiosk side through kiosk/citizen/extension.py."""
from __future__ import annotations

import datetime as dt

import pytest

from kiosk.citizen import extension
from kiosk.platform.client import PlatformClient
from kiosk.workdays.calendar import add_workdays
from lifecycle_helpers import DUE, problem, submit
from sandbox.testing import free_port

NEXT_DAY = DUE + dt.timedelta(days=1)
REASON = "营业执照正在变更，需外地开具证明"


def test_request_is_routed_to_the_deciding_agencys_legal_representative(platform, box, clock):
    """信用承诺 第十六条: 经具有决定权行政机关的法定代表人批准同意."""
    case = extension.request(platform, submit(platform), REASON, DUE)
    assert case.extension.status == "requested" and case.extension.requested_on == dt.date(2025, 9, 22)
    assert case.extension.routed_to == "天津市市场监督管理委员会法定代表人"
    nobody = box.admin_raw("POST", f"/cases/{case.case_number}/extension", approve=True, by=" ")
    assert problem(nobody) == "invalid-request"
    granted = box.admin("POST", f"/cases/{case.case_number}/extension", approve=True, by="张局长")
    assert granted["extension"]["status"] == "granted" and granted["extension"]["extra_workdays"] == 20
    assert granted["deadlines"]["supplement_due"] == add_workdays(DUE, 20).isoformat()
    clock(NEXT_DAY)                                  # past the first deadline: still running
    assert platform.case(case.case_number).status == "approved"
    clock(add_workdays(DUE, 20) + dt.timedelta(days=1))
    assert platform.case(case.case_number).status == "overdue"


def test_a_pending_request_holds_the_case_until_refused(platform, box, clock):
    """第十六条: the deadline is the agency's to move; refused after it, the case is overdue at once."""
    case = extension.request(platform, submit(platform), REASON, dt.date(2025, 9, 22))
    clock(NEXT_DAY)
    assert platform.case(case.case_number).status == "approved"
    refused = box.admin("POST", f"/cases/{case.case_number}/extension", approve=False, by="张局长")
    assert refused["extension"]["status"] == "refused" and refused["status"] == "overdue"
    again = box.admin_raw("POST", f"/cases/{case.case_number}/extension", approve=True, by="张局长")
    assert problem(again) == "extension-not-requested"


def test_terminal_refuses_what_the_measures_do_not_allow(platform, clock):
    """第十六条: once, before the deadline, in writing; each refusal a plain sentence, nothing sent."""
    case = submit(platform)
    with pytest.raises(extension.ExtensionRefused) as err:
        extension.request(platform, case, "  延期 ", DUE)
    assert err.value.key == "extension.reason_required"
    assert platform.case(case.case_number).extension.status == "none"      # nothing was sent
    with pytest.raises(extension.ExtensionRefused) as err:
        extension.request(platform, case, REASON, NEXT_DAY)                # the terminal's own day
    assert err.value.key == "extension.too_late"
    sent = extension.request(platform, case, REASON, DUE)
    with pytest.raises(extension.ExtensionRefused) as err:
        extension.request(platform, sent, REASON, DUE)
    assert err.value.key == "extension.already"
    complete = submit(platform, deferred=())
    with pytest.raises(extension.ExtensionRefused) as err:
        extension.request(platform, complete, REASON, DUE)
    assert err.value.key == "extension.nothing"


def test_platform_refuses_a_late_request_whatever_the_terminal_thinks(platform, clock):
    """The platform's day decides (第十六条 before the deadline): a terminal whose clock is behind
    is told plainly."""
    case = submit(platform)
    clock(NEXT_DAY)
    with pytest.raises(extension.ExtensionRefused) as err:
        extension.request(platform, case, REASON, DUE)      # `case` as fetched before; clock behind
    assert err.value.key == "extension.too_late"


def test_unreachable_platform_says_so(platform, clock):
    case = submit(platform)
    offline = PlatformClient(f"http://127.0.0.1:{free_port()}", platform.auth.credential,
                             connect_timeout=0.5, read_timeout=0.5)
    with pytest.raises(extension.ExtensionRefused) as err:
        extension.request(offline, case, REASON, DUE)
    assert err.value.key == "extension.offline"
    assert platform.case(case.case_number).extension.status == "none"
