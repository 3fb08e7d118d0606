"""Reprint of the last receipt of the session (paper ran out mid-receipt, or it jammed).

`LastReceipt(sessions)` keeps only the last receipt Document printed through it, and
only for the current session: it is forgotten when the session ends, so no citizen's
receipt outlives their visit. `print(printer, document)` remembers then prints (raising
the printer's PrinterError as before); `reprint(printer)` prints it again once paper is
back, and returns False when there is nothing to reprint.
"""
from __future__ import annotations

import threading


class LastReceipt:
    def __init__(self, sessions):
        self._document = None
        self._lock = threading.Lock()
        sessions.on_end(lambda _session: self.forget())

    @property
    def available(self) -> bool:
        return self._document is not None

    def print(self, printer, document) -> None:
        with self._lock:
            self._document = document
        printer.print_document(document)

    def reprint(self, printer) -> bool:
        with self._lock:
            document = self._document
        if document is None:
            return False
        printer.print_document(document)
        return True

    def forget(self) -> None:
        with self._lock:
            self._document = None
