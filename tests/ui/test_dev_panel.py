"""The --dev panel (screens/dev_panel.py) in the real app: sample ID cards placed and taken away,
the last receipt's code scanned, paper out and back, each emulated device unplugged and back."""
from __future__ import annotations

from pathlib import Path

import pytest

from tests.ui.conftest import online_app, stop_online_app

pytestmark = pytest.mark.ui
SHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots" / "dev-panel"


@pytest.fixture
def dev_app(make_settings, sandbox):
    driver = online_app(make_settings, sandbox, dev=True)
    yield driver
    stop_online_app(driver)


def _button(panel, text):
    return next(b for b in panel.ids.actions.children if b.text == text)


def test_without_dev_there_is_no_panel(app):
    panel = app.app.root.ids.dev_panel
    assert panel.opacity == 0 and panel.ids.tab.disabled
    panel.toggle()
    assert not panel.opened


def test_the_panel_places_cards_and_works_the_printer_and_the_cables(dev_app):
    app = dev_app
    panel = app.app.root.ids.dev_panel
    app.app.start_session()
    app.app.services.sessions.current.data["item_code"] = "TJ-SCJG-002"
    app.app.go("commitment")
    app.frames(3)
    app.tap(panel.ids.tab)
    assert panel.opened and len(panel.ids.actions.children) >= 10
    app.screenshot(SHOTS / "open.png")
    app.tap(_button(panel, "放身份证：王五（黑名单）"))
    screen = app.screen("commitment")
    assert app.wait_until(lambda: screen.state == "blacklisted", 10), screen.message
    app.tap(_button(panel, "取走身份证"))
    reader = app.app.services.devices.idcard
    assert app.wait_until(lambda: not reader.card_lying, 5)

    printer = app.app.services.devices.printer.emulator
    app.tap(_button(panel, "打印机缺纸"))
    assert printer.paper == "out" and panel.status == "打印机：缺纸"
    app.tap(_button(panel, "打印机加纸"))
    assert printer.paper == "ok"

    app.tap(_button(panel, "拔出 idcard"))
    assert app.wait_until(lambda: reader.health().state == "offline", 10)
    app.tap(_button(panel, "插回 idcard"))
    assert app.wait_until(lambda: reader.health().state == "ok", 10)

    app.tap(_button(panel, "扫描最近凭条的二维码"))            # nothing printed yet: said so
    assert panel.status == "还没有打印过带二维码的凭条"
    app.tap(panel.ids.tab)
    assert not panel.opened
