"""KioskScreen: what every screen has: the services, and `reset()` to drop citizen data;
`in_background` for slow work (platform calls, printing) off the UI thread."""
from __future__ import annotations

import threading
from typing import Any, Callable

from kivy.app import App
from kivy.clock import Clock
from kivy.properties import NumericProperty, ObjectProperty
from kivy.uix.label import Label
from kivy.uix.screenmanager import Screen


def in_background(work: Callable[[], Any], done: Callable[[Any], None],
                  failed: Callable[[BaseException], None], name: str = "commitment-worker") -> None:
    """Run `work` off the UI thread; `done(result)` or `failed(exc)` run on the UI thread."""
    def run():
        try:
            result = work()
        except BaseException as exc:    # handed to the UI, never lost
            Clock.schedule_once(lambda _dt, e=exc: failed(e), 0)
            return
        Clock.schedule_once(lambda _dt: done(result), 0)
    threading.Thread(target=run, name=name, daemon=True).start()


class KioskScreen(Screen):
    services = ObjectProperty(None, rebind=True)

    def reset(self) -> None:
        """Called when the session ends: forget everything shown for the last citizen."""

    def print_failure(self, exc: Exception, fallback: str) -> str:
        """What to tell the citizen when printing failed: the driver's plain message, and
        that the receipt will come out by itself once the printer is ready again."""
        message = getattr(exc, "message", "") or fallback
        receipts = self.services.receipts if self.services is not None else None
        if receipts is not None and receipts.pending:
            message = f"{message}\n{App.get_running_app().t('services.reprint_later')}"
        return message


class IdleOverlay(Label):
    """Full-screen countdown shown in the last seconds before the session is wiped."""

    seconds = NumericProperty(0)

    def on_touch_down(self, touch):
        if self.seconds <= 0:
            return False
        from kivy.app import App
        App.get_running_app().touched()
        return True  # the tap means "stay"; it must not also press what lies beneath
