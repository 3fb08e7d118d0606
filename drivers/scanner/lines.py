"""Serial QR scanners send the decoded text ending in CR, LF or CRLF, in chunks of any size.
`LineReader` turns chunks into raw lines (controls dropped, length capped);
`Debouncer` drops a repeat of the same code within a short window."""
from __future__ import annotations

import time

CR, LF = 0x0D, 0x0A
_DROP = frozenset(range(0x20)) | {0x7F}


class LineReader:
    """Never raises: an overlong line is dropped (counted in `overflows`) up to its terminator."""

    def __init__(self, max_length: int = 1024):
        self.max_length = max_length
        self.overflows = 0
        self._line = bytearray()
        self._after_cr = False
        self._overflowing = False

    def feed(self, data: bytes) -> list[bytes]:
        lines = []
        for byte in bytes(data):
            if byte == LF and self._after_cr:
                self._after_cr = False
                continue
            self._after_cr = byte == CR
            if byte in (CR, LF):
                if self._line and not self._overflowing:
                    lines.append(bytes(self._line))
                self._line.clear()
                self._overflowing = False
                continue
            if byte in _DROP or self._overflowing:
                continue
            if len(self._line) >= self.max_length:
                self._overflowing = True
                self.overflows += 1
                self._line.clear()
                continue
            self._line.append(byte)
        return lines


def printable(text: str) -> str:
    """Drop C0/C1 controls that survived decoding (e.g. U+0085 in UTF-8)."""
    return "".join(ch for ch in text if not (ord(ch) < 0x20 or 0x7F <= ord(ch) <= 0x9F))


class Debouncer:
    """Scanners re-read a code held in front of them; one scan per code per `window` seconds."""

    def __init__(self, window: float = 1.5, clock=time.monotonic):
        self.window, self.clock = window, clock
        self._last: tuple[str, float] | None = None

    def accept(self, code: str) -> bool:
        now = self.clock()
        if self._last is not None and self._last[0] == code and now - self._last[1] < self.window:
            self._last = (code, now)
            return False
        self._last = (code, now)
        return True
