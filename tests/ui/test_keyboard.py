"""The on-screen keyboard in the real app under Xvfb, with the real engines: every layout's
keys fit (>= 60 px wide, labels on one line inside the key) portrait, landscape and elder;
a complaint written in Chinese by taps (pinyin and handwriting) reaches the sandbox as typed,
with its callback phone, and is printed on the acknowledgement."""
from __future__ import annotations

from pathlib import Path

import pytest

from screens.tour import keyboard as keyboard_tour
from screens.tour.keyboard import layouts as tour_layouts
from screens.tour.strokes import CHARACTERS, finger_on
from tests.ui.conftest import open_screen

pytestmark = pytest.mark.ui
SHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots" / "keyboard"
MIN_KEY_PX = 60


_open = open_screen


def _tap(app, screen, name):
    app.tap(screen.buttons[name])


def _keys_fit(keyboard, where):
    assert keyboard.keys, where
    for name, key in keyboard.keys.items():
        if key.opacity == 0:            # hidden (the candidate bar while it shows a note)
            continue
        assert key.width >= MIN_KEY_PX, f"{where}: key {name} is {key.width:.0f} px wide"
        assert "\n" not in key.text and key.texture_size[0] <= key.width, f"{where}: {name} label overflows"


def _write(app, pad, strokes):
    """Draw strokes on the pad with real touches (down, moves, up) in window coordinates."""
    for touch in finger_on(pad, strokes):
        touch.touch_up()
        app.frames(1)
    app.frames(2)


def _show(app, screen, keyboard):
    """Scroll the form so the whole keyboard is on screen, as a citizen would."""
    screen.ids.scroll.scroll_to(keyboard, padding=0, animate=False)
    app.frames(3)


def _resize(app, width, height):
    from kivy.core.window import Window
    Window.size = (width, height)
    app.frames(5)


def test_keys_fit_in_every_layout_orientation_and_mode(app):
    from kivy.core.window import Window
    original = Window.size
    try:
        for width, height in ((1080, 1920), (1920, 1080)):
            _resize(app, width, height)
            for elder in (False, True):
                if app.app.elder != elder:
                    app.app.toggle_elder()
                screen = _open(app, "complaint")
                _tap(app, screen, "complain")
                mode = f"{'portrait' if height > width else 'landscape'}-{'elder' if elder else 'std'}"
                for layout in tour_layouts(app, screen.keyboard):
                    _keys_fit(screen.keyboard, f"{mode} {layout}")
                    app.screenshot(SHOTS / f"{mode}-{layout}.png")
                _tap(app, screen, "field:phone")
                _keys_fit(screen.keyboard, f"{mode} phone keypad")
                app.app.end_session("next")
    finally:
        if app.app.elder:
            app.app.toggle_elder()
        _resize(app, *original)


def test_a_complaint_typed_in_chinese_by_taps_is_stored_as_typed(app, sandbox):
    screen = _open(app, "complaint")
    _tap(app, screen, "complain")
    keyboard = screen.keyboard
    _show(app, screen, keyboard)
    app.tap(keyboard.keys["w"])                      # the first touch starts the engines
    assert app.wait_until(lambda: app.app.services.inputs.ready, 30)
    for letter in "oyaotousu":
        app.tap(keyboard.keys[letter])
    assert keyboard.display == "woyaotousu"
    words = [keyboard.keys[f"candidate:{i}"].text for i in range(keyboard.composer.page_size)
             if f"candidate:{i}" in keyboard.keys]
    app.tap(keyboard.keys[f"candidate:{words.index('我要')}"])           # the phrase goes on: 投诉
    assert keyboard.display == "我要tousu"
    words = [keyboard.keys[f"candidate:{i}"].text for i in range(len(words)) if f"candidate:{i}" in keyboard.keys]
    app.tap(keyboard.keys[f"candidate:{words.index('投诉')}"])
    app.tap(keyboard.keys["layout:symbols"])
    app.tap(keyboard.keys["，"])
    app.tap(keyboard.keys["layout:handwriting"])
    assert keyboard.pad is not None
    _write(app, keyboard.pad, CHARACTERS["大"])
    assert keyboard.keys["candidate:0"].text == "大"
    app.tap(keyboard.keys["candidate:0"])
    app.tap(keyboard.keys["layout:pinyin"])
    for letter in "chuangkou":
        app.tap(keyboard.keys[letter])
    app.tap(keyboard.keys["candidate:0"])                                 # 窗口
    app.tap(keyboard.keys["layout:symbols"])
    app.tap(keyboard.keys["。"])
    typed = "我要投诉，大窗口。"
    assert screen.text == typed, screen.text
    assert typed in screen.buttons["field:text"].text
    _tap(app, screen, "field:phone")
    _show(app, screen, screen.keyboard)
    for digit in "022889":                                                # not a phone yet
        app.tap(screen.keyboard.keys[digit])
    _tap(app, screen, "submit")
    assert "回访电话格式不正确" in screen.message and screen.state == "form" and screen.text == typed
    for digit in "08890":
        app.tap(screen.keyboard.keys[digit])
    assert screen.phone == "02288908890"
    app.screenshot(SHOTS / "complaint-typed.png")
    _tap(app, screen, "submit")
    assert app.wait_until(lambda: screen.state == "sent", 10), screen.message
    [stored] = [r for r in sandbox.admin("GET", "/receipts/complaint")["receipts"]
                if r["number"] == screen.receipt.number]
    assert stored["body"]["content"] == typed and stored["body"]["contact_phone"] == "02288908890"
    printed = app.printed(1, timeout=10).text
    assert typed in printed.replace("\n", "") and "022****8890" in printed and "02288908890" not in printed


def test_keys_typed_before_the_engines_are_ready_are_kept(app):
    """Nothing loads the engines before a finger touches a keyboard; the keys typed while
    they load are played back once they are ready."""
    app.app.end_session("previous citizen")
    app.app.services.inputs.close()        # as if they had never started
    app.frames(3)
    screen = _open(app, "evaluation")
    _tap(app, screen, "level:dissatisfied")
    keyboard = screen.keyboard
    _show(app, screen, keyboard)
    assert not app.app.services.inputs.ready and keyboard.status == app.app.t("keyboard.loading")
    for letter in "zw":
        app.tap(keyboard.keys[letter])
    assert app.wait_until(lambda: app.app.services.inputs.ready, 30)
    assert app.wait_until(lambda: keyboard.keys.get("candidate:0") is not None
                          and keyboard.keys["candidate:0"].text == "政务", 10)
    app.tap(keyboard.keys["candidate:0"])
    assert screen.comment == "政务"


def test_the_tour_shows_each_keyboard_in_each_layout(app):
    shots = []
    for name in keyboard_tour.SCREENS:
        for state in keyboard_tour.tour(app, name):
            shots.append(app.screenshot(SHOTS / f"tour-{name}-{state}.png"))
        app.app.end_session("tour")
    names = {p.stem for p in shots}
    for layout in ("pinyin", "handwriting", "english", "symbols"):
        assert {f"tour-guide-keyboard-{layout}", f"tour-complaint-keyboard-{layout}"} <= names
    assert "tour-complaint-keyboard-phone" in names and all(p.stat().st_size > 0 for p in shots)


def test_the_guide_searches_by_hanzi_chosen_from_the_candidates(app):
    app.app.start_session()
    app.app.go("guide")
    app.frames(3)
    guide = app.screen("guide")
    keyboard = guide.keyboard
    for letter in "shebao":
        app.tap(keyboard.keys[letter])
    assert app.wait_until(lambda: keyboard.composer.ready and keyboard.composer.candidates(), 30)
    assert guide.ids.query.text == "shebao" and guide.ids.results.children      # pinyin searches as typed
    words = [keyboard.keys[f"candidate:{i}"].text for i in range(keyboard.composer.page_size)]
    app.tap(keyboard.keys[f"candidate:{words.index('社保')}"])
    assert keyboard.text == "社保" and guide.ids.query.text == "社保"
    names = [b.text for b in guide.ids.results.children]
    assert names and any("社会保障" in n or "参保" in n for n in names), names   # 社保 by its synonyms
