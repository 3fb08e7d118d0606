"""MaintenanceScreen: "设备维护中" with the hotline, while the fleet's maintenance mode is on.

Maintenance mode is set remotely (a heartbeat command) or by a technician; a
1 Hz check (cheap, and safe from any thread's listener) keeps citizens on this
screen while it lasts and returns to the attract screen when it ends.
"""
from __future__ import annotations

from kivy.app import App
from kivy.clock import Clock

from screens.base import KioskScreen

SERVICE_SCREENS = ("maintenance", "technician_pin", "technician")


class MaintenanceScreen(KioskScreen):
    def __init__(self, **kw):
        super().__init__(**kw)
        self._event = Clock.schedule_interval(self.sync, 1.0)
        app = App.get_running_app()
        if app is not None:
            app.bind(on_stop=lambda *_: self._event.cancel())

    def sync(self, *_):
        fleet = self.services.fleet
        app = App.get_running_app()
        if app is None or self.manager is None or app.root is None:
            return
        if fleet.maintenance.active and app.current not in SERVICE_SCREENS:
            app.end_session("maintenance")
            app.go("maintenance")
        elif not fleet.maintenance.active and app.current == "maintenance":
            app.end_session("maintenance over")
