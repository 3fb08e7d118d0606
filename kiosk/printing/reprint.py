"""Receipt printing for the session, with the reprint after paper ran out or the printer dropped.

`ReceiptPrinting(sessions, devices)` is what screens print through: `print(document)`
remembers the document, then prints it on the caller's (worker) thread, raising the
driver's PrinterError as before. A receipt that failed is reprinted automatically once
the printer reports itself ready again (paper refilled, cable back), while the same
citizen's session lasts; `reprint()` does it on request. Listeners registered with
`on_reprint(callback)` hear `callback(ok, message)` on a worker thread.

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
ReprintListener = Callable[[bool, str], None]


class ReceiptPrinting:
    def __init__(self, sessions, devices):
        self.devices = devices
        self._document = None
        self._failed = False           # the last receipt did not come out: reprint when ready
        self._lock = threading.Lock()
        self._busy = threading.Lock()  # one automatic reprint at a time
        self._listeners: list[ReprintListener] = []
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

    def on_reprint(self, callback: ReprintListener) -> None:
        self._listeners.append(callback)

    def print(self, document) -> None:
        with self._lock:
            self._document, self._failed = document, False
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
            self._document, self._failed = None, False

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
                self._failed = True

    def _on_device_event(self, family: str, event) -> None:
        # Driver events come from the printer's worker thread while it holds its I/O lock:
        # the reprint runs on a thread of its own.
        if family != "printer" or not isinstance(event, HealthChanged) or event.health.state != OK:
            return
        if self.pending and self._busy.acquire(blocking=False):
            threading.Thread(target=self._reprint_when_ready, name="reprint", daemon=True).start()

    def _reprint_when_ready(self) -> None:
        try:
            if not self.pending:
                return
            try:
                self.reprint()
            except PrinterError as exc:
                log.info("automatic reprint failed", extra={"reason": type(exc).__name__})
                self._tell(False, exc.message)
                return
            log.info("receipt reprinted automatically")
            self._tell(True, "")
        finally:
            self._busy.release()

    def _tell(self, ok: bool, message: str) -> None:
        for callback in list(self._listeners):
            try:
                callback(ok, message)
            except Exception:  # a listener must not stop the others
                log.exception("reprint listener failed")
