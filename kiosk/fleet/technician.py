"""Technician mode's PIN: per terminal, hashed, refused when trivial, locked after wrong tries.

The PIN is a secret of one terminal, never of the fleet: the config repository
is served without authentication, so `technician.pin_hash` is refused in fleet
bundles (kiosk.fleet.bundle). It is set by `kiosk-provision --technician-pin`
or by the signed per-terminal command `set_technician_pin` (its `pin_hash`
argument made by `kioskctl technician-pin`, which checks the PIN; the PIN
itself never travels). The hash lives in the terminal's state,
`<state>/fleet/technician.json` (0600), beside the count of wrong tries; a
`technician.pin_hash` in the terminal's own /etc/kiosk/kiosk.toml is still
honoured when no PIN was set that way. An empty hash disables technician mode.

`hash_pin(pin)`: "scrypt$<n>$<r>$<p>$<salt b64>$<hash b64>" (hashlib.scrypt, random
16-byte salt); the PIN must have 6 to 12 digits and not be trivial (one digit
repeated, a short pattern repeated, or a run up or down: 000000, 121212,
123456, 987654). `PinLock.try_pin` compares in constant time. Every try is
written down before the PIN is compared, and a try that cannot be written
down is refused without comparing (fail closed: pulling the power or filling
the disk cannot buy untracked tries). MAX_TRIES wrong tries in a row lock it:
LOCK_SECONDS the first time, twice as long at each further lock, up to
MAX_LOCK_SECONDS, until the right PIN is entered. The count and the lock
survive a restart (wall clock across restarts; a clock set back never makes a
lock longer than its own length); an unreadable state file locks it.
"""
from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
import logging
import secrets
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Optional

from kiosk.platform.private_files import private_dir, write_private

log = logging.getLogger("kiosk.fleet.technician")
MAX_TRIES = 5
LOCK_SECONDS = 300
MAX_LOCK_SECONDS = 24 * 3600
MIN_DIGITS, MAX_DIGITS = 6, 12
N, R, P = 2 ** 14, 8, 1
MAX_N = 2 ** 17            # a pushed hash cannot make one check cost more than ~128 MiB and ~1 s


def _b64(raw: bytes) -> str:
    return base64.b64encode(raw).decode()


def pin_problem(pin: str) -> str:
    """'' when `pin` may be a technician PIN, else why not (for the one who chose it)."""
    if not (pin.isascii() and pin.isdigit() and MIN_DIGITS <= len(pin) <= MAX_DIGITS):
        return f"the PIN must be {MIN_DIGITS} to {MAX_DIGITS} digits"
    digits = [int(d) for d in pin]
    steps = {(b - a) % 10 for a, b in zip(digits, digits[1:])}
    if steps == {0}:
        return "the PIN is one digit repeated: choose one that is hard to guess"
    if steps in ({1}, {9}):
        return "the PIN is a run of digits (like 123456 or 987654): choose one that is hard to guess"
    for period in range(2, len(pin) // 2 + 1):
        if len(pin) % period == 0 and pin == pin[:period] * (len(pin) // period):
            return "the PIN repeats a short pattern (like 121212): choose one that is hard to guess"
    return ""


def hash_pin(pin: str, salt: bytes | None = None) -> str:
    problem = pin_problem(pin)
    if problem:
        raise ValueError(problem)
    salt = salt or secrets.token_bytes(16)
    digest = hashlib.scrypt(pin.encode(), salt=salt, n=N, r=R, p=P, dklen=32)
    return f"scrypt${N}${R}${P}${_b64(salt)}${_b64(digest)}"


def _parse(stored: str) -> tuple[int, int, int, bytes, bytes]:
    scheme, n, r, p, salt, digest = stored.split("$")
    if scheme != "scrypt":
        raise ValueError("not an scrypt hash")
    return int(n), int(r), int(p), base64.b64decode(salt, validate=True), base64.b64decode(digest, validate=True)


def hash_problem(stored: str) -> str:
    """'' when `stored` is a PIN hash this terminal accepts (as made by hash_pin), else why not."""
    try:
        n, r, p, salt, digest = _parse(stored)
    except (ValueError, TypeError, binascii.Error):
        return "not a PIN hash (scrypt$n$r$p$salt$hash, from kioskctl technician-pin)"
    if not (N <= n <= MAX_N and n & (n - 1) == 0 and 8 <= r <= 16 and 1 <= p <= 4):
        return "PIN hash parameters out of range"
    if len(salt) < 16 or len(digest) != 32:
        return "PIN hash salt or length out of range"
    return ""


def check_pin(pin: str, stored: str) -> bool:
    try:
        n, r, p, salt, digest = _parse(stored)
        if n > MAX_N:
            return False
        got = hashlib.scrypt(pin.encode(), salt=salt, n=n, r=r, p=p, dklen=len(digest))
    except (ValueError, TypeError, binascii.Error):
        return False
    return hmac.compare_digest(got, digest)


@dataclass(frozen=True)
class Attempt:
    ok: bool
    locked_for: float = 0.0       # seconds left of the lock (0: not locked)
    tries_left: int = MAX_TRIES


class PinLock:
    def __init__(self, pin_hash: str, state_path: Optional[Path] = None,
                 clock: Callable[[], float] = time.time, max_tries: int = MAX_TRIES,
                 lock_seconds: float = LOCK_SECONDS, max_lock_seconds: float = MAX_LOCK_SECONDS):
        self.settings_hash, self.path, self.clock = pin_hash, state_path, clock
        self.own_hash: Optional[str] = None   # set for this terminal (provisioning or command)
        self.max_tries, self.lock_seconds, self.max_lock_seconds = max_tries, lock_seconds, max_lock_seconds
        self.failures, self.locked_until, self.locks = 0, 0.0, 0
        self.fault = ""                # why tries cannot be recorded right now ('' when they can)
        if state_path is not None and state_path.exists():
            try:
                data = json.loads(state_path.read_text())
                self.failures, self.locked_until = int(data["failures"]), float(data["locked_until"])
                self.locks = int(data.get("locks", 0))
                if data.get("pin_hash") is not None:
                    self.own_hash = str(data["pin_hash"])
            except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
                self._fail_closed(f"state unreadable ({type(exc).__name__})")

    @classmethod
    def from_settings(cls, settings, state_path: Optional[Path] = None) -> "PinLock":
        return cls(settings["technician"]["pin_hash"], state_path)

    @property
    def pin_hash(self) -> str:
        return self.own_hash if self.own_hash is not None else self.settings_hash

    @property
    def enabled(self) -> bool:
        return bool(self.pin_hash)

    def lock_length(self, locks: int | None = None) -> float:
        """How long the `locks`-th lock in a row lasts: doubling from lock_seconds, capped."""
        locks = self.locks if locks is None else locks
        return float(min(self.lock_seconds * 2 ** max(0, min(locks, 32) - 1), self.max_lock_seconds))

    def locked_for(self) -> float:
        left = self.locked_until - self.clock()
        longest = self.lock_length(max(self.locks, 1))
        if left > longest:                      # the clock went back: never lock longer than the lock
            self.locked_until = self.clock() + longest
            left = longest
        return max(0.0, left)

    def _save(self) -> None:
        """Write the state (0600, atomically); raises OSError when it cannot."""
        if self.path is None:
            return
        data = {"failures": self.failures, "locked_until": self.locked_until, "locks": self.locks}
        if self.own_hash is not None:
            data["pin_hash"] = self.own_hash
        private_dir(self.path.parent, tighten=True)
        write_private(self.path, json.dumps(data))

    def _fail_closed(self, why: str) -> None:
        self.fault = why
        self.locked_until = max(self.locked_until, self.clock() + self.lock_length(max(self.locks, 1)))
        log.error("technician PIN locked: tries cannot be recorded", extra={"reason": why})

    def set_pin_hash(self, pin_hash: str) -> None:
        """Install a new PIN hash for this terminal (raises ValueError if malformed, OSError if
        it cannot be stored); wrong tries and locks are forgotten."""
        problem = hash_problem(pin_hash)
        if problem:
            raise ValueError(problem)
        previous = (self.own_hash, self.failures, self.locked_until, self.locks)
        self.own_hash, self.failures, self.locked_until, self.locks = pin_hash, 0, 0.0, 0
        try:
            self._save()
        except OSError:
            self.own_hash, self.failures, self.locked_until, self.locks = previous
            raise
        self.fault = ""

    def set_pin(self, pin: str) -> None:
        self.set_pin_hash(hash_pin(pin))

    def reset(self) -> None:
        """Forget wrong tries and any lock (e.g. after a demo or the screenshot tour)."""
        self.failures, self.locked_until, self.locks = 0, 0.0, 0
        try:
            self._save()
            self.fault = ""
        except OSError as exc:
            self._fail_closed(f"cannot write {self.path} ({exc.strerror})")

    def try_pin(self, pin: str) -> Attempt:
        if not self.enabled:
            return Attempt(False, 0.0, 0)
        left = self.locked_for()
        if left > 0:
            return Attempt(False, left, 0)
        self.failures += 1                      # written down before comparing (see the docstring)
        try:
            self._save()
        except OSError as exc:
            self.failures -= 1
            self._fail_closed(f"cannot write {self.path} ({exc.strerror})")
            return Attempt(False, self.locked_for(), 0)
        self.fault = ""
        if check_pin(pin, self.pin_hash):
            self.failures, self.locks = 0, 0
            try:
                self._save()
            except OSError:                     # the right PIN: a stale count only makes it stricter
                pass
            return Attempt(True, 0.0, self.max_tries)
        if self.failures >= self.max_tries:
            self.failures, self.locks = 0, self.locks + 1
            self.locked_until = self.clock() + self.lock_length()
            try:
                self._save()
            except OSError as exc:              # the lock holds in memory regardless
                self._fail_closed(f"cannot write {self.path} ({exc.strerror})")
            return Attempt(False, self.locked_for(), 0)
        return Attempt(False, 0.0, self.max_tries - self.failures)


def set_technician_pin_handler(lock: PinLock):
    """The handler of the signed per-terminal command `set_technician_pin` (args: pin_hash).
    Register it with the heartbeat: handlers["set_technician_pin"] = set_technician_pin_handler(lock)."""
    from kiosk.fleet.heartbeat import Outcome

    def handle(command) -> "Outcome":
        stored = command.args.get("pin_hash", "") if isinstance(command.args, dict) else ""
        problem = hash_problem(stored) if isinstance(stored, str) else "pin_hash must be text"
        if problem:
            return Outcome("refused", problem)
        try:
            lock.set_pin_hash(stored)
        except OSError as exc:
            return Outcome("failed", f"cannot store the PIN ({exc.strerror})")
        log.info("technician PIN set by a signed command", extra={"command_id": command.command_id})
        return Outcome("done", "technician PIN set")
    return handle


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
