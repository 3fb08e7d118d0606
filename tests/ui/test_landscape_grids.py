"""Button grids follow the screen (ServiceScreen.grid): in landscape, 1.8 times as wide, half
as many columns again (the queue's business types); all five evaluation levels stand in one row
on screen. A form with a keyboard (the complaint) has the keyboard beside it in landscape, the
full height, and keeps portrait's columns in the half left to it; in portrait the keyboard is
docked below the form, outside its scroll view."""
from __future__ import annotations

import pytest
from kivy.core.window import Window

from tests.ui.conftest import open_screen

pytestmark = pytest.mark.ui


def grid_of(screen, prefix):
    first = next(b for name, b in screen.buttons.items() if name.startswith(prefix))
    return first.parent, [b for name, b in screen.buttons.items() if name.startswith(prefix)]


def mode(app, elder, screen):
    """`screen` in a new session, in elder mode or not (a session's end leaves elder mode)."""
    if app.app.elder != elder:
        app.app.toggle_elder()
    return open_screen(app, screen)


@pytest.mark.parametrize("elder", [False, True])
def test_landscape_grids_use_the_width(app, elder):
    original = Window.size
    try:
        Window.size = (1920, 1080)
        app.frames(5)
        queue = mode(app, elder, "queue")
        assert grid_of(queue, "queue:")[0].cols == (2 if elder else 3)
        app.app.end_session("next")
        complaint = mode(app, elder, "complaint")
        app.tap(complaint.buttons["complain"])
        grid, categories = grid_of(complaint, "category:")
        assert grid.cols == (2 if elder else 3)
        assert complaint.keyboard.parent is complaint.ids.side.__self__ and complaint.ids.side.width > Window.width / 3
        assert complaint.keyboard.height <= complaint.ids.side.height      # the whole keyboard in view
        app.app.end_session("next")
        evaluation = mode(app, elder, "evaluation")
        app.frames(3)
        grid, levels = grid_of(evaluation, "level:")
        assert grid.cols == 5 and len(levels) == 5
        for button in levels:                    # every level on screen, none below the fold
            x, y = button.to_window(button.x, button.y)
            assert 0 <= x and x + button.width <= Window.width and 0 <= y and y + button.height <= Window.height, button.text
        app.app.end_session("next")
        Window.size = original
        app.frames(5)
        complaint = mode(app, elder, "complaint")
        app.tap(complaint.buttons["complain"])
        assert grid_of(complaint, "category:")[0].cols == (2 if elder else 3)     # portrait as before
        assert complaint.keyboard.parent is complaint.ids.dock.__self__ and complaint.ids.side.width == 0
    finally:
        if app.app.elder:
            app.app.toggle_elder()
        Window.size = original
        app.frames(3)
