"""The citizen services' rules without Kivy: evaluation, complaint, appointment slots,
hall configuration and the printed slips (rendered and decoded by the printer emulator)."""
from __future__ import annotations

import datetime as dt

import pytest

from kiosk.citizen import appointments, complaints, evaluation, queue_tickets

from kiosk.printing import slips
from kiosk.config import load_settings
from kiosk.platform.models import Appointment, QueueTicket, Receipt, Slot

CST = dt.timezone(dt.timedelta(hours=8))
AT = dt.datetime(2025, 9, 23, 9, 0, tzinfo=CST)


def slot(hour, day=23, remaining=2, hall="TJ-CITY"):
    start = dt.datetime(2025, 9, day, hour, tzinfo=CST)
    return Slot(f"S{day}{hour}{hall[-2:]}", hall, "01号窗口", None, start, start + dt.timedelta(minutes=45), 3, remaining)


def test_bad_evaluations_need_a_reason_and_send_its_text():
    with pytest.raises(evaluation.EvaluationIncomplete) as err:
        evaluation.Evaluation("dissatisfied").payload()
    assert err.value.reason == "reason_required"
    body = evaluation.Evaluation("very_dissatisfied", ("too_slow",), " slow ", case_number="CN-1").payload()
    assert body == {"level": "very_dissatisfied", "reasons": ["办理时间过长"], "comment": "slow",
                    "case_number": "CN-1"}
    assert evaluation.Evaluation("satisfied", ("too_slow",)).payload()["reasons"] == []
    with pytest.raises(evaluation.EvaluationIncomplete):
        evaluation.Evaluation("great").check()
    assert [evaluation.LEVEL_NAMES[lv] for lv in evaluation.LEVELS] == ["非常满意", "满意", "基本满意", "不满意", "非常不满意"]


def test_complaints_need_content_and_a_valid_phone():
    with pytest.raises(complaints.ComplaintIncomplete) as err:
        complaints.Complaint("efficiency").check()
    assert err.value.reason == "content_required"
    with pytest.raises(complaints.ComplaintIncomplete):
        complaints.Complaint("efficiency", ("办理超时",), contact_phone="123").check()
    c = complaints.Complaint("efficiency", ("办理超时", "多次跑动"), " wait ", contact_phone="13800138000")
    c.check()
    assert c.content == "办理超时；多次跑动；wait"
    complaints.Complaint("efficiency", text="窗口排队太久", contact_phone="02288908890").check()   # a landline
    for phone in ("8890889", "1380013800", "12800138000", "022-88908890"):
        with pytest.raises(complaints.ComplaintIncomplete) as err:
            complaints.Complaint("efficiency", text="窗口排队太久", contact_phone=phone).check()
        assert err.value.reason == "bad_phone", phone
    with pytest.raises(complaints.ComplaintIncomplete) as err:
        complaints.Complaint("efficiency", text="排" * (complaints.MAX_TEXT + 1)).check()
    assert err.value.reason == "too_long"
    complaints.Complaint("efficiency", text="排" * complaints.MAX_TEXT).check()


def test_the_acknowledgement_prints_a_long_chinese_comment_whole_and_masks_the_phone():
    words = "我要投诉：窗口工作人员态度不好，办理时间过长（排队两小时）！“一次办好”在哪里？"
    content = "办理超时；" + (words * 20)[:complaints.MAX_TEXT]
    text = _decoded(slips.complaint_ack(receipt=Receipt("TS20250923AB", AT, "received"), category="效能投诉",
                                        item_name="", content=content, complaint_phone="",
                                        terminal_id="TJ-T-1", printed_at=AT, callback_phone="13800138000"))
    assert content in text.replace("\n", "")
    assert "138****8000" in text and "13800138000" not in text


def test_open_slots_by_day_skip_full_ones_and_other_halls():
    days = appointments.open_slots([slot(14), slot(9), slot(10, remaining=0), slot(9, day=24),
                                    slot(9, hall="TJ-HEPING")], hall="TJ-CITY")
    assert list(days) == [dt.date(2025, 9, 23), dt.date(2025, 9, 24)]
    assert [s.starts_at.hour for s in days[dt.date(2025, 9, 23)]] == [9, 14]


def test_hall_configuration():
    hall = queue_tickets.hall_from_settings(load_settings(environ={}))
    assert hall.id == "TJ-CITY" and [q.letter for q in hall.queues] == ["A", "B", "C", "D"]
    assert hall.green_channel


def _decoded(doc):
    """Print through the real ESC/POS renderer to the emulator and decode it back."""
    from drivers import open_device
    printer = open_device("printer+emu://?profile=generic-80")
    try:
        printer.print_document(doc)
        return printer.emulator.wait_job(1, timeout=5).text
    finally:
        printer.close()


def test_slips_print_and_mask_the_id_number():
    appointment = Appointment("APABC123", slot(9), "TJ-GAJ-001", "booked")
    text = _decoded(slips.appointment_slip(appointment=appointment, item_name="居民身份证申领",
                                           hall_name="天津市政务服务中心", name="张三丰", id_number="12010119900307123X",
                                           terminal_id="TJ-T-1", printed_at=AT))
    for needle in ("预约凭条", "APABC123", "居民身份证申领", "120101********123X", "2025年09月23日", "09:00-09:45",
                   "01号窗口", "TJ-T-1"):
        assert needle in text, needle
    assert "12010119900307123X" not in text
    ticket = QueueTicket("B007", "TJ-CITY", "B", 5, AT, True)
    text = _decoded(slips.queue_ticket(ticket=ticket, queue_name="企业开办", windows="9-12号窗口",
                                       hall_name="天津市政务服务中心", terminal_id="TJ-T-1", printed_at=AT))
    for needle in ("B007", "企业开办", "5人", "预约优先"):
        assert needle in text, needle
    text = _decoded(slips.complaint_ack(receipt=Receipt("TS20250923AB", AT, "received"), category="效能投诉",
                                        item_name="", content="办理超时", complaint_phone="022-1234",
                                        terminal_id="TJ-T-1", printed_at=AT))
    for needle in ("投诉受理回执", "TS20250923AB", "办理超时", "022-1234", "88908890"):
        assert needle in text, needle
