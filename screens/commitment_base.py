"""What every commitment-flow screen shares: the draft letter in the session, the wording,
running platform calls on a worker thread with the answer handed back on the UI thread."""
from __future__ import annotations

import threading
from typing import Any, Callable

from kivy.app import App
from kivy.clock import Clock

from screens.base import KioskScreen

STEPS = ("commitment", "commitment_materials", "commitment_confirm", "commitment_sign",
         "commitment_review", "commitment_result")


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


class FlowScreen(KioskScreen):
    """A step of the commitment flow; the draft lives in session.data['commitment']."""

    @property
    def app(self):
        return App.get_running_app()

    @property
    def session(self):
        return self.services.sessions.current

    @property
    def draft(self):
        return self.session.data.get("commitment")

    @property
    def wording(self):
        return self.services.wording

    def t(self, key: str, **params) -> str:
        return self.app.t(key, **params)

    def leave(self) -> None:
        """退出办理: the session ends, everything shown is wiped."""
        self.app.end_session("commitment left")

    def tour(self, driver):
        """Every state of this step, for scripts/tour (screens/commitment_tour.py)."""
        from screens.commitment_tour import tour
        yield from tour(driver, self.name)
