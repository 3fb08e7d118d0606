"""`kiosk-selftest --calendar [--date YYYY-MM-DD] [--json]`: the work calendar this terminal
runs with (chinesecalendar plus the installed bundle's holiday table, resolved as at start by
kiosk.fleet.effective), the years it covers by source, and for a letter signed on that day
(default: today in China) every deadline and the very lines the review screen, the result
screen (platform date, or the offline count) and the receipt would show.
"""
from __future__ import annotations

import datetime as dt
import json

from kiosk.citizen.commitment import load_wording, supplement_due
from kiosk.fleet.effective import at_start
from kiosk.i18n import Messages
from kiosk.platform.contract import CHINA_TZ
from kiosk.printing.receipts import DeferredLine, receipt_due
from kiosk.workdays import texts
from kiosk.workdays.calendar import WorkCalendar, coverage_status
from kiosk.workdays.deadlines import EXTENSION, RECTIFY, SUPPLEMENT, VERIFY_END, VERIFY_START, case_deadlines

__all__ = ["calendar_report", "main_calendar"]
SAMPLE = "（后补材料）"


def calendar_report(settings, day: dt.date | None = None) -> dict:
    effective = at_start(settings)
    calendar = WorkCalendar(effective.holidays)       # as kiosk.fleet.effective.LiveConfig builds it
    day = day or dt.datetime.now(CHINA_TZ).date()
    wording = load_wording()
    messages = Messages(settings["kiosk"]["language"], overrides=effective.texts)
    t = messages.t
    d = case_deadlines(calendar, day)
    extended = case_deadlines(calendar, day, extended=True).supplement_due
    due = supplement_due(day, wording, calendar)       # what the review and offline result screens count

    def iso(x):
        return x.isoformat() if x else None
    return {
        "coverage": {str(y): s for y, s in calendar.coverage().items()},
        "status": coverage_status(calendar, dt.datetime.now(CHINA_TZ).date()),
        "bundle": str(effective.bundle) if effective.bundle else None, "problem": effective.problem,
        "signed_on": day.isoformat(),
        "deadlines": {f"supplement_due ({SUPPLEMENT})": iso(d.supplement_due),
                      f"extended_due ({SUPPLEMENT}+{EXTENSION})": iso(extended),
                      f"verification_start_due ({VERIFY_START})": iso(d.verification_start_due),
                      f"verification_end_due ({VERIFY_END})": iso(d.verification_end_due),
                      f"rectification_due ({RECTIFY})": iso(d.rectification_due)},
        "screens": {"review": texts.review_due(t, due, wording.hotline),
                    "result": texts.deferred_item(t, SAMPLE, d.supplement_due, "platform", wording.hotline),
                    "result_offline": texts.deferred_item(t, SAMPLE, due, "local", wording.hotline),
                    "receipt": "补交截止 " + receipt_due(DeferredLine(SAMPLE, d.supplement_due)),
                    "receipt_offline": "补交截止 " + receipt_due(DeferredLine(SAMPLE, due, "local"))},
    }


def _text(report: dict) -> str:
    years = sorted(int(y) for y in report["coverage"])
    status = report["status"]
    lines = [f"工作日日历：{status['coverage']}" if years else "工作日日历：无数据"]
    if report["bundle"]:
        lines.append(f"  节假日表来自配置包 {report['bundle']}")
    if report["problem"]:
        lines.append(f"  配置包未能加载：{report['problem']}")
    if status["missing_year"]:
        lines.append(f"  警告：缺少 {status['missing_year']} 年数据，请管理员导入国务院节假日通知并发布")
    lines.append(f"承诺之日 {report['signed_on']} 的各项期限（工作日）：")
    for name, value in report["deadlines"].items():
        lines.append(f"  {name:<34}{value or '超出日历数据（由审批部门确定）'}")
    lines.append("屏幕与凭条上显示：")
    for name, value in report["screens"].items():
        lines.append(f"  {name:<16}{value}")
    return "\n".join(lines)


def main_calendar(settings, day: dt.date | None, as_json: bool) -> int:
    report = calendar_report(settings, day)
    print(json.dumps(report, ensure_ascii=False, indent=2) if as_json else _text(report))
    return 0
