"""From 1 October a terminal whose calendar does not cover next year says so in its heartbeat;
`kioskctl fleet` shows every terminal's calendar coverage (real sandbox over HTTP)."""
from __future__ import annotations

import datetime as dt
import json

from kiosk.fleet.heartbeat import Heartbeat
from kiosk.platform.contract import CHINA_TZ
from kiosk.tools.kioskctl.cli import main as kioskctl
from kiosk.workdays.calendar import HolidayTable, WorkCalendar
from sandbox.testing import ADMIN

T2027 = HolidayTable.from_mapping({"year": 2027, "holidays": ["2027-01-01"], "workdays": []})


def _at(day: dt.date) -> float:
    return dt.datetime.combine(day, dt.time(9), CHINA_TZ).timestamp()


def _row(sandbox, terminal, monkeypatch, capsys):
    monkeypatch.setenv("KIOSK_ADMIN_TOKEN", ADMIN)
    assert kioskctl(["--platform", sandbox.url, "fleet", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert kioskctl(["--platform", sandbox.url, "fleet"]) == 0
    (line,) = [l for l in capsys.readouterr().out.splitlines() if l.startswith(terminal)]
    (row,) = [r for r in rows if r["terminal_id"] == terminal]
    return row, line


def test_missing_next_year_from_first_of_october(sandbox, tmp_path, monkeypatch, capsys):
    client = sandbox.enrolled_client("TJ-CAL-0001")
    beat = Heartbeat(client, tmp_path, app_version="t", clock=lambda: _at(dt.date(2026, 9, 30)),
                     calendar=WorkCalendar())
    assert beat.calendar_status()["missing_year"] is None          # 30 September: not yet
    beat.clock = lambda: _at(dt.date(2026, 10, 1))
    assert beat.beat() is not None
    row, line = _row(sandbox, "TJ-CAL-0001", monkeypatch, capsys)
    assert row["calendar"] == {"coverage": "2004-2026 chinesecalendar", "last_year": 2026, "missing_year": 2027}
    assert "no working-day data for 2027" in line and " 2026 " in line


def test_a_pushed_table_clears_the_warning(sandbox, tmp_path, monkeypatch, capsys):
    client = sandbox.enrolled_client("TJ-CAL-0002")
    calendar = WorkCalendar()
    beat = Heartbeat(client, tmp_path, app_version="t", clock=lambda: _at(dt.date(2026, 12, 2)),
                     calendar=calendar)
    calendar.replace_tables([T2027])                               # the new bundle, in place
    assert beat.beat() is not None
    row, line = _row(sandbox, "TJ-CAL-0002", monkeypatch, capsys)
    assert row["calendar"] == {"coverage": "2004-2026 chinesecalendar, 2027 table", "last_year": 2027,
                               "missing_year": None}
    assert line.rstrip().endswith("ok") and " 2027 " in line


def test_real_date_and_platform_clock(sandbox, tmp_path):
    """On today's real date, by the platform's clock: the report matches the calendar."""
    client = sandbox.enrolled_client("TJ-CAL-0003")
    beat = Heartbeat(client, tmp_path, app_version="t", calendar=WorkCalendar())
    assert beat.beat() is not None and beat.clock_offset is not None
    today = dt.datetime.now(CHINA_TZ).date()
    status = beat.calendar_status()
    expect = today.year + 1 if today >= dt.date(today.year, 10, 1) and not WorkCalendar().covers(today.year + 1) \
        else None
    assert status["missing_year"] == expect
    assert beat.report()["config"]["calendar"] == status
