"""The deadlines of a commitment case, each counted on its own in working days.

信用承诺办法 第三条: the applicant promises to supply every material "自承诺之日起60个工作日内",
so the supplement deadline counts from the day of commitment (the letter's signing day in
China time); 第十六条: "经具有决定权行政机关的法定代表人批准同意可再延期20个工作日提交";
"依法作出承诺审批后3个工作日内……启动核查监管工作……并于50个工作日内完成", and "整改期限不可超出
作出承诺审批后的60个工作日" (全程监督 第九、十一条): those three count from the approval day.

Each date is counted separately: one that falls into a year the calendar does not cover
is None, and never withholds another that is known.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Optional

from kiosk.workdays.calendar import CalendarOutOfRange, WorkCalendar

__all__ = ["SUPPLEMENT", "EXTENSION", "VERIFY_START", "VERIFY_END", "RECTIFY", "LETTER_MAX_AGE",
           "CaseDeadlines", "count", "case_deadlines", "commitment_day"]

SUPPLEMENT, EXTENSION = 60, 20                    # 第三条, 第十六条
VERIFY_START, VERIFY_END, RECTIFY = 3, 50, 60     # 第十六条
LETTER_MAX_AGE = dt.timedelta(days=30)            # the longest a letter may wait in a terminal's outbox
CHINA = dt.timezone(dt.timedelta(hours=8))


def commitment_day(signed_at: dt.datetime, received_on: dt.date,
                   max_age: dt.timedelta = LETTER_MAX_AGE) -> dt.date:
    """The day of commitment (第三条 自承诺之日起): the letter's signing day in China time, bounded
    so that a wrong terminal clock cannot move it: never after the platform received it, never
    more than `max_age` before. A naive time is taken as China time."""
    if signed_at.tzinfo is None:
        signed_at = signed_at.replace(tzinfo=CHINA)
    day = signed_at.astimezone(CHINA).date()
    return max(min(day, received_on), received_on - max_age)


def count(calendar: WorkCalendar, start: dt.date, n: int) -> Optional[dt.date]:
    """The n-th working day after `start`; None when it lies beyond the calendar's data."""
    try:
        return calendar.add_workdays(start, n)
    except CalendarOutOfRange:
        return None


@dataclass(frozen=True)
class CaseDeadlines:
    committed_on: dt.date                     # day of commitment (signing day, China time)
    approved_on: dt.date                      # day of the approval
    supplement_due: Optional[dt.date]         # 60 (or 80 when extended) from commitment
    verification_start_due: Optional[dt.date]
    verification_end_due: Optional[dt.date]
    rectification_due: Optional[dt.date]
    extended: bool = False

    @property
    def confirmed(self) -> bool:
        """Every date is known."""
        return None not in (self.supplement_due, self.verification_start_due,
                            self.verification_end_due, self.rectification_due)

    def as_dict(self) -> dict:
        return {"supplement_due": self.supplement_due, "verification_start_due": self.verification_start_due,
                "verification_end_due": self.verification_end_due, "rectification_due": self.rectification_due,
                "confirmed": self.confirmed}


def case_deadlines(calendar: WorkCalendar, committed_on: dt.date, approved_on: dt.date | None = None,
                   extended: bool = False, supplement: int = SUPPLEMENT,
                   extension: int = EXTENSION) -> CaseDeadlines:
    """Every deadline of a case; `approved_on` defaults to the day of commitment (an on-the-spot
    decision, 第三条: 当场作出决定)."""
    approved_on = approved_on or committed_on
    return CaseDeadlines(committed_on, approved_on,
                         count(calendar, committed_on, supplement + (extension if extended else 0)),
                         count(calendar, approved_on, VERIFY_START),
                         count(calendar, approved_on, VERIFY_END),
                         count(calendar, approved_on, RECTIFY), extended)
