"""`kioskctl holidays import NOTICE.txt [--json]`: the State Council's holiday notice as a
holiday table (kiosk/workdays/notice.py). Without --json it prints the year as month
calendars for the admin to check against the notice; with --json the table to save as a
bundle's holidays.json, then `kioskctl publish` ships it. A notice that cannot be fully
accounted for is refused: exit 2 and one line naming the line of the notice.
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

from kiosk.workdays.calendar import BUILTIN, WorkCalendar
from kiosk.workdays.notice import NoticeError, month_calendars, read_notice

__all__ = ["add_parser", "run"]


def add_parser(sub) -> None:
    s = sub.add_parser("holidays", help="holiday tables from the State Council's notice")
    hsub = s.add_subparsers(dest="holidays_cmd", required=True)
    i = hsub.add_parser("import", help="read a notice (plain text) and print its table")
    i.add_argument("notice", type=Path)
    i.add_argument("--json", action="store_true", help="print the table as holidays.json")


def run(a, out=None, err=None) -> int:
    out, err = out or sys.stdout, err or sys.stderr
    try:
        notice = read_notice(a.notice)
    except NoticeError as exc:
        print(f"kioskctl: {a.notice.name}: {exc}", file=err)
        return 2
    except OSError as exc:
        print(f"kioskctl: {a.notice}: {exc.strerror or exc}", file=err)
        return 2
    if a.json:
        print(json.dumps(notice.as_json(), ensure_ascii=False), file=out)
        return 0
    print(month_calendars(notice), file=out)
    print(_against_package(notice), file=out)
    return 0


def _against_package(notice) -> str:
    """Whether chinesecalendar already has this year, and if so whether it agrees day by day."""
    package = WorkCalendar()
    if package.coverage().get(notice.year) != BUILTIN:
        return f"chinesecalendar 没有 {notice.year} 年的数据：发布本表后终端按本表计算工作日。"
    table = WorkCalendar(notice.table())
    import datetime as dt
    day, differ = dt.date(notice.year, 1, 1), []
    while day.year == notice.year:
        if package.is_workday(day) != table.is_workday(day):
            differ.append(f"{day:%m-%d}")
        day += dt.timedelta(days=1)
    if not differ:
        return f"与 chinesecalendar 的 {notice.year} 年数据逐日一致。"
    return f"与 chinesecalendar 的 {notice.year} 年数据有 {len(differ)} 天不同：{'、'.join(differ[:10])}"
