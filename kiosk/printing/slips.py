"""Printed slips of the citizen services as Documents: appointment slip (with the QR that
取号排队 "我有预约" reads), queue ticket (its number the largest line), complaint
acknowledgement. ID numbers are masked (120101********1234); each names where it was printed
(the terminal's location), the terminal and the time."""
from __future__ import annotations

import datetime as dt

from drivers.printer.document import QR, Cut, Document, Feed, Row, Separator, Text, Title
from kiosk.logs import mask_id_number

HOTLINE = "88908890"
APPOINTMENT_PREFIX = "TJAPPT:"


def appointment_code(number: str) -> str:
    """The appointment slip's QR payload, read back by 取号排队 "我有预约"."""
    return APPOINTMENT_PREFIX + number


def parse_appointment_code(text: str) -> str | None:
    text = (text or "").strip()
    if text.upper().startswith(APPOINTMENT_PREFIX) and len(text) > len(APPOINTMENT_PREFIX):
        return text[len(APPOINTMENT_PREFIX):]
    return None


def footer(doc: Document, terminal_id: str, printed_at: dt.datetime, location: str = "") -> Document:
    """Where, when and by which terminal a document was printed, then the cut."""
    if location:
        doc.add(Row("打印地点", location))
    return doc.add(Row("打印时间", f"{printed_at:%Y-%m-%d %H:%M}"), Row("终端编号", terminal_id), Feed(2), Cut())


def appointment_slip(*, appointment, item_name: str, hall_name: str, name: str, id_number: str,
                     terminal_id: str, printed_at: dt.datetime, cancelled: bool = False,
                     location: str = "") -> Document:
    slot = appointment.slot
    doc = Document().add(Title("取消预约凭条" if cancelled else "预约凭条"), Separator())
    doc.add(Row("预约号", appointment.appointment_number), Row("事项", item_name),
            Row("事项编码", appointment.item_code), Row("预约人", name), Row("身份证号", mask_id_number(id_number)),
            Row("日期", f"{slot.starts_at:%Y年%m月%d日}"),
            Row("时间", f"{slot.starts_at:%H:%M}-{slot.ends_at:%H:%M}"),
            Row("地点", f"{hall_name} {slot.window}"), Separator())
    if cancelled:
        doc.add(Text("该预约已取消。", bold=True))
    else:
        doc.add(Text("请携带身份证和申请材料按时到达，在自助终端“取号排队”中选择“我有预约”优先取号。"),
                QR(appointment_code(appointment.appointment_number), caption="“我有预约”取号时请扫码或刷身份证"),
                Text("如需取消，请在自助终端“预约办理”中查询取消，或拨打" + HOTLINE + "。"))
    return footer(doc.add(Separator()), terminal_id, printed_at, location)


def queue_ticket(*, ticket, queue_name: str, windows: str, hall_name: str, terminal_id: str,
                 printed_at: dt.datetime, location: str = "") -> Document:
    # the number is the one big line (double height); the hall's name is ordinary bold text
    doc = Document().add(Text(hall_name, bold=True, align="center"), Text("排队号", align="center"),
                         Title(ticket.ticket_number), Text(queue_name + (f"（{windows}）" if windows else ""),
                                                           align="center"), Separator())
    if ticket.priority:
        doc.add(Text("预约优先：将优先叫号", bold=True))
    doc.add(Row("前面等候", f"{ticket.waiting_ahead}人"), Row("取号时间", f"{ticket.issued_at:%Y-%m-%d %H:%M}"),
            Text("请留意叫号屏和语音叫号，过号请重新取号。"), Separator())
    return footer(doc, terminal_id, printed_at, location)


def mask_phone(phone: str) -> str:
    """A callback phone as the slip shows it: the first three and last four digits."""
    return phone[:3] + "*" * (len(phone) - 7) + phone[-4:] if len(phone) > 7 else phone


def complaint_ack(*, receipt, category: str, item_name: str, content: str, complaint_phone: str,
                  terminal_id: str, printed_at: dt.datetime, callback_phone: str = "",
                  location: str = "") -> Document:
    """`content`: the topics and the citizen's own words (Chinese, up to 500 characters typed),
    wrapped by display width on the paper; `callback_phone` is printed masked."""
    doc = Document().add(Title("投诉受理回执"), Separator())
    doc.add(Row("受理编号", receipt.number), Row("投诉类别", category))
    if item_name:
        doc.add(Row("事项", item_name))
    doc.add(Row("提交时间", f"{receipt.received_at:%Y-%m-%d %H:%M}"), Text("投诉内容：", bold=True),
            Text(content))
    if callback_phone:
        doc.add(Row("回访电话", mask_phone(callback_phone)))
    doc.add(Separator(), Text("我们将在规定时限内处理并答复。"),
            Row("效能投诉电话", complaint_phone or HOTLINE), Row("政务服务热线", HOTLINE), Separator())
    return footer(doc, terminal_id, printed_at, location)
