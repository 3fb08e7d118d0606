"""Deadline lines on the receipt: the platform's date as is, the terminal's own count (offline)
marked 本机计算, and a date beyond every table saying how to look it up."""
from __future__ import annotations

import datetime as dt

from drivers.printer.document import Row, Text
from kiosk.platform.models import Case, CaseMaterial, Deadlines, Extension
from kiosk.printing.receipts import DeferredLine, case_receipt, commitment_receipt


def _lines(doc) -> list[str]:
    return [b.text if isinstance(b, Text) else f"{b.left} {b.right}" for b in doc.blocks
            if isinstance(b, (Text, Row))]


def _receipt(*lines):
    return _lines(commitment_receipt(
        title="信用承诺书", item_name="个体工商户登记", item_code="TJ-SCJG-002", applicant_name="张三",
        subject_id="120101199003071234", subject_type="person", decision="承诺审批", case_number=None,
        ref="TJ-REF", deferred=lines, extension_rule="可申请延期20个工作日", hotline="88908890",
        terminal_id="TJ-1", printed_at=dt.datetime(2026, 12, 2, 10)))


def test_platform_date_local_count_and_unknown():
    platform = _receipt(DeferredLine("场所证明", dt.date(2027, 3, 3)))
    assert "  补交截止 2027年03月03日" in platform and not any("本机计算" in l or "查询。" in l for l in platform)
    local = _receipt(DeferredLine("场所证明", dt.date(2027, 3, 3), "local"))
    assert "  补交截止 2027年03月03日（本机计算）" in local
    assert "本机按工作日计算，以审批部门确认的日期为准。" in local
    unknown = _receipt(DeferredLine("场所证明", None, "local"))
    assert "  补交截止 由审批部门确定后告知" in unknown
    assert "补交期限确定后，可在任一自助终端“进度查询”扫描本凭条二维码，或拨打88908890查询。" in unknown
    assert not any("待平台确认" in l or "数据" in l for l in unknown)


def test_updated_receipt_shows_the_date_once_known_and_how_to_look_it_up_before():
    def case(due):
        return Case("CN-1", "TJ-SCJG-002", "个体工商户登记", "承诺审批", "approved", dt.date(2026, 12, 2),
                    Deadlines(due, dt.date(2026, 12, 7), None, None, False), Extension("none", None, 0),
                    [CaseMaterial("M03", "场所证明", "deferred", due, None)], [])
    kw = dict(hotline="88908890", extension_rule="", terminal_id="TJ-1", printed_at=dt.datetime(2026, 12, 2))
    before = _lines(case_receipt(case=case(None), **kw))
    assert "  补交截止 由审批部门确定后告知" in before and any("88908890查询" in l for l in before)
    after = _lines(case_receipt(case=case(dt.date(2027, 3, 3)), **kw))
    assert "  补交截止 2027年03月03日" in after and not any("查询。" in l for l in after)
