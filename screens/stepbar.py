"""StepBar: where the citizen is in the commitment flow, on every step of it (the credit check
included): "第 n 步，共 7 步" in the primary colour beside a row of segments, done ones filled,
the current one filled and outlined, the rest outlined."""
from __future__ import annotations

from kivy.app import App
from kivy.graphics import Color, Line, RoundedRectangle
from kivy.properties import NumericProperty
from kivy.uix.widget import Widget

STEPS = 7


class StepSegments(Widget):
    step = NumericProperty(1)

    def on_kv_post(self, *_):
        self.bind(pos=self.redraw, size=self.redraw, step=self.redraw)
        App.get_running_app().bind(theme=self.redraw)
        self.redraw()

    def redraw(self, *_):
        app = App.get_running_app()
        self.canvas.clear()
        gap = app.u * 10
        width = max(1.0, (self.width - gap * (STEPS - 1)) / STEPS)
        height = min(self.height, app.u * 18)
        y = self.center_y - height / 2
        with self.canvas:
            for n in range(1, STEPS + 1):
                x = self.x + (n - 1) * (width + gap)
                done = n <= self.step
                Color(*(app.theme["primary"] if done else app.theme["outline"]))
                RoundedRectangle(pos=(x, y), size=(width, height), radius=[height / 2])
                if n == self.step:
                    Color(*app.theme["fg"])
                    Line(rounded_rectangle=(x - 2, y - 2, width + 4, height + 4, height / 2 + 2), width=app.u * 2)
