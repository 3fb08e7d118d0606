"""Builds the kiosk's services from settings: the non-UI half of the composition root.

screens.app.KioskApp calls `build_services(settings)` once and hands the
result to every screen; nothing else reads configuration.
"""
from __future__ import annotations

from dataclasses import dataclass

from kiosk.config import Settings
from kiosk.i18n import Messages
from kiosk.idle import IdlePolicy
from kiosk.session import Sessions
from kiosk.watchdog import Watchdog


@dataclass
class Services:
    settings: Settings
    messages: Messages
    sessions: Sessions
    idle: IdlePolicy
    watchdog: Watchdog

    def close(self) -> None:
        self.sessions.restart("shutdown")


def build_services(settings: Settings) -> Services:
    return Services(
        settings=settings,
        messages=Messages(settings["kiosk"]["language"]),
        sessions=Sessions(),
        idle=IdlePolicy.from_settings(settings["idle"]),
        watchdog=Watchdog(),
    )
