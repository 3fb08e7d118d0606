"""Diagnostics for remote support: the recent log lines (already redacted by
kiosk.logs' filter, and redacted again on the way out) plus a summary of the
terminal's state. Nothing here carries personal data."""
from __future__ import annotations

import collections
import logging
import threading

from kiosk.logs import make_handler, redact_text


class LogRing:
    """A file-like sink keeping the last `size` log lines; attach with `install()`."""

    def __init__(self, size: int = 500):
        self._lines: collections.deque[str] = collections.deque(maxlen=size)
        self._lock = threading.Lock()
        self.handler: logging.Handler | None = None

    def write(self, text: str) -> None:
        with self._lock:
            self._lines.extend(line for line in text.splitlines() if line)

    def flush(self) -> None:
        pass

    def lines(self) -> list[str]:
        with self._lock:
            return [redact_text(line) for line in self._lines]

    def install(self, logger: logging.Logger | None = None, level: int = logging.INFO) -> "LogRing":
        """Attach to `logger` (root by default) through kiosk.logs' redacting JSON handler."""
        self.handler = make_handler(self)
        self.handler.setLevel(level)
        (logger or logging.getLogger()).addHandler(self.handler)
        return self

    def remove(self, logger: logging.Logger | None = None) -> None:
        if self.handler is not None:
            (logger or logging.getLogger()).removeHandler(self.handler)
            self.handler = None
