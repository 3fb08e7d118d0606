"""Text contrast measured on the rendered screen (WCAG 2): for every visible label, the pixels
of its text against the background they are drawn on, read back from a screenshot.

`problems(driver, path)` screenshots the window to `path` and returns one `Problem` per label
whose text contrast is below 4.5:1 (3:1 for large text: 24 px, or 19 px bold). Used by
tests/ui/test_contrast.py and scripts/tour. Not production code."""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from pathlib import Path

NORMAL, LARGE = 4.5, 3.0
MIN_INK = 12            # fewer differing pixels than this: no legible text was drawn


@dataclass(frozen=True)
class Problem:
    text: str
    ratio: float
    needed: float
    where: tuple[int, int, int, int]

    def __str__(self) -> str:
        return f"{self.text[:30]!r}: {self.ratio:.2f}:1 < {self.needed}:1 at {self.where}"


def luminance(rgb) -> float:
    def channel(v):
        v /= 255
        return v / 12.92 if v <= 0.03928 else ((v + 0.055) / 1.055) ** 2.4
    r, g, b = rgb[:3]
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


def ratio(a, b) -> float:
    la, lb = sorted((luminance(a), luminance(b)))
    return (lb + 0.05) / (la + 0.05)


def text_contrast(pixels) -> float:
    """The contrast of the text in a box of pixels: the commonest colour is the background, the
    strongest strokes (the 90th percentile of the pixels that differ) the text colour. A box
    where almost nothing differs holds an invisible text: 1.0."""
    background = Counter(pixels).most_common(1)[0][0]
    strokes = sorted(r for r in (ratio(p, background) for p in pixels) if r > 1.03)
    if len(strokes) < MIN_INK:
        return 1.0
    return strokes[int(len(strokes) * 0.9)]


def _visible(widget) -> bool:
    node = widget
    while node is not None and node is not node.parent:
        if getattr(node, "opacity", 1) <= 0.01:
            return False
        node = node.parent
    return True


def _clip(widget):
    """The window box a label's drawing is confined to (its ScrollView ancestors)."""
    from kivy.uix.scrollview import ScrollView
    box = None
    node = widget.parent
    while node is not None and node is not node.parent:
        if isinstance(node, ScrollView):
            x, y = node.to_window(node.x, node.y)
            here = (x, y, x + node.width, y + node.height)
            box = here if box is None else (max(box[0], here[0]), max(box[1], here[1]),
                                            min(box[2], here[2]), min(box[3], here[3]))
        node = node.parent
    return box


def labels(root):
    """The labels drawn on the screen now, with their text box in window coordinates."""
    from kivy.uix.label import Label
    for widget in root.walk():
        if not isinstance(widget, Label) or not widget.text.strip() or not _visible(widget):
            continue
        tw, th = widget.texture_size
        if tw < 2 or th < 2:
            continue
        cx, cy = widget.to_window(*widget.center)
        box = (cx - tw / 2, cy - th / 2, cx + tw / 2, cy + th / 2)
        clip = _clip(widget)
        if clip and not (box[0] >= clip[0] - 1 and box[1] >= clip[1] - 1 and box[2] <= clip[2] + 1
                         and box[3] <= clip[3] + 1):
            continue                      # scrolled out of view, partly or wholly
        yield widget, box


def problems(driver, path: Path) -> list[Problem]:
    return measure(driver, path)[1]


def measure(driver, path: Path) -> tuple[int, list[Problem]]:
    """(how many texts were judged, the problems among them)."""
    from PIL import Image
    shot = driver.screenshot(path)
    image = Image.open(shot).convert("RGB")
    width, height = image.size
    app = driver.app
    root = app.root
    overlay, ask = root.ids.idle_overlay, root.ids.ask
    top = overlay if overlay.seconds > 0 else (ask if ask.shown else root)
    found, judged = [], 0
    for widget, (x0, y0, x1, y1) in labels(top):
        left, right = max(0, int(x0)), min(width, int(x1))
        upper, lower = max(0, int(height - y1)), min(height, int(height - y0))
        if right - left < 2 or lower - upper < 2:
            continue
        contrast = text_contrast(list(image.crop((left, upper, right, lower)).getdata()))
        judged += 1
        large = widget.font_size >= 24 or (widget.bold and widget.font_size >= 19)
        needed = LARGE if large else NORMAL
        if contrast < needed:
            found.append(Problem(widget.text, contrast, needed, (left, upper, right, lower)))
    return judged, found
