"""The platform counts from the signing day, each deadline on its own, and a 2027 holiday table
handed to the sandbox gives a letter signed on 2026-12-02 every date."""
from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from kiosk.citizen.commitment import supplement_due
from kiosk.platform.client import new_idempotency_key
from kiosk.platform.contract import CHINA_TZ
from kiosk.workdays.calendar import HolidayTable, WorkCalendar
from kiosk.workdays.notice import read_notice
from sandbox.app import SandboxConfig, default_item_sources, holiday_tables, open_store
from sandbox.store import Store, load_items
from sandbox.testing import TODAY, letter

NOTICE = Path(__file__).resolve().parents[1] / "workdays" / "notices" / "2027-synthetic.txt"


def _store(tmp_path, calendar, today):
    return Store(tmp_path / "db", load_items(*default_item_sources()), calendar, today=lambda: today)


def _signed(day, hour=10):
    return dt.datetime.combine(day, dt.time(hour), CHINA_TZ)


def test_signed_before_national_day_delivered_after_is_due_as_the_receipt_printed(tmp_path):
    store = _store(tmp_path, WorkCalendar(), dt.date(2025, 10, 9))
    try:
        case = store.case(store.create_case(letter(signed_at=_signed(dt.date(2025, 9, 30))).to_json(), "t"))
    finally:
        store.close()
    receipt = supplement_due(dt.date(2025, 9, 30), None, WorkCalendar())
    assert receipt == dt.date(2025, 12, 30)
    assert case["committed_on"] == dt.date(2025, 9, 30)
    assert case["deadlines"]["supplement_due"] == receipt
    assert case["timeline"][0] == {"event": "approved", "on": "2025-10-09"}
    assert case["deadlines"]["verification_start_due"] == WorkCalendar().add_workdays(dt.date(2025, 10, 9), 3)


def test_over_http_the_signing_day_counts(client):
    signed = dt.date.fromisoformat(TODAY) - dt.timedelta(days=2)        # waited two days in the outbox
    case = client.submit_commitment(letter(signed_at=_signed(signed)), new_idempotency_key())
    assert case.committed_on == signed
    assert case.deadlines.supplement_due == WorkCalendar().add_workdays(signed, 60)


def test_letter_signed_2026_12_02_with_and_without_a_2027_table(tmp_path):
    day = dt.date(2026, 12, 2)
    calendar = WorkCalendar()
    store = _store(tmp_path, calendar, day)
    try:
        number = store.create_case(letter(signed_at=_signed(day)).to_json(), "t")
        without = store.case(number)["deadlines"]
        calendar.replace_tables([read_notice(NOTICE).table()])          # the kiosk's calendar, swapped in place
        with_table = store.case(number)["deadlines"]
    finally:
        store.close()
    assert without == {"supplement_due": None, "verification_start_due": dt.date(2026, 12, 7),
                       "verification_end_due": None, "rectification_due": None, "confirmed": False}
    assert with_table == {"supplement_due": dt.date(2027, 3, 3), "verification_start_due": dt.date(2026, 12, 7),
                          "verification_end_due": dt.date(2027, 2, 18), "rectification_due": dt.date(2027, 3, 3),
                          "confirmed": True}


def test_standalone_sandbox_loads_several_tables_like_the_kiosk(tmp_path):
    bundle = tmp_path / "bundle"
    bundle.mkdir()
    (bundle / "holidays.json").write_text(json.dumps(read_notice(NOTICE).as_json()), "utf-8")
    later = tmp_path / "2027-fix.json"
    later.write_text(json.dumps({"year": 2027, "holidays": ["2027-01-01"], "workdays": []}), "utf-8")
    tables = holiday_tables([bundle, later])
    assert tables == (HolidayTable.load(bundle / "holidays.json"), HolidayTable.load(later))
    store = open_store(SandboxConfig(db=tmp_path / "s.db", holidays=[bundle, later], seed=False))
    try:
        assert store.calendar.covers(2027)
        assert store.calendar.is_workday(dt.date(2027, 2, 8))           # the later table wins for 2027
    finally:
        store.close()


def test_database_from_before_approval_days_opens_and_counts(tmp_path):
    import sqlite3
    db = tmp_path / "old.db"
    con = sqlite3.connect(db)                 # the cases table as it was: no approved_on column
    con.executescript("""CREATE TABLE cases (case_number TEXT PRIMARY KEY, subject_type TEXT NOT NULL,
      subject_id TEXT NOT NULL, item_code TEXT NOT NULL, status TEXT NOT NULL, suspended_from TEXT,
      committed_on TEXT NOT NULL, extension_status TEXT NOT NULL DEFAULT 'none', extension_requested_on TEXT,
      letter TEXT NOT NULL, device_id TEXT NOT NULL, received_at TEXT NOT NULL);
      INSERT INTO cases VALUES ('OLD-1', 'person', 'x', '12120000MB1546214Q-0001', 'approved', NULL,
      '2025-09-22', 'none', NULL, '{}', 'd', '2025-09-22T10:00:00+08:00');""")
    con.commit()
    con.close()
    store = Store(db, load_items(*default_item_sources()), WorkCalendar(), today=lambda: dt.date(2025, 9, 22))
    try:
        case = store.case("OLD-1")
    finally:
        store.close()
    assert case["deadlines"]["supplement_due"] == dt.date(2025, 12, 19)
    assert case["deadlines"]["verification_start_due"] == WorkCalendar().add_workdays(dt.date(2025, 9, 22), 3)
