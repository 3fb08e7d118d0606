"""Working days on the statutory calendar: holidays, 调休 weekends, pushed tables, range."""
from datetime import date

import pytest

from kiosk.workdays.calendar import (CalendarOutOfRange, HolidayTable, WorkCalendar, add_workdays,
                            is_workday, workdays_between)


def test_national_day_2025_and_adjusted_weekends():
    assert is_workday(date(2025, 9, 28))            # Sunday worked before the holiday
    assert not is_workday(date(2025, 10, 8))        # holiday, though a Wednesday
    assert is_workday(date(2025, 10, 11))           # Saturday worked after it
    assert add_workdays(date(2025, 9, 26), 1) == date(2025, 9, 28)
    assert add_workdays(date(2025, 9, 30), 1) == date(2025, 10, 9)
    assert add_workdays(date(2025, 9, 30), 3) == date(2025, 10, 11)


def test_spring_festival_2025():
    assert is_workday(date(2025, 1, 26))            # Sunday worked
    assert not is_workday(date(2025, 2, 4))
    assert add_workdays(date(2025, 1, 27), 1) == date(2025, 2, 5)
    assert is_workday(date(2025, 2, 8))             # Saturday worked


def test_sixty_day_supplement_deadline_across_national_day():
    due = add_workdays(date(2025, 9, 22), 60)
    assert due == date(2025, 12, 19)
    assert workdays_between(date(2025, 9, 22), due) == 60
    # plain weekdays would have given an earlier date: the holidays count
    assert due > date(2025, 12, 15)   # plain weekdays: 15 Dec


def test_start_not_counted_and_zero():
    assert add_workdays(date(2025, 3, 3), 0) == date(2025, 3, 3)
    assert add_workdays(date(2025, 3, 8), 1) == date(2025, 3, 10)   # from a Saturday
    assert workdays_between(date(2025, 3, 10), date(2025, 3, 3)) == -5
    with pytest.raises(ValueError):
        add_workdays(date(2025, 3, 3), -1)


def test_year_beyond_the_data_raises_naming_the_year():
    with pytest.raises(CalendarOutOfRange) as err:
        add_workdays(date(2026, 11, 20), 60)
    assert err.value.year == 2027 and "2027" in str(err.value)
    with pytest.raises(CalendarOutOfRange):
        is_workday(date(2003, 6, 2))


def test_pushed_table_extends_a_missing_year():
    table = HolidayTable.from_mapping({"years": {"2027": {
        "complete": True, "holidays": ["2027-01-01"], "workdays": ["2027-01-02"]}}})
    cal = WorkCalendar(table)
    assert not cal.is_workday(date(2027, 1, 1))
    assert cal.is_workday(date(2027, 1, 2))          # a Saturday made a working day
    assert cal.is_workday(date(2027, 1, 4))
    assert not cal.is_workday(date(2027, 1, 9))       # ordinary Saturday
    assert cal.add_workdays(date(2026, 12, 31), 2) == date(2027, 1, 4)


def test_pushed_table_overrides_and_incomplete_year_stays_unknown():
    table = HolidayTable.from_mapping({"years": {
        "2025": {"holidays": ["2025-03-03"], "workdays": ["2025-10-08"]},
        "2028": {"complete": False, "holidays": ["2028-01-01"]}}})
    cal = WorkCalendar(table)
    assert not cal.is_workday(date(2025, 3, 3))       # added holiday
    assert cal.is_workday(date(2025, 10, 8))          # table wins over the package
    assert not cal.is_workday(date(2025, 10, 7))      # rest of the package data kept
    with pytest.raises(CalendarOutOfRange):
        cal.is_workday(date(2028, 1, 3))


def test_complete_year_replaces_package_data():
    cal = WorkCalendar(HolidayTable.from_mapping({"years": {"2025": {"complete": True}}}))
    assert cal.is_workday(date(2025, 10, 1))
    assert not cal.is_workday(date(2025, 9, 28))


@pytest.mark.parametrize("bad", [
    {}, {"years": []}, {"years": {"x": {}}}, {"years": {"2027": {"holidays": ["2026-01-01"]}}},
    {"years": {"2027": {"holidays": ["nope"]}}}, {"years": {"2027": {"complete": "yes"}}},
    {"years": {"2027": {"holidays": ["2027-01-01"], "workdays": ["2027-01-01"]}}},
    {"years": {"2027": {"extra": 1}}},
])
def test_bad_tables_are_refused(bad):
    with pytest.raises(ValueError):
        HolidayTable.from_mapping(bad)


def test_table_from_file(tmp_path):
    path = tmp_path / "holidays.json"
    path.write_text('{"years": {"2027": {"complete": true, "holidays": ["2027-01-01"]}}}')
    assert not WorkCalendar(HolidayTable.load(path)).is_workday(date(2027, 1, 1))
    path.write_text("{")
    with pytest.raises(ValueError):
        HolidayTable.load(path)


# --- several tables, coverage, the one-year format, swapping in place ----------------------

import threading  # noqa: E402

T2027 = {"year": 2027, "holidays": ["2027-01-01", "2027-02-05"], "workdays": ["2027-02-20"]}


def test_one_year_format_is_a_complete_year():
    table = HolidayTable.from_mapping(T2027)
    assert table.years[2027].complete and table.to_mapping() == T2027
    cal = WorkCalendar([table])
    assert cal.covers(2027) and not cal.covers(2028)
    assert cal.coverage()[2027] == "table" and cal.coverage()[2026] == "chinesecalendar"
    assert not cal.is_workday(date(2027, 2, 5)) and cal.is_workday(date(2027, 2, 20))
    with pytest.raises(CalendarOutOfRange):
        cal.is_workday(date(2028, 1, 3))


@pytest.mark.parametrize("bad", [
    {"year": "2027"}, {"year": 2027, "holidays": "2027-01-01"}, {"year": 2027, "extra": []},
    {"year": 2027, "holidays": ["2029-01-01"]}, [], {"years": {}, "year": 2027}, {"year": 1800},
])
def test_bad_one_year_tables_are_refused(bad):
    with pytest.raises(ValueError):
        HolidayTable.from_mapping(bad)


def test_later_table_wins_for_its_year_and_lists_merge():
    first = HolidayTable.from_mapping(T2027)
    second = HolidayTable.from_mapping({"year": 2027, "holidays": ["2027-01-04"], "workdays": []})
    cal = WorkCalendar([first, second])
    assert cal.is_workday(date(2027, 2, 5))              # second replaced the whole year
    assert not cal.is_workday(date(2027, 1, 4))
    both = HolidayTable.from_mapping([T2027, {"year": 2028, "holidays": ["2028-01-03"]}])
    assert WorkCalendar(both).covers(2028) and not WorkCalendar(both).is_workday(date(2028, 1, 3))


def test_no_table_year_is_counted_on_plain_weekdays():
    cal = WorkCalendar()
    assert not cal.covers(2027)
    with pytest.raises(CalendarOutOfRange):
        cal.add_workdays(date(2026, 12, 2), 60)


def test_replace_tables_in_place_while_others_count():
    cal = WorkCalendar()
    table = HolidayTable.from_mapping(T2027)
    errors, results = [], []

    def count():
        for _ in range(200):
            try:
                results.append(cal.add_workdays(date(2026, 12, 20), 10))
            except CalendarOutOfRange:
                results.append(None)
            except Exception as exc:                     # pragma: no cover - the failure shown
                errors.append(exc)
    threads = [threading.Thread(target=count) for _ in range(3)]
    for t in threads:
        t.start()
    for _ in range(50):
        cal.replace_tables([table])
        cal.replace_tables(())
    cal.replace_tables([table])
    for t in threads:
        t.join()
    assert not errors
    assert set(results) <= {None, WorkCalendar([table]).add_workdays(date(2026, 12, 20), 10)}
    assert cal.covers(2027) and cal.tables == (table,)
    with pytest.raises(TypeError):
        cal.replace_tables([{"year": 2027}])
    assert cal.covers(2027)                              # a refused swap changes nothing


def test_coverage_status_warns_from_first_of_october():
    from kiosk.workdays.calendar import coverage_status
    cal = WorkCalendar()
    assert coverage_status(cal, date(2026, 9, 30))["missing_year"] is None
    status = coverage_status(cal, date(2026, 10, 1))
    assert status["missing_year"] == 2027 and status["last_year"] == 2026
    assert status["coverage"] == "2004-2026 chinesecalendar"
    status = coverage_status(WorkCalendar([HolidayTable.from_mapping(T2027)]), date(2026, 12, 2))
    assert status == {"coverage": "2004-2026 chinesecalendar, 2027 table", "last_year": 2027, "missing_year": None}
    assert coverage_status(cal, date(2027, 1, 5))["last_year"] is None


def test_real_today_path():
    """Today's date (whatever it is): a calendar says whether it covers this year and next."""
    import datetime as dt
    from kiosk.platform.contract import CHINA_TZ
    from kiosk.workdays.calendar import coverage_status
    today = dt.datetime.now(CHINA_TZ).date()
    status = coverage_status(WorkCalendar(), today)
    assert (status["last_year"] is not None) == WorkCalendar().covers(today.year)
    if today >= date(today.year, 10, 1) and not WorkCalendar().covers(today.year + 1):
        assert status["missing_year"] == today.year + 1
