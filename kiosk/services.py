"""Builds the kiosk's services from settings: the non-UI half of the composition root.

screens.app.KioskApp calls `build_services(settings)` once and hands the result to every
screen; nothing else reads configuration. The effective configuration (base files, the
override file and the installed signed bundle) is resolved here once (kiosk/fleet/effective.py)
and every service is built from it; a new bundle reaches the running services only through
`Services.reconfigure`.

The attract screen needs only the settings, the texts and the idle policy, so those are built
at once; everything that talks to hardware or the network (devices, platform client, outbox
and its sender, the fleet) and what depends on them is built on first use or by `start()`,
which KioskApp runs on a worker thread after the first frame. Their heavy libraries
(python-escpos, OpenCV, cryptography, TUF, requests) are imported there, not before the first
frame (tests/test_startup_imports.py keeps that honest).
"""
from __future__ import annotations

import os
import threading
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Optional

from kiosk.catalog.store import CatalogStore
from kiosk.config import Settings
from kiosk.fleet.effective import LiveConfig
from kiosk.i18n import Messages
from kiosk.idle import IdlePolicy
from kiosk.session import Sessions
from kiosk.voice import Voice
from kiosk.watchdog import Watchdog
from kiosk.workdays.calendar import WorkCalendar

if TYPE_CHECKING:
    from kiosk.citizen.commitment import Wording
    from kiosk.citizen.identify import Identifier
    from kiosk.devices.doccam import DocumentCapture
    from kiosk.devices.fitted import Devices
    from kiosk.fleet.service import Fleet
    from kiosk.input import InputMethods
    from kiosk.platform.client import PlatformClient
    from kiosk.platform.outbox import DegradedOutbox, Outbox, OutboxSender
    from kiosk.printing.reprint import ReceiptPrinting

class Services:
    """What every screen shares. The parts that need hardware or the network are built on
    first use (each once, whichever thread asks first) or by `start()`."""

    def __init__(self, live: LiveConfig):
        self.live = live          # the effective configuration; catalog, texts, holidays change in place
        self.sessions = Sessions()
        self.idle = IdlePolicy.from_settings(live.settings["idle"])
        self.watchdog = Watchdog()
        self.voice = Voice.from_settings(live.settings)     # spoken prompts, on their own thread
        self._closing = threading.Event()
        self.started = threading.Event()      # set once start() has built every STARTED part
        self._starter: threading.Thread | None = None

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

    # -- built on first use ----------------------------------------------------------
    @cached_property
    def platform(self) -> "PlatformClient":
        """Call from worker threads only; the embedded platform starts lazily."""
        return build_platform(self.settings, self.calendar)

    @cached_property
    def devices(self) -> "Devices":
        """ID card reader, scanner, printer, smart card, document camera."""
        from kiosk.devices.fitted import Devices
        return Devices.from_settings(self.settings)

    @cached_property
    def outbox(self) -> "Outbox | DegradedOutbox":
        """Letters not yet acknowledged (encrypted); degraded if its files are damaged."""
        from kiosk.platform.outbox import Outbox
        return Outbox.from_settings(self.settings)

    @cached_property
    def sender(self) -> "OutboxSender":
        """Drains the outbox in the background; `.submit()` sends now."""
        from kiosk.platform.outbox import OutboxSender
        return OutboxSender.from_settings(self.outbox, outbox_handlers(self.platform), self.settings).start()

    @cached_property
    def fleet(self) -> "Fleet":
        """Config updates, heartbeat, maintenance, technician PIN."""
        from kiosk.fleet.service import Fleet
        return Fleet(self.settings, platform=self.platform, devices=self.devices, outbox=self.outbox,
                     live=self.live).start()

    @cached_property
    def inputs(self) -> "InputMethods":
        """Pinyin and handwriting engines, loaded on first use; what a citizen typed is wiped when
        the session ends."""
        from kiosk.input import InputMethods
        inputs = InputMethods()
        self.sessions.on_end(inputs.end_session)
        return inputs

    @cached_property
    def wording(self) -> "Wording":
        """The commitment letter's wording (config/commitment.toml)."""
        from kiosk.citizen.commitment import load_wording
        return load_wording()

    @cached_property
    def identifier(self) -> "Identifier":
        """ID card / identity code -> person."""
        from kiosk.citizen.identify import Identifier
        return Identifier(self.devices, self.platform)

    @cached_property
    def doccam(self) -> "DocumentCapture":
        """Pages from the document camera."""
        from kiosk.devices.doccam import DocumentCapture
        return DocumentCapture(self.devices)

    @cached_property
    def receipts(self) -> "ReceiptPrinting":
        """Prints the session's receipts; reprints after paper-out."""
        from kiosk.printing.reprint import ReceiptPrinting
        return ReceiptPrinting(self.sessions, self.devices)

    def start(self) -> "Services":
        """Build and start everything not built yet: devices, outbox sender, fleet."""
        for part in STARTED:
            if self._closing.is_set():
                break
            getattr(self, part)
        else:
            self.started.set()
        return self

    def start_in_background(self, then: Callable[[], None] = lambda: None) -> threading.Thread:
        """`start()` on a worker thread, then `then()` there; `close()` waits for it."""
        def run() -> None:
            self.start()
            if not self._closing.is_set():
                then()
        self._starter = threading.Thread(target=run, name="services-start", daemon=True)
        self._starter.start()
        return self._starter

    def reconfigure(self, bundle: Optional[Path]) -> None:
        """Switch the live parts to config bundle `bundle` (None: the shipped config); settings
        that need a restart are listed in `live.restart_pending`."""
        self.live.reconfigure(bundle)

    def close(self) -> None:
        """Stop what was built (nothing is built now just to be closed)."""
        self._closing.set()
        if self._starter is not None:
            self._starter.join(30)        # close what it is still building, not half of it
        self.sessions.restart("shutdown")
        built = self.__dict__
        for part, stop in (("inputs", "close"), ("fleet", "close"), ("sender", "stop"), ("outbox", "close"),
                           ("platform", "close"), ("devices", "close")):
            if part in built:
                getattr(built[part], stop)()
        self.voice.close()


# what `start()` builds, in order: the parts with threads of their own, then the rest
STARTED = ("devices", "outbox", "platform", "sender", "fleet", "receipts", "identifier", "doccam", "wording")


def outbox_handlers(platform: "PlatformClient") -> dict:
    """How each kind of outbox entry is sent: (payload, idempotency key) -> result."""
    from kiosk.citizen import commitment, evaluation
    return {commitment.KIND: commitment.outbox_handler(platform),
            evaluation.KIND: evaluation.outbox_handler(platform)}


def build_platform(settings: Settings, calendar: WorkCalendar) -> "PlatformClient":
    """The platform client; "embedded" runs the sandbox in this process, started on first use,
    counting working days with the kiosk's own calendar."""
    if settings["platform"]["url"] == "embedded":
        from kiosk.platform.embedded import embedded_client
        return embedded_client(settings, calendar)
    from kiosk.platform.client import PlatformClient
    return PlatformClient.from_settings(settings)


def build_services(base: Settings, *, start: bool = True) -> Services:
    """The services for `base`; with `start=False` the devices, platform, outbox and fleet
    wait for `Services.start()` or their first use (the app starts them after the first frame)."""
    # the kiosk never customises pypinyin's dictionaries: without this pypinyin keeps a second
    # copy of them for customisations that never come (read when the search index imports it)
    os.environ.setdefault("PYPINYIN_NO_DICT_COPY", "1")
    services = Services(LiveConfig.at_start(base))
    return services.start() if start else services
