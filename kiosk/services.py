"""Builds the kiosk's services from settings: the non-UI half of the composition root.

screens.app.KioskApp calls `build_services(settings)` once and hands the result to every
screen; nothing else reads configuration. The effective configuration (base files, the
override file and the installed signed bundle) is resolved here once (kiosk/fleet/effective.py)
and every service is built from it; a new bundle reaches the running services only through
`Services.reconfigure`.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Optional

from kiosk.catalog.store import CatalogStore
from kiosk.citizen import commitment, evaluation
from kiosk.citizen.commitment import Wording, load_wording
from kiosk.citizen.identify import Identifier
from kiosk.config import Settings
from kiosk.devices.doccam import DocumentCapture
from kiosk.devices.fitted import Devices
from kiosk.fleet.effective import LiveConfig
from kiosk.fleet.service import Fleet
from kiosk.i18n import Messages
from kiosk.input import InputMethods
from kiosk.idle import IdlePolicy
from kiosk.platform.client import PlatformClient
from kiosk.platform.outbox import Outbox, OutboxSender
from kiosk.printing.reprint import ReceiptPrinting
from kiosk.session import Sessions
from kiosk.voice import Voice
from kiosk.watchdog import Watchdog
from kiosk.workdays.calendar import WorkCalendar


@dataclass
class Services:
    live: LiveConfig          # the effective configuration; catalog, texts, holidays change in place
    sessions: Sessions
    idle: IdlePolicy
    watchdog: Watchdog
    platform: PlatformClient  # call from worker threads only; the embedded platform starts lazily
    devices: Devices          # ID card reader, scanner, printer, smart card, document camera
    outbox: Outbox            # letters not yet acknowledged by the platform (encrypted)
    sender: OutboxSender      # drains the outbox in the background; .submit() sends now
    wording: Wording          # the commitment letter's wording (config/commitment.toml)
    identifier: Identifier    # ID card / identity code -> person
    voice: Voice              # spoken prompts, on their own thread
    doccam: DocumentCapture   # pages from the document camera
    receipts: ReceiptPrinting  # prints the session's receipts; reprints after paper-out
    fleet: Fleet              # config updates, heartbeat, maintenance, technician PIN
    inputs: InputMethods      # pinyin and handwriting, loaded on first use, wiped per session

    # what the live configuration holds, read through it (never copied)
    @property
    def settings(self) -> Settings:
        return self.live.settings

    @property
    def messages(self) -> Messages:
        return self.live.messages

    @property
    def catalog(self) -> CatalogStore:
        return self.live.catalog

    @property
    def calendar(self) -> WorkCalendar:
        return self.live.calendar

    def reconfigure(self, bundle: Optional[Path]) -> None:
        """Switch the live parts to config bundle `bundle` (None: the shipped config); settings
        that need a restart are listed in `live.restart_pending`."""
        self.live.reconfigure(bundle)

    def close(self) -> None:
        self.sessions.restart("shutdown")
        self.inputs.close()
        self.fleet.close()
        self.voice.close()
        self.sender.stop()
        self.outbox.close()
        self.platform.close()
        self.devices.close()


def outbox_handlers(platform: PlatformClient) -> dict:
    """How each kind of outbox entry is sent: (payload, idempotency key) -> result."""
    return {commitment.KIND: commitment.outbox_handler(platform),
            evaluation.KIND: evaluation.outbox_handler(platform)}


def build_platform(settings: Settings, calendar: WorkCalendar) -> PlatformClient:
    """The platform client; "embedded" runs the sandbox in this process, started on first use,
    counting working days with the kiosk's own calendar."""
    if settings["platform"]["url"] == "embedded":
        from kiosk.platform.embedded import embedded_client
        return embedded_client(settings, calendar)
    return PlatformClient.from_settings(settings)


def build_services(base: Settings) -> Services:
    live = LiveConfig.at_start(base)
    settings = live.settings
    sessions = Sessions()
    platform = build_platform(settings, live.calendar)
    devices = Devices.from_settings(settings)
    outbox = Outbox.from_settings(settings)
    sender = OutboxSender.from_settings(outbox, outbox_handlers(platform), settings).start()
    fleet = Fleet(settings, platform=platform, devices=devices, outbox=outbox, live=live).start()
    inputs = InputMethods()
    sessions.on_end(inputs.end_session)
    return Services(
        live=live, sessions=sessions, idle=IdlePolicy.from_settings(settings["idle"]),
        watchdog=Watchdog(), platform=platform, devices=devices, outbox=outbox, sender=sender,
        wording=load_wording(), identifier=Identifier(devices, platform),
        voice=Voice.from_settings(settings), doccam=DocumentCapture(devices),
        receipts=ReceiptPrinting(sessions, devices), fleet=fleet, inputs=inputs)
