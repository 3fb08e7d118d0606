"""Idle-timeout policy: how long each screen may sit untouched, and the countdown.

Pure logic (no Kivy): the UI asks `phase(screen, idle_seconds)` every second
and shows the countdown or returns to the attract screen accordingly, and asks
`at_stake(...)` what leaving now would discard, to say so in the countdown and before
a citizen abandons a flow ("放弃本次办理？").
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Mapping

NO_TIMEOUT_SCREENS = frozenset({"attract", "maintenance"})
# what can be lost, in the order it is named; each a message key under leave.lose
STAKES = ("draft", "identity", "entered", "receipt")


def at_stake(data: Mapping, *, receipt_pending: bool = False, entered: bool = False) -> list[str]:
    """What ending the session now would discard (keys under leave.lose), most valuable first:
    an unsubmitted commitment letter, a verified identity not yet used for a submission, text
    the citizen typed on the current screen, a receipt that failed and waits for the printer.
    An empty list: nothing to lose, leave without asking."""
    submitted = data.get("submission") is not None
    lost = {
        "draft": data.get("commitment") is not None and not submitted,
        "identity": (data.get("person") is not None or bool(data.get("company"))) and not submitted,
        "entered": entered,
        "receipt": receipt_pending,
    }
    return [key for key in STAKES if lost[key]]


@dataclass(frozen=True)
class IdlePhase:
    kind: str            # "active" | "countdown" | "expired"
    seconds_left: int = 0


@dataclass(frozen=True)
class IdlePolicy:
    timeout_seconds: int
    countdown_seconds: int
    per_screen: Mapping[str, int] = field(default_factory=dict)

    def timeout_for(self, screen: str) -> int | None:
        if screen in NO_TIMEOUT_SCREENS:
            return None
        return self.per_screen.get(screen, self.timeout_seconds)

    def phase(self, screen: str, idle_seconds: float) -> IdlePhase:
        timeout = self.timeout_for(screen)
        if timeout is None:
            return IdlePhase("active")
        left = timeout - idle_seconds
        if left <= 0:
            return IdlePhase("expired")
        if left <= min(self.countdown_seconds, timeout):
            return IdlePhase("countdown", int(-(-left // 1)))  # ceil: never shows 0
        return IdlePhase("active")

    @classmethod
    def from_settings(cls, idle: Mapping) -> "IdlePolicy":
        return cls(idle["timeout_seconds"], idle["countdown_seconds"], dict(idle.get("screens", {})))
