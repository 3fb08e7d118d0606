"""The State Council's yearly holiday notice (国务院办公厅关于YYYY年部分节假日安排的通知), read as
published in plain text, into that year's holiday table.

Every line must be accounted for: the title, the document number, the addressees, the
preamble (…通知如下), one numbered line per festival, the closing paragraph (节假日期间…),
the issuer and the date. A festival line holds sentences of three kinds:

    1月28日（农历除夕、周二）至2月4日（农历正月初七、周二）放假调休，共8天。   holidays
    1月26日（周日）、2月8日（周六）上班。                                    make-up working days
    鼓励各单位……安排职工在除夕（2月9日）休息。                               a hint, no holiday

Wording seen over the years is handled: 周日 / 星期日, a range across months or years
(2022年12月31日至2023年1月2日), "放假1天" or "共N天", "与周末连休", "不调休", lunar dates in
the brackets. Everything the text states is checked: the weekday and the lunar date in
brackets, 共N天 against the range, that a date exists, that a make-up working day is a
weekend day and no day is both, that 不调休 has no make-up day. Anything else is refused
with `NoticeError` naming the line (never a guess): the table decides citizens' legal
deadlines.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path

from lunardate import LunarDate

from kiosk.workdays.calendar import HolidayTable

__all__ = ["NoticeError", "Notice", "Festival", "parse_notice", "read_notice", "month_calendars"]

FESTIVALS = ("元旦", "春节", "清明节", "劳动节", "端午节", "中秋节", "国庆节")
WEEKDAYS = "一二三四五六日"
NUMERALS = {c: i for i, c in enumerate("零一二三四五六七八九十", 0)}
LUNAR_MONTHS = {"正": 1, "冬": 11, "腊": 12}

_DATE = r"(?:(?P<{p}y>\d{{4}})年)?(?P<{p}m>\d{{1,2}})月(?P<{p}d>\d{{1,2}})日(?:（(?P<{p}note>[^（）]*)）)?"
_END = r"(?:(?:(?P<ey>\d{4})年)?(?P<em>\d{1,2})月)?(?P<ed>\d{1,2})日(?:（(?P<enote>[^（）]*)）)?"
TITLE_RE = re.compile(r"^国务院办公厅关于(\d{4})年部分节假日安排的通知$")
NUMBER_RE = re.compile(r"^国办发(?:明电)?〔\d{4}〕\d+号$")
ISSUED_RE = re.compile(r"^(\d{4})年(\d{1,2})月(\d{1,2})日$")
ITEM_RE = re.compile(r"^([一二三四五六七八九十]+)、([^：]+)：(.+)$")
HOLIDAY_RE = re.compile(r"^" + _DATE.format(p="s") + r"(?:至" + _END + r")?放假(?P<adj>调休)?"
                        r"(?P<n>[0-9一二三四五六七八九十]+天)?(?P<clauses>(?:，[^，]+)*)$")
ONE_DATE_RE = re.compile(_DATE.format(p=""))
_WORK_ONE = r"(?:\d{4}年)?\d{1,2}月\d{1,2}日(?:（[^（）]*）)?"
WORK_RE = re.compile(rf"^{_WORK_ONE}(?:、{_WORK_ONE})*上班$")
EVE_RE = re.compile(r"^(?:鼓励[^。]*?)?安排职工在除夕（(?:(?P<y>\d{4})年)?(?P<m>\d{1,2})月(?P<d>\d{1,2})日）休息$")


class NoticeError(ValueError):
    """The notice cannot be fully accounted for; `line_no` / `line` name where."""

    def __init__(self, line_no: int, line: str, reason: str):
        self.line_no, self.line, self.reason = line_no, line, reason
        quoted = line if len(line) <= 40 else line[:39] + "…"
        super().__init__(f"第{line_no}行：{reason}（{quoted}）")


@dataclass(frozen=True)
class Festival:
    names: tuple[str, ...]
    holidays: tuple[dt.date, ...]
    workdays: tuple[dt.date, ...]
    line_no: int


@dataclass(frozen=True)
class Notice:
    year: int
    festivals: tuple[Festival, ...]
    eve_hints: tuple[dt.date, ...] = ()      # 除夕 the notice encourages as a day off (not a holiday)

    @property
    def holidays(self) -> list[dt.date]:
        return sorted(d for f in self.festivals for d in f.holidays)

    @property
    def workdays(self) -> list[dt.date]:
        return sorted(d for f in self.festivals for d in f.workdays)

    def table(self) -> HolidayTable:
        return HolidayTable.single(self.year, self.holidays, self.workdays)

    def as_json(self) -> dict:
        return {"year": self.year, "holidays": [d.isoformat() for d in self.holidays],
                "workdays": [d.isoformat() for d in self.workdays]}


def _number(text: str) -> int:
    """Arabic digits, or a Chinese numeral up to 九十九."""
    if text.isdigit():
        return int(text)
    if not text or any(c not in NUMERALS for c in text):
        raise ValueError(text)
    if "十" not in text:
        if len(text) != 1:
            raise ValueError(text)
        return NUMERALS[text]
    tens, _, ones = text.partition("十")
    return (NUMERALS[tens] if tens else 1) * 10 + (NUMERALS[ones] if ones else 0)


def _lunar_day(text: str) -> int:
    if text == "廿十" or text == "二十":
        return 20
    if text == "三十":
        return 30
    if text.startswith("初"):
        return _number(text[1:])
    if text.startswith("廿"):
        return 20 + _number(text[1:])
    return _number(text)


class _Reader:
    def __init__(self, year: int, line_no: int, line: str):
        self.year, self.line_no, self.line = year, line_no, line

    def fail(self, reason: str):
        raise NoticeError(self.line_no, self.line, reason)

    def date(self, y: str | None, m: str, d: str, default_year: int | None = None) -> dt.date:
        year = int(y) if y else (default_year or self.year)
        if abs(year - self.year) > 1:
            self.fail(f"{year}年不是本通知的年度")
        try:
            return dt.date(year, int(m), int(d))
        except ValueError:
            self.fail(f"{year}年{int(m)}月{int(d)}日 不是真实的日期")

    def check_note(self, day: dt.date, note: str | None) -> None:
        """The weekday and lunar date in brackets must be those of `day`."""
        if note is None:
            return
        parts = [p for p in re.split(r"[、，,]", note) if p]
        if not parts:
            self.fail(f"{day:%m月%d日}后的括号是空的")
        for part in parts:
            weekday = re.fullmatch(r"(?:周|星期)([一二三四五六日天])", part)
            if weekday:
                stated = WEEKDAYS.index(weekday.group(1).replace("天", "日"))
                if stated != day.weekday():
                    self.fail(f"{day.month}月{day.day}日是星期{WEEKDAYS[day.weekday()]}，括号中写的是{part}")
                continue
            lunar = re.fullmatch(r"农历(.+)", part)
            if lunar:
                self.check_lunar(day, lunar.group(1), part)
                continue
            self.fail(f"括号中的“{part}”无法识别")

    def check_lunar(self, day: dt.date, text: str, part: str) -> None:
        actual = LunarDate.from_solar_date(day.year, day.month, day.day)
        if text == "除夕":
            after = day + dt.timedelta(days=1)
            nxt = LunarDate.from_solar_date(after.year, after.month, after.day)
            if not (nxt.month == 1 and nxt.day == 1 and not nxt.is_leap_month):
                self.fail(f"{day.month}月{day.day}日不是农历除夕")
            return
        m = re.fullmatch(r"(闰)?([正冬腊]|[一二三四五六七八九十]{1,2})月(.+)", text)
        try:
            if m is None:
                raise ValueError(text)
            month = LUNAR_MONTHS.get(m.group(2)) or _number(m.group(2))
            lday = _lunar_day(m.group(3))
        except (ValueError, KeyError):
            self.fail(f"括号中的“{part}”无法识别")
        if (actual.month, actual.day, bool(actual.is_leap_month)) != (month, lday, bool(m.group(1))):
            self.fail(f"{day.month}月{day.day}日不是{part}")


def parse_notice(text: str) -> Notice:
    """Parse a notice's text; raises NoticeError naming the first line it cannot account for."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    year = None
    festivals: list[Festival] = []
    hints: list[dt.date] = []
    seen_days: dict[dt.date, int] = {}
    last_number = 0
    for no, raw in enumerate(lines, 1):
        line = raw.strip().replace(" ", "").replace("\u3000", "")
        line = line.replace("(", "（").replace(")", "）").replace(":", "：")
        if not line:
            continue
        if year is None:
            title = TITLE_RE.match(line)
            if not title:
                raise NoticeError(no, raw.strip(), "第一行应为“国务院办公厅关于YYYY年部分节假日安排的通知”")
            year = int(title.group(1))
            continue
        reader = _Reader(year, no, raw.strip())
        item = ITEM_RE.match(line)
        if item:
            number = _number(item.group(1))
            if number != last_number + 1:
                reader.fail(f"序号“{item.group(1)}”不连续")
            last_number = number
            festival, hint = _festival(reader, item.group(2), item.group(3))
            for day in festival.holidays + festival.workdays:
                if day in seen_days:
                    reader.fail(f"{day.month}月{day.day}日已在第{seen_days[day]}行出现")
                seen_days[day] = no
            festivals.append(festival)
            hints.extend(hint)
        elif NUMBER_RE.match(line) or re.match(r"^各[^：]*：$", line) or line.startswith("节假日期间") \
                or line == "国务院办公厅":
            continue
        elif "通知如下" in line:
            stated = re.findall(r"(\d{4})年", line)
            if stated and int(stated[-1]) != year:
                reader.fail(f"正文写的是{stated[-1]}年，标题是{year}年")
        elif ISSUED_RE.match(line):
            y, m, d = ISSUED_RE.match(line).groups()
            try:
                dt.date(int(y), int(m), int(d))
            except ValueError:
                reader.fail("落款日期不是真实的日期")
        else:
            reader.fail("无法识别的一行")
    if year is None:
        raise NoticeError(1, "", "通知是空的")
    if not festivals:
        raise NoticeError(len(lines), "", "通知中没有任何放假安排")
    return Notice(year, tuple(festivals), tuple(hints))


def _festival(reader: _Reader, names_text: str, body: str) -> tuple[Festival, list[dt.date]]:
    names = tuple(n for n in names_text.split("、") if n)
    for name in names:
        if name not in FESTIVALS:
            reader.fail(f"“{name}”不是法定节假日")
    sentences = [s for s in body.split("。") if s]
    holidays: list[dt.date] = []
    workdays: list[dt.date] = []
    hints: list[dt.date] = []
    no_makeup = plain = False
    for sentence in sentences:
        h = HOLIDAY_RE.match(sentence)
        if h:
            if holidays:
                reader.fail("一个节日写了两段放假日期")
            start = reader.date(h["sy"], h["sm"], h["sd"])
            reader.check_note(start, h["snote"])
            end = start
            if h["ed"]:
                if h["ey"] and not h["em"]:
                    reader.fail("结束日期写了年份却没有月份")
                end = reader.date(h["ey"] or (str(start.year) if not h["em"] else None),
                                  h["em"] or str(start.month), h["ed"], default_year=start.year)
                reader.check_note(end, h["enote"])
                if end <= start:
                    reader.fail(f"放假从{start.month}月{start.day}日到{end.month}月{end.day}日，结束不在开始之后")
            days = [start + dt.timedelta(days=i) for i in range((end - start).days + 1)]
            if len(days) > 15:
                reader.fail(f"一次放假{len(days)}天，不合常理")
            counts = []
            if h["n"]:
                counts.append(h["n"][:-1])
            for clause in (c for c in h["clauses"].split("，") if c):
                total = re.fullmatch(r"共([0-9一二三四五六七八九十]+)天", clause)
                if total:
                    counts.append(total.group(1))
                elif clause == "不调休":
                    no_makeup = True
                elif clause == "与周末连休":
                    around = [start - dt.timedelta(days=1), end + dt.timedelta(days=1)] + days
                    if not any(d.weekday() >= 5 for d in around):
                        reader.fail("写了“与周末连休”，但放假日期不挨着周末")
                else:
                    reader.fail(f"“{clause}”无法识别")
            for stated in counts:
                if _number(stated) != len(days):
                    reader.fail(f"{start.month}月{start.day}日至{end.month}月{end.day}日共{len(days)}天，"
                                f"通知写的是{stated}天")
            plain = not h["adj"]
            holidays = days
            continue
        if WORK_RE.match(sentence):
            for m in ONE_DATE_RE.finditer(sentence[:-2]):
                day = reader.date(m["y"], m["m"], m["d"])
                reader.check_note(day, m["note"])
                if day.weekday() < 5:
                    reader.fail(f"{day.month}月{day.day}日本是工作日（星期{WEEKDAYS[day.weekday()]}），无需调休上班")
                workdays.append(day)
            continue
        eve = EVE_RE.match(sentence)
        if eve:
            day = reader.date(eve["y"], eve["m"], eve["d"])
            reader.check_lunar(day, "除夕", "除夕")
            hints.append(day)
            continue
        reader.fail(f"无法识别的一句：“{sentence[:30]}”")
    if not holidays:
        reader.fail("没有写放假日期")
    if no_makeup and workdays:
        reader.fail("写了“不调休”却又安排了上班日")
    if plain and workdays:
        reader.fail("只写了“放假”（不是“放假调休”）却又安排了上班日")
    both = set(holidays) & set(workdays)
    if both:
        day = min(both)
        reader.fail(f"{day.month}月{day.day}日既是放假日又是上班日")
    return Festival(names, tuple(holidays), tuple(sorted(workdays)), reader.line_no), hints


def read_notice(path: str | Path) -> Notice:
    """Read a notice file (UTF-8, or GB18030 as saved from some sites)."""
    data = Path(path).read_bytes()
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return parse_notice(data.decode(encoding))
        except UnicodeDecodeError:
            continue
    raise NoticeError(1, "", "文件不是 UTF-8 或 GB18030 文本")


def month_calendars(notice: Notice, columns: int = 3) -> str:
    """The year as month calendars for the admin to check: 休 holiday, 班 make-up working day."""
    import calendar as _cal
    holidays, workdays = set(notice.holidays), set(notice.workdays)
    blocks = []
    for month in range(1, 13):
        rows = [f"{notice.year}年{month}月", " ".join(f"  {w}" for w in WEEKDAYS)]
        for week in _cal.Calendar().monthdatescalendar(notice.year, month):
            rows.append(" ".join("    " if day.month != month else
                                 f"{day.day:>2}" + ("休" if day in holidays else "班" if day in workdays else "  ")
                                 for day in week))
        blocks.append(rows)
    out = []
    for i in range(0, 12, columns):
        group = blocks[i:i + columns]
        height = max(len(b) for b in group)
        for r in range(height):
            out.append("   ".join(_pad(b[r] if r < len(b) else "", 34) for b in group).rstrip())
        out.append("")
    summary = [f"{notice.year}年：放假 {len(holidays)} 天，调休上班 {len(workdays)} 天（休=放假，班=调休上班）"]
    for f in notice.festivals:
        span = f"{f.holidays[0]:%m-%d}至{f.holidays[-1]:%m-%d}" if len(f.holidays) > 1 else f"{f.holidays[0]:%m-%d}"
        work = "、".join(f"{d:%m-%d}" for d in f.workdays) or "无"
        summary.append(f"  {'、'.join(f.names)}：放假 {span}（{len(f.holidays)}天），上班 {work}")
    for day in notice.eve_hints:
        summary.append(f"  除夕 {day:%m-%d}：通知仅鼓励安排休息，不是法定假日，按工作日计算")
    return "\n".join(out + summary)


def _pad(text: str, width: int) -> str:
    """Pad to `width` display columns (CJK characters are two columns wide)."""
    shown = sum(2 if ord(c) > 0x2E7F else 1 for c in text)
    return text + " " * max(0, width - shown)
