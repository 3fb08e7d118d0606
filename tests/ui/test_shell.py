"""The app shell in the real Kivy app: attract -> home, idle countdown and wipe,
language switch, elder mode, kiosk-mode key lockdown."""
import time

import pytest


def test_start_reaches_home(kiosk):
    assert kiosk.app.current == "attract"
    kiosk.tap(kiosk.screen("attract").ids.start_button)
    assert kiosk.app.current == "home"


@pytest.mark.parametrize("kiosk", [{"idle__screens__home": 3, "idle__countdown_seconds": 2}], indirect=True)
def test_idle_countdown_then_attract_with_session_wiped(kiosk):
    kiosk.tap(kiosk.screen("attract").ids.start_button)
    session = kiosk.app.services.sessions.current
    session.identity = {"name": "张三", "id_number": "120101199003071234"}
    session.data["phone"] = "13812345678"
    overlay = kiosk.app.root.ids.idle_overlay
    assert kiosk.wait_until(lambda: overlay.seconds > 0, timeout=5)
    assert "秒后结束本次办理" in overlay.text and "将清除" not in overlay.text  # nothing to lose
    assert kiosk.wait_until(lambda: kiosk.app.current == "attract", timeout=5)
    assert overlay.seconds == 0
    # the old session object is wiped and the app only holds a fresh one
    assert session.identity is None and session.data == {}
    current = kiosk.app.services.sessions.current
    assert current is not session and current.identity is None and current.data == {}


@pytest.mark.parametrize("kiosk", [{"idle__screens__home": 3, "idle__countdown_seconds": 2}], indirect=True)
def test_tap_on_countdown_stays(kiosk):
    kiosk.tap(kiosk.screen("attract").ids.start_button)
    overlay = kiosk.app.root.ids.idle_overlay
    assert kiosk.wait_until(lambda: overlay.seconds > 0, timeout=5)
    kiosk.tap(overlay)
    assert overlay.seconds == 0
    kiosk.frames(2)
    assert kiosk.app.current == "home"


def test_language_switch_changes_visible_strings(kiosk):
    button = kiosk.screen("attract").ids.start_button
    assert button.text == "开始办理"
    kiosk.tap(kiosk.app.root.ids.top_bar.ids.language_button)
    assert button.text == "Start"
    assert kiosk.app.root.ids.top_bar.ids.language_button.text == "中文"
    kiosk.tap(kiosk.app.root.ids.top_bar.ids.language_button)
    assert button.text == "开始办理"


def test_elder_mode_enlarges_text(kiosk):
    button = kiosk.screen("attract").ids.start_button
    hint = kiosk.screen("attract").ids.hint
    before = (button.font_size, hint.font_size)
    kiosk.tap(kiosk.app.root.ids.top_bar.ids.elder_button)
    assert kiosk.app.elder
    assert button.font_size >= 1.4 * before[0] - 0.01
    assert hint.font_size >= 1.4 * before[1] - 0.01
    assert kiosk.app.theme["bg"] == (0, 0, 0, 1)


def test_escape_does_not_close_the_app(kiosk):
    assert kiosk.key(27) is True  # swallowed
    kiosk.frames(2)
    from kivy.base import EventLoop
    assert EventLoop.status == "started"
    assert kiosk.app.root is not None


def test_session_end_resets_language_and_elder(kiosk):
    kiosk.tap(kiosk.app.root.ids.top_bar.ids.elder_button)
    kiosk.tap(kiosk.app.root.ids.top_bar.ids.language_button)
    kiosk.tap(kiosk.screen("attract").ids.start_button)
    kiosk.tap(kiosk.app.root.ids.top_bar.ids.home_button)   # 首页: home, the same citizen's mode
    assert kiosk.app.current == "home" and kiosk.app.elder and kiosk.app.lang == "en"
    kiosk.app.end_session("finished")                        # the visit ends: the next citizen's defaults
    assert kiosk.app.current == "attract"
    assert not kiosk.app.elder and kiosk.app.lang == "zh_CN"


@pytest.mark.parametrize("kiosk", [{"display__hint_seconds": 0.2}], indirect=True)
def test_attract_rotates_hints_and_shifts_against_burn_in(kiosk):
    attract = kiosk.screen("attract")
    first_hint, first_pos = attract.ids.hint.text, tuple(attract.ids.start_button.pos)
    assert kiosk.wait_until(lambda: attract.ids.hint.text != first_hint, timeout=3)
    kiosk.frames(2)
    moved = tuple(attract.ids.start_button.pos)
    assert moved != first_pos
    assert max(abs(a - b) for a, b in zip(moved, first_pos)) <= 30  # a few pixels, not a jump


def test_second_app_in_the_same_process_has_one_top_bar(make_settings):
    from screens.tour.driver import AppDriver
    for _ in range(2):
        driver = AppDriver(make_settings()).start()
        try:
            bars = [w for w in driver.app.root.walk() if type(w).__name__ == "TopBar"]
            assert len(bars) == 1
            assert len(bars[0].children) == 4
        finally:
            driver.stop()


def test_home_tiles_carry_licensed_icons(kiosk):
    from pathlib import Path
    kiosk.tap(kiosk.screen("attract").ids.start_button)
    tiles = kiosk.screen("home").ids.tiles.children
    assert tiles and all(t.icon and Path(t.icon).exists() for t in tiles)
    icons = Path(tiles[0].icon).parent
    licence = (icons / "LICENSE.md").read_text(encoding="utf-8")
    assert "CC-BY-SA-3.0 or LGPL-3" in licence
    assert all(Path(t.icon).name in licence for t in tiles)          # each file's source is named
    kiosk.screenshot(Path(__file__).resolve().parents[2] / "var" / "screenshots" / "home-icons.png")


def test_a_clipped_scroll_area_shows_that_more_is_there(kiosk):
    from kivy.factory import Factory
    from kivy.uix.scrollview import ScrollView
    kiosk.tap(kiosk.screen("attract").ids.start_button)
    kiosk.app.go("commitment")                       # without an item: the long list of items
    kiosk.frames(4)
    scroll = kiosk.screen("commitment").ids.item_list.parent.parent
    assert isinstance(scroll, ScrollView)
    assert scroll.more_below and scroll.bar_width > 0 and scroll.bar_inactive_color[3] >= 0.5
    scroll.scroll_y = 0
    kiosk.frames(2)
    assert not scroll.more_below                      # at the end: no arrow
    assert Factory.KLabel is not None
