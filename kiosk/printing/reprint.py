"""Receipt printing for the session, with the reprint after paper ran out or the printer dropped.

`ReceiptPrinting(sessions, devices)` is what screens print through: `print(document)`
remembers the document, then prints it on the caller's (worker) thread, raising the
driver's PrinterError as before. A receipt that failed is never printed by itself later
(the citizen may have left, and the next one would find it): once the printer reports
itself ready again (paper refilled, cable back) while the same session lasts, listeners
registered with `on_ready(callback)` hear `callback()` (on a worker thread), once per
failed receipt, and the screen offers the reprint; `reprint()` prints it on request.

Only the last receipt is kept, and only for the current session: it is forgotten when
the session ends, so no citizen's receipt outlives their visit.
"""
from __future__ import annotations

import logging
import threading
from typing import Callable

from drivers.base import OK, HealthChanged
from drivers.printer.errors import PrinterError, PrinterOffline

log = logging.getLogger("kiosk.printing.reprint")
ReadyListener = Callable[[], None]


class ReceiptPrinting:
    def __init__(self, sessions, devices):
        self.devices = devices
        self._document = None
        self._failed = False           # the last receipt did not come out
        self._offered = False          # listeners were told the printer is ready for it
        self._lock = threading.Lock()
        self._listeners: list[ReadyListener] = []
        sessions.on_end(lambda _session: self.forget())
        if devices is not None:
            devices.listen(self._on_device_event)

    @property
    def available(self) -> bool:
        return self._document is not None

    @property
    def pending(self) -> bool:
        """A receipt of this session failed and waits for the printer."""
        return self._failed and self._document is not None

    def on_ready(self, callback: ReadyListener) -> None:
        self._listeners.append(callback)

    def print(self, document) -> None:
        with self._lock:
            self._document, self._failed, self._offered = document, False, False
        self._send(document)

    def reprint(self) -> bool:
        """Print the last receipt again; False when there is none. Raises PrinterError."""
        with self._lock:
            document = self._document
        if document is None:
            return False
        self._send(document)
        return True

    def forget(self) -> None:
        with self._lock:
            self._document, self._failed, self._offered = None, False, False

    # -- internals --------------------------------------------------------------------------
    def _send(self, document) -> None:
        printer = self.devices.printer if self.devices is not None else None
        if printer is None:
            self._mark_failed(document)
            raise PrinterOffline("no printer fitted")
        try:
            printer.print_document(document)
        except PrinterError:
            self._mark_failed(document)
            raise
        with self._lock:
            if self._document is document:
                self._failed = False

    def _mark_failed(self, document) -> None:
        with self._lock:
            if self._document is document:
                self._failed, self._offered = True, False

    def _on_device_event(self, family: str, event) -> None:
        # Driver events come from the printer's worker thread while it holds its I/O lock:
        # listeners hear it on a thread of their own.
        if family != "printer" or not isinstance(event, HealthChanged) or event.health.state != OK:
            return
        with self._lock:
            offer = self._failed and self._document is not None and not self._offered
            self._offered = self._offered or offer
        if offer:
            threading.Thread(target=self._tell, name="reprint-offer", daemon=True).start()

    def _tell(self) -> None:
        log.info("printer ready again for a failed receipt: offering the reprint")
        for callback in list(self._listeners):
            try:
                callback()
            except Exception:  # a listener must not stop the others
                log.exception("reprint listener failed")
