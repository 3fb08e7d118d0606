"""Working days (工作日) on the Chinese statutory calendar.

A day is a working day unless it is a public holiday, except that an adjusted
working weekend (调休) is one. The data comes from the `chinesecalendar`
package (one year more each November) and from a holiday table that admins
push with the configuration. A date in a year that neither covers raises
`CalendarOutOfRange`; we never fall back to plain weekdays.

Holiday table format (JSON, e.g. config/holidays.json)::

    {"years": {"2027": {"complete": true,
                        "holidays": ["2027-01-01", "2027-02-06", ...],
                        "workdays": ["2027-02-14", ...]}}}

For a year marked `"complete": true` the table replaces the package's data
for that year (and makes a year the package lacks known). For a year not
complete, its dates are merged over the package's data (a date listed in the
table wins) and the year stays known only if the package knows it.

Counting convention: `add_workdays(start, n)` is the n-th working day after
`start`, `start` not counted; `workdays_between(a, b)` counts working days
d with a < d <= b, so `workdays_between(a, add_workdays(a, n)) == n`.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any, Mapping

from chinese_calendar import constants as _builtin

__all__ = ["CalendarOutOfRange", "HolidayTable", "WorkCalendar", "add_workdays",
           "is_workday", "workdays_between", "DEFAULT"]


class CalendarOutOfRange(LookupError):
    """The calendar has no data for `year`; the platform will confirm the date."""

    def __init__(self, year: int):
        super().__init__(f"no working-day data for year {year}")
        self.year = year


@dataclass(frozen=True)
class YearEntry:
    holidays: frozenset[date] = frozenset()
    workdays: frozenset[date] = frozenset()
    complete: bool = False


@dataclass(frozen=True)
class HolidayTable:
    """An admin-pushed holiday table: per year, holidays and adjusted working days."""

    years: Mapping[int, YearEntry] = field(default_factory=dict)

    @classmethod
    def load(cls, path) -> "HolidayTable":
        """Read a pushed table from a JSON file (ValueError when malformed)."""
        with open(path, encoding="utf-8") as fh:
            try:
                return cls.from_mapping(json.load(fh))
            except json.JSONDecodeError as exc:
                raise ValueError(f"holiday table {path}: not JSON ({exc})") from None

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any]) -> "HolidayTable":
        """Parse the documented JSON shape; raises ValueError naming the bad entry."""
        if not isinstance(data, Mapping) or not isinstance(data.get("years"), Mapping):
            raise ValueError("holiday table: 'years' must be an object")
        years: dict[int, YearEntry] = {}
        for key, entry in data["years"].items():
            try:
                year = int(key)
            except ValueError:
                raise ValueError(f"holiday table: {key!r} is not a year") from None
            if not isinstance(entry, Mapping) or set(entry) - {"complete", "holidays", "workdays"}:
                raise ValueError(f"holiday table: year {year}: expected complete/holidays/workdays")
            complete = entry.get("complete", False)
            if not isinstance(complete, bool):
                raise ValueError(f"holiday table: year {year}: 'complete' must be true or false")
            sets = {}
            for kind in ("holidays", "workdays"):
                days = set()
                for raw in entry.get(kind, []):
                    try:
                        day = date.fromisoformat(raw)
                    except (TypeError, ValueError):
                        raise ValueError(f"holiday table: year {year}: {raw!r} is not a date") from None
                    if day.year != year:
                        raise ValueError(f"holiday table: {raw} listed under {year}")
                    days.add(day)
                sets[kind] = frozenset(days)
            if sets["holidays"] & sets["workdays"]:
                raise ValueError(f"holiday table: year {year}: a date is both holiday and workday")
            years[year] = YearEntry(sets["holidays"], sets["workdays"], complete)
        return cls(years)


_BUILTIN_YEARS = frozenset(range(min(d.year for d in _builtin.holidays),
                                 max(d.year for d in _builtin.holidays) + 1))


class WorkCalendar:
    """The statutory calendar from chinesecalendar, overlaid with a holiday table."""

    def __init__(self, table: HolidayTable | None = None):
        self.table = table or HolidayTable()
        self.known_years = _BUILTIN_YEARS | {y for y, e in self.table.years.items() if e.complete}

    def is_workday(self, day: date) -> bool:
        if day.year not in self.known_years:
            raise CalendarOutOfRange(day.year)
        entry = self.table.years.get(day.year)
        if entry is not None:
            if day in entry.holidays:
                return False
            if day in entry.workdays:
                return True
            if entry.complete:
                return day.weekday() < 5
        if day in _builtin.holidays:
            return False
        if day in _builtin.workdays:
            return True
        return day.weekday() < 5

    def add_workdays(self, start: date, n: int) -> date:
        if n < 0:
            raise ValueError("n must be >= 0")
        day = start
        while n:
            day += timedelta(days=1)
            if self.is_workday(day):
                n -= 1
        return day

    def workdays_between(self, a: date, b: date) -> int:
        if b < a:
            return -self.workdays_between(b, a)
        count, day = 0, a
        while day < b:
            day += timedelta(days=1)
            count += self.is_workday(day)
        return count


DEFAULT = WorkCalendar()


def is_workday(day: date) -> bool:
    return DEFAULT.is_workday(day)


def add_workdays(start: date, n: int) -> date:
    return DEFAULT.add_workdays(start, n)


def workdays_between(a: date, b: date) -> int:
    return DEFAULT.workdays_between(a, b)
