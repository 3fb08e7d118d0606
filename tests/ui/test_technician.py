"""Technician and maintenance mode in the real app: the hidden gesture, the PIN pad with
lockout, the technician screen's self-test, and the citizens' maintenance screen."""
from __future__ import annotations

import pytest

from screens import tour

from kiosk.fleet.technician import hash_pin

pytestmark = pytest.mark.ui
PIN = "246810"
HASH = hash_pin(PIN)


@pytest.fixture
def kiosk(make_settings):
    from screens.tour.driver import AppDriver
    driver = AppDriver(make_settings(technician__pin_hash=HASH)).start()
    yield driver
    driver.stop()


def corner_taps(driver, n):
    from kivy.core.window import Window
    from kivy.tests.common import UnitTestTouch
    for _ in range(n):
        touch = UnitTestTouch(10, Window.height - 10)
        touch.touch_down()
        touch.touch_up()
        driver.frames(1)


def enter(driver, digits):
    screen = driver.screen("technician_pin")
    for key in digits:
        screen.press(key)
    driver.tap(screen.ids.ok)


def test_gesture_then_pin_opens_technician_mode(kiosk, tmp_path):
    corner_taps(kiosk, 4)
    assert kiosk.app.current == "attract"
    corner_taps(kiosk, 1)
    assert kiosk.app.current == "technician_pin"
    kiosk.screenshot(tmp_path / "pin.png")
    enter(kiosk, PIN)
    assert kiosk.app.current == "technician"
    screen = kiosk.screen("technician")
    rows = screen.ids.devices.children
    assert {r.family for r in rows} >= {"idcard", "printer"}
    (idcard,) = [r for r in rows if r.family == "idcard"]
    kiosk.tap(idcard.children[0])                        # its 自检 button
    assert kiosk.wait_until(lambda: idcard.result_text.startswith("通过"), 8), idcard.result_text
    assert kiosk.wait_until(lambda: "（" in screen.platform_text or "(" in screen.platform_text, 8)
    kiosk.screenshot(tmp_path / "technician.png")
    screen.ids.scroll.scroll_to(screen.ids.exit, animate=False)   # below the fold: scroll
    kiosk.frames(3)
    kiosk.tap(screen.ids.exit)
    assert kiosk.app.current == "attract"


def test_five_wrong_pins_lock(kiosk):
    corner_taps(kiosk, 5)
    screen = kiosk.screen("technician_pin")
    for _ in range(4):
        enter(kiosk, "0000")
    assert "1" in screen.message and screen.warning
    enter(kiosk, "0000")
    assert "锁定" in screen.message
    enter(kiosk, PIN)                                    # right PIN, but locked
    assert kiosk.app.current == "technician_pin"


def test_maintenance_mode_shows_citizens_the_hotline(kiosk, tmp_path):
    fleet = kiosk.app.services.fleet
    fleet.maintenance.set(True, "test")                  # as the remote command does
    assert kiosk.wait_until(lambda: kiosk.app.current == "maintenance", 3)
    kiosk.app.end_session("idle timeout")               # an idle timeout does not leave it
    assert kiosk.wait_until(lambda: kiosk.app.current == "maintenance", 3)
    kiosk.screenshot(tmp_path / "maintenance.png")
    fleet.maintenance.set(False)
    assert kiosk.wait_until(lambda: kiosk.app.current == "attract", 3)


def test_tour_states(kiosk):
    for name, expected in (("maintenance", [""]), ("technician_pin", ["", "wrong"]), ("technician", [""])):
        kiosk.app.end_session("tour")
        assert list(tour.states(kiosk, name)) == expected
    assert not kiosk.app.services.fleet.maintenance.active


def test_staff_screens_speak_the_language_and_offer_no_citizen_controls(kiosk):
    bar = kiosk.app.root.ids.top_bar.ids
    kiosk.app.go("technician_pin")
    kiosk.frames(3)
    assert all(b.opacity == 0 and b.disabled for b in (bar.home_button, bar.language_button, bar.elder_button))
    assert "kiosk-provision" not in kiosk.app.t("technician.pin_disabled")
    kiosk.app.go("technician")
    kiosk.frames(3)
    screen = kiosk.screen("technician")
    rows = [r.status_text for r in screen.ids.devices.children]
    assert rows and not any(" ok " in f" {r} " or " offline " in f" {r} " for r in rows), rows
    assert "never" not in screen.config_text and " s" not in screen.clock_text.replace("秒", "")
    kiosk.app.go("home")
    kiosk.frames(2)
    assert bar.language_button.opacity == 1 and not bar.language_button.disabled


def test_an_app_stopped_on_the_technician_screen_leaves_no_timer_behind(make_settings):
    """Its 1 s clock tick marked the citizen active in whichever app ran next (the idle
    countdown of the next test never came)."""
    from kivy.clock import Clock
    from screens.tour.driver import AppDriver
    first = AppDriver(make_settings()).start()
    first.app.go("technician")
    first.frames(3)
    screen = first.screen("technician")
    first.stop()
    assert screen not in [getattr(e.get_callback(), "__self__", None) for e in Clock.get_events()]
    second = AppDriver(make_settings()).start()
    try:
        second.frames(3)
        owners = [getattr(e.get_callback(), "__self__", None) for e in Clock.get_events()]
        assert screen not in owners
        ticks = [e for e in Clock.get_events() if getattr(e.get_callback(), "__self__", None) is second.app
                 and e.get_callback().__name__ == "_idle_tick"]
        assert len(ticks) == 1        # on_start ran once though both Kivy and the driver dispatch it
    finally:
        second.stop()
