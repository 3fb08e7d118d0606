"""What the citizen-service screens (appointment, queue ticket, evaluation, complaint) share:
a body rebuilt per state from big buttons and labels, platform calls on a worker thread,
the ID card as confirmation, printing a slip, voice prompts."""
from __future__ import annotations

import datetime as dt

from kivy.clock import Clock
from kivy.factory import Factory
from kivy.properties import StringProperty

from kiosk.platform.contract import CHINA_TZ
from screens.base import KioskScreen

CST = CHINA_TZ


class ServiceScreen(KioskScreen):
    state = StringProperty("")
    message = StringProperty("")
    print_status = StringProperty("")
    action_text = StringProperty("")      # the bar's main button (e.g. 提交), "" = hidden

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.buttons: dict[str, object] = {}
        self._wide_grids: list = []            # grid() in landscape: (grid, its portrait columns)
        self._unlisten = lambda: None

    def failed(self, exc) -> None:
        from kiosk.platform.errors import PlatformRejected
        key = "services.refused" if isinstance(exc, PlatformRejected) else "services.offline"
        self.message = self.t(key)

    # -- the body, drawn per state ----------------------------------------------------------
    STATES: dict = {}      # state -> the method drawing it, set by each screen

    def render(self) -> None:
        """Draw the body for the current state from the screen's table of states."""
        if "body" not in self.ids or not self.state:
            return
        self.clear()
        self.draw_common()
        draw = self.STATES.get(self.state)
        if draw is not None:
            draw(self)

    def draw_common(self) -> None:
        """What every state shows above its own part (nothing by default)."""

    def clear(self) -> None:
        self.ids.body.clear_widgets()
        if "side" in self.ids:
            self.ids.side.clear_widgets()
            self.ids.side.size_hint_x, self.ids.side.width = None, 0
        if "dock" in self.ids:
            self.ids.dock.clear_widgets()
        self.buttons, self._wide_grids = {}, []
        self.action_text, self._action = "", None

    def bar_action(self, name: str, text: str, action, kind: str = "primary") -> None:
        """Show the bar's main button (always on screen, whatever the body's length)."""
        self.action_text, self._action = text, action
        self.ids.action.kind = kind
        self.buttons[name] = self.ids.action

    def action(self) -> None:
        if getattr(self, "_action", None) is not None:
            self._action()

    def place_keyboard(self, keyboard) -> None:
        """The keyboard docked below the scrolling form in portrait; in landscape beside the page,
        the full height (1080 px hold the form or the keyboard, not both). Never in the form's
        scroll view: it would scroll the keyboard away, and a stroke on the pad would scroll."""
        if keyboard.parent is not None:
            keyboard.parent.remove_widget(keyboard)
        side = self.ids.get("side")
        if self.app.portrait or side is None:
            self.ids.get("dock", self.ids.body).add_widget(keyboard)
            return
        side.size_hint_x = 1
        side.add_widget(keyboard)
        for grid, cols in self._wide_grids:      # the body is half as wide now: portrait's columns
            grid.cols = cols

    def label(self, text: str, kind: str = "FlowText", **kw):
        widget = getattr(Factory, kind)(text=text)
        for name, value in kw.items():     # after the kv rule, which would set its own colour and size
            setattr(widget, name, value)
        self.ids.body.add_widget(widget)
        return widget

    slip_out = False      # the slip of this state came out of the printer

    def receipt_came_out(self) -> None:
        """The slip is out (first print or the offered reprint): now "请取走…" is true."""
        self.slip_out = True
        self.render()

    def take_slip(self, text: str, **kw):
        """"请取走凭条/排队号" only once the slip really came out; before that, nothing to take."""
        if self.slip_out:
            return self.success(text, **kw)
        return None

    def success(self, text: str, **kw):
        """Something worked: green with a mark (never the error red)."""
        return self.label(f"✓ {text}", "FlowSuccess", **kw)

    def button(self, name: str, text: str, action, kind: str = "primary", container=None):
        widget = Factory.KButton(text=text, kind=kind)
        widget.bind(on_release=lambda _b: action())
        (container or self.ids.body).add_widget(widget)
        self.buttons[name] = widget
        return widget

    def grid(self, cols: int | None = None, fixed: bool = False):
        """A grid of buttons whose columns follow the screen: `cols` (default 2, 1 in elder mode)
        in portrait, half as many again in landscape (1.8 times as wide), unless `fixed`."""
        app = self.app
        cols = cols or (1 if app.elder else 2)
        widget = Factory.GridLayout(cols=cols, spacing=app.u * 20, size_hint_y=None)
        if not app.portrait and not fixed:
            widget.cols = -(-cols * 3 // 2)
            self._wide_grids.append((widget, cols))
        widget.bind(minimum_height=widget.setter("height"))
        self.ids.body.add_widget(widget)
        return widget

    def hall_name(self, hall: str) -> str:
        """The hall's name for the citizen, never its code ("TJ-HEPING"): this hall's from the
        settings, the others' from the texts (services.halls), else "another hall"."""
        settings_hall = self.services.settings["hall"]
        if hall == settings_hall["id"]:
            return settings_hall["name"]
        key = f"services.halls.{hall}"
        name = self.t(key)
        return name if name != key else self.t("services.appointment.other_hall")

    # -- the ID card as confirmation -------------------------------------------------------
    def watch_card(self, identified, scanned=None) -> None:
        """Call `identified(person)` on the UI thread when a valid ID card is placed (and
        `scanned(text)` when a code is scanned, if given)."""
        self.stop_watching()
        self.say("place_card")

        def on_outcome(outcome):
            def handle(_dt):
                if self.manager is None or self.manager.current != self.name:
                    return
                if outcome.kind == "identified":
                    self.stop_watching()
                    identified(outcome.person)
                elif outcome.kind == "refused":
                    self.message = self.t(f"commitment.identify.{outcome.reason}")
                elif outcome.kind == "reading_failed":
                    self.message = self.t("commitment.identify.unreadable", detail=outcome.detail)
                elif outcome.kind == "scanned" and scanned is not None:
                    scanned(outcome.text)
            Clock.schedule_once(handle, 0)
        self._unlisten = self.services.identifier.watch(on_outcome)

    def stop_watching(self) -> None:
        self._unlisten()
        self._unlisten = lambda: None

    def on_leave(self, *_):
        self.stop_watching()

    # -- printing ------------------------------------------------------------------------------
    def print_document(self, document, prompt: str = "take_slip") -> None:
        printer = self.services.devices.printer
        if printer is None:
            self.print_status = self.t("services.no_printer")
            return
        self.print_status = self.t("services.printing")
        if self.slip_out:                 # a slip taken before this one: nothing to take yet
            self.slip_out = False
            self.render()

        def done(_):
            self.print_status = self.t("services.printed")
            self.say(prompt)
            self.receipt_came_out()

        def failed(exc):
            self.print_status = self.print_failure(exc, self.t("services.print_failed"))
        self.run(lambda: self.services.receipts.print(document), done, failed, while_here=False)

    @property
    def terminal_id(self) -> str:
        return self.services.settings["kiosk"]["terminal_id"]

    @staticmethod
    def now() -> dt.datetime:
        return dt.datetime.now(CST)

    def reset(self) -> None:
        self.stop_watching()
        self.slip_out = False
        self.state = self.message = self.print_status = ""
        if "body" in self.ids:
            self.clear()
