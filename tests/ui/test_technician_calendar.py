"""Technician mode shows the work calendar's coverage, and (from 1 October) the missing next
year; a table swapped into the app's calendar shows at the next refresh. Real app, real date."""
from __future__ import annotations

import datetime as dt

import pytest

from kiosk.platform.contract import CHINA_TZ
from kiosk.workdays.calendar import HolidayTable

pytestmark = pytest.mark.ui


def test_technician_screen_shows_calendar_coverage(kiosk):
    app = kiosk.app
    app.go("technician")
    kiosk.frames(3)
    screen = kiosk.screen("technician")
    calendar = app.services.calendar
    today = dt.datetime.now(CHINA_TZ).date()
    assert screen.ids.calendar.text.startswith("工作日日历：2004-")
    if not calendar.covers(today.year + 1) and today >= dt.date(today.year, 10, 1):
        assert f"缺少 {today.year + 1} 年工作日数据" in screen.ids.calendar.text
    year = max(calendar.coverage()) + 1
    calendar.replace_tables(list(calendar.tables) + [HolidayTable.from_mapping({"year": year, "holidays": []})])
    screen.refresh()
    kiosk.frames(2)
    assert f"{year} table" in screen.ids.calendar.text
    if year == today.year + 1:
        assert "缺少" not in screen.ids.calendar.text
