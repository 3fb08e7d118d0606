"""The kiosk's devices, opened from settings["devices"] (an empty URL = not fitted).

`Devices.from_settings(settings)` opens each configured device through
`drivers.open_device`; `.idcard .scanner .printer .smartcard .doccam .a4` are the driver
objects (None when not fitted or when the URL could not be opened, which
`.health()` then reports). Driver events arrive on the drivers' own threads:
`listen(callback)` registers `callback(family, event)`; the UI layer hands them
to its own thread (Kivy Clock). Printing: `devices.printer.print_document(doc)`
raises PrinterError (PaperOut / PrinterOffline) whose `.message` is plain
Chinese for the citizen.
"""
from __future__ import annotations

import logging
import os
import threading
from pathlib import Path
from typing import Callable, Mapping

from drivers import open_device
from drivers.base import OFFLINE, Device, DeviceError, Event, Health
from drivers.printer.errors import PaperOut, PrinterError, PrinterOffline

__all__ = ["Devices", "FAMILIES", "PrinterError", "PaperOut", "PrinterOffline"]

log = logging.getLogger("kiosk.devices.fitted")

FAMILIES = ("idcard", "scanner", "printer", "smartcard", "doccam", "a4")
Listener = Callable[[str, Event], None]


def keep_escpos_cache(directory: Path) -> None:
    """python-escpos parses its printer capabilities (a large YAML file, pure-Python yaml) at
    import unless it finds its pickle of them; its default place for that pickle is a new
    temporary directory per process, so every start paid for the parse. A directory in the
    state dir keeps the pickle across starts (escpos re-parses when its YAML is newer).
    Must run before drivers.printer imports escpos."""
    directory.mkdir(parents=True, exist_ok=True)
    os.environ.setdefault("ESCPOS_CAPABILITIES_PICKLE_DIR", str(directory))


class Devices:
    def __init__(self, devices: Mapping[str, Device | None], problems: Mapping[str, str] | None = None):
        self._devices = dict(devices)
        self._problems = dict(problems or {})
        self._listeners: list[Listener] = []
        self._lock = threading.Lock()

    @classmethod
    def from_settings(cls, settings) -> "Devices":
        keep_escpos_cache(settings.state_path("cache", "escpos"))
        return cls.open(settings["devices"])

    @classmethod
    def open(cls, urls: Mapping[str, str]) -> "Devices":
        devices = cls({})
        for family in FAMILIES:
            url = urls.get(family, "")
            if not url:
                continue
            try:
                devices._devices[family] = open_device(url, on_event=devices._dispatcher(family))
            except DeviceError as exc:
                log.warning("device not opened", extra={"device": family, "reason": exc.message})
                devices._problems[family] = f"{exc.message}: {exc}"
        return devices

    # -- the devices ----------------------------------------------------------------
    def get(self, family: str) -> Device | None:
        return self._devices.get(family)

    @property
    def idcard(self):
        return self._devices.get("idcard")

    @property
    def scanner(self):
        return self._devices.get("scanner")

    @property
    def printer(self):
        return self._devices.get("printer")

    @property
    def smartcard(self):
        return self._devices.get("smartcard")

    @property
    def doccam(self):
        """The document camera (高拍仪): `.capture()` -> JPEG bytes (drivers/doccam)."""
        return self._devices.get("doccam")

    @property
    def a4(self):
        """The A4 printer on CUPS (drivers/a4) for the applicant's copy of the letter
        (信用承诺 第十三条): `.print_pdf(pdf, title)`; None when not fitted."""
        return self._devices.get("a4")

    def fitted(self) -> list[str]:
        return [f for f in FAMILIES if f in self._devices or f in self._problems]

    def health(self) -> dict[str, Health]:
        """Health of every fitted device (including ones whose URL could not be opened)."""
        out = {family: Health(OFFLINE, reason) for family, reason in self._problems.items()}
        out.update({family: device.health() for family, device in self._devices.items()})
        return {family: out[family] for family in FAMILIES if family in out}

    # -- events -------------------------------------------------------------------------
    def listen(self, callback: Listener) -> Callable[[], None]:
        """Call `callback(family, event)` for every driver event (on the driver's thread).
        Returns a function that stops listening."""
        with self._lock:
            self._listeners.append(callback)

        def unlisten() -> None:
            with self._lock:
                if callback in self._listeners:
                    self._listeners.remove(callback)
        return unlisten

    def _dispatcher(self, family: str):
        def dispatch(event: Event) -> None:
            with self._lock:
                listeners = list(self._listeners)
            for listener in listeners:
                try:
                    listener(family, event)
                except Exception:   # one faulty listener must not starve the others
                    log.exception("device listener failed", extra={"device": family})
        return dispatch

    def close(self) -> None:
        for device in self._devices.values():
            device.close()
