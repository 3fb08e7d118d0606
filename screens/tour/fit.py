"""Does the screen fit its window? Every visible control (a button, a text field) lies inside
the window, inside any clipping box above it, and apart from the other controls; one that lies
beyond a scroll view's edge is only reachable if the view scrolls that way and shows its bar;
every text and picture lies inside the window and its clipping boxes the same way; no text is
bigger than the box it is drawn in.

`problems(driver)` returns one `Misfit` per control or text that breaks this on the screen
shown now (the idle overlay or the question dialog when either is up). Used by
tests/ui/test_landscape_fit.py and scripts/tour. Not production code."""
from __future__ import annotations

from dataclasses import dataclass

SLACK = 2            # pixels: rounding of layouts, borders drawn on the edge
OVERLAP = 8          # two controls sharing a strip narrower than this only touch
LIST = 1.1           # content this much longer than its view scrolls: its edge may cut an entry


@dataclass(frozen=True)
class Misfit:
    what: str
    why: str
    where: tuple[int, int, int, int]

    def __str__(self) -> str:
        return f"{self.what[:30]!r}: {self.why} at {self.where}"


def _shown(widget) -> bool:
    node = widget
    while node is not None and node is not node.parent:
        if getattr(node, "opacity", 1) <= 0.01 or node.width < 1 or node.height < 1:
            return False
        node = node.parent
    return True


def box(widget) -> tuple[float, float, float, float]:
    x0, y0 = widget.to_window(widget.x, widget.y)
    x1, y1 = widget.to_window(widget.right, widget.top)
    return x0, y0, x1, y1


def _inside(inner, outer) -> bool:
    return (inner[0] >= outer[0] - SLACK and inner[1] >= outer[1] - SLACK
            and inner[2] <= outer[2] + SLACK and inner[3] <= outer[3] + SLACK)


def _meet(a, b):
    return max(a[0], b[0]), max(a[1], b[1]), min(a[2], b[2]), min(a[3], b[3])


def _name(widget) -> str:
    return (getattr(widget, "text", "") or getattr(widget, "hint_text", "") or type(widget).__name__).strip()


def _scrolls_to(view, part) -> bool:
    """Can `view` (a ScrollView) bring `part` (beyond its edge) into sight, and does it show it can?"""
    content = view.children[0] if view.children else None
    if content is None or view.bar_width < 2:
        return False
    viewport = box(view)
    vertical = part[1] < viewport[1] - SLACK or part[3] > viewport[3] + SLACK
    horizontal = part[0] < viewport[0] - SLACK or part[2] > viewport[2] + SLACK
    if vertical and not (view.do_scroll_y and content.height > view.height + SLACK):
        return False
    if horizontal and not (view.do_scroll_x and content.width > view.width + SLACK):
        return False
    return _inside(part, box(content))


def _cut(part, viewport) -> bool:
    """Partly inside the viewport, partly beyond it."""
    shown = _meet(part, viewport)
    return shown[2] - shown[0] > SLACK and shown[3] - shown[1] > SLACK


def _plain_text(widget) -> bool:
    """A text that is not a control: cut at a scroll view's edge it reads on when scrolled."""
    from kivy.uix.behaviors import ButtonBehavior
    from kivy.uix.label import Label
    return isinstance(widget, Label) and not isinstance(widget, ButtonBehavior)


def _length(view) -> float:
    """How many viewports long the content is."""
    content = view.children[0]
    return max(content.height / max(view.height, 1), content.width / max(view.width, 1))


def _long(view) -> bool:
    return _length(view) > LIST


def placement(widget, window) -> str | None:
    """Why `widget` cannot be seen whole or reached, or None."""
    from kivy.uix.scrollview import ScrollView
    from kivy.uix.stencilview import StencilView
    part = box(widget)
    node = widget.parent
    while node is not None and node is not node.parent:
        if isinstance(node, ScrollView):
            if not _inside(part, box(node)):
                if not _scrolls_to(node, part):
                    return "beyond a scroll view that cannot show it"
                if _cut(part, box(node)) and node.scroll_y > 0.99 and not _long(node) and not _plain_text(widget):
                    return f"cut by the edge of a page that would almost fit ({_length(node):.2f} views long)"
                part = _meet(part, box(node))
        elif isinstance(node, StencilView) and not _inside(part, box(node)):
            return "cut off by its clipping box"
        node = node.parent
    if part[2] - part[0] < 1 or part[3] - part[1] < 1:
        return None                      # wholly scrolled out of sight: the bar says it is there
    if not _inside(part, window):
        return "outside the window"
    return None


def _visible_part(widget, window):
    """The window box of `widget` that is drawn: clipped by its scroll views and the window."""
    from kivy.uix.scrollview import ScrollView
    part = box(widget)
    node = widget.parent
    while node is not None and node is not node.parent:
        if isinstance(node, ScrollView):
            part = _meet(part, box(node))
        node = node.parent
    return _meet(part, window)


def overflow(label) -> str | None:
    """Why `label`'s text does not fit its box, or None."""
    if not label.text.strip():
        return None
    tw, th = label.texture_size
    if th > label.height + SLACK:
        return f"text {th:.0f} px high in a box of {label.height:.0f}"
    if tw > label.width + SLACK:
        return f"text {tw:.0f} px wide in a box of {label.width:.0f}"
    return None


def _controls(root):
    from kivy.uix.behaviors import ButtonBehavior
    from kivy.uix.textinput import TextInput
    for widget in root.walk(restrict=True):
        if isinstance(widget, (ButtonBehavior, TextInput)) and _shown(widget):
            yield widget


def within(widget, ancestor) -> bool:
    """Is `ancestor` above `widget` in the widget tree?"""
    node = widget.parent
    while node is not None and node is not node.parent:
        if node is ancestor:
            return True
        node = node.parent
    return False


def _related(a, b) -> bool:
    return within(a, b) or within(b, a)


def top_of(app):
    root = app.root
    overlay, ask = root.ids.idle_overlay, root.ids.ask
    return overlay if overlay.seconds > 0 else (ask if ask.shown else root)


def problems(driver) -> list[Misfit]:
    from kivy.core.window import Window
    from kivy.uix.image import Image
    from kivy.uix.label import Label
    driver.frames(2)
    window = (0, 0, Window.width, Window.height)
    found: list[Misfit] = []

    def note(widget, why):
        found.append(Misfit(_name(widget), why, tuple(int(v) for v in box(widget))))

    top = top_of(driver.app)
    controls = list(_controls(top))
    for widget in controls:
        why = placement(widget, window) or (overflow(widget) if isinstance(widget, Label) else None)
        if why:
            note(widget, why)
    drawn = [(w, _visible_part(w, window)) for w in controls]
    for i, (a, pa) in enumerate(drawn):
        for b, pb in drawn[i + 1:]:
            shared = _meet(pa, pb)
            if shared[2] - shared[0] > OVERLAP and shared[3] - shared[1] > OVERLAP and not _related(a, b):
                note(a, f"overlaps {_name(b)[:20]!r}")
    for widget in top.walk(restrict=True):
        texts = isinstance(widget, Label) and widget.text.strip()
        if widget in controls or not (texts or isinstance(widget, Image)) or not _shown(widget):
            continue
        why = placement(widget, window) or (overflow(widget) if texts else None)
        if why:
            note(widget, why)
    return found
