"""Attract screen: the terminal at rest. Title, rotating hints, one big 开始办理 button."""
from __future__ import annotations

from kivy.clock import Clock
from kivy.properties import NumericProperty

from screens.base import KioskScreen


class AttractScreen(KioskScreen):
    hint_index = NumericProperty(0)
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

    def reset(self):
        self.hint_index = 0
