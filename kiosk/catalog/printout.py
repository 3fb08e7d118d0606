"""The printed guide sheet (明白纸): a concise Document for the receipt printer.

Name, item code, conditions, materials (deferrable ones marked), time limits,
fees, address and window, phones, and the 网上办 URL as a QR code.
"""
from __future__ import annotations

from drivers.printer.document import QR, Cut, Document, Feed, Row, Separator, Text, Title
from kiosk.catalog.model import Item


def days_text(days: int, unit: str = "工作日") -> str:
    """A time limit in its unit (公开公示 第十四条): 工作日, or 日 where the law counts calendar days."""
    return "即办" if days == 0 else (f"{days}个工作日" if unit == "工作日" else f"{days}日")


def guide_sheet_document(item: Item, terminal: str = "") -> Document:
    doc = Document()
    doc.add(Title("办事指南（明白纸）"), Text(item.name, bold=True, align="center"),
            Row("事项编码", item.code), Row("实施部门", item.subject.implementing_department),
            Row("办理方式", "、".join(item.modes)), Separator())
    doc.add(Text("申请条件", bold=True))
    doc.add(*(Text(f"· {c}") for c in item.conditions_text))
    doc.add(Separator(), Text("申请材料", bold=True))
    for n, mat in enumerate(item.materials, 1):
        extra = "（可容缺后补）" if mat.deferrable and item.allows_commitment else ""
        copies = f" {mat.copies}" if mat.copies else ""
        doc.add(Text(f"{n}. {mat.name}{copies}{extra}"))
    limits = item.time_limits
    doc.add(Separator(), Row("法定办结时限", days_text(limits.statutory_days, limits.unit)),
            Row("承诺办结时限", days_text(limits.promised_days, limits.unit)),
            Row("收费", item.fees.standard if item.fees.charged else "不收费"))
    if item.fees.charged and item.fees.basis:
        doc.add(Text(f"收费依据：{item.fees.basis}"))
    proc = item.procedure
    doc.add(Separator(), Text(f"办理地点：{proc.address}"), Text(f"窗口：{proc.window}"),
            Row("咨询电话", proc.phone), Row("投诉电话", item.complaint_phone))
    if item.allows_commitment:
        if "容缺后补" in item.commitment.forms and item.deferrable_materials:
            doc.add(Text("本事项可信用承诺办理：缺少可容缺材料的，承诺60个工作日内补齐即可当场办理。"))
        if "具备条件承诺" in item.commitment.forms:        # 信用承诺 第四条 具备条件承诺
            doc.add(Text("可承诺具备的条件：" + "、".join(item.commitment.promised_conditions)))
    if item.online_url:
        doc.add(Separator(), QR(item.online_url, caption="扫码网上办理"))
    if terminal:
        doc.add(Text(f"打印终端：{terminal}", align="center"))
    doc.add(Text("政务服务热线 88908890", align="center"), Feed(2), Cut())
    return doc


def document_text(doc: Document) -> str:
    """All printable text of a Document, one block a line (for tests and logs)."""
    lines = []
    for block in doc.blocks:
        for attr in ("text", "left", "right", "data", "caption"):
            value = getattr(block, attr, "")
            if value:
                lines.append(value)
    return "\n".join(lines)
