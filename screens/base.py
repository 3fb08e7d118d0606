"""KioskScreen: what every screen has: the services, and `reset()` to drop citizen data."""
from __future__ import annotations

from kivy.properties import NumericProperty, ObjectProperty
from kivy.uix.label import Label
from kivy.uix.screenmanager import Screen


class KioskScreen(Screen):
    services = ObjectProperty(None, rebind=True)

    def reset(self) -> None:
        """Called when the session ends: forget everything shown for the last citizen."""


class IdleOverlay(Label):
    """Full-screen countdown shown in the last seconds before the session is wiped."""

    seconds = NumericProperty(0)

    def on_touch_down(self, touch):
        if self.seconds <= 0:
            return False
        from kivy.app import App
        App.get_running_app().touched()
        return True  # the tap means "stay"; it must not also press what lies beneath
