"""Working days (工作日) on the Chinese statutory calendar.

A day is a working day unless it is a public holiday, except that an adjusted
working weekend (调休) is one. The data comes from the `chinesecalendar`
package (its newest release ends with 2026) and from the holiday tables that
admins push with the configuration (`kioskctl holidays import` builds one from
the State Council's yearly notice). A date in a year that neither covers raises
`CalendarOutOfRange`; we never fall back to plain weekdays.

Holiday table formats (JSON, the bundle's holidays.json), all accepted by
`HolidayTable.from_mapping`:

    {"year": 2027, "holidays": ["2027-01-01", ...], "workdays": ["2027-02-07", ...]}
        one whole year, as `kioskctl holidays import --json` prints it;
    {"years": {"2027": {"complete": true, "holidays": [...], "workdays": [...]}}}
        several years; a year not "complete" only amends the package's data
        (a date listed wins) and stays known only if the package knows it;
    [ any of the above, ... ]
        merged in order, a later one winning for its year.

`WorkCalendar(tables)` layers the package's data and the tables: a complete year in
a table replaces the package's data for it (of two tables with the same year, the
later wins); the amendments are applied over that, in order.
`coverage()` says per year where the data comes from; `replace_tables()` swaps
the tables in place (a new config bundle) while other threads keep counting on a
consistent snapshot.

Counting convention: `add_workdays(start, n)` is the n-th working day after
`start`, `start` not counted; `workdays_between(a, b)` counts working days
d with a < d <= b, so `workdays_between(a, add_workdays(a, n)) == n`.
"""
from __future__ import annotations

import threading
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any, Iterable, Mapping, Sequence

from chinese_calendar import constants as _builtin

from kiosk.bounded import TooComplex, read_json

__all__ = ["CalendarOutOfRange", "HolidayTable", "YearEntry", "WorkCalendar", "coverage_status",
           "BUILTIN", "TABLE", "AMENDED", "add_workdays", "is_workday", "workdays_between", "DEFAULT"]

BUILTIN, TABLE, AMENDED = "chinesecalendar", "table", "chinesecalendar+table"
WARN_FROM = (10, 1)          # from 1 October a terminal must already know next year


class CalendarOutOfRange(LookupError):
    """The calendar has no data for `year`; the date is set by the approving agency."""

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
        try:
            return cls.from_mapping(read_json(path))
        except TooComplex:
            raise
        except UnicodeDecodeError as exc:
            raise ValueError(f"holiday table {path}: not UTF-8 ({exc.reason})") from None
        except ValueError as exc:      # json.JSONDecodeError among them
            raise ValueError(f"holiday table {path}: not JSON ({exc})") from None

    @classmethod
    def single(cls, year: int, holidays: Iterable[date], workdays: Iterable[date]) -> "HolidayTable":
        """One complete year (what a State Council notice gives)."""
        return cls.from_mapping({"year": year, "holidays": [d.isoformat() for d in holidays],
                                 "workdays": [d.isoformat() for d in workdays]})

    def to_mapping(self) -> dict:
        """The JSON shape: the one-year form when the table is one complete year."""
        def days(s):
            return [d.isoformat() for d in sorted(s)]
        complete = [y for y, e in self.years.items() if e.complete]
        if len(complete) == 1 and all(abs(y - complete[0]) <= 1 for y in self.years):
            entries = self.years.values()
            return {"year": complete[0], "holidays": days(set().union(*(e.holidays for e in entries))),
                    "workdays": days(set().union(*(e.workdays for e in entries)))}
        return {"years": {str(y): {"complete": e.complete, "holidays": days(e.holidays),
                                   "workdays": days(e.workdays)} for y, e in sorted(self.years.items())}}

    @classmethod
    def from_mapping(cls, data: Any) -> "HolidayTable":
        """Parse any documented JSON shape; raises ValueError naming the bad entry."""
        if isinstance(data, list):
            if not data:
                raise ValueError("holiday table: an empty list")
            years: dict[int, YearEntry] = {}
            for part in data:
                years.update(cls.from_mapping(part).years)
            return cls(years)
        if isinstance(data, Mapping) and "year" in data:
            if set(data) - {"year", "holidays", "workdays"}:
                raise ValueError("holiday table: expected year/holidays/workdays")
            year = data["year"]
            if not isinstance(year, int) or isinstance(year, bool) or not 1949 < year < 2200:
                raise ValueError(f"holiday table: {year!r} is not a year")
            return cls(_one_year(year, data))
        if not isinstance(data, Mapping) or not isinstance(data.get("years"), Mapping):
            raise ValueError("holiday table: 'years' (or 'year') must be an object")
        years = {}
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
            years[year] = _entry(year, entry, complete)
        return cls(years)


def _one_year(year: int, data: Mapping) -> dict[int, YearEntry]:
    """The one-year form: that year complete; a date of the year before or after (a New Year
    holiday that starts on 30 December) amends that year."""
    split: dict[int, dict[str, list]] = {}
    for kind in ("holidays", "workdays"):
        raw_days = data.get(kind, [])
        if not isinstance(raw_days, list):
            raise ValueError(f"holiday table: year {year}: '{kind}' must be a list of dates")
        for raw in raw_days:
            try:
                day_year = date.fromisoformat(raw).year
            except (TypeError, ValueError):
                raise ValueError(f"holiday table: year {year}: {raw!r} is not a date") from None
            if abs(day_year - year) > 1:
                raise ValueError(f"holiday table: {raw} listed under {year}")
            split.setdefault(day_year, {"holidays": [], "workdays": []})[kind].append(raw)
    years = {y: _entry(y, part, complete=False) for y, part in split.items() if y != year}
    years[year] = _entry(year, split.get(year, {}), complete=True)
    return dict(sorted(years.items()))


def _entry(year: int, entry: Mapping, complete: bool) -> YearEntry:
    sets = {}
    for kind in ("holidays", "workdays"):
        raw_days = entry.get(kind, [])
        if not isinstance(raw_days, list):
            raise ValueError(f"holiday table: year {year}: '{kind}' must be a list of dates")
        days = set()
        for raw in raw_days:
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
    return YearEntry(sets["holidays"], sets["workdays"], complete)


_BUILTIN_YEARS = frozenset(range(min(d.year for d in _builtin.holidays),
                                 max(d.year for d in _builtin.holidays) + 1))


def _builtin_year(year: int) -> tuple[frozenset[date], frozenset[date]]:
    return (frozenset(d for d in _builtin.holidays if d.year == year),
            frozenset(d for d in _builtin.workdays if d.year == year))


@dataclass(frozen=True)
class _Year:
    holidays: frozenset[date]
    workdays: frozenset[date]
    source: str                   # BUILTIN / TABLE / AMENDED; "" while the year is not covered


def _layer(tables: Sequence[HolidayTable]) -> dict[int, _Year]:
    """Per year touched by a table: the resolved holidays and working days, and their source."""
    out: dict[int, _Year] = {}
    for table in tables:                      # whole years first: the last table's year wins
        for year, entry in table.years.items():
            if entry.complete:
                out[year] = _Year(entry.holidays, entry.workdays, TABLE)
    for table in tables:                      # then the amendments, in order, over them
        for year, entry in table.years.items():
            if entry.complete:
                continue
            before = out.get(year)
            if before is None:
                holidays, workdays = _builtin_year(year) if year in _BUILTIN_YEARS else (frozenset(), frozenset())
                before = _Year(holidays, workdays, BUILTIN if year in _BUILTIN_YEARS else "")
            out[year] = _Year((before.holidays - entry.workdays) | entry.holidays,
                              (before.workdays - entry.holidays) | entry.workdays,
                              AMENDED if before.source == BUILTIN else before.source)
    return out


class WorkCalendar:
    """The statutory calendar: chinesecalendar, overlaid in order with the pushed tables."""

    def __init__(self, tables: Sequence[HolidayTable] | HolidayTable | None = ()):
        self._lock = threading.Lock()
        self._years: dict[int, _Year] = {}
        self.tables: tuple[HolidayTable, ...] = ()
        self.version = 0              # +1 on every swap: caches of counted dates key on it
        self.replace_tables(tables)

    def replace_tables(self, tables: Sequence[HolidayTable] | HolidayTable | None) -> None:
        """Swap in a new set of tables (thread-safe: a count in progress finishes on the old data)."""
        if tables is None:
            tables = ()
        elif isinstance(tables, HolidayTable):
            tables = (tables,)
        tables = tuple(tables)
        for table in tables:
            if not isinstance(table, HolidayTable):
                raise TypeError(f"not a HolidayTable: {type(table).__name__}")
        years = _layer(tables)
        with self._lock:
            self._years, self.tables = years, tables      # one reference swap: readers see old or new
            self.version += 1

    # --- coverage -----------------------------------------------------------------
    def coverage(self) -> dict[int, str]:
        """Year -> where its data comes from ("chinesecalendar", "table", "chinesecalendar+table")."""
        years = self._years
        out = {y: BUILTIN for y in _BUILTIN_YEARS}
        for year, entry in years.items():
            if entry.source:
                out[year] = entry.source
            else:
                out.pop(year, None)
        return dict(sorted(out.items()))

    def covers(self, year: int) -> bool:
        entry = self._years.get(year)
        return bool(entry.source) if entry is not None else year in _BUILTIN_YEARS

    @property
    def known_years(self) -> frozenset[int]:
        return frozenset(self.coverage())

    # --- counting -------------------------------------------------------------------
    @staticmethod
    def _is_workday(years: Mapping[int, _Year], day: date) -> bool:
        entry = years.get(day.year)
        if entry is not None:
            if not entry.source:
                raise CalendarOutOfRange(day.year)
            if day in entry.holidays:
                return False
            if day in entry.workdays:
                return True
            return day.weekday() < 5
        if day.year not in _BUILTIN_YEARS:
            raise CalendarOutOfRange(day.year)
        if day in _builtin.holidays:
            return False
        if day in _builtin.workdays:
            return True
        return day.weekday() < 5

    def is_workday(self, day: date) -> bool:
        return self._is_workday(self._years, day)

    def add_workdays(self, start: date, n: int) -> date:
        if n < 0:
            raise ValueError("n must be >= 0")
        years, day = self._years, start
        while n:
            day += timedelta(days=1)
            if self._is_workday(years, day):
                n -= 1
        return day

    def workdays_between(self, a: date, b: date) -> int:
        if b < a:
            return -self.workdays_between(b, a)
        years, count, day = self._years, 0, a
        while day < b:
            day += timedelta(days=1)
            count += self._is_workday(years, day)
        return count


def _spans(years: Iterable[int]) -> list[tuple[int, int]]:
    spans: list[list[int]] = []
    for y in sorted(years):
        if spans and spans[-1][1] == y - 1:
            spans[-1][1] = y
        else:
            spans.append([y, y])
    return [(a, b) for a, b in spans]


def coverage_status(calendar: WorkCalendar, today: date) -> dict:
    """What a terminal reports about its calendar: the years covered by source (compact text),
    the last year covered without a gap from this year, and, from 1 October, the next year
    when it is not covered (deadlines of letters signed now fall into it)."""
    coverage = calendar.coverage()
    parts = []
    for source in (BUILTIN, AMENDED, TABLE):
        for a, b in _spans(y for y, s in coverage.items() if s == source):
            parts.append((a, f"{a}" if a == b else f"{a}-{b}", source))
    text = ", ".join(f"{span} {source}" for _, span, source in sorted(parts))
    last = today.year if calendar.covers(today.year) else None
    while last is not None and calendar.covers(last + 1):
        last += 1
    missing = None
    if (today.month, today.day) >= WARN_FROM and not calendar.covers(today.year + 1):
        missing = today.year + 1
    return {"coverage": text[:200], "last_year": last, "missing_year": missing}


DEFAULT = WorkCalendar()      # chinesecalendar alone; deadlines use the app's calendar instead


def is_workday(day: date) -> bool:
    return DEFAULT.is_workday(day)


def add_workdays(start: date, n: int) -> date:
    return DEFAULT.add_workdays(start, n)


def workdays_between(a: date, b: date) -> int:
    return DEFAULT.workdays_between(a, b)
