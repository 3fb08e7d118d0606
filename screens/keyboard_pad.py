"""The handwriting pad: a square the citizen writes one character on with a finger. Each
finished stroke goes to `on_stroke(points)` in pad coordinates (0..side, y downwards, as
zinnia expects); the strokes stay drawn until the keyboard clears the pad."""
from __future__ import annotations

from kivy.app import App
from kivy.graphics import Color, Line, Rectangle
from kivy.properties import NumericProperty
from kivy.uix.widget import Widget


class HandwritingPad(Widget):
    strokes = NumericProperty(0)

    def __init__(self, on_stroke, **kwargs):
        super().__init__(**kwargs)
        self.on_stroke = on_stroke
        self._lines: list[Line] = []
        self._current: list[float] = []
        theme = App.get_running_app().theme
        with self.canvas.before:
            Color(*theme["surface"])
            self._ground = Rectangle()
            Color(*theme["muted"])
            self._frame = Line(width=2)
            self._cross = [Line(width=1, dash_length=8, dash_offset=8) for _ in range(2)]
        with self.canvas:
            self._ink = Color(*theme["fg"])
        self.bind(pos=self._frame_it, size=self._frame_it)

    def _frame_it(self, *_):
        x, y, w, h = self.x, self.y, self.width, self.height
        self._ground.pos, self._ground.size = self.pos, self.size
        self._frame.rectangle = (x, y, w, h)
        self._cross[0].points = [x, y + h / 2, x + w, y + h / 2]
        self._cross[1].points = [x + w / 2, y, x + w / 2, y + h]

    def on_touch_down(self, touch):
        if not self.collide_point(*touch.pos):
            return False
        touch.grab(self)
        self._current = [touch.x, touch.y]
        with self.canvas:
            line = Line(points=list(self._current), width=App.get_running_app().u * 6, cap="round", joint="round")
        self._lines.append(line)
        return True

    def on_touch_move(self, touch):
        if touch.grab_current is not self:
            return False
        x = min(max(touch.x, self.x), self.right)
        y = min(max(touch.y, self.y), self.top)
        self._current += [x, y]
        self._lines[-1].points = list(self._current)
        return True

    def on_touch_up(self, touch):
        if touch.grab_current is not self:
            return False
        touch.ungrab(self)
        points = [(x - self.x, self.top - y) for x, y in zip(self._current[::2], self._current[1::2])]
        self.strokes = len(self._lines)
        self.on_stroke(points)
        return True

    def undo(self) -> None:
        if self._lines:
            self.canvas.remove(self._lines.pop())
        self.strokes = len(self._lines)

    def clear(self) -> None:
        while self._lines:
            self.canvas.remove(self._lines.pop())
        self.strokes = 0
