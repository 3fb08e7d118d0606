"""`kiosk-selftest --calendar`: the years covered (chinesecalendar plus the installed bundle's
table, as the app resolves them at start) and every deadline of a letter signed on --date, with
the lines the screens and the receipt would show."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from kiosk.workdays.notice import read_notice

ROOT = Path(__file__).resolve().parents[2]
NOTICE = Path(__file__).resolve().parent / "notices" / "2027-synthetic.txt"
UNKNOWN = "补交期限由审批部门确定后告知，可在本机“进度查询”或拨打88908890查询"


def _selftest(state, *args):
    env = {**os.environ, "KIOSK__KIOSK__STATE_DIR": f'"{state}"'}
    out = subprocess.run([sys.executable, "-m", "kiosk.tools.selftest", "--calendar", *args], cwd=ROOT,
                         env=env, capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    return out.stdout


def _install(state, tmp_path):
    """A bundle installed as the updater leaves it: <state>/config/current -> the bundle."""
    bundle = tmp_path / "v7"
    bundle.mkdir()
    (bundle / "holidays.json").write_text(json.dumps(read_notice(NOTICE).as_json()), "utf-8")
    (state / "config").mkdir(parents=True)
    (state / "config" / "current").symlink_to(bundle)


def test_without_a_2027_table(tmp_path):
    report = json.loads(_selftest(tmp_path / "state", "--date", "2026-12-02", "--json"))
    assert report["coverage"]["2026"] == "chinesecalendar" and "2027" not in report["coverage"]
    assert report["deadlines"]["verification_start_due (3)"] == "2026-12-07"
    assert report["deadlines"]["supplement_due (60)"] is None
    assert report["screens"]["review"] == UNKNOWN
    assert UNKNOWN in report["screens"]["result"]
    assert report["screens"]["receipt"] == "补交截止 由审批部门确定后告知"


def test_with_the_installed_2027_table(tmp_path):
    state = tmp_path / "state"
    _install(state, tmp_path)
    report = json.loads(_selftest(state, "--date", "2026-12-02", "--json"))
    assert report["coverage"]["2027"] == "table" and report["status"]["missing_year"] is None
    assert report["deadlines"] == {"supplement_due (60)": "2027-03-03", "extended_due (60+20)": "2027-03-31",
                                   "verification_start_due (3)": "2026-12-07",
                                   "verification_end_due (50)": "2027-02-18", "rectification_due (60)": "2027-03-03"}
    assert report["screens"]["result"] == "（后补材料）：请于 2027-03-03 前补交"
    assert "本机按工作日计算" in report["screens"]["result_offline"]
    assert report["screens"]["receipt_offline"] == "补交截止 2027年03月03日（本机计算）"
    text = _selftest(state, "--date", "2026-12-02")
    assert "工作日日历：2004-2026 chinesecalendar, 2027 table" in text and "2027-03-03" in text


def test_real_today(tmp_path):
    text = _selftest(tmp_path / "state")
    assert text.startswith("工作日日历：2004-") and "承诺之日 " in text and "review" in text
