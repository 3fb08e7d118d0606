"""Credit repair (信用修复, 失信惩戒 第十二条): the materials a blacklisted subject hands in,
which are required, submitting them (worker thread only) and the printed acknowledgement.

The six kinds follow 第十二条(一)–(六); the platform requires the application and the
proof of the subject's qualification, the others are handed in when they apply.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Mapping, Sequence

from drivers.printer.document import QR, Cut, Document, Feed, Row, Separator, Text, Title
from kiosk.logs import mask_id_number
from kiosk.platform.models import Page, Receipt


@dataclass(frozen=True)
class Kind:
    code: str                 # the platform's document kind
    name: str                 # 第十二条's wording
    required: bool


KINDS: tuple[Kind, ...] = (
    Kind("application", "修复申请书", True),
    Kind("subject_qualification", "行政相对人主体资格证明", True),
    Kind("materials_supplied", "按照事项行政审批条件补齐相关申请材料证明", False),
    Kind("penalty_fulfilled", "依法履行行政处罚决定证明材料", False),
    Kind("rectification", "对违法行为进行整改、消除危害后果的证明材料", False),
    Kind("other", "行政机关需要的其他材料", False),
)


def missing(pages: Mapping[str, Sequence[Page]]) -> list[Kind]:
    """Required kinds without a page yet."""
    return [k for k in KINDS if k.required and not pages.get(k.code)]


def submit(platform, subject_type: str, subject_id: str, pages: Mapping[str, Sequence[Page]]) -> Receipt:
    """Send every kind that has pages, in 第十二条's order."""
    documents = {k.code: list(pages[k.code]) for k in KINDS if pages.get(k.code)}
    return platform.request_credit_repair(subject_type, subject_id, documents)


def acknowledgement(*, receipt: Receipt, subject_type: str, subject_id: str, kinds: Sequence[Kind],
                    page_counts: Mapping[str, int], hotline: str, terminal_id: str,
                    printed_at: dt.datetime) -> Document:
    """The printed acknowledgement (ID number masked; a company's USCC is not personal)."""
    doc = Document()
    doc.add(Title("信用修复申请回执"), Separator())
    doc.add(Row("受理编号", receipt.number), Row("收到时间", f"{receipt.received_at.astimezone(printed_at.tzinfo):%Y-%m-%d %H:%M}"))
    if subject_type == "person":
        doc.add(Row("身份证号", mask_id_number(subject_id)))
    else:
        doc.add(Row("统一社会信用代码", subject_id))
    doc.add(Separator(), Text("已提交材料（《失信惩戒办法》第十二条）：", bold=True))
    for kind in kinds:
        doc.add(Row(f"· {kind.name}", f"{page_counts.get(kind.code, 0)}页"))
    doc.add(Separator(), Text("作出失信认定的行政机关将审核您的申请；信用修复结果发布生效后，"
                              "将移出黑名单，不再采取惩戒措施（第十三条）。"))
    doc.add(QR(f"TJREPAIR:{receipt.number}", caption="请妥善保管本回执"))
    doc.add(Row("咨询电话", hotline), Row("打印时间", f"{printed_at:%Y-%m-%d %H:%M}"),
            Row("终端编号", terminal_id), Feed(2), Cut())
    return doc
