"""The commitment approval receipt (凭条) as a printable Document.

Built from what the citizen was shown: the item, the applicant (ID number
masked, 120101********1234), the case number or, while the letter waits in the
outbox, the local reference marked 待提交; the decision marked 承诺审批, each
deferred material with its due date (the platform's; the terminal's own count only while
the letter waits offline, marked 本机计算; a date beyond every holiday table says how to look
it up), the extension rule, the hotline, a QR
code for looking the case up at any terminal, where it was printed (the terminal's location),
the time and the terminal ID. When the terminal has no A4 printer for the applicant's copy of
the letter (信用承诺 第十三条 "承诺书一式两份……由双方各保存一份"), a second QR carries the copy's
download URL (`copy_url`), "扫码下载您的承诺书".

QR payloads (`lookup_code` / `parse_lookup`): "TJCASE:<case number>" or
"TJREF:<local reference>"; the supplement and progress screens read them back.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Literal, Optional, Sequence

from drivers.printer.document import QR, Document, Row, Separator, Text, Title
from kiosk.logs import mask_id_number
from kiosk.printing.slips import footer

CASE_PREFIX, REF_PREFIX = "TJCASE:", "TJREF:"
PENDING = "待提交"
DOWNLOAD_COPY = "扫码下载您的承诺书"


def letter_copy_url(platform_url: str, copy_path: str | None) -> str | None:
    """Where the applicant downloads the copy: the platform's base URL + the case's
    /api/v1/letter-copies/{token} path; None while the platform has not made one."""
    return platform_url.rstrip("/") + copy_path if platform_url and copy_path else None


def lookup_code(case_number: str | None = None, ref: str | None = None) -> str:
    return CASE_PREFIX + case_number if case_number else REF_PREFIX + (ref or "")


def parse_lookup(text: str) -> tuple[str, str] | None:
    """("case", number) or ("ref", local reference) from a scanned receipt QR; None if not ours."""
    text = (text or "").strip()
    for prefix, kind in ((CASE_PREFIX, "case"), (REF_PREFIX, "ref")):
        if text.upper().startswith(prefix) and len(text) > len(prefix):
            return kind, text[len(prefix):]
    return None


@dataclass(frozen=True, repr=False)
class DeferredLine:
    name: str
    due_on: Optional[dt.date]          # None: beyond every holiday table; the agency sets it
    source: Literal["platform", "local"] = "platform"    # local: this terminal's own count (offline)


UNKNOWN = "由审批部门确定后告知"
LOCAL = "（本机计算）"


def _day(d: Optional[dt.date]) -> str:
    return f"{d:%Y年%m月%d日}" if d else UNKNOWN


def receipt_due(line: DeferredLine) -> str:
    """The 补交截止 value on the receipt for one deferred material."""
    return _day(line.due_on) + (LOCAL if line.due_on and line.source == "local" else "")


def how_to_look_up(hotline: str) -> str:
    """What the receipt says when a due date is not known yet: where to learn it."""
    return f"补交期限确定后，可在任一自助终端“进度查询”扫描本凭条二维码，或拨打{hotline}查询。"


def commitment_receipt(*, title: str, item_name: str, item_code: str, applicant_name: str,
                       subject_id: str, subject_type: str, decision: str, case_number: str | None,
                       ref: str | None, deferred: Sequence[DeferredLine], extension_rule: str,
                       hotline: str, terminal_id: str, printed_at: dt.datetime,
                       heading: str = "承诺审批受理凭条", location: str = "",
                       copy_url: str | None = None) -> Document:
    """`subject_id`: the ID number (masked here) or, for a company, its USCC (not personal).
    `copy_url`: the applicant's copy to download (第十三条), when it is not printed on A4."""
    doc = Document()
    doc.add(Title(heading), Text(title, align="center"), Separator())
    doc.add(Row("事项", item_name), Row("事项编码", item_code))
    if subject_type == "person":
        doc.add(Row("申请人", applicant_name), Row("身份证号", mask_id_number(subject_id)))
    else:
        doc.add(Row("申请单位", applicant_name), Row("统一社会信用代码", subject_id))
    if case_number:
        doc.add(Row("受理号", case_number))
    else:
        doc.add(Row("本机编号", ref or ""), Text(f"状态：{PENDING}（承诺书已保存在本终端，将自动提交）", bold=True))
    doc.add(Row("审批方式", decision), Separator())
    if deferred:
        doc.add(Text("承诺后补材料及期限：", bold=True))
        for line in deferred:
            doc.add(Text(f"· {line.name}"), Row("  补交截止", receipt_due(line)))
        if any(line.due_on and line.source == "local" for line in deferred):
            doc.add(Text("本机按工作日计算，以审批部门确认的日期为准。"))
        if any(line.due_on is None for line in deferred):
            doc.add(Text(how_to_look_up(hotline), bold=True))
    doc.add(Text(extension_rule), Separator())
    doc.add(QR(lookup_code(case_number, ref), caption="补交材料、查询进度请扫码"))
    if copy_url:
        doc.add(Separator(), QR(copy_url, caption=DOWNLOAD_COPY))
    doc.add(Row("咨询投诉", hotline))
    return footer(doc, terminal_id, printed_at, location)


def case_receipt(*, case, hotline: str, extension_rule: str, terminal_id: str, printed_at: dt.datetime,
                 heading: str = "补交材料凭条", location: str = "") -> Document:
    """The updated receipt after materials were supplied: the case as the platform now has it
    (each material supplied, with the day, or still due, with its date). No personal data."""
    doc = Document()
    doc.add(Title(heading), Separator())
    doc.add(Row("受理号", case.case_number), Row("事项", case.item_name), Row("事项编码", case.item_code),
            Row("审批方式", case.decision), Separator())
    for m in case.materials:
        if m.status == "supplied":
            doc.add(Text(f"· {m.name}"), Row("  已补交", _day(m.supplied_on)))
        elif m.status == "deferred":
            doc.add(Text(f"· {m.name}"), Row("  补交截止", _day(m.due_on)))
    left = [m for m in case.materials if m.status == "deferred"]
    doc.add(Text("承诺后补材料已全部补齐" if not left else f"尚有 {len(left)} 项材料待补交", bold=True))
    if any(m.due_on is None for m in left):
        doc.add(Text(how_to_look_up(hotline)))
    if left:
        doc.add(Text(extension_rule))
    doc.add(Separator(), QR(lookup_code(case.case_number), caption="补交材料、查询进度请扫码"),
            Row("咨询投诉", hotline))
    return footer(doc, terminal_id, printed_at, location)
