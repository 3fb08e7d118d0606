"""SignaturePad: a white box the citizen signs in with a finger; strokes in widget coordinates."""
from __future__ import annotations

from kivy.graphics import Color, Line
from kivy.properties import BooleanProperty, NumericProperty
from kivy.uix.widget import Widget


class SignaturePad(Widget):
    has_ink = BooleanProperty(False)
    line_width = NumericProperty(3)

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.strokes: list[list[tuple[float, float]]] = []
        self._lines: list[Line] = []

    def on_touch_down(self, touch):
        if not self.collide_point(*touch.pos):
            return super().on_touch_down(touch)
        touch.grab(self)
        self.strokes.append([self._local(touch.pos)])
        with self.canvas:
            Color(0, 0, 0, 1)
            self._lines.append(Line(points=list(touch.pos), width=self.line_width))
        return True

    def on_touch_move(self, touch):
        if touch.grab_current is not self:
            return super().on_touch_move(touch)
        if self.collide_point(*touch.pos):
            self.strokes[-1].append(self._local(touch.pos))
            self._lines[-1].points += list(touch.pos)
            self.has_ink = sum(len(s) for s in self.strokes) >= 8
        return True

    def on_touch_up(self, touch):
        if touch.grab_current is self:
            touch.ungrab(self)
            return True
        return super().on_touch_up(touch)

    def _local(self, pos) -> tuple[float, float]:
        return (pos[0] - self.x, pos[1] - self.y)

    def draw(self, points) -> None:
        """Add a stroke from widget-local points (the tour and tests sign this way)."""
        self.strokes.append([tuple(p) for p in points])
        flat = [c for x, y in points for c in (x + self.x, y + self.y)]
        with self.canvas:
            Color(0, 0, 0, 1)
            self._lines.append(Line(points=flat, width=self.line_width))
        self.has_ink = sum(len(s) for s in self.strokes) >= 8

    def clear(self) -> None:
        self.canvas.clear()
        self._lines.clear()
        self.strokes.clear()
        self.has_ink = False
