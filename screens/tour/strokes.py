"""Synthetic finger strokes of simple characters on a 300-unit pad (y downwards), drawn the
way a hand writes them: the 撇 of 人 and 大 curves, 口 is written in three strokes."""
from __future__ import annotations


def polyline(*corners, steps: int = 8):
    """The points along straight segments through `corners`, as a finger would report them."""
    points = []
    for (x0, y0), (x1, y1) in zip(corners, corners[1:]):
        points += [(x0 + (x1 - x0) * i / steps, y0 + (y1 - y0) * i / steps) for i in range(steps)]
    points.append(corners[-1])
    return points


CHARACTERS = {
    "一": [polyline((40, 150), (260, 150))],
    "二": [polyline((80, 100), (220, 100)), polyline((40, 210), (260, 210))],
    "十": [polyline((40, 140), (260, 140)), polyline((150, 40), (150, 270))],
    "人": [polyline((160, 40), (140, 140), (60, 250)), polyline((140, 130), (250, 250))],
    "大": [polyline((40, 110), (260, 105)), polyline((150, 30), (150, 90), (130, 170), (60, 260)),
           polyline((150, 140), (200, 210), (270, 260))],
    "口": [polyline((90, 90), (90, 210)), polyline((90, 90), (210, 90), (210, 210)),
           polyline((90, 210), (210, 210))],
}


def scaled(strokes, size: float):
    """The same strokes on a pad of side `size` (the keyboard's pad in pixels)."""
    return [[(x * size / 300, y * size / 300) for x, y in stroke] for stroke in strokes]


def finger_on(pad, strokes):
    """For each of `strokes` (one character's, in pad units), a real touch put down on `pad` and moved along the stroke
    (window coordinates), still down: the caller lifts it (touch_up ends the stroke)."""
    from kivy.tests.common import UnitTestTouch
    for stroke in scaled(strokes, pad.width):
        points = [pad.to_window(pad.x + x, pad.top - y) for x, y in stroke]
        touch = UnitTestTouch(*points[0])
        touch.touch_down()
        for x, y in points[1:]:
            touch.touch_move(x, y)
        yield touch
