"""Deadlines each on their own, from the right day: 60 working days from the day of commitment
(the signing day, China time, bounded by the receipt), 3/50/60 from the approval."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

from kiosk.citizen.commitment import extended_due, supplement_due
from kiosk.platform.contract import CHINA_TZ
from kiosk.workdays.calendar import WorkCalendar
from kiosk.workdays.deadlines import LETTER_MAX_AGE, case_deadlines, commitment_day
from kiosk.workdays.notice import read_notice

T2027 = read_notice(Path(__file__).resolve().parent / "notices" / "2027-synthetic.txt").table()
SIGNED = dt.date(2026, 12, 2)


def test_signed_today_without_a_2027_table_shows_what_is_known():
    d = case_deadlines(WorkCalendar(), SIGNED)
    assert d.verification_start_due == dt.date(2026, 12, 7)     # fully known, not withheld
    assert d.supplement_due is None and d.verification_end_due is None and d.rectification_due is None
    assert not d.confirmed
    assert supplement_due(SIGNED, None, WorkCalendar()) is None


def test_signed_today_with_a_2027_table_has_every_date():
    cal = WorkCalendar([T2027])
    d = case_deadlines(cal, SIGNED)
    assert d.confirmed
    assert (d.supplement_due, d.verification_start_due, d.verification_end_due, d.rectification_due) == (
        dt.date(2027, 3, 3), dt.date(2026, 12, 7), dt.date(2027, 2, 18), dt.date(2027, 3, 3))
    assert supplement_due(SIGNED, None, cal) == dt.date(2027, 3, 3)
    assert extended_due(SIGNED, None, cal) == case_deadlines(cal, SIGNED, extended=True).supplement_due \
        == dt.date(2027, 3, 31)
    # the Spring Festival (2月5日至12日) is not counted: plain weekdays would give 2027-02-24
    assert d.supplement_due > dt.date(2027, 2, 24)


def test_supplement_from_commitment_verification_from_approval():
    d = case_deadlines(WorkCalendar(), dt.date(2025, 9, 30), dt.date(2025, 10, 9))
    assert d.supplement_due == dt.date(2025, 12, 30)             # not 12-31 (from the receipt day)
    assert d.verification_start_due == WorkCalendar().add_workdays(dt.date(2025, 10, 9), 3)


def test_commitment_day_is_the_signing_day_in_china_bounded():
    received = dt.date(2025, 10, 9)
    late_evening_utc = dt.datetime(2025, 9, 29, 17, 30, tzinfo=dt.timezone.utc)   # 01:30 on 30 Sep in China
    assert commitment_day(late_evening_utc, received) == dt.date(2025, 9, 30)
    assert commitment_day(dt.datetime(2025, 9, 30, 10), received) == dt.date(2025, 9, 30)   # naive = China
    future = dt.datetime(2026, 1, 5, 9, tzinfo=CHINA_TZ)                  # terminal clock ahead
    assert commitment_day(future, received) == received
    ancient = dt.datetime(2020, 1, 1, 9, tzinfo=CHINA_TZ)                  # terminal clock far behind
    assert commitment_day(ancient, received) == received - LETTER_MAX_AGE


def test_real_today_path():
    """A letter signed now, on the package's data alone: each date known or None on its own."""
    today = dt.datetime.now(CHINA_TZ).date()
    cal = WorkCalendar()
    d = case_deadlines(cal, commitment_day(dt.datetime.now(CHINA_TZ), today))
    for n, due in ((60, d.supplement_due), (3, d.verification_start_due), (50, d.verification_end_due)):
        if due is not None:
            assert cal.workdays_between(today, due) == n
        else:
            assert not cal.covers(today.year + 1)
