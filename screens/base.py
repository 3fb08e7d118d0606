"""KioskScreen: what every screen has: the services, the app, the citizen's session, texts and
voice, `reset()` to drop citizen data, and `run()` for slow work (platform calls, printing)
off the UI thread, whose answer is dropped if the citizen has moved on meanwhile."""
from __future__ import annotations

import logging
import threading
from typing import Any, Callable, Optional

from kivy.app import App
from kivy.clock import Clock
from kivy.properties import NumericProperty, ObjectProperty, StringProperty
from kivy.uix.label import Label
from kivy.uix.screenmanager import Screen


log = logging.getLogger(__name__)


def in_background(work: Callable[[], Any], done: Callable[[Any], None],
                  failed: Callable[[BaseException], None], name: str = "screen-worker") -> None:
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

    @property
    def app(self):
        return App.get_running_app()

    @property
    def session(self):
        return self.services.sessions.current

    def t(self, key: str, **params) -> str:
        return self.app.t(key, **params)

    def english(self):
        """The catalog's English translations while the screen speaks English, else None."""
        if self.app.lang != "en" or self.services.catalog is None:
            return None
        return self.services.catalog.translations

    def word(self, chinese: str) -> str:
        """A fixed Chinese word of the domain or the settings (a complaint topic, a queue group)
        in the screen's language (config/messages/*/app.toml [words]); itself when not listed."""
        key = f"words.{chinese}"
        text = self.t(key)
        return chinese if text == key else text

    def item_name(self, item) -> str:
        """The item's name in the screen's language (the Chinese one when there is no translation)."""
        english = self.english()
        return (english.name(item) if english else None) or item.name

    @property
    def location(self) -> str:
        """Where this terminal stands (settings kiosk.location): printed on every receipt."""
        return self.services.settings["kiosk"]["location"]

    def say(self, prompt: str) -> None:
        self.services.voice.say(prompt)

    def run(self, work: Callable[[], Any], done: Callable[[Any], None],
            failed: Optional[Callable[[BaseException], None]] = None, *, while_here: bool = True) -> None:
        """`work` on a worker thread; `done(result)` / `failed(exc)` back on the UI thread, unless
        the session ended meanwhile (an answer meant for one citizen is never shown to the next)
        or, with `while_here`, the citizen has left this screen."""
        session = self.session

        def guard(callback):
            def call(value):
                here = self.manager is not None and self.manager.current == self.name
                if self.session is session and (here or not while_here):
                    callback(value)
            return call
        in_background(work, guard(done), guard(failed or self.failed), name=f"{self.name}-worker")

    def failed(self, exc: BaseException) -> None:
        """Background work failed and the screen named no handler: say so plainly."""
        log.error("background work failed", extra={"screen": self.name, "error": type(exc).__name__})
        if hasattr(self, "message"):
            self.message = self.t("services.offline")

    def reset(self) -> None:
        """Called when the session ends: forget everything shown for the last citizen."""

    def entered(self) -> bool:
        """Whether the citizen typed or chose something here that leaving would lose."""
        return False

    def reprint(self) -> None:
        """现在打印 (the printer is back): the session's failed receipt, told where the citizen looks."""
        def status(text):
            if hasattr(self, "print_status"):
                self.print_status = text

        def failed(exc):
            status(self.print_failure(exc, self.t("services.print_failed")))

        def done(_):
            status(self.t("services.reprinted"))
            self.receipt_came_out()
            self.say("take_slip")
        status(self.t("services.printing"))
        self.run(self.services.receipts.reprint, done, failed, while_here=False)

    def receipt_came_out(self) -> None:
        """The receipt printed (first time or reprint): screens that say "take it" update here."""

    def print_failure(self, exc: Exception, fallback: str) -> str:
        """What to tell the citizen when printing failed: the driver's plain message, and
        that the screen will offer the receipt again once the printer is ready."""
        message = getattr(exc, "message", "") or fallback
        if self.services.receipts.pending:
            message = f"{message}\n{self.t('services.reprint_later')}"
        return message


class IdleOverlay(Label):
    """Full-screen countdown shown in the last seconds before the session is wiped."""

    seconds = NumericProperty(0)
    lost = StringProperty("")        # what the wipe will discard ("将清除：…"), or ""

    def on_touch_down(self, touch):
        if self.seconds <= 0:
            return False
        from kivy.app import App
        App.get_running_app().touched()
        return True  # the tap means "stay"; it must not also press what lies beneath
