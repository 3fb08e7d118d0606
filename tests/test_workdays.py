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
