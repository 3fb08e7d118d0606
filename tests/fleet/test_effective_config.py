"""A bundle published by the admin reaches the running app: the real kioskctl repository code,
the real sandbox serving it, the real updater inside the real KioskApp under Xvfb.

Texts, the catalog and the holiday table change at once (one catalog store, message catalog
and work calendar that everything reads); display.maxfps and idle.timeout_seconds take
effect by a restart that the app makes itself on the attract screen, never during a session.
"""
from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path

import pytest
from kivy.clock import Clock

from kiosk.fleet.updates import ConfigUpdater
from kiosk.tools.kioskctl.cli import main as kioskctl
from kiosk.workdays.calendar import CalendarOutOfRange

pytestmark = pytest.mark.ui
ROOT = Path(__file__).resolve().parents[2]
ITEM = "TJ-SCJG-002"
RENAMED = "个体工商户登记（新版）"
HOLIDAY = dt.date(2027, 6, 7)          # a Monday, made a holiday by the pushed table
TITLE = "请选择要办理的业务（新）"


def _bundle(path):
    """display.maxfps 24, idle.timeout_seconds 150, a home title, an item renamed, a 2027 table."""
    path.mkdir(parents=True)
    (path / "settings.toml").write_text("[display]\nmaxfps = 24\n\n[idle]\ntimeout_seconds = 150\n")
    (path / "texts.toml").write_text(f'[zh_CN]\n"home.title" = "{TITLE}"\n', encoding="utf-8")
    shutil.copytree(ROOT / "config" / "catalog", path / "catalog", ignore=shutil.ignore_patterns("schema"))
    items = path / "catalog" / "items" / "scjg.json"
    data = json.loads(items.read_text(encoding="utf-8"))
    for item in data["items"]:
        if item["code"] == ITEM:
            item["name"] = RENAMED
    items.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")
    (path / "holidays.json").write_text(json.dumps(
        {"year": 2027, "holidays": [HOLIDAY.isoformat()], "workdays": []}))
    return path


@pytest.fixture
def terminal(make_settings, sandbox, repo):
    """Settings of a terminal enrolled with the sandbox and trusting the repository's root."""
    settings = make_settings(platform__url=sandbox.url, updates__repo_url=repo.url,
                             updates__first_delay_seconds=3600.0, heartbeat__first_delay_seconds=3600.0)
    client = sandbox.enrolled_client()
    client.auth.credential.save(settings.state_path("platform", "device.json"))
    ConfigUpdater(settings.state_path(), repo.url).trust(repo.root_json())
    return settings


def _home_title(driver) -> str:
    home = driver.screen("home")
    return home.children[0].children[-1].text


def test_published_bundle_takes_effect_live_and_after_the_idle_restart(terminal, repo, tmp_path):
    from screens.tour.driver import AppDriver
    driver = AppDriver(terminal).start()
    app = driver.app
    try:
        assert app.settings["display"]["maxfps"] == 30 and _home_title(driver) != TITLE
        with pytest.raises(CalendarOutOfRange):     # 2027: no table yet
            app.services.calendar.is_workday(HOLIDAY)
        app.start_session()                       # a citizen is at the terminal
        driver.frames(2)
        assert kioskctl(["--repo", str(repo.repo_dir), "--keys", str(repo.keys_dir), "publish",
                         str(_bundle(tmp_path / "bundle")), "--note", "maxfps, idle, text, item, 2027"]) == 0
        status = app.services.fleet.updater.check()
        assert status.outcome == "applied", status.reason

        # live at once: the text on screen, the item, the working days
        assert driver.wait_until(lambda: _home_title(driver) == TITLE, 3)
        assert app.services.catalog.catalog.item(ITEM).name == RENAMED
        sheet = app.screen("guide_sheet")
        sheet.show(ITEM)
        assert sheet.ids.name.text == RENAMED
        driver.frames(10)                         # the rest of the sheet is added on the next frames
        assert app.services.calendar.is_workday(HOLIDAY) is False
        assert app.services.fleet.config_status()["restart_pending"] == ["display.maxfps",
                                                                         "idle.timeout_seconds"]

        # the rest waits: no restart while the citizen is here
        driver.wait_until(lambda: app.restart_requested, 1.5)
        assert not app.restart_requested and app.current == "home"
        assert app.settings["display"]["maxfps"] == 30
        app.end_session("citizen done")           # attract screen, no session: the idle moment
        assert driver.wait_until(lambda: app.restart_requested, 3)
        assert driver.wait_until(lambda: app.stopped, 3)     # it exits by itself, a moment later
    finally:
        if not app.restart_requested:
            driver.stop()

    # systemd starts it again: the same state directory, the new settings everywhere
    again = AppDriver(terminal).start()
    try:
        assert again.app.settings["display"]["maxfps"] == 24
        again.app.start_session()
        again.frames(2)
        assert Clock._max_fps == 24
        assert again.app.services.idle.phase("guide", 100).kind != "expired"
        assert again.app.services.idle.phase("guide", 151).kind == "expired"
        assert again.app.services.catalog.catalog.item(ITEM).name == RENAMED
        assert again.app.services.calendar.is_workday(HOLIDAY) is False
        assert _home_title(again) == TITLE
        assert "restart_pending" not in again.app.services.fleet.config_status()
        assert not again.app.restart_requested
    finally:
        again.stop()
