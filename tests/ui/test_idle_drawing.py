"""The idle attract screen draws no large layer nobody sees: in software GL every frame blends
each rectangle pixel by pixel, even at alpha 0 (the hidden dialog and idle overlay made every
hint change cost twice the CPU), and the background is the window's clear colour."""
from kivy.core.window import Window
from kivy.graphics import Color, Rectangle, RoundedRectangle


def invisible_layers(root, window_area: float) -> list[str]:
    """Rectangles covering a quarter of the window or more, drawn where nothing shows
    (their colour's alpha or their widget's opacity is 0)."""
    found = []

    def walk(widget, opacity: float) -> None:
        opacity *= widget.opacity
        for canvas in (widget.canvas.before, widget.canvas, widget.canvas.after):
            alpha = 1.0
            for instruction in canvas.children:
                if isinstance(instruction, Color):
                    alpha = instruction.rgba[3]
                elif isinstance(instruction, (Rectangle, RoundedRectangle)):
                    w, h = instruction.size
                    if w * h >= window_area / 4 and alpha * opacity == 0:
                        found.append(f"{type(widget).__name__} {type(instruction).__name__} {w:.0f}x{h:.0f}")
        for child in widget.children:
            walk(child, opacity)

    walk(root, 1.0)
    return found


def test_the_idle_attract_screen_draws_no_hidden_full_screen_layer(kiosk):
    assert kiosk.app.current == "attract"
    kiosk.frames(3)
    area = Window.width * Window.height
    assert invisible_layers(kiosk.app.root, area) == []
    assert tuple(Window.clearcolor) == tuple(kiosk.app.theme["bg"])


def test_a_dialog_when_shown_draws_its_shade_again(kiosk):
    kiosk.tap(kiosk.screen("attract").ids.start_button)
    ask = kiosk.app.root.ids.ask
    ask.shown = True
    kiosk.frames(3)
    shades = [i for i in ask.canvas.before.children if isinstance(i, Rectangle)]
    assert shades and shades[0].size[0] * shades[0].size[1] >= Window.width * Window.height * 0.9
    ask.shown = False
    kiosk.frames(3)
    assert invisible_layers(kiosk.app.root, Window.width * Window.height) == []
