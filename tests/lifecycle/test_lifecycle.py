"""The lifecycle of a commitment case on the platform (issue 17 point 1), driven by the
platform's clock, which the tests move through the admin API: overdue, judgement, blacklist,
suspension and resumption, revocation, leniency, leaving the blacklist."""
from __future__ import annotations

import datetime as dt

import pytest

from kiosk.platform.client import new_idempotency_key
from kiosk.platform.errors import PlatformRejected
from kiosk.platform.models import Page
from lifecycle_helpers import DUE, START, problem, submit
from sandbox.testing import new_person_id

PNG = Page("image/png", b"\x89PNG\r\n\x1a\npage")
NEXT_DAY = DUE + dt.timedelta(days=1)


def test_missed_deadline_makes_the_case_overdue_and_opens_the_judgement(platform, clock):
    """信用承诺 第七条、第九条(二): 未按时提交约定申请材料 is 失信; the agency judges it."""
    person = new_person_id()
    case = submit(platform, person)
    assert case.deadlines.supplement_due == DUE
    clock(DUE)                                  # the last day still counts
    assert platform.case(case.case_number).status == "approved"
    out = clock(NEXT_DAY)
    assert case.case_number in out["overdue"]
    late = platform.case(case.case_number)
    assert late.status == "overdue"
    assert ("overdue", NEXT_DAY) in [(e.event, e.on) for e in late.timeline]
    assert late.judgement.status == "pending" and late.judgement.ground == "late"
    assert late.judgement.article == "信用承诺 第九条(二)"
    # not judged yet: the subject is still in good standing
    assert not platform.credit_status("person", person).blacklisted


def test_late_upload_is_refused_once_overdue(platform, clock):
    """信用承诺 第十六条: 到期仍未提交 the agency revokes; the terminal no longer takes the material."""
    case = submit(platform)
    clock(NEXT_DAY)
    with pytest.raises(PlatformRejected) as err:
        platform.upload_material(case.case_number, "M02", [PNG])
    assert err.value.slug == "supplement-overdue"
    clock(DUE)                                  # on the last day it is still taken
    on_time = submit(platform, on=START)
    assert platform.upload_material(on_time.case_number, "M02", [PNG]).deferred_materials == []


def test_dishonest_judgement_blacklists_and_suspends_every_other_pending_case(platform, box, clock):
    """信用承诺 第七条 (一次失信列入黑名单) and 第九条 (其他承诺审批事项一律中止，待其补齐材料后再进行审批)."""
    person = new_person_id()
    late = submit(platform, person)
    later = START + dt.timedelta(days=42)
    clock(later)
    approved = submit(platform, person, on=later)
    verifying = submit(platform, person, on=later)
    verified = submit(platform, person, on=later)
    complete = submit(platform, person, on=later, deferred=())
    box.admin("POST", f"/cases/{verifying.case_number}/advance", event="verification_started")
    box.admin("POST", f"/cases/{verified.case_number}/advance", event="verification_started")
    box.admin("POST", f"/cases/{verified.case_number}/advance", event="verification_finished")
    assert platform.case(verified.case_number).status == "verified"
    clock(NEXT_DAY)
    assert platform.case(late.case_number).status == "overdue"
    judged = box.admin("POST", f"/cases/{late.case_number}/judgement", outcome="dishonest")
    assert judged["judgement"]["status"] == "dishonest"
    credit = platform.credit_status("person", person)
    assert credit.blacklisted and "第九条(二)" in credit.reason and credit.suspended_cases == 3
    statuses = {n: platform.case(n).status for n in (approved.case_number, verifying.case_number,
                                                      verified.case_number, complete.case_number)}
    assert statuses == {approved.case_number: "suspended", verifying.case_number: "suspended",
                        verified.case_number: "suspended", complete.case_number: "approved"}
    with pytest.raises(PlatformRejected) as err:
        submit(platform, person, on=NEXT_DAY)
    assert err.value.slug == "blacklisted"
    # materials complete: each resumes where it stopped (a verified one is then completed)
    assert platform.upload_material(verifying.case_number, "M02", [PNG]).status == "verifying"
    done = platform.upload_material(verified.case_number, "M02", [PNG])
    assert done.status == "completed" and done.timeline[-1].event == "resumed"
    assert platform.case(approved.case_number).status == "suspended"
    assert problem(box.admin_raw("POST", f"/cases/{approved.case_number}/resume")) == "materials-outstanding"


def test_honest_judgement_leaves_the_subject_in_good_standing(platform, box, clock):
    """信用承诺 第七条: 评判等级分为诚实守信和失信; only 失信 leads to the blacklist."""
    person = new_person_id()
    case = submit(platform, person)
    clock(NEXT_DAY)
    box.admin("POST", f"/cases/{case.case_number}/judgement", outcome="honest")
    assert platform.case(case.case_number).judgement.status == "honest"
    assert not platform.credit_status("person", person).blacklisted
    again = box.admin_raw("POST", f"/cases/{case.case_number}/judgement", outcome="dishonest")
    assert problem(again) == "judgement-decided"


def test_lenient_only_for_minor_dishonesty(platform, box, clock):
    """失信惩戒 第十四条: 轻微失信 酌情减轻或者不予惩戒; late materials are serious (失信惩戒 第五条(四))."""
    late = submit(platform)
    clock(NEXT_DAY)
    refused = box.admin_raw("POST", f"/cases/{late.case_number}/judgement", outcome="lenient")
    assert problem(refused) == "judgement-not-minor"
    assert "第五条(四)" in refused.json()["detail"]
    person = new_person_id()
    minor = submit(platform, person, on=NEXT_DAY)
    judged = box.admin("POST", f"/cases/{minor.case_number}/judgement", outcome="lenient", ground="other")
    assert judged["judgement"]["status"] == "lenient" and judged["status"] == "approved"
    assert not platform.credit_status("person", person).blacklisted
    fresh = submit(platform, on=NEXT_DAY)
    assert problem(box.admin_raw("POST", f"/cases/{fresh.case_number}/judgement",
                                 outcome="dishonest")) == "judgement-not-open"


def test_revocation_needs_its_ground(platform, box, clock):
    """信用承诺 第十六条 and 全程监督 第十条: revoked for materials not supplied only once overdue."""
    case = submit(platform)
    early = box.admin_raw("POST", f"/cases/{case.case_number}/revocation", ground="materials_not_supplied")
    assert problem(early) == "revocation-ground-unmet"
    clock(NEXT_DAY)
    revoked = box.admin("POST", f"/cases/{case.case_number}/revocation", ground="materials_not_supplied")
    assert revoked["status"] == "revoked"
    got = platform.case(case.case_number)
    assert got.revocation.ground == "materials_not_supplied" and "第十六条" in got.revocation.article
    assert got.judgement.status == "pending" and got.judgement.ground == "late"
    with pytest.raises(PlatformRejected) as err:
        platform.upload_material(case.case_number, "M02", [PNG])
    assert err.value.slug == "case-closed"


def test_revocation_for_false_materials_bars_commitment_for_good(platform, box, clock):
    """全程监督 第十七条: 提供虚假材料 … 撤销行政许可决定 … 对该行政相对人不再适用承诺审批;
    失信惩戒 第十三条: leaving the blacklist does not lift it."""
    person = new_person_id()
    case = submit(platform, person)
    box.admin("POST", f"/cases/{case.case_number}/revocation", ground="false_materials")
    got = platform.case(case.case_number)
    assert got.judgement.ground == "fraud" and got.revocation.article == "全程监督 第十七条"
    assert platform.credit_status("person", person).commitment_barred
    with pytest.raises(PlatformRejected) as err:                 # at once, before any judgement
        submit(platform, person)
    assert err.value.slug == "commitment-barred"
    box.admin("POST", f"/cases/{case.case_number}/judgement", outcome="dishonest")
    receipt = platform.request_credit_repair("person", person, {"application": [PNG],
                                                                "subject_qualification": [PNG]})
    box.admin("POST", f"/credit-repairs/{receipt.number}/decision", approve=True)
    credit = platform.credit_status("person", person)
    assert not credit.blacklisted and credit.commitment_barred
    with pytest.raises(PlatformRejected) as err:
        submit(platform, person)
    assert err.value.slug == "commitment-barred"


def test_credit_repair_needs_no_clean_year_and_leaving_is_the_agencys_choice(platform, box, clock):
    """失信惩戒 第十二、十三条: apply at any time; 信用承诺 第七条: 1年内未再次发生失信 … 可酌情转出:
    the agency may let the subject leave before a year (clean_year shown, not required) or refuse."""
    person, other = new_person_id(), new_person_id()
    kept = submit(platform, person, on=START)
    for who in (person, other):
        late = submit(platform, who)
        clock(NEXT_DAY)
        box.admin("POST", f"/cases/{late.case_number}/judgement", outcome="dishonest")
        clock(START)
    clock(NEXT_DAY)
    assert platform.case(kept.case_number).status == "overdue"     # due the same day as the other
    docs = {"application": [PNG], "subject_qualification": [PNG]}
    receipt = platform.request_credit_repair("person", person, docs)   # the day after the judgement
    decided = box.admin("POST", f"/credit-repairs/{receipt.number}/decision", approve=True)
    assert decided["decision"] == "approved" and decided["clean_year"] is False
    assert decided["credit"]["standing"] == "good"
    assert problem(box.admin_raw("POST", f"/credit-repairs/{receipt.number}/decision",
                                 approve=True)) == "repair-decided"
    refused = box.admin("POST", f"/credit-repairs/{platform.request_credit_repair('person', other, docs).number}"
                                "/decision", approve=False)
    assert refused["credit"]["standing"] == "blacklisted"
    clock(NEXT_DAY + dt.timedelta(days=366))
    later = box.admin("POST", f"/credit-repairs/{platform.request_credit_repair('person', other, docs).number}"
                              "/decision", approve=True)
    assert later["clean_year"] is True and later["credit"]["standing"] == "good"


def test_leaving_the_blacklist_resumes_suspended_cases(platform, box, clock):
    """信用承诺 第九条: the suspension lasts while the subject is blacklisted or materials are missing."""
    person = new_person_id()
    case = submit(platform, person)
    box.admin("POST", "/blacklist", subject_type="person", subject_id=person)
    assert platform.case(case.case_number).status == "suspended"
    assert box.admin("POST", "/blacklist/remove", subject_type="person", subject_id=person) == {"resumed_cases": 1}
    assert platform.case(case.case_number).status == "approved"


def test_a_suspended_case_still_goes_overdue(platform, box, clock):
    """信用承诺 第九条 suspends the approval, not the 60 working days of 第三条."""
    person = new_person_id()
    case = submit(platform, person)
    box.admin("POST", "/blacklist", subject_type="person", subject_id=person)
    clock(NEXT_DAY)
    assert platform.case(case.case_number).status == "overdue"


def test_the_admin_cli_moves_the_clock_and_judges(platform, box, clock):
    """The agency side as `python -m sandbox admin` commands (clock, judge, revoke-case, resume)."""
    import json
    import subprocess
    import sys
    from sandbox.testing import ROOT

    def admin(*args, ok=True):
        run = subprocess.run([sys.executable, "-m", "sandbox", "admin", "--db", str(box.db), *args],
                             cwd=ROOT, capture_output=True, text=True, timeout=60)
        assert (run.returncode == 0) == ok, run.stderr
        return json.loads(run.stdout if ok else run.stderr)
    case = submit(platform)
    assert admin("clock")["today"] == START.isoformat()
    moved = admin("clock", "--workdays", "61")
    assert case.case_number in moved["overdue"]
    assert admin("judge", case.case_number, "lenient", ok=False)["problem"] == "judgement-not-minor"
    assert admin("judge", case.case_number, "dishonest")["judgement"]["status"] == "dishonest"
    assert admin("revoke-case", case.case_number, "materials_not_supplied")["status"] == "revoked"
    assert admin("resume", case.case_number, ok=False)["problem"] == "case-closed"


def test_todays_path_on_the_real_date(tmp_path):
    """On the real date (no fixed day): a letter signed now is committed today in China time
    (信用承诺 第三条 自承诺之日起); two hundred days on, the case is overdue if the calendar can count
    its deadline, and never when it cannot (the platform never guesses a working day)."""
    from sandbox.testing import Sandbox, letter
    real = Sandbox(tmp_path, today=None).start()
    try:
        client = real.enrolled_client("TJ-LIFECYCLE-TODAY")
        now = dt.datetime.now(dt.timezone(dt.timedelta(hours=8)))
        case = client.submit_commitment(letter(signed_at=now), new_idempotency_key())
        assert case.committed_on == now.date() and case.status == "approved"
        assert real.admin("GET", "/clock")["today"] == now.date().isoformat()
        real.admin("POST", "/clock", days=200)
        expected = "approved" if case.deadlines.supplement_due is None else "overdue"
        assert client.case(case.case_number).status == expected
        assert real.admin("POST", "/clock", real=True)["today"] == now.date().isoformat()
    finally:
        real.stop()
