"""The client against the real sandbox: every resource and every rule of issue 4."""
from __future__ import annotations

import datetime as dt

import pytest
import requests

from kiosk.platform.client import new_idempotency_key

from kiosk.platform.errors import PlatformRejected

from kiosk.platform.models import DeviceHealth, Page
from kiosk.workdays.calendar import add_workdays
from sandbox import seed
from sandbox.testing import FOOD, HAZCHEM, letter, new_person_id

PNG = Page("image/png", b"\x89PNG\r\n\x1a\npage")


def test_commitment_accepted_with_deadlines(client):
    case = client.submit_commitment(letter(deferred=("M02", "M03")), new_idempotency_key())
    assert case.decision == "承诺审批" and case.status == "approved"
    assert case.case_number.startswith("TJ20250922")
    start = case.committed_on
    assert case.deadlines.supplement_due == add_workdays(start, 60) == dt.date(2025, 12, 19)
    assert case.deadlines.verification_start_due == add_workdays(start, 3)
    assert case.deadlines.verification_end_due == add_workdays(start, 50)
    assert case.deadlines.confirmed
    assert [m.code for m in case.deferred_materials] == ["M02", "M03"]
    assert all(m.due_on == dt.date(2025, 12, 19) for m in case.deferred_materials)
    assert client.case(case.case_number) == case


def test_idempotency_same_key_same_case_different_body_refused(client, sandbox):
    the_letter, key = letter(), new_idempotency_key()
    first = client.submit_commitment(the_letter, key)
    again = client.submit_commitment(the_letter, key)
    assert again.case_number == first.case_number
    letters = [l for l in sandbox.admin("GET", "/letters")["letters"] if l["case_number"] == first.case_number]
    assert len(letters) == 1
    with pytest.raises(PlatformRejected) as err:
        client.submit_commitment(letter(the_letter.applicant.id_number, letter_text="改过的"), key)
    assert err.value.slug == "idempotency-conflict"


def test_submission_without_key_refused(client):
    with pytest.raises(PlatformRejected) as err:
        client.request("POST", "/api/v1/commitments", json_body=letter().to_json())
    assert err.value.slug == "idempotency-key-required" and err.value.status == 400


def test_blacklisted_subject_refused(client):
    person = seed.BLACKLISTED_PERSON[1]
    assert client.credit_status("person", person).blacklisted
    with pytest.raises(PlatformRejected) as err:
        client.submit_commitment(letter(person), new_idempotency_key())
    assert err.value.slug == "blacklisted" and err.value.status == 403


def test_company_credit_and_commitment(client):
    good, bad = seed.GOOD_COMPANY[1], seed.BLACKLISTED_COMPANY[1]
    assert client.credit_status("company", good).standing == "good"
    assert client.credit_status("company", bad).blacklisted
    from kiosk.platform.models import Applicant, Signer
    company_letter = letter(applicant=Applicant("company", "天津示例科技有限公司", uscc=good),
                            signer=Signer("legal_representative", "孙七",
                                          seed.LEGAL_REPRESENTATIVES[good][0]))
    assert client.submit_commitment(company_letter, new_idempotency_key()).status == "approved"


def test_item_not_allowing_commitment_refused(client):
    with pytest.raises(PlatformRejected) as err:
        client.submit_commitment(letter(item_code=HAZCHEM, deferred=()), new_idempotency_key())
    assert err.value.slug == "commitment-not-allowed" and "第四条" in err.value.detail
    with pytest.raises(PlatformRejected) as err:
        client.submit_commitment(letter(item_code="NO-SUCH-ITEM"), new_idempotency_key())
    assert err.value.slug == "item-unknown"
    with pytest.raises(PlatformRejected) as err:
        client.submit_commitment(letter(deferred=("M01X",)), new_idempotency_key())
    assert err.value.slug == "material-not-deferrable"


def test_blacklisting_suspends_pending_cases(client, sandbox):
    person = new_person_id()
    a = client.submit_commitment(letter(person), new_idempotency_key())
    b = client.submit_commitment(letter(person), new_idempotency_key())
    sandbox.admin("POST", f"/cases/{b.case_number}/advance", event="verification_started")
    assert client.credit_status("person", person).pending_commitment_cases == 2
    out = sandbox.admin("POST", "/blacklist", subject_type="person", subject_id=person)
    assert out["suspended_cases"] == 2
    assert client.case(a.case_number).status == "suspended"
    assert client.case(b.case_number).timeline[-1].event == "suspended"
    status = client.credit_status("person", person)
    assert status.blacklisted and status.suspended_cases == 2
    with pytest.raises(PlatformRejected):
        client.submit_commitment(letter(person), new_idempotency_key())


def test_case_lifecycle_materials_extension(client, sandbox):
    case = client.submit_commitment(letter(deferred=("M02", "M03")), new_idempotency_key())
    n = case.case_number
    case = client.request_extension(n, "材料需外地开具，申请延期")
    assert case.extension.status == "requested"
    with pytest.raises(PlatformRejected) as err:
        client.request_extension(n, "again")
    assert err.value.slug == "extension-already-requested"
    granted = sandbox.admin("POST", f"/cases/{n}/extension", approve=True, by="局长")
    assert granted["deadlines"]["supplement_due"] == add_workdays(dt.date(2025, 12, 19), 20).isoformat()
    case = client.upload_material(n, "M02", [PNG, PNG])
    assert {m.code: m.status for m in case.materials}["M02"] == "supplied"
    with pytest.raises(PlatformRejected) as err:
        client.upload_material(n, "M01", [PNG])
    assert err.value.slug == "material-not-deferred"
    sandbox.admin("POST", f"/cases/{n}/advance", event="verification_started")
    sandbox.admin("POST", f"/cases/{n}/advance", event="verification_finished")
    assert client.case(n).status == "verified"
    case = client.upload_material(n, "M03", [PNG])
    assert case.status == "completed" and "supplemented" in [e.event for e in case.timeline]
    sandbox.admin("POST", f"/cases/{n}/revocation", ground="materials_unqualified")
    with pytest.raises(PlatformRejected) as err:
        client.upload_material(n, "M03", [PNG])
    assert err.value.slug == "case-closed"


def test_case_lookup_and_search(client):
    with pytest.raises(PlatformRejected) as err:
        client.case("NOPE-0000")
    assert err.value.slug == "case-not-found" and err.value.status == 404
    cases = client.cases_of("person", seed.PENDING_PERSON[1])
    assert {c.case_number for c in cases} >= {"CN-SEED-0001", "CN-SEED-0002", "CN-SEED-0003", "CN-SEED-0004"}
    assert {c.status for c in cases} >= {"approved", "verifying", "completed", "revoked"}


def test_identity_code_single_use_and_expiry(client, sandbox):
    issued = sandbox.admin("POST", "/identity-codes", id_number=seed.GOOD_PERSON[1], name="张三")
    resolved = client.resolve_identity_code(issued["code"])
    assert resolved.person.id_number == seed.GOOD_PERSON[1] and "张三" not in repr(resolved)
    with pytest.raises(PlatformRejected) as err:
        client.resolve_identity_code(issued["code"])
    assert err.value.slug == "identity-code-used"
    stale = sandbox.admin("POST", "/identity-codes", id_number=seed.GOOD_PERSON[1], name="张三",
                          ttl_seconds=-1)
    with pytest.raises(PlatformRejected) as err:
        client.resolve_identity_code(stale["code"])
    assert err.value.slug == "identity-code-expired"
    with pytest.raises(PlatformRejected) as err:
        client.resolve_identity_code("unknown-code-123")
    assert err.value.slug == "identity-code-unknown"


def test_appointments_and_queue(client):
    slots = client.appointment_slots(hall="TJ-HEPING")
    assert slots and all(s.hall == "TJ-HEPING" for s in slots)
    slot = slots[-1]
    assert client.appointment_slots(day=slot.starts_at.date(), hall="TJ-HEPING")[-1] == slot
    booked = [client.book_appointment(slot.slot_id, FOOD, "测试人", new_person_id(), "13800000000")
              for _ in range(slot.capacity)]
    assert booked[-1].slot.remaining == 0 and booked[0].status == "booked"
    with pytest.raises(PlatformRejected) as err:
        client.book_appointment(slot.slot_id, FOOD, "测试人", new_person_id())
    assert err.value.slug == "slot-full"
    person = new_person_id()
    other = client.appointment_slots(hall="TJ-HEPING")[0]
    client.book_appointment(other.slot_id, FOOD, "测试人", person)
    with pytest.raises(PlatformRejected) as err:
        client.book_appointment(other.slot_id, FOOD, "测试人", person)
    assert err.value.slug == "already-booked"
    assert client.cancel_appointment(booked[0].appointment_number).status == "cancelled"
    assert client.cancel_appointment(booked[0].appointment_number).slot.remaining == 1
    with pytest.raises(PlatformRejected) as err:
        client.book_appointment("NOSLOT", FOOD, "测试人", person)
    assert err.value.slug == "slot-not-found"
    first = client.take_queue_ticket("TJ-CITY", "B")
    second = client.take_queue_ticket("TJ-CITY", "B", item_code=FOOD)
    assert first.ticket_number.startswith("B") and int(second.ticket_number[1:]) == int(first.ticket_number[1:]) + 1


def test_an_appointment_read_by_its_number_gives_one_priority_ticket(client):
    """我有预约 by the slip's QR: GET /appointments/{number}; the first ticket taken with it is
    prioritised and checks it in; a second is refused (appointment-used), as is cancelling it;
    a retry of the same request (its idempotency key) gets the same ticket, not a refusal."""
    slot = client.appointment_slots(hall="TJ-HEPING")[0]
    booked = client.book_appointment(slot.slot_id, FOOD, "测试人", new_person_id())
    assert client.appointment(booked.appointment_number) == booked
    with pytest.raises(PlatformRejected) as err:
        client.appointment("YY-NOPE-0000")
    assert err.value.slug == "appointment-not-found"
    ticket = client.take_queue_ticket("TJ-HEPING", "A", appointment_number=booked.appointment_number,
                                      idempotency_key="appt-ticket-1")
    assert ticket.priority
    again = client.take_queue_ticket("TJ-HEPING", "A", appointment_number=booked.appointment_number,
                                     idempotency_key="appt-ticket-1")
    assert again == ticket                                        # a retry, not a second ticket
    assert client.appointment(booked.appointment_number).status == "checked_in"
    with pytest.raises(PlatformRejected) as err:
        client.take_queue_ticket("TJ-HEPING", "A", appointment_number=booked.appointment_number)
    assert err.value.slug == "appointment-used"
    with pytest.raises(PlatformRejected) as err:
        client.cancel_appointment(booked.appointment_number)
    assert err.value.slug == "appointment-used"


def test_evaluations_complaints(client, sandbox):
    assert client.evaluate("very_satisfied").status == "received"
    with pytest.raises(PlatformRejected) as err:
        client.evaluate("dissatisfied")
    assert err.value.slug == "evaluation-reason-required"
    receipt = client.evaluate("very_dissatisfied", reasons=["等候时间长"], case_number="CN-SEED-0001")
    assert receipt.number.startswith("EV")
    complaint = client.complain("terminal", "打印机卡纸", contact_phone="13800000000")
    assert complaint.number.startswith("TS")
    assert any(r["number"] == complaint.number for r in sandbox.admin("GET", "/receipts/complaint")["receipts"])


def test_a_chinese_complaint_is_stored_as_typed_and_its_callback_phone_validated(client, sandbox):
    content = "办理超时；窗口工作人员说“材料不全”，却没有一次性告知！（已跑三次）"
    receipt = client.complain("efficiency", content, contact_phone="02288908890")
    [stored] = [r for r in sandbox.admin("GET", "/receipts/complaint")["receipts"] if r["number"] == receipt.number]
    assert stored["body"]["content"] == content and stored["body"]["contact_phone"] == "02288908890"
    with pytest.raises(PlatformRejected):
        client.complain("efficiency", content, contact_phone="123-456")


def test_credit_repair(client):
    docs = {"application": [PNG], "subject_qualification": [PNG], "rectification": [PNG]}
    receipt = client.request_credit_repair("person", seed.BLACKLISTED_PERSON[1], docs)
    assert receipt.number.startswith("XF")
    with pytest.raises(PlatformRejected) as err:
        client.request_credit_repair("person", seed.GOOD_PERSON[1], docs)
    assert err.value.slug == "not-blacklisted"
    with pytest.raises(PlatformRejected) as err:
        client.request_credit_repair("person", seed.BLACKLISTED_PERSON[1], {"application": [PNG]})
    assert err.value.slug == "repair-documents-missing"


def test_heartbeat_commands(client, sandbox):
    device_id = client.auth.credential.device_id
    command_id = sandbox.admin("POST", f"/devices/{device_id}/commands", type="run_selftest")["command_id"]
    reply = client.heartbeat(app_version="0.1.0", outbox_depth=2,
                             devices={"printer": DeviceHealth("degraded", "paper low")})
    assert [(c.command_id, c.type) for c in reply.commands] == [(command_id, "run_selftest")]
    devices = {d["device_id"]: d for d in sandbox.admin("GET", "/devices")["devices"]}
    assert devices[device_id]["last_heartbeat"]["devices"]["printer"]["status"] == "degraded"
    assert client.heartbeat(acked_commands=[command_id]).commands == []


def test_config_repository_static_files(client, sandbox):
    (sandbox.repo / "metadata").mkdir(exist_ok=True)
    (sandbox.repo / "metadata" / "1.root.json").write_text('{"signed": {}}')
    r = requests.get(client.config_repo_url + "metadata/1.root.json", timeout=5)
    assert r.status_code == 200 and r.json() == {"signed": {}}
    for bad in ("metadata/2.root.json", "../sandbox.db", "metadata/../../sandbox.db", "metadata"):
        r = requests.get(client.config_repo_url + bad, timeout=5)
        assert r.status_code == 404 and r.headers["content-type"] == "application/problem+json"


def test_item_rules_come_from_the_kiosk_catalog(client):
    from sandbox.app import CATALOG_ITEMS
    if not CATALOG_ITEMS.is_dir():
        pytest.skip("no catalog in this tree")
    # 个体工商户登记: commitment allowed, 经营场所使用证明 (premises) deferrable
    from kiosk.platform.models import LetterMaterial
    ok = letter(item_code="TJ-SCJG-002", materials=(LetterMaterial("form", "申请书", "provided"),
                                                   LetterMaterial("premises", "经营场所使用证明", "deferred")))
    case = client.submit_commitment(ok, new_idempotency_key())
    assert case.item_name == "个体工商户登记" and case.deferred_materials[0].code == "premises"
    with pytest.raises(PlatformRejected) as err:     # 食品经营许可: 第四条 excludes it
        client.submit_commitment(letter(item_code="TJ-SCJG-001", deferred=()), new_idempotency_key())
    assert err.value.slug == "commitment-not-allowed" and "第四条" in err.value.detail
