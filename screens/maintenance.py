"""MaintenanceScreen: "设备维护中" with the hotline, while the fleet's maintenance mode is on.

Maintenance mode is set remotely (a heartbeat command) or by a technician; the app's
idle tick (cheap, and safe from any thread's listener; no timer of its own) keeps
citizens on this screen while it lasts and returns to the attract screen when it ends.
"""
from __future__ import annotations

from kivy.app import App

from screens.base import KioskScreen

SERVICE_SCREENS = ("maintenance", "technician_pin", "technician")


class MaintenanceScreen(KioskScreen):
    def sync(self, *_):
        """Called by the app's idle tick (screens/app.py), whichever screen shows."""
        fleet = self.services.fleet
        app = App.get_running_app()
        if app is None or self.manager is None or app.root is None:
            return
        if fleet.maintenance.active and app.current not in SERVICE_SCREENS:
            app.end_session("maintenance")
            app.go("maintenance")
        elif not fleet.maintenance.active and app.current == "maintenance":
            app.end_session("maintenance over")
