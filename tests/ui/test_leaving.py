"""Leaving a flow in the real app: "放弃本次办理？" when there is something to lose, 首页 goes
home, the idle countdown names what it will discard; a card already on the reader is seen
when an identity step starts; a card forgotten after the session is called out; 承诺办理
without an item offers the items instead of a dead end."""
from __future__ import annotations

from pathlib import Path

import pytest

pytestmark = pytest.mark.ui
ITEM = "TJ-SCJG-002"
SHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots" / "leaving"


def _home_button(app):
    return app.app.root.ids.top_bar.ids.home_button


def _to_identify(app):
    app.app.start_session()
    app.app.services.sessions.current.data["item_code"] = ITEM
    app.app.go("commitment")
    app.frames(3)
    return app.screen("commitment")


def _identified(app):
    screen = _to_identify(app)
    app.app.services.devices.idcard.emulator.place("resident")
    assert app.wait_until(lambda: screen.state == "green", 10), screen.message
    return screen


def test_home_with_nothing_to_lose_goes_home_at_once_in_the_same_language(app):
    app.app.start_session()
    app.app.go("guide")
    app.tap(app.app.root.ids.top_bar.ids.language_button)
    app.tap(_home_button(app))
    assert app.app.current == "home" and app.app.lang == "en"          # home, not the attract screen
    assert not app.app.root.ids.ask.shown


def test_home_with_a_draft_asks_first_and_continue_keeps_everything(app):
    screen = _identified(app)
    session = app.app.services.sessions.current
    app.tap(_home_button(app))
    ask = app.app.root.ids.ask
    assert ask.shown and ask.topic == "leave" and ask.question == "放弃本次办理？"
    assert ask.detail == "将清除：尚未提交的承诺书、已核验的身份信息"
    app.screenshot(SHOTS / "abandon-question.png")
    app.tap(screen.ids.go_on)                            # a tap beside the dialog presses nothing beneath
    assert app.app.current == "commitment" and ask.shown
    app.tap(ask.ids.first)                               # 继续办理
    assert not ask.shown and app.app.current == "commitment"
    assert app.app.services.sessions.current is session and session.data["person"] is not None


def test_abandon_wipes_the_session_and_shows_home(app):
    screen = _identified(app)
    session = app.app.services.sessions.current
    app.tap(screen.ids.leave)                            # 退出办理 asks the same question
    ask = app.app.root.ids.ask
    assert ask.shown and ask.topic == "leave"
    app.tap(ask.ids.second)                              # 放弃办理
    assert app.app.current == "home" and not ask.shown
    assert session.data == {} and app.app.services.sessions.current is not session


@pytest.mark.parametrize("overrides", [{}])
def test_idle_countdown_names_what_it_will_discard(make_settings, sandbox, overrides):
    from tests.ui.conftest import online_app, stop_online_app
    app = online_app(make_settings, sandbox, idle__screens__commitment=6, idle__countdown_seconds=4)
    try:
        _identified(app)
        overlay = app.app.root.ids.idle_overlay
        assert app.wait_until(lambda: overlay.seconds > 0, timeout=8)
        assert "秒后结束本次办理" in overlay.text
        assert "将清除：尚未提交的承诺书、已核验的身份信息" in overlay.text
        app.screenshot(SHOTS / "idle-countdown-draft.png")
        assert app.wait_until(lambda: app.app.current == "attract", timeout=8)
    finally:
        stop_online_app(app)


def test_a_card_placed_before_the_step_is_read_when_it_starts(app):
    emulator = app.app.services.devices.idcard.emulator
    app.app.start_session()
    emulator.place("resident")                           # on the pad while the citizen is still on home
    reader = app.app.services.devices.idcard
    assert app.wait_until(lambda: reader.card_lying, 5)
    app.app.services.sessions.current.data["item_code"] = ITEM
    app.app.go("commitment")
    screen = app.screen("commitment")
    assert app.wait_until(lambda: screen.state == "green", 10), screen.message   # no second placement


def test_a_card_left_after_the_session_is_called_out(app):
    _identified(app)
    voice = app.app.services.voice
    app.app.end_session("citizen walked away")
    assert app.app.current == "attract" and app.app.card_left
    hint = app.screen("attract").ids.hint
    assert hint.text == "请取走您的身份证"
    assert voice.wait_idle(15) and voice.last_file is not None and voice.last_file.name == "take_card.wav"
    app.screenshot(SHOTS / "card-left.png")
    app.app.services.devices.idcard.emulator.remove()
    assert app.wait_until(lambda: not app.app.card_left, 5)
    assert hint.text != "请取走您的身份证"


def test_commitment_without_an_item_offers_the_items(app):
    app.app.start_session()
    app.frames(3)
    home = app.screen("home")
    tile = next(t for t in home.ids.tiles.children if t.tile_key == "commitment")
    app.tap(tile)
    screen = app.screen("commitment")
    assert app.app.current == "commitment"
    assert screen.state == "no_item" and screen.ids.heading.text.startswith("请选择要承诺办理的事项")
    names = [b.text for b in screen.ids.item_list.children]
    assert "个体工商户登记" in names and len(names) >= 10
    assert not screen.ids.to_guide.disabled
    app.screenshot(SHOTS / "commitment-choose-item.png")
    button = next(b for b in screen.ids.item_list.children if b.item_code == ITEM)
    screen.ids.item_list.parent.parent.scroll_to(button, animate=False)
    app.frames(3)
    app.tap(button)
    assert screen.state == "identify" and screen.item_title == "个体工商户登记"


def test_the_step_indicator_stays_through_the_credit_check(app):
    screen = _to_identify(app)
    steps = screen.ids.steps
    assert steps.opacity == 1 and steps.step == 1 and steps.height > 0
    from sandbox.seed import BLACKLISTED_PERSON
    from dataclasses import replace
    from drivers.idcard import cards
    app.app.services.devices.idcard.emulator.place(
        replace(cards.resident(), name=BLACKLISTED_PERSON[2], id_number=BLACKLISTED_PERSON[1]))
    assert app.wait_until(lambda: screen.state == "blacklisted", 10), screen.message
    app.frames(2)
    assert steps.opacity == 1 and steps.step == 2 and "第 2 步" in steps.ids.label.text
    app.screenshot(SHOTS / "steps-blacklisted.png")
