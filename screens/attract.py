"""Attract screen: the terminal at rest. Title, rotating hints, one big 开始办理 button.

Burn-in protection: with every hint the whole content moves a few pixels around
a small circle, so no edge stays lit in the same place for hours."""
from __future__ import annotations

from kivy.clock import Clock
import math

from kivy.properties import NumericProperty

from screens.base import KioskScreen


SHIFT_STEPS = 8         # positions around the circle
SHIFT_RADIUS = 14       # design pixels


class AttractScreen(KioskScreen):
    hint_index = NumericProperty(0)
    shift_x = NumericProperty(0)
    shift_y = NumericProperty(0)
    _rotation = None

    def on_enter(self, *_):
        seconds = self.services.settings["display"]["hint_seconds"]
        self._rotation = Clock.schedule_interval(self._next_hint, seconds)

    def on_leave(self, *_):
        if self._rotation is not None:
            self._rotation.cancel()
            self._rotation = None

    def _next_hint(self, _dt):
        self.hint_index += 1
        angle = 2 * math.pi * (self.hint_index % SHIFT_STEPS) / SHIFT_STEPS
        self.shift_x = SHIFT_RADIUS * math.cos(angle) - SHIFT_RADIUS
        self.shift_y = SHIFT_RADIUS * math.sin(angle)

    def reset(self):
        self.hint_index = 0
        self.shift_x = self.shift_y = 0
