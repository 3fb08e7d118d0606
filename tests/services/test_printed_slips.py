"""What the printed documents carry (kiosk/printing): the terminal's location on every one, the
queue number bigger than the hall's name, the appointment slip's QR that 我有预约 reads back.
Decoded from the real ESC/POS bytes by the printer emulator's decoder."""
from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

from drivers.printer.document import QR, Text, Title
from drivers.printer.profiles import PROFILES
from drivers.printer.render import render
from kiosk.printing.receipts import DeferredLine, commitment_receipt
from kiosk.printing.slips import appointment_code, appointment_slip, parse_appointment_code, queue_ticket

AT = dt.datetime(2026, 12, 3, 9, 30)
WHERE = "和平区政务服务中心一楼"


def _printed(doc):
    """Print through the real ESC/POS renderer to the emulator and decode it back."""
    from drivers import open_device
    printer = open_device("printer+emu://?profile=generic-80")
    try:
        printer.print_document(doc)
        return printer.emulator.wait_job(1, timeout=5)
    finally:
        printer.close()


def _ticket():
    return SimpleNamespace(ticket_number="A012", priority=False, waiting_ahead=3, issued_at=AT)


def test_the_queue_number_is_the_one_big_line_and_the_location_is_printed():
    doc = queue_ticket(ticket=_ticket(), queue_name="综合受理", windows="1-8号窗口", hall_name="天津市政务服务中心",
                       terminal_id="TJ-DEMO-0001", printed_at=AT, location=WHERE)
    titles = [b.text for b in doc.blocks if isinstance(b, Title)]
    assert titles == ["A012"]                                          # the hall name is not as big
    assert any(isinstance(b, Text) and b.text == "天津市政务服务中心" for b in doc.blocks)
    assert WHERE in _printed(doc).text
    data = render(doc, PROFILES["generic-80"])
    big = data.index(b"A012")
    assert b"\x1d!\x01" in data[max(0, big - 40):big]                     # printed double height


def test_the_appointment_slip_has_the_qr_that_the_queue_reads_back():
    slot = SimpleNamespace(starts_at=AT, ends_at=AT + dt.timedelta(minutes=30), window="5号窗口", hall="TJ-CITY")
    appointment = SimpleNamespace(appointment_number="YY-20261203-0007", item_code="TJ-GAJ-001", slot=slot)
    doc = appointment_slip(appointment=appointment, item_name="居民身份证申领", hall_name="天津市政务服务中心",
                           name="张三", id_number="120101199003071235", terminal_id="TJ-DEMO-0001",
                           printed_at=AT, location=WHERE)
    codes = [b.data for b in doc.blocks if isinstance(b, QR)]
    assert codes == [appointment_code("YY-20261203-0007")]
    assert parse_appointment_code(codes[0]) == "YY-20261203-0007" and parse_appointment_code("TJCASE:1") is None
    job = _printed(doc)
    assert WHERE in job.text and job.qr == [appointment_code("YY-20261203-0007")]


def test_the_commitment_receipt_names_where_it_was_printed():
    doc = commitment_receipt(title="承诺书", item_name="个体工商户登记", item_code="TJ-SCJG-002", applicant_name="张三",
                             subject_id="120101199003071235", subject_type="person", decision="承诺审批",
                             case_number="TJ2026-000777", ref=None,
                             deferred=[DeferredLine("经营场所使用证明", dt.date(2027, 3, 1))],
                             extension_rule="可申请延期", hotline="88908890", terminal_id="TJ-DEMO-0001",
                             printed_at=AT, location=WHERE)
    text = _printed(doc).text
    assert "打印地点" in text and WHERE in text
