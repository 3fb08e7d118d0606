"""A 2027 holiday table imported from the notice with kioskctl and published through the real
updater gives a letter signed today its real deadlines: on the review and result screens, on
the printed receipt and on the (embedded) platform, which counts on the kiosk's own calendar.

Runs on the real date: expected dates are counted by the domain on the same tables, and on
2026-12-02 (when the issue was written) they are the ones the issue names."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from kiosk.citizen.commitment import new_draft, person_applicant, signature_png
from kiosk.fleet.updates import ConfigUpdater
from kiosk.identity import Person
from kiosk.platform.contract import CHINA_TZ
from kiosk.tools.kioskctl.cli import main as kioskctl
from kiosk.workdays.calendar import WorkCalendar
from kiosk.workdays.deadlines import case_deadlines
from kiosk.workdays.notice import read_notice

pytestmark = pytest.mark.ui
NOTICE = Path(__file__).resolve().parents[1] / "workdays" / "notices" / "2027-synthetic.txt"
ITEM = "TJ-SCJG-002"
UNKNOWN = "补交期限由审批部门确定后告知，可在本机“进度查询”或拨打88908890查询"


@pytest.fixture
def terminal(make_settings, sandbox, repo):
    """A terminal on the embedded platform (sharing the app's calendar), updating from `repo`."""
    settings = make_settings(platform__url="embedded", updates__repo_url=repo.url,
                             updates__first_delay_seconds=3600.0, heartbeat__first_delay_seconds=3600.0,
                             devices__printer="printer+emu://?profile=generic-80&poll=0.2")
    ConfigUpdater(settings.state_path(), repo.url).trust(repo.root_json())
    return settings


def _sign_and_submit(driver, person):
    app = driver.app
    app.start_session()
    session = app.services.sessions.current
    session.data["item_code"] = ITEM
    draft = new_draft(app.services.catalog.catalog.get(ITEM), app.services.wording)
    draft.applicant, draft.signer = person_applicant(person)
    draft.acknowledged = set(range(len(draft.wording.confirmations)))
    draft.signature = signature_png([[(10 + i * 8, 40 + (i % 5) * 6) for i in range(30)]], (300, 100))
    session.data["person"], session.data["commitment"] = person, draft
    app.go("commitment_review")
    driver.frames(3)
    review = driver.screen("commitment_review")
    summary = review.summary
    driver.tap(review.ids.submit)
    assert driver.wait_until(lambda: app.current == "commitment_result", 20), review.message
    result = driver.screen("commitment_result")
    printer = app.services.devices.printer.emulator
    assert driver.wait_until(lambda: len(printer.jobs) >= 1, 15), result.print_status
    job = printer.jobs[-1]
    case = result.submission.case
    details = result.details
    app.end_session("test")
    driver.frames(2)
    return summary, details, job.text, case


def _day(d):
    return f"{d:%Y-%m-%d}"


def test_2027_table_published_gives_a_letter_signed_today_its_deadlines(terminal, repo, tmp_path, capsys):
    from screens.tour.driver import AppDriver
    from sandbox.seed import id_number
    today = dt.datetime.now(CHINA_TZ).date()
    table = read_notice(NOTICE).table()
    before = case_deadlines(WorkCalendar(), today)
    after = case_deadlines(WorkCalendar([table]), today)
    if today == dt.date(2026, 12, 2):
        assert before.supplement_due is None and before.verification_start_due == dt.date(2026, 12, 7)
        assert after.supplement_due == dt.date(2027, 3, 3)

    driver = AppDriver(terminal).start()
    printer = driver.app.services.devices.printer.emulator
    try:
        summary, details, receipt, case = _sign_and_submit(driver, Person("张三丰", id_number("12010119900307441")))
        assert case is not None
        assert case.deadlines.verification_start_due == before.verification_start_due     # known: shown
        assert case.deadlines.supplement_due == before.supplement_due
        if before.supplement_due is None:
            assert UNKNOWN in summary and UNKNOWN in details
            assert "补交截止" in receipt and "由审批部门确定后告知" in receipt
            assert "进度查询" in receipt and "88908890查询" in receipt
            for text in (summary, details, receipt):
                assert "数据" not in text and "待平台确认" not in text

        # the admin imports the notice and publishes it; the terminal's updater applies it
        bundle = tmp_path / "bundle"
        bundle.mkdir()
        assert kioskctl(["holidays", "import", str(NOTICE), "--json"]) == 0
        (bundle / "holidays.json").write_text(capsys.readouterr().out, encoding="utf-8")
        assert kioskctl(["--repo", str(repo.repo_dir), "--keys", str(repo.keys_dir), "publish",
                         str(bundle), "--note", "2027 holidays"]) == 0
        status = driver.app.services.fleet.updater.check()
        assert status.outcome == "applied", status.reason
        assert driver.app.services.calendar.coverage()[2027] == "table"

        printer.jobs.clear()
        summary, details, receipt, case = _sign_and_submit(driver, Person("张三丰", id_number("12010119900307442")))
        assert case.deadlines.supplement_due == after.supplement_due                      # the platform's
        assert case.deadlines.verification_end_due == after.verification_end_due
        assert case.deadlines.rectification_due == after.rectification_due
        if after.supplement_due is not None:
            assert _day(after.supplement_due) in summary
            assert f"请于 {_day(after.supplement_due)} 前补交" in details and "本机按工作日计算" not in details
            assert f"{after.supplement_due:%Y年%m月%d日}" in receipt and "本机计算" not in receipt
            assert UNKNOWN not in details
    finally:
        driver.stop()
