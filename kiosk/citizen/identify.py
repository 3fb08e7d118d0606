"""Identification for the commitment, supplement and progress screens, as a service.

Turns ID card reader and scanner events (kiosk/devices/fitted.py) into outcomes the
screens show, and resolves the city app's electronic identity code through the
platform. Callbacks run on driver threads: the UI marshals them to its own.
Outcomes carry message keys under `commitment.identify`, never personal data
in anything that could be logged.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Callable, Optional

from kiosk.identity import IdentityRefused, Person, person_from_code, person_from_identity
from kiosk.platform.errors import PlatformRejected

CODE_SLUGS = {"identity-code-expired": "code_expired", "identity-code-used": "code_used",
              "identity-code-unknown": "code_unknown"}


@dataclass(frozen=True, repr=False)
class Outcome:
    kind: str                          # identified | refused | reading_failed | removed | scanned
    person: Optional[Person] = None
    reason: str = ""                   # message key under commitment.identify
    detail: str = ""                   # the driver's own Chinese message, when there is one
    text: str = ""                     # a scanned code

    def __repr__(self) -> str:
        return f"Outcome({self.kind!r}, reason={self.reason!r})"


class Identifier:
    def __init__(self, devices, platform, today: Callable[[], dt.date] = dt.date.today):
        self.devices, self.platform, self.today = devices, platform, today

    def reader_state(self) -> str:
        """"ok", "missing" (not fitted) or "offline" (unplugged / failing)."""
        reader = self.devices.idcard if self.devices is not None else None
        if reader is None:
            return "missing"
        return "offline" if reader.health().state == "offline" else "ok"

    def card_lying(self) -> bool:
        """An ID card lies on the reader (left behind, when no identity step is waiting)."""
        reader = self.devices.idcard if self.devices is not None else None
        return bool(reader is not None and getattr(reader, "card_lying", False))

    def watch(self, callback: Callable[[Outcome], None]) -> Callable[[], None]:
        """Call `callback(outcome)` (on a driver thread) for cards placed, removed and scanned codes.
        Every identity step starts here, so the reader is asked for a card already lying on the
        pad (placed before the step began): it is read again and reported like a new placement."""
        from drivers.idcard.reader import IdCardError, IdCardRead, IdCardRemoved
        from drivers.scanner.events import Scanned

        def on_event(family, event):
            if family == "idcard" and isinstance(event, IdCardRead):
                try:
                    callback(Outcome("identified", person_from_identity(event.identity, self.today())))
                except IdentityRefused as exc:
                    callback(Outcome("refused", reason=exc.reason))
            elif family == "idcard" and isinstance(event, IdCardError):
                callback(Outcome("reading_failed", reason="unreadable", detail=event.message))
            elif family == "idcard" and isinstance(event, IdCardRemoved):
                callback(Outcome("removed"))
            elif family == "scanner" and isinstance(event, Scanned):
                callback(Outcome("scanned", text=event.text))

        if self.devices is None:
            return lambda: None
        unlisten = self.devices.listen(on_event)
        reader = self.devices.idcard
        release = reader.attend() if reader is not None and hasattr(reader, "attend") else (lambda: None)
        if reader is not None and hasattr(reader, "ask_presence"):
            reader.ask_presence()

        def stop() -> None:
            release()
            unlisten()
        return stop

    def resolve_code(self, code: str) -> Person:
        """Worker thread only. Raises IdentityRefused(code_expired | code_used | code_unknown |
        invalid_number) or PlatformUnavailable."""
        try:
            resolved = self.platform.resolve_identity_code(code.strip())
        except PlatformRejected as exc:
            if exc.slug in CODE_SLUGS:
                raise IdentityRefused(CODE_SLUGS[exc.slug]) from None
            raise
        return person_from_code(resolved.person.name, resolved.person.id_number)
