"""Builds the kiosk's services from settings: the non-UI half of the composition root.

screens.app.KioskApp calls `build_services(settings)` once and hands the
result to every screen; nothing else reads configuration.
"""
from __future__ import annotations

from dataclasses import dataclass

from kiosk.catalog import CatalogStore
from kiosk.config import REPO_CONFIG, Settings
from kiosk.devices import Devices
from kiosk.i18n import Messages
from kiosk.idle import IdlePolicy
from kiosk.platform import PlatformClient
from kiosk.session import Sessions
from kiosk.watchdog import Watchdog


@dataclass
class Services:
    settings: Settings
    messages: Messages
    sessions: Sessions
    idle: IdlePolicy
    watchdog: Watchdog
    catalog: CatalogStore | None = None   # the item catalog (办事指南); index built lazily
    platform: PlatformClient | None = None  # call from worker threads only; embedded starts lazily
    devices: Devices | None = None  # ID card reader, scanner, printer, smart card (kiosk/devices.py)

    def close(self) -> None:
        self.sessions.restart("shutdown")
        if self.platform is not None:
            self.platform.close()
        if self.devices is not None:
            self.devices.close()


def build_services(settings: Settings) -> Services:
    return Services(
        settings=settings,
        messages=Messages(settings["kiosk"]["language"]),
        sessions=Sessions(),
        idle=IdlePolicy.from_settings(settings["idle"]),
        watchdog=Watchdog(),
        catalog=CatalogStore.open(REPO_CONFIG / "catalog"),
        platform=PlatformClient.from_settings(settings),
        devices=Devices.from_settings(settings),
    )
