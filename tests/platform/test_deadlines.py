"""Deadlines beyond the calendar's data are left unconfirmed, never counted on plain
weekdays; a pushed holiday table (sandbox --holidays) makes them known."""
from __future__ import annotations

from datetime import date, datetime, time

from kiosk.platform.contract import CHINA_TZ
from kiosk.workdays.calendar import HolidayTable, WorkCalendar
from sandbox.testing import letter
from sandbox.app import default_item_sources
from sandbox.store import Store, load_items

LATE = date(2026, 11, 20)         # + 60 working days runs into 2027


def _case(tmp_path, calendar):
    store = Store(tmp_path / "db", load_items(*default_item_sources()), calendar, today=lambda: LATE)
    try:
        signed = datetime.combine(LATE, time(10), CHINA_TZ)
        return store.case(store.create_case(letter(signed_at=signed).to_json(), device_id="t"))
    finally:
        store.close()


def test_beyond_the_data_is_unconfirmed(tmp_path):
    case = _case(tmp_path, WorkCalendar())
    assert case["deadlines"]["confirmed"] is False
    assert case["deadlines"]["supplement_due"] is None
    assert case["deadlines"]["verification_start_due"] == date(2026, 11, 25)   # known: not withheld
    assert all(m["due_on"] is None for m in case["materials"] if m["status"] == "deferred")


def test_pushed_table_confirms_them(tmp_path):
    table = HolidayTable.from_mapping({"years": {"2027": {"complete": True, "holidays": [
        "2027-01-01", "2027-02-05", "2027-02-08", "2027-02-09", "2027-02-10", "2027-02-11"]}}})
    case = _case(tmp_path, WorkCalendar(table))
    deadlines = case["deadlines"]
    assert deadlines["confirmed"] is True
    assert deadlines["supplement_due"] == WorkCalendar(table).add_workdays(LATE, 60)
    assert deadlines["verification_start_due"] == date(2026, 11, 25)
