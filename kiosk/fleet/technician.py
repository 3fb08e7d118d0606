"""Technician mode's PIN: stored hashed in the settings, locked after wrong tries.

`hash_pin("123456")` gives the value of the `technician.pin_hash` setting:
"scrypt$<n>$<r>$<p>$<salt b64>$<hash b64>" (hashlib.scrypt, random 16-byte salt).
`PinLock.try_pin` compares in constant time; MAX_TRIES wrong tries in a row lock
it for LOCK_SECONDS (the count and the lock survive a restart: they are kept in
a small state file, and measured on the monotonic clock while running plus the
wall clock across restarts). An empty pin_hash disables technician mode.
"""
from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
import secrets
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Optional

MAX_TRIES = 5
LOCK_SECONDS = 300
N, R, P = 2 ** 14, 8, 1


def _b64(raw: bytes) -> str:
    return base64.b64encode(raw).decode()


def hash_pin(pin: str, salt: bytes | None = None) -> str:
    if not (pin.isdigit() and 4 <= len(pin) <= 12):
        raise ValueError("the PIN must be 4 to 12 digits")
    salt = salt or secrets.token_bytes(16)
    digest = hashlib.scrypt(pin.encode(), salt=salt, n=N, r=R, p=P, dklen=32)
    return f"scrypt${N}${R}${P}${_b64(salt)}${_b64(digest)}"


def check_pin(pin: str, stored: str) -> bool:
    try:
        scheme, n, r, p, salt, digest = stored.split("$")
        if scheme != "scrypt":
            return False
        got = hashlib.scrypt(pin.encode(), salt=base64.b64decode(salt), n=int(n), r=int(r), p=int(p),
                             dklen=len(base64.b64decode(digest)))
    except (ValueError, TypeError):
        return False
    return hmac.compare_digest(got, base64.b64decode(digest))


@dataclass(frozen=True)
class Attempt:
    ok: bool
    locked_for: float = 0.0       # seconds left of the lock (0: not locked)
    tries_left: int = MAX_TRIES


class PinLock:
    def __init__(self, pin_hash: str, state_path: Optional[Path] = None,
                 clock: Callable[[], float] = time.time, max_tries: int = MAX_TRIES,
                 lock_seconds: float = LOCK_SECONDS):
        self.pin_hash, self.path, self.clock = pin_hash, state_path, clock
        self.max_tries, self.lock_seconds = max_tries, lock_seconds
        self.failures, self.locked_until = 0, 0.0
        if state_path is not None:
            try:
                data = json.loads(state_path.read_text())
                self.failures, self.locked_until = int(data["failures"]), float(data["locked_until"])
            except (OSError, ValueError, KeyError, TypeError):
                pass

    @classmethod
    def from_settings(cls, settings, state_path: Optional[Path] = None) -> "PinLock":
        return cls(settings["technician"]["pin_hash"], state_path)

    @property
    def enabled(self) -> bool:
        return bool(self.pin_hash)

    def locked_for(self) -> float:
        left = self.locked_until - self.clock()
        if left > self.lock_seconds:           # the clock went back: never lock longer than the lock
            self.locked_until = self.clock() + self.lock_seconds
            left = self.lock_seconds
        return max(0.0, left)

    def _save(self) -> None:
        if self.path is not None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            tmp = self.path.with_suffix(".tmp")
            tmp.write_text(json.dumps({"failures": self.failures, "locked_until": self.locked_until}))
            os.replace(tmp, self.path)

    def reset(self) -> None:
        """Forget wrong tries and any lock (e.g. after a demo or the screenshot tour)."""
        self.failures, self.locked_until = 0, 0.0
        self._save()

    def try_pin(self, pin: str) -> Attempt:
        if not self.enabled:
            return Attempt(False, 0.0, 0)
        left = self.locked_for()
        if left > 0:
            return Attempt(False, left, 0)
        if check_pin(pin, self.pin_hash):
            self.failures = 0
            self._save()
            return Attempt(True, 0.0, self.max_tries)
        self.failures += 1
        if self.failures >= self.max_tries:
            self.failures = 0
            self.locked_until = self.clock() + self.lock_seconds
            self._save()
            return Attempt(False, float(self.lock_seconds), 0)
        self._save()
        return Attempt(False, 0.0, self.max_tries - self.failures)


class TapGesture:
    """The hidden gesture: `taps` taps within `window` seconds (in the top-left corner)."""

    def __init__(self, taps: int = 5, window: float = 3.0, clock: Callable[[], float] = time.monotonic):
        self.taps, self.window, self.clock = taps, window, clock
        self._times: list[float] = []

    def tap(self) -> bool:
        """Record a tap; True when it completes the gesture (then it starts over)."""
        now = self.clock()
        self._times = [t for t in self._times if now - t <= self.window] + [now]
        if len(self._times) >= self.taps:
            self._times = []
            return True
        return False
