"""Builds the kiosk's services from settings: the non-UI half of the composition root.

screens.app.KioskApp calls `build_services(settings)` once and hands the
result to every screen; nothing else reads configuration.
"""
from __future__ import annotations

from dataclasses import dataclass

from kiosk.catalog import CatalogStore
from kiosk.citizen.commitment import Wording, load_wording
from kiosk.config import REPO_CONFIG, Settings
from kiosk.fleet.service import Fleet, build_fleet
from kiosk.devices.fitted import Devices
from kiosk.devices.doccam import DocumentCapture
from kiosk.i18n import Messages
from kiosk.citizen.identify import Identifier
from kiosk.idle import IdlePolicy
from kiosk.platform.outbox import Outbox, OutboxSender
from kiosk.platform.client import PlatformClient
from kiosk.printing.reprint import ReceiptPrinting
from kiosk.session import Sessions
from kiosk.voice import Voice
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
    devices: Devices | None = None  # ID card reader, scanner, printer, smart card (kiosk/devices/fitted.py)
    outbox: Outbox | None = None    # letters not yet acknowledged by the platform (encrypted)
    sender: OutboxSender | None = None  # drains the outbox in the background; .submit() sends now
    wording: Wording | None = None  # the commitment letter's wording (config/commitment.toml)
    identifier: Identifier | None = None  # ID card / identity code -> person (kiosk/citizen/identify.py)
    voice: Voice | None = None      # spoken prompts, on their own thread (kiosk/voice.py)
    doccam: DocumentCapture | None = None  # pages from the document camera (kiosk/devices/doccam.py)
    receipts: ReceiptPrinting | None = None  # prints the session's receipts; reprints after paper-out
    fleet: Fleet | None = None      # config updates, heartbeat, maintenance, technician PIN (kiosk/fleet/service.py)

    def close(self) -> None:
        self.sessions.restart("shutdown")
        if self.fleet is not None:
            self.fleet.close()
        if self.voice is not None:
            self.voice.close()
        if self.sender is not None:
            self.sender.stop()
        if self.outbox is not None:
            self.outbox.close()
        if self.platform is not None:
            self.platform.close()
        if self.devices is not None:
            self.devices.close()


def outbox_handlers(platform: PlatformClient) -> dict:
    """How each kind of outbox entry is sent: (payload, idempotency key) -> result."""
    from kiosk.citizen import evaluation
    return {"commitment": lambda payload, key: platform.submit_commitment(payload, key),
            evaluation.KIND: evaluation.outbox_handler(platform)}


def build_services(settings: Settings) -> Services:
    services = Services(
        settings=settings,
        messages=Messages(settings["kiosk"]["language"]),
        sessions=Sessions(),
        idle=IdlePolicy.from_settings(settings["idle"]),
        watchdog=Watchdog(),
        catalog=CatalogStore.open(REPO_CONFIG / "catalog"),
        platform=PlatformClient.from_settings(settings),
        devices=Devices.from_settings(settings),
    )
    services.wording = load_wording()
    services.voice = Voice.from_settings(settings)
    services.identifier = Identifier(services.devices, services.platform)
    services.doccam = DocumentCapture(services.devices)
    services.receipts = ReceiptPrinting(services.sessions, services.devices)
    services.outbox = Outbox.from_settings(settings)
    services.sender = OutboxSender.from_settings(services.outbox, outbox_handlers(services.platform),
                                                 settings).start()
    services.fleet = build_fleet(services).start()
    return services
