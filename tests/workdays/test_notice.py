"""The State Council's notice read into a holiday table: the shared 2025/2026 notices give exactly
chinesecalendar's data; other years' wording parses; anything inconsistent is refused with
exit 2 and one line naming the notice's line."""
from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from chinese_calendar import constants as package

from kiosk.tools.kioskctl.cli import main as kioskctl
from kiosk.workdays.calendar import WorkCalendar
from kiosk.workdays.notice import NoticeError, parse_notice, read_notice

SHARED = Path(__file__).resolve().parent / "notices"      # the State Council notices as published
FIXTURES = Path(__file__).resolve().parent / "notices"


def _package(year):
    return (sorted(d for d in package.holidays if d.year == year),
            sorted(d for d in package.workdays if d.year == year))


@pytest.mark.parametrize("year", [2025, 2026])
def test_shared_notices_give_exactly_chinesecalendars_data(year, capsys):
    assert kioskctl(["holidays", "import", str(SHARED / f"{year}.txt"), "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    holidays, workdays = _package(year)
    assert out == {"year": year, "holidays": [d.isoformat() for d in holidays],
                   "workdays": [d.isoformat() for d in workdays]}


def test_import_prints_month_calendars_for_the_admin(capsys):
    assert kioskctl(["holidays", "import", str(SHARED / "2025.txt")]) == 0
    out = capsys.readouterr().out
    assert "2025年1月" in out and "2025年12月" in out
    assert "28休" in out and "26班" in out                 # 1月28日 放假, 1月26日 上班 (周日)
    assert "春节：放假 01-28至02-04（8天），上班 01-26、02-08" in out
    assert "与 chinesecalendar 的 2025 年数据逐日一致" in out


def test_2024_wording_with_eve_hint_and_weekend_join_matches_the_package():
    notice = read_notice(FIXTURES / "2024.txt")       # 星期日, 与周末连休, 除夕 hint
    assert (notice.holidays, notice.workdays) == _package(2024)
    assert notice.eve_hints == (dt.date(2024, 2, 9),)
    assert dt.date(2024, 2, 9) not in notice.holidays   # encouraged day off, not a holiday


def test_range_across_years_amends_the_year_before():
    notice = read_notice(FIXTURES / "2023.txt")       # 2022年12月31日至2023年1月2日
    assert notice.holidays[0] == dt.date(2022, 12, 31)
    cal, pkg = WorkCalendar(notice.table()), WorkCalendar()
    day = dt.date(2023, 1, 1)
    while day.year == 2023:
        assert cal.is_workday(day) == pkg.is_workday(day), day
        day += dt.timedelta(days=1)
    assert cal.coverage()[2022] == "chinesecalendar+table"


def test_2027_style_notice_every_variation():
    notice = read_notice(FIXTURES / "2027-synthetic.txt")
    days = set(notice.holidays)
    assert dt.date(2027, 2, 5) in days and dt.date(2027, 2, 12) in days      # 农历除夕 .. 正月初七
    assert {dt.date(2027, 4, 30), dt.date(2027, 5, 4)} <= days                # across months
    assert dt.date(2027, 6, 9) in days and dt.date(2027, 6, 10) not in days   # 放假1天，不调休
    assert notice.workdays == [dt.date(2027, 2, 14), dt.date(2027, 2, 20), dt.date(2027, 4, 25),
                               dt.date(2027, 5, 8), dt.date(2027, 9, 26), dt.date(2027, 10, 9)]
    assert len(notice.holidays) == 1 + 8 + 3 + 5 + 1 + 1 + 7


def test_2027_notice_with_new_year_from_december_and_chinese_count():
    notice = read_notice(FIXTURES / "2027-eve.txt")
    assert notice.holidays[0] == dt.date(2026, 12, 31)        # 2026年12月31日（星期四）至2027年1月1日
    assert dt.date(2027, 1, 9) in notice.workdays              # 2027年1月9日（星期六）上班
    assert notice.eve_hints == (dt.date(2027, 2, 5),)
    assert dt.date(2027, 2, 5) not in notice.holidays
    table = notice.table()
    assert table.to_mapping() == notice.as_json()
    cal = WorkCalendar(table)
    assert not cal.is_workday(dt.date(2026, 12, 31))           # amends 2026
    assert cal.coverage()[2027] == "table" and cal.coverage()[2026] == "chinesecalendar+table"


BASE = (SHARED / "2025.txt").read_text("utf-8")


@pytest.mark.parametrize("old, new, line, reason", [
    ("1月28日（农历除夕、周二）", "1月28日（农历除夕、周三）", 7, "1月28日是星期二，括号中写的是周三"),
    ("1月28日（农历除夕、周二）", "1月28日（农历除夕、星期二）", None, None),          # same, 星期 form
    ("1月28日（农历除夕、周二）", "1月28日（农历正月初一、周二）", 7, "1月28日不是农历正月初一"),
    ("共8天。1月26日", "共9天。1月26日", 7, "共8天，通知写的是9天"),
    ("5月1日（周四）至5日（周一）", "5月1日（周四）至5日（周日）", 9, "5月5日是星期一"),
    ("4月4日（周五）", "4月31日（周五）", 8, "4月31日 不是真实的日期"),
    ("4月27日（周日）上班", "4月29日（周二）上班", 9, "本是工作日"),
    ("放假1天，不调休。", "放假1天，不调休。1月4日（周六）上班。", 6, "不调休"),
    ("五、端午节：5月31日（周六）至6月2日（周一）放假，共3天。",
     "五、端午节：5月31日（周六）至6月2日（周一）放假调休，共3天。4月27日（周日）上班。", 10, "4月27日已在第9行出现"),
    ("五、端午节：5月31日（周六）至6月2日（周一）放假，共3天。",
     "五、端午节：5月31日（周六）至6月2日（周一）放假，共3天。6月7日（周六）上班。", 10, "只写了“放假”"),
    ("三、清明节", "三、植树节", 8, "“植树节”不是法定节假日"),
    ("四、劳动节", "五、劳动节", 9, "序号"),
    ("共5天。4月27日", "共5天，另行通知。4月27日", 9, "“另行通知”无法识别"),
    ("10月11日（周六）上班。", "10月11日（周六）上班。其余日期另行安排。", 11, "无法识别的一句"),
    ("国务院办公厅\n2024年11月12日", "国务院办公厅\n2024年11月31日", 15, "落款日期"),
    ("节假日期间", "注：节假日期间", 12, "无法识别的一行"),
    ("国务院办公厅关于2025年", "关于2025年", 1, "第一行"),
    ("现将2025年元旦", "现将2024年元旦", 5, "正文写的是2024年"),
    ("1月28日（农历除夕、周二）", "1月28日（农历除夕、晴）", 7, "“晴”无法识别"),
])
def test_inconsistent_notice_is_refused_naming_the_line(tmp_path, capsys, old, new, line, reason):
    text = BASE.replace(old, new, 1)
    assert text != BASE
    path = tmp_path / "notice.txt"
    path.write_text(text, "utf-8")
    code = kioskctl(["holidays", "import", str(path), "--json"])
    captured = capsys.readouterr()
    if line is None:
        assert code == 0
        return
    assert code == 2 and captured.out == ""
    err = captured.err.strip()
    assert "\n" not in err and err.startswith(f"kioskctl: notice.txt: 第{line}行：") and reason in err


def test_missing_file_is_exit_2(capsys, tmp_path):
    assert kioskctl(["holidays", "import", str(tmp_path / "none.txt")]) == 2
    assert "none.txt" in capsys.readouterr().err


def test_gb18030_file_is_read(tmp_path):
    path = tmp_path / "gbk.txt"
    path.write_bytes(BASE.encode("gb18030"))
    assert read_notice(path).year == 2025


def test_holiday_that_is_also_a_workday_and_overlong_range():
    with pytest.raises(NoticeError, match="既是放假日又是上班日"):
        parse_notice(BASE.replace("9月28日（周日）、10月11日（周六）上班", "10月4日（周六）、10月11日（周六）上班"))
    with pytest.raises(NoticeError, match="结束不在开始之后"):
        parse_notice(BASE.replace("4月4日（周五）至6日（周日）", "4月4日（周五）至2日（周三）"))
    with pytest.raises(NoticeError, match="与周末连休"):
        parse_notice(BASE.replace("1月1日（周三）放假1天，不调休", "1月1日（周三）放假，与周末连休"))
