"""The citizen's session: the only place identity data lives, and only until it ends.

A session starts when a citizen taps 开始办理 and ends on completion, on idle
timeout or when the app returns to the attract screen. `end()` drops every
reference the session holds, so nothing identifying is reachable afterwards.
"""
from __future__ import annotations

import itertools
import time
from typing import Any, Callable

_ids = itertools.count(1)


class Session:
    """Per-citizen state. Identity and other personal data go in `data` only."""

    def __init__(self, clock: Callable[[], float] = time.monotonic):
        self.number = next(_ids)
        self.started = clock()
        self.identity: Any = None
        self.data: dict[str, Any] = {}
        self.ended = False

    def end(self) -> None:
        self.identity = None
        self.data.clear()
        self.ended = True

    def __repr__(self) -> str:  # never shows personal data, even in a traceback
        return f"<Session #{self.number}{' ended' if self.ended else ''}>"


class Sessions:
    """Holds the current session; listeners hear when one ends (to wipe screens)."""

    def __init__(self, clock: Callable[[], float] = time.monotonic):
        self._clock = clock
        self.current = Session(clock)
        self._on_end: list[Callable[[Session], None]] = []

    def on_end(self, callback: Callable[[Session], None]) -> None:
        self._on_end.append(callback)

    def restart(self, reason: str = "") -> Session:
        """End the current session (wiping it) and start a fresh one."""
        old = self.current
        old.end()
        for callback in self._on_end:
            callback(old)
        self.current = Session(self._clock)
        return self.current
