"""Contrast measured on rendered screenshots (screens/tour/contrast.py): every visible text, in
every state the tour arranges, enabled, disabled and pressed, standard and elder mode, meets
4.5:1 (large text 3:1); a disabled button looks disabled."""
from __future__ import annotations

from pathlib import Path

import pytest

from screens import tour
from screens.tour import contrast

pytestmark = pytest.mark.ui
SHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots" / "contrast"
SCREENS = ("attract", "home", "commitment", "commitment_confirm", "commitment_result", "guide_sheet",
           "queue", "complaint", "appointment", "technician_pin")


def test_the_measure_sees_a_faint_text(kiosk):
    """The checker itself: a pale grey text on the pale background (1.3:1) is caught, and the
    same text in the theme's colour is not."""
    from kivy.factory import Factory
    kiosk.app.start_session()
    kiosk.frames(3)
    home = kiosk.screen("home")
    faint = Factory.KLabel(text="同意，下一步（测试）")
    home.ids.tiles.parent.parent.add_widget(faint, index=0)
    faint.color = (0.85, 0.86, 0.87, 1)              # after the kv rule has set the theme's
    kiosk.frames(4)
    judged, found = contrast.measure(kiosk, SHOTS / "faint.png")
    assert judged >= 5 and [p.text for p in found] == [faint.text], found
    faint.color = kiosk.app.theme["fg"]
    kiosk.frames(3)
    assert not contrast.problems(kiosk, SHOTS / "faint-fixed.png")
    home.ids.tiles.parent.parent.remove_widget(faint)


@pytest.mark.parametrize("elder", [False, True], ids=["standard", "elder"])
def test_every_text_of_every_state_meets_the_contrast_minimum(kiosk, elder):
    found, judged = {}, 0
    for name in SCREENS:
        kiosk.app.end_session("contrast")
        if elder:
            kiosk.app.toggle_elder()
        for state in tour.states(kiosk, name):
            label = f"{'elder' if elder else 'standard'}-{name}-{state or 'plain'}"
            count, problems = contrast.measure(kiosk, SHOTS / f"{label}.png")
            judged += count
            for problem in problems:
                found.setdefault(label, []).append(str(problem))
    assert not found, found
    assert judged > 100            # the texts were really read back from the screenshots


@pytest.mark.parametrize("elder", [False, True], ids=["standard", "elder"])
def test_pressed_and_disabled_buttons_keep_their_text_legible_and_look_disabled(kiosk, elder):
    from kivy.factory import Factory
    kiosk.app.start_session()
    if elder:
        kiosk.app.toggle_elder()
    kiosk.frames(3)
    grid = kiosk.screen("home").ids.tiles
    primary, secondary, disabled = grid.children[0], grid.children[1], grid.children[2]
    secondary.kind = "secondary"
    primary.state = secondary.state = "down"
    disabled.disabled = True
    kiosk.frames(3)
    mode = "elder" if elder else "standard"
    judged, found = contrast.measure(kiosk, SHOTS / f"{mode}-pressed-disabled.png")
    assert judged >= 4 and not found, found
    from PIL import Image
    image = Image.open(SHOTS / f"{mode}-pressed-disabled.png").convert("RGB")
    h = image.size[1]
    enabled = grid.children[3]

    def fill(widget):
        x, y = widget.to_window(widget.x + 8, widget.y + 8)
        return image.getpixel((int(x), int(h - y)))
    # disabled is neither the enabled colour nor brighter/more saturated than it
    assert fill(disabled) != fill(enabled)
    assert max(fill(disabled)) - min(fill(disabled)) < 30          # grey: no hue to look active
    assert Factory.KButton is not None
