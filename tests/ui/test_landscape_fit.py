"""Every state of every screen fits its window (screens/tour/fit.py), in landscape and portrait,
standard and elder mode: no control outside the window or clipped out of reach, none over
another, no page that almost fits cutting a button at the edge of its first view, no text
bigger than its box. Then the checker itself: it sees a button pushed off the screen, one
behind a scroll view that cannot scroll, and a keyboard cut by a page's edge."""
from __future__ import annotations

import pytest
from kivy.core.window import Window

from screens import registry, tour
from screens.tour import fit

pytestmark = pytest.mark.ui
SIZES = {"landscape": (1920, 1080), "portrait": (1080, 1920)}


@pytest.fixture
def sized(app):
    original = Window.size
    yield app
    Window.size = original
    app.frames(5)


def _misfits(app, elder: bool) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    states = 0
    for name, _module, _cls in registry.SCREENS:
        app.app.end_session("fit")
        if elder:
            app.app.toggle_elder()
        for state in tour.states(app, name):
            states += 1
            for misfit in fit.problems(app):
                found.setdefault(f"{name}-{state}", []).append(str(misfit))
    app.app.end_session("fit")
    assert states > 60                       # the tour really arranged the states
    return found


@pytest.mark.parametrize("orientation", sorted(SIZES))
@pytest.mark.parametrize("elder", [False, True], ids=["standard", "elder"])
def test_every_state_of_every_screen_fits(sized, orientation, elder):
    Window.size = SIZES[orientation]
    sized.frames(5)
    assert sized.app.portrait == (orientation == "portrait")
    assert not _misfits(sized, elder)


def test_the_checker_sees_what_does_not_fit(sized):
    from kivy.factory import Factory
    Window.size = SIZES["landscape"]
    sized.frames(5)
    sized.app.start_session()
    sized.app.go("queue")
    sized.frames(5)
    screen = sized.screen("queue")
    assert not fit.problems(sized)
    # a button pushed beyond the window's right edge
    stray = Factory.KButton(text="越界按钮", size_hint=(None, None), size=(400, 120), pos=(1700, 500))
    screen.add_widget(stray)
    found = fit.problems(sized)
    assert "outside the window" in {m.what: m.why for m in found}["越界按钮"], found
    assert all("越界按钮" in str(m) for m in found), found          # and over what lies there
    screen.remove_widget(stray)
    # a scroll view that cannot scroll hides what lies below its edge
    scroll = screen.ids.scroll
    scroll.do_scroll_y = False
    body = screen.ids.body
    filler = Factory.Widget(size_hint_y=None, height=scroll.height)
    hidden = Factory.KButton(text="看不到的按钮")
    body.add_widget(filler)
    body.add_widget(hidden)
    sized.frames(5)
    whys = {m.what: m.why for m in fit.problems(sized)}
    assert whys.get("看不到的按钮") == "beyond a scroll view that cannot show it", whys
    # scrolling again, the page is barely longer than its view: the button cut at its edge
    scroll.do_scroll_y = True
    filler.height = scroll.height + hidden.height / 2 - (body.height - filler.height)
    scroll.scroll_y = 1
    sized.frames(5)
    whys = {m.what: m.why for m in fit.problems(sized)}
    assert whys.get("看不到的按钮", "").startswith("cut by the edge of a page that would almost fit"), whys
    body.remove_widget(filler)
    body.remove_widget(hidden)
    scroll.do_scroll_y = True
    sized.frames(3)
    assert not fit.problems(sized)
