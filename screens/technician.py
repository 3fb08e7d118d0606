"""TechnicianScreen: on-site diagnosis after the PIN: each device's health with its
self-test, a test page, outbox depth (a count only: no personal data), config
version and last update outcome, the work calendar's coverage (next year missing, from 1
October), platform reachability, the clock, an update
check and maintenance mode. Slow actions run through KioskScreen.run; results come
back on the UI thread.
"""
from __future__ import annotations

import datetime as dt

from kivy.app import App
from kivy.clock import Clock, mainthread
from kivy.factory import Factory
from kivy.properties import BooleanProperty, StringProperty

from kiosk.devices.probes import NAMES
from kiosk.platform.contract import CHINA_TZ
from kiosk.workdays.calendar import coverage_status
from screens.base import KioskScreen


class TechnicianScreen(KioskScreen):
    outbox_text = StringProperty("")
    config_text = StringProperty("")
    calendar_text = StringProperty("")
    platform_text = StringProperty("")
    clock_text = StringProperty("")
    update_text = StringProperty("")
    maintenance_on = BooleanProperty(False)

    _clock_event = None
    _stop_bound = False

    @property
    def fleet(self):
        return self.services.fleet

    def on_pre_enter(self, *_):
        self.refresh()
        self.check_platform()
        self.on_leave()
        self._clock_event = Clock.schedule_interval(self._tick, 1.0)
        app = App.get_running_app()
        if app is not None and not self._stop_bound:
            app.bind(on_stop=self.on_leave)     # an app stopped with this screen shown sends no leave
            self._stop_bound = True

    def on_leave(self, *_):
        if self._clock_event is not None:
            self._clock_event.cancel()
            self._clock_event = None

    def _tick(self, *_):
        app = App.get_running_app()
        offset = self.fleet.heartbeat.clock_offset
        if offset is None:
            offset = self.fleet.updater.status.clock_offset
        self.clock_text = app.t("technician.clock", local=dt.datetime.now().strftime("%Y-%m-%d %H:%M:%S"),
                                offset=app.t("technician.offset_unknown") if offset is None
                                else app.t("technician.offset_seconds", seconds=f"{int(round(offset)):+d}"))
        app.touched()          # a technician at work is not an idle citizen

    def refresh(self) -> None:
        app = App.get_running_app()
        self.outbox_text = app.t("technician.outbox", depth=self.fleet.outbox_depth())
        self.maintenance_on = self.fleet.maintenance.active
        status = self.fleet.updater.status
        version = status.version if status.version is not None else app.t("technician.config_none")
        outcome = self.word("outcome", status.outcome) + (f": {status.reason[:80]}" if status.reason else "")
        self.config_text = app.t("technician.config", version=version, outcome=outcome)
        calendar = coverage_status(self.services.calendar, dt.datetime.now(CHINA_TZ).date())
        self.calendar_text = app.t("calendar.technician", coverage=calendar["coverage"]) + (
            "\n" + app.t("calendar.technician_missing", year=calendar["missing_year"])
            if calendar["missing_year"] else "")
        self._tick()
        rows = self.ids.devices
        rows.clear_widgets()
        for family, health in self.fleet.device_health().items():
            row = Factory.DeviceRow()
            row.family = family
            row.status_text = f"{NAMES.get(family, family)}  {self.word('health', health.status)}  {health.reason}".strip()
            rows.add_widget(row)

    def word(self, kind: str, code: str) -> str:
        """A state code ("ok", "never", "PASS") in the screen's language; the code when unknown."""
        key = f"technician.{kind}.{code}"
        text = App.get_running_app().t(key)
        return code if text == key else text

    # --- actions (worker threads) -----------------------------------------------------
    def run_test(self, row) -> None:
        row.result_text = App.get_running_app().t("technician.testing")
        self.run(lambda: self.fleet.selftest_item(row.family), lambda r: self._show(row, r))

    def print_test_page(self) -> None:
        self.update_text = App.get_running_app().t("technician.testing")
        self.run(lambda: self.fleet.selftest_item("printer", print_page=True),
                 lambda r: self._set("update_text", f"{self.word('result', r[0])} {r[1]}"))

    def check_platform(self) -> None:
        app = App.get_running_app()
        self.platform_text = app.t("technician.platform", state=app.t("technician.platform_unknown"))
        self.run(self.fleet.platform_reachable, self._platform_done)

    def check_update(self) -> None:
        self.update_text = App.get_running_app().t("technician.checking")
        self.run(self.fleet.updater.check, lambda s: self._update_done(s))

    def toggle_maintenance(self) -> None:
        maintenance = self.fleet.maintenance
        maintenance.set(not maintenance.active, "technician")
        self.maintenance_on = maintenance.active

    @mainthread
    def _show(self, row, result) -> None:
        row.result_text = f"{self.word('result', result[0])} {result[1]}"

    @mainthread
    def _set(self, name, value) -> None:
        setattr(self, name, value)

    @mainthread
    def _platform_done(self, result) -> None:
        app = App.get_running_app()
        ok, detail = result
        state = app.t("technician.platform_ok" if ok else "technician.platform_down", detail=detail)
        self.platform_text = app.t("technician.platform", state=state)

    @mainthread
    def _update_done(self, status) -> None:
        self.update_text = f"{self.word('outcome', status.outcome)} {status.reason[:80]}".strip()
        self.refresh()
