"""进度查询 (issue 17 point 1): every state of a case on the real platform, in the citizen's
words, with what they can do next (kiosk/citizen/lookup.progress); every key exists in both
languages and formats with the values given."""
from __future__ import annotations

import datetime as dt

from kiosk.citizen import lookup
from kiosk.i18n import Messages
from kiosk.platform.models import Page
from lifecycle_helpers import DUE, START, submit
from sandbox.testing import new_person_id

NEXT_DAY = DUE + dt.timedelta(days=1)
PNG = Page("image/png", b"\x89PNG\r\n\x1a\npage")


def said(progress: lookup.Progress) -> list[str]:
    """Every sentence the screen shows, in both languages (a missing key would show itself)."""
    out = []
    for language in ("zh_CN", "en"):
        messages = Messages(language)
        for line in (progress.state, *progress.notes):
            text = messages.t(line.key, **line.params)
            assert text != line.key, line.key
            out.append(text)
        for action in progress.actions:
            assert messages.t(f"lookup.action.{action}") != f"lookup.action.{action}"
    return out


def test_approved_case_offers_supplement_and_extension(platform, clock):
    """信用承诺 第三条 (60 working days) and 第十六条 (extension before the deadline)."""
    case = platform.case(submit(platform).case_number)
    p = lookup.progress(case, START)
    assert p.state.key == "lookup.state.approved" and p.actions == ("supplement", "request_extension")
    said(p)
    assert lookup.progress(case, NEXT_DAY).actions == ("supplement",)   # the terminal's day past it


def test_overdue_case_tells_to_contact_the_agency(platform, box, clock):
    """信用承诺 第九条(二)、第十六条: overdue, no more uploads here, the judgement pending."""
    case = submit(platform)
    clock(NEXT_DAY)
    got = platform.case(case.case_number)
    p = lookup.progress(got, NEXT_DAY)
    assert p.state.key == "lookup.state.overdue" and p.actions == ("ask_agency",)
    assert [n.key for n in p.notes] == ["lookup.judgement.pending"]
    assert any("第九条(二)" in text for text in said(p))
    assert lookup.open_cases(lookup.Found("cases", [got])) == []      # not offered to 补交材料
    assert "overdue" not in [s.event for s in lookup.timeline(got) if not s.done]
    box.admin("POST", f"/cases/{case.case_number}/judgement", outcome="dishonest")
    p = lookup.progress(platform.case(case.case_number), NEXT_DAY)
    assert p.actions == ("credit_repair", "ask_agency")
    assert [n.key for n in p.notes] == ["lookup.judgement.dishonest"]


def test_suspended_case_offers_supplement_and_credit_repair(platform, box, clock):
    """信用承诺 第九条: 一律中止，待其补齐材料后再进行审批."""
    person = new_person_id()
    case = submit(platform, person)
    box.admin("POST", "/blacklist", subject_type="person", subject_id=person)
    p = lookup.progress(platform.case(case.case_number), START)
    assert p.state.key == "lookup.state.suspended"
    assert p.actions == ("supplement", "request_extension", "credit_repair", "ask_agency")
    said(p)
    resumed = platform.upload_material(case.case_number, "M02", [PNG])
    assert lookup.progress(resumed, START).state.key == "lookup.state.approved"


def test_revoked_case_names_its_ground(platform, box, clock):
    """全程监督 第十七条: the ground and its article shown to the citizen."""
    case = submit(platform)
    box.admin("POST", f"/cases/{case.case_number}/revocation", ground="false_materials")
    p = lookup.progress(platform.case(case.case_number), START)
    assert p.state.params == {"what": "隐瞒有关情况或者提供虚假材料", "article": "全程监督 第十七条"}
    assert "审批决定已撤销：隐瞒有关情况或者提供虚假材料（全程监督 第十七条）。" in said(p)
    assert p.actions == ("ask_agency",)


def test_extension_pending_granted_refused_with_the_date(platform, box, clock):
    """信用承诺 第十六条: progress shows pending / approved / refused and the date that holds."""
    from kiosk.citizen import extension
    from kiosk.workdays.calendar import add_workdays
    granted = extension.request(platform, submit(platform), "外地证明尚未开具", START)
    p = lookup.progress(granted, START)
    assert p.notes[0].key == "lookup.extension.requested" and p.notes[0].params["due"] == "2025-12-19"
    assert "request_extension" not in p.actions
    box.admin("POST", f"/cases/{granted.case_number}/extension", approve=True, by="张局长")
    p = lookup.progress(platform.case(granted.case_number), START)
    assert p.notes[0] == lookup.Line("lookup.extension.granted", {"due": add_workdays(DUE, 20).isoformat()})
    refused = extension.request(platform, submit(platform), "外地证明尚未开具", START)
    box.admin("POST", f"/cases/{refused.case_number}/extension", approve=False, by="张局长")
    p = lookup.progress(platform.case(refused.case_number), START)
    assert p.notes[0] == lookup.Line("lookup.extension.refused", {"due": "2025-12-19"})
    said(p)


def test_completed_case_needs_nothing(platform, box, clock):
    case = submit(platform)
    platform.upload_material(case.case_number, "M02", [PNG])
    box.admin("POST", f"/cases/{case.case_number}/advance", event="verification_started")
    done = box.admin("POST", f"/cases/{case.case_number}/advance", event="verification_finished")
    assert done["status"] == "completed"
    p = lookup.progress(platform.case(case.case_number), START)
    assert p.state.key == "lookup.state.completed" and p.actions == () and p.notes == ()
