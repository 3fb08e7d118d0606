"""TechnicianPinScreen: the PIN pad of technician mode, and the hidden gesture that opens it
(five taps in the top-left corner within three seconds, on any screen).

The PIN is checked by kiosk.fleet.technician.PinLock (hashed, 5 wrong tries lock it for 5 minutes).
"""
from __future__ import annotations

from kivy.app import App
from kivy.core.window import Window
from kivy.properties import BooleanProperty, StringProperty

from kiosk.fleet.technician import TapGesture
from screens.base import KioskScreen

CORNER = 140          # design pixels: the square in the top-left corner that counts


class TechnicianPinScreen(KioskScreen):
    entered = StringProperty("")
    message = StringProperty("")
    warning = BooleanProperty(False)

    def __init__(self, **kw):
        super().__init__(**kw)
        self.gesture = TapGesture()
        Window.bind(on_touch_down=self._corner_tap)
        app = App.get_running_app()
        if app is not None:
            app.bind(on_stop=lambda *_: Window.unbind(on_touch_down=self._corner_tap))

    def _corner_tap(self, window, touch):
        app = App.get_running_app()
        if app is None or self.manager is None or app.current in ("technician_pin", "technician"):
            return False
        corner = CORNER * app.u
        if touch.x <= corner and touch.y >= window.height - corner and self.gesture.tap():
            app.go("technician_pin")
        return False          # the tap still reaches whatever is there

    def on_pre_enter(self, *_):
        self.entered = ""
        self.message = self._prompt()

    def _prompt(self) -> str:
        app, lock = App.get_running_app(), self.services.fleet.technician
        self.warning = not lock.enabled or lock.locked_for() > 0
        if not lock.enabled:
            return app.t("technician.pin_disabled")
        left = lock.locked_for()
        if left > 0:
            return app.t("technician.pin_locked", minutes=int(left) // 60, seconds=int(left) % 60)
        return app.t("technician.pin_prompt")

    def press(self, key: str) -> None:
        App.get_running_app().touched()
        if key == "clear":
            self.entered = ""
        elif key == "ok":
            self.submit()
        elif len(self.entered) < 12:
            self.entered += key

    def submit(self) -> None:
        app = App.get_running_app()
        attempt = self.services.fleet.technician.try_pin(self.entered)
        self.entered = ""
        self.warning = not attempt.ok
        if attempt.ok:
            app.go("technician")
        elif attempt.locked_for > 0:
            self.message = app.t("technician.pin_locked", minutes=int(attempt.locked_for) // 60,
                                 seconds=int(attempt.locked_for) % 60)
        elif self.services.fleet.technician.enabled:
            self.message = app.t("technician.pin_wrong", tries=attempt.tries_left)
        else:
            self.message = app.t("technician.pin_disabled")

    def reset(self) -> None:
        self.entered = ""
