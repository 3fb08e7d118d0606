"""The outbox: what the platform has not acknowledged yet, durable and encrypted at rest.

One SQLite file in WAL mode with synchronous=FULL, so `put()` returns only after
the entry is fsync'd: the citizen is told anything only after that. Each entry
has a `kind` ("commitment" now; evaluations later), a local reference (printed
on a 待提交 receipt), the idempotency key it is sent with (reused on every
resend, so a crash between sending and deleting never makes a second case) and
its payload, AES-GCM-encrypted with this terminal's key (a 0600 file created
next to the database if missing). Nothing personal is stored in clear.

An entry is deleted once the platform acknowledges it; the outcome (case number,
or the refusal's slug) is kept in `outcomes` by local reference, so a 待提交
receipt can still be looked up. `OutboxSender` drains the outbox on a
background thread with exponential backoff and jitter. Only a definitive rule
refusal (`PlatformRejected.definitive`, the list in kiosk/platform/contract.py)
ends an entry; every passing error (429 after its Retry-After, 408, a proxy's 404,
an unknown 401/403, 5xx, garbage, TLS, timeouts) is retried.

One entry that cannot be decrypted (a flipped bit, a foreign key) is set aside
(table `set_aside`, kept for the technician, counted in `health()`), never
blocking the others. A damaged or missing key next to existing entries, or a
damaged database, is never replaced silently: `open_outbox` moves the files aside
into `damaged-<time>/` and returns a `DegradedOutbox` (the services that need the
outbox say so; the fleet sees it as the "outbox" device), until a technician has
dealt with them and removed that folder.
"""
from __future__ import annotations

import datetime as dt
import json
import logging
import os
import random
import secrets
import sqlite3
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Mapping

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from kiosk.platform.client import new_idempotency_key
from kiosk.platform.errors import PlatformError, PlatformRejected
from kiosk.platform.private_files import fsync_dir, private_db, private_dir, write_private

__all__ = ["Outbox", "DegradedOutbox", "open_outbox", "Entry", "Outcome", "OutboxSender", "load_key",
           "OutboxKeyError", "OutboxUnavailable"]

log = logging.getLogger("kiosk.platform.outbox")

SCHEMA = """
CREATE TABLE IF NOT EXISTS entries (
  ref TEXT PRIMARY KEY,              -- local reference, printed on a 待提交 receipt
  kind TEXT NOT NULL,                -- commitment | evaluation | ...
  idempotency_key TEXT NOT NULL UNIQUE,
  created REAL NOT NULL,
  attempts INTEGER NOT NULL DEFAULT 0,
  next_attempt REAL NOT NULL,
  last_error TEXT NOT NULL DEFAULT '',
  nonce BLOB NOT NULL,
  payload BLOB NOT NULL              -- AES-GCM(JSON), associated data = ref|kind|key
);
CREATE INDEX IF NOT EXISTS entries_due ON entries(next_attempt);
CREATE TABLE IF NOT EXISTS set_aside (  -- entries that could not be decrypted, kept as they were
  ref TEXT PRIMARY KEY,
  kind TEXT NOT NULL,
  idempotency_key TEXT NOT NULL,
  created REAL NOT NULL,
  nonce BLOB NOT NULL,
  payload BLOB NOT NULL,
  reason TEXT NOT NULL,
  at REAL NOT NULL
);
CREATE TABLE IF NOT EXISTS outcomes (
  ref TEXT PRIMARY KEY,
  kind TEXT NOT NULL,
  outcome TEXT NOT NULL,             -- accepted | rejected
  result TEXT NOT NULL,              -- case number, or the refusal's slug (its reason)
  at REAL NOT NULL
);
"""


class OutboxKeyError(RuntimeError):
    """The terminal's outbox key file is unusable (missing, wrong size or readable by others)."""


class OutboxUnavailable(RuntimeError):
    """The outbox cannot store anything now (degraded, or the disk refused the write): the
    letter was not stored and not sent; the citizen is told to apply at a counter."""


def load_key(path: Path, *, create: bool = True) -> bytes:
    """The terminal's 256-bit key; created when missing and `create` (atomically: a complete
    0600 fsync'd key appears under its name, or nothing does; never over an existing one)."""
    path = Path(path)
    private_dir(path.parent, tighten=True)
    if path.exists() or not create:
        return _read_key(path)
    key = AESGCM.generate_key(bit_length=256)
    try:
        write_private(path, key, replace=False)
    except FileExistsError:                # another process made one meanwhile
        return _read_key(path)
    return key


def _read_key(path: Path) -> bytes:
    try:
        if path.stat().st_mode & 0o077:
            raise OutboxKeyError(f"{path.name}: must be readable by its owner only (chmod 600)")
        key = path.read_bytes()
    except FileNotFoundError:
        raise OutboxKeyError(f"{path.name}: missing") from None
    if len(key) != 32:
        raise OutboxKeyError(f"{path.name}: not a 256-bit key ({len(key)} bytes)")
    return key


@dataclass(frozen=True, repr=False)
class Entry:
    ref: str
    kind: str
    idempotency_key: str
    created: float
    attempts: int
    payload: dict

    def __repr__(self) -> str:
        return f"Entry({self.ref!r}, kind={self.kind!r}, attempts={self.attempts})"


@dataclass(frozen=True)
class Outcome:
    ref: str
    kind: str
    outcome: str      # accepted | rejected
    result: str       # case number | rejection slug
    at: float


class Outbox:
    """Thread-safe; one process owns the file (the kiosk app)."""

    def __init__(self, path: str | os.PathLike, key: bytes, *, terminal_id: str = "TJ",
                 clock: Callable[[], float] = time.time):
        self.path = Path(path)
        private_dir(self.path.parent, tighten=True)
        self._aead = AESGCM(key)
        self._terminal = terminal_id
        self._clock = clock
        self._lock = threading.Lock()
        new = not self.path.exists()
        self._db = sqlite3.connect(private_db(self.path), check_same_thread=False, isolation_level=None)
        try:
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA synchronous=FULL")      # WAL + FULL: each commit is fsync'd
            self._db.execute("PRAGMA secure_delete=ON")      # deleted payloads are overwritten
            if not new and self._db.execute("PRAGMA quick_check").fetchone()[0] != "ok":
                raise sqlite3.DatabaseError("quick_check failed")
            self._db.executescript(SCHEMA)
        except BaseException:
            self._db.close()
            raise
        if new:
            fsync_dir(self.path.parent)
        self._listeners: list[Callable[[], None]] = []

    available = True

    @classmethod
    def from_settings(cls, settings) -> "Outbox | DegradedOutbox":
        return open_outbox(settings.state_path("outbox"), settings["kiosk"]["terminal_id"])

    def close(self) -> None:
        with self._lock:
            self._db.close()

    # -- writing ------------------------------------------------------------------
    def new_ref(self) -> str:
        day = dt.datetime.fromtimestamp(self._clock()).strftime("%Y%m%d")
        return f"{self._terminal}-{day}-{secrets.token_hex(4).upper()}"

    def _aad(self, ref: str, kind: str, key: str) -> bytes:
        return f"{ref}|{kind}|{key}".encode()

    def put(self, kind: str, payload: Mapping[str, Any], *, idempotency_key: str | None = None,
            ref: str | None = None, hold: float = 0.0) -> Entry:
        """Store durably (fsync'd before returning). `hold` seconds keep the background sender
        off it while the caller sends it itself."""
        ref = ref or self.new_ref()
        key = idempotency_key or new_idempotency_key()
        nonce = os.urandom(12)
        blob = self._aead.encrypt(nonce, json.dumps(payload, ensure_ascii=False).encode(),
                                  self._aad(ref, kind, key))
        now = self._clock()
        try:
            with self._lock:
                self._db.execute("INSERT INTO entries(ref, kind, idempotency_key, created, next_attempt, nonce,"
                                 " payload) VALUES (?,?,?,?,?,?,?)", (ref, kind, key, now, now + hold, nonce, blob))
        except (sqlite3.Error, OSError) as exc:        # e.g. the disk is full: nothing was stored
            raise OutboxUnavailable(f"could not store the {kind}: {type(exc).__name__}") from exc
        for listener in list(self._listeners):
            listener()
        return Entry(ref, kind, key, now, 0, dict(payload))

    def health(self) -> tuple[str, str]:
        """("ok" | "degraded", reason) for the heartbeat and the technician (counts only)."""
        aside = self.set_aside_count()
        return ("degraded", f"{aside} entries set aside (undecryptable)") if aside else ("ok", "")

    def ack(self, ref: str, result: str) -> None:
        """The platform accepted it: forget the payload, remember the result (e.g. the case number)."""
        self._finish(ref, "accepted", result)

    def reject(self, ref: str, slug: str) -> None:
        """The platform refused it by a definitive rule: resending cannot help. The outcome keeps
        the refusal's slug, so a lookup of the receipt says why and what to do."""
        self._finish(ref, "rejected", slug)

    def _finish(self, ref: str, outcome: str, result: str) -> None:
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                row = self._db.execute("SELECT kind FROM entries WHERE ref=?", (ref,)).fetchone()
                if row is not None:
                    self._db.execute("INSERT OR REPLACE INTO outcomes VALUES (?,?,?,?,?)",
                                     (ref, row[0], outcome, result, self._clock()))
                    self._db.execute("DELETE FROM entries WHERE ref=?", (ref,))
                self._db.execute("COMMIT")
            except BaseException:
                self._db.execute("ROLLBACK")
                raise

    def retry_later(self, ref: str, delay: float, error: str) -> None:
        with self._lock:
            self._db.execute("UPDATE entries SET attempts=attempts+1, next_attempt=?, last_error=? WHERE ref=?",
                             (self._clock() + delay, error[:200], ref))

    def release(self) -> None:
        """Make every entry due now (on start: nobody else is sending them)."""
        with self._lock:
            self._db.execute("UPDATE entries SET next_attempt=? WHERE next_attempt>?",
                             (self._clock(), self._clock()))

    # -- reading --------------------------------------------------------------------
    def _entry(self, row) -> Entry:
        ref, kind, key, created, attempts, nonce, blob = row
        payload = json.loads(self._aead.decrypt(nonce, blob, self._aad(ref, kind, key)))
        return Entry(ref, kind, key, created, attempts, payload)

    def _entries(self, rows) -> list[Entry]:
        """Decrypt each row; one that cannot be (tampered, other key) is set aside, not raised."""
        entries = []
        for row in rows:
            try:
                entries.append(self._entry(row))
            except (InvalidTag, ValueError, UnicodeDecodeError) as exc:
                self._set_aside(row, type(exc).__name__ or "undecryptable")
        return entries

    def _set_aside(self, row, reason: str) -> None:
        ref, kind, key, created, _attempts, nonce, blob = row
        log.error("outbox entry set aside", extra={"ref": ref, "kind": kind, "error": reason})
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                self._db.execute("INSERT OR REPLACE INTO set_aside VALUES (?,?,?,?,?,?,?,?)",
                                 (ref, kind, key, created, nonce, blob, reason, self._clock()))
                self._db.execute("DELETE FROM entries WHERE ref=?", (ref,))
                self._db.execute("COMMIT")
            except BaseException:
                self._db.execute("ROLLBACK")
                raise

    def set_aside_count(self) -> int:
        with self._lock:
            return self._db.execute("SELECT count(*) FROM set_aside").fetchone()[0]

    _COLUMNS = "ref, kind, idempotency_key, created, attempts, nonce, payload"

    def get(self, ref: str) -> Entry | None:
        with self._lock:
            row = self._db.execute(f"SELECT {self._COLUMNS} FROM entries WHERE ref=?", (ref,)).fetchone()
        found = self._entries([row]) if row else []
        return found[0] if found else None

    def claim_due(self, limit: int, lease: float) -> list[Entry]:
        """Entries due now, leased for `lease` seconds so no one else sends them meanwhile."""
        now = self._clock()
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                rows = self._db.execute(f"SELECT {self._COLUMNS} FROM entries WHERE next_attempt<=? "
                                        "ORDER BY created LIMIT ?", (now, limit)).fetchall()
                self._db.executemany("UPDATE entries SET next_attempt=? WHERE ref=?",
                                     [(now + lease, r[0]) for r in rows])
                self._db.execute("COMMIT")
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
        return self._entries(rows)

    def outcome(self, ref: str) -> Outcome | None:
        with self._lock:
            row = self._db.execute("SELECT ref, kind, outcome, result, at FROM outcomes WHERE ref=?",
                                   (ref,)).fetchone()
        return Outcome(*row) if row else None

    def depth(self, kind: str | None = None) -> int:
        with self._lock:
            if kind:
                return self._db.execute("SELECT count(*) FROM entries WHERE kind=?", (kind,)).fetchone()[0]
            return self._db.execute("SELECT count(*) FROM entries").fetchone()[0]

    def refs(self) -> list[str]:
        with self._lock:
            return [r[0] for r in self._db.execute("SELECT ref FROM entries ORDER BY created")]

    def on_put(self, listener: Callable[[], None]) -> None:
        self._listeners.append(listener)


FILES = ("outbox.db", "outbox.db-wal", "outbox.db-shm", "outbox.key")


def open_outbox(directory: str | os.PathLike, terminal_id: str, *,
                clock: Callable[[], float] = time.time) -> "Outbox | DegradedOutbox":
    """The terminal's outbox in `directory`, or a DegradedOutbox saying why not. A new key is
    made only when there is no database it could have encrypted; damaged files are moved into
    `damaged-<time>/` and stay there (the outbox stays degraded) until a technician removes it."""
    directory = private_dir(directory, tighten=True)
    waiting = sorted(directory.glob("damaged-*"))
    if waiting:
        return DegradedOutbox(f"damaged outbox files in {waiting[-1].name} wait for a technician")
    db = directory / "outbox.db"
    try:
        key = load_key(directory / "outbox.key", create=not db.exists())
        return Outbox(db, key, terminal_id=terminal_id, clock=clock)
    except (OutboxKeyError, sqlite3.DatabaseError, OSError) as exc:
        reason = f"{type(exc).__name__}: {exc}"[:160]
        present = [directory / name for name in FILES if (directory / name).exists()]
        if present:
            aside = directory / f"damaged-{dt.datetime.fromtimestamp(clock()):%Y%m%d-%H%M%S}"
            aside.mkdir(mode=0o700)
            for path in present:
                os.replace(path, aside / path.name)
            fsync_dir(directory)
            reason += f"; files moved to {aside.name}"
        log.error("outbox unusable, degraded", extra={"error": reason})
        return DegradedOutbox(reason)


class DegradedOutbox:
    """Stands in for the outbox when its files are unusable: stores nothing (put raises
    OutboxUnavailable), holds nothing, and says why in `health()`."""

    available = False

    def __init__(self, reason: str):
        self.reason = reason

    def health(self) -> tuple[str, str]:
        return "degraded", self.reason

    def put(self, kind: str, payload, **_kw) -> Entry:
        raise OutboxUnavailable(f"outbox degraded: {self.reason}")

    def get(self, ref: str) -> None:
        return None

    def outcome(self, ref: str) -> None:
        return None

    def claim_due(self, limit: int, lease: float) -> list[Entry]:
        return []

    def depth(self, kind: str | None = None) -> int:
        return 0

    def set_aside_count(self) -> int:
        return 0

    def refs(self) -> list[str]:
        return []

    def release(self) -> None:
        pass

    def on_put(self, listener) -> None:
        pass

    def close(self) -> None:
        pass


RETRY_AFTER_MAX = 3600.0                 # a Retry-After beyond an hour is not believed

Handler = Callable[[dict, str], Any]     # (payload, idempotency_key) -> result (e.g. the Case)


def describe(result: Any) -> str:
    """What the outbox remembers of a result: a case number, a receipt number, or its text."""
    for name in ("case_number", "number"):
        value = getattr(result, name, None)
        if isinstance(value, str):
            return value
    return str(result)


class OutboxSender:
    """Drains the outbox in the background: per entry, exponential backoff with full jitter
    (or the platform's Retry-After when it gave one) on every passing error; only a definitive
    refusal (PlatformRejected.definitive) ends an entry."""

    def __init__(self, outbox: Outbox, handlers: Mapping[str, Handler], *, retry_base: float = 2.0,
                 retry_max: float = 300.0, poll: float = 5.0, workers: int = 4, lease: float = 60.0,
                 rng: random.Random | None = None):
        self.outbox, self.handlers = outbox, dict(handlers)
        self.retry_base, self.retry_max, self.poll = retry_base, retry_max, poll
        self.workers, self.lease = max(1, workers), lease
        self._rng = rng or random.Random()
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._pool: ThreadPoolExecutor | None = None
        self.sent = 0
        self.listeners: list[Callable[[Entry, str, str], None]] = []   # (entry, outcome, result)

    @classmethod
    def from_settings(cls, outbox: Outbox, handlers: Mapping[str, Handler], settings) -> "OutboxSender":
        s = settings["outbox"]
        return cls(outbox, handlers, retry_base=s["retry_base_seconds"], retry_max=s["retry_max_seconds"],
                   poll=s["poll_seconds"], workers=s["workers"], lease=s["lease_seconds"])

    def delay(self, attempts: int) -> float:
        """Backoff for an entry that failed `attempts` times before: full jitter."""
        ceiling = min(self.retry_max, self.retry_base * (2 ** min(attempts, 20)))
        return self.retry_base / 2 + self._rng.uniform(0, ceiling)

    def send(self, entry: Entry) -> Any:
        """Send one entry; returns the handler's result when acknowledged (None when it stays queued).
        Raises PlatformRejected after recording the rejection."""
        handler = self.handlers.get(entry.kind)
        if handler is None:
            self.outbox.retry_later(entry.ref, self.retry_max, f"no handler for {entry.kind}")
            return None
        try:
            result = handler(entry.payload, entry.idempotency_key)
        except PlatformRejected as exc:
            if not exc.definitive:          # a proxy's 404, a 429, an unknown 401/403: passing
                self._retry(entry, exc)
                return None
            self.outbox.reject(entry.ref, exc.slug)
            self._notify(entry, "rejected", exc.slug)
            raise
        except PlatformError as exc:        # unavailable, unauthorized, invalid answer, ...
            self._retry(entry, exc)
            return None
        try:
            self.outbox.ack(entry.ref, describe(result))
        except (sqlite3.Error, OSError) as exc:
            # The platform has it (e.g. the disk is full now): the citizen gets the case number.
            # The entry stays leased; its resend carries the same idempotency key, so the
            # platform answers with this same case and the ack is recorded then.
            log.error("outbox could not record an acknowledgement", extra={"ref": entry.ref,
                                                                           "error": type(exc).__name__})
        self.sent += 1
        self._notify(entry, "accepted", describe(result))
        return result

    def _retry(self, entry: Entry, exc: PlatformError) -> None:
        delay = self.delay(entry.attempts)
        if exc.retry_after is not None:     # the platform said when: not before that
            delay = min(max(exc.retry_after, self.retry_base / 2), RETRY_AFTER_MAX)
        try:
            self.outbox.retry_later(entry.ref, delay, type(exc).__name__)
        except (sqlite3.Error, OSError):    # the lease still keeps it off until it expires
            log.error("outbox could not reschedule an entry", extra={"ref": entry.ref})

    def _notify(self, entry: Entry, outcome: str, result: str) -> None:
        for listener in list(self.listeners):
            try:
                listener(entry, outcome, result)
            except Exception:
                log.exception("outbox listener failed")

    def _send_quietly(self, entry: Entry) -> bool:
        try:
            return self.send(entry) is not None
        except PlatformRejected:
            return True
        except Exception:      # never let one entry kill the sender
            log.exception("outbox entry failed", extra={"ref": entry.ref})
            try:
                self.outbox.retry_later(entry.ref, self.delay(entry.attempts), "error")
            except (sqlite3.Error, OSError):
                pass
            return False

    def drain_once(self, limit: int = 200) -> int:
        """Send what is due now (in parallel); returns how many were acknowledged."""
        entries = self.outbox.claim_due(limit, self.lease)
        if not entries:
            return 0
        if self.workers == 1 or len(entries) == 1:
            return sum(self._send_quietly(e) for e in entries)
        if self._pool is None:
            self._pool = ThreadPoolExecutor(self.workers, thread_name_prefix="outbox-send")
        return sum(self._pool.map(self._send_quietly, entries))

    def drain(self, timeout: float = 60.0) -> bool:
        """Send until nothing is left (or only entries waiting for their backoff); True when empty."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            sent = self.drain_once()
            if self.outbox.depth() == 0:
                return True
            if not sent:
                time.sleep(0.05)
        return self.outbox.depth() == 0

    def submit(self, kind: str, payload: Mapping[str, Any]) -> tuple[Entry, Any]:
        """Store durably first, then send at once: (entry, result) or (entry, None) when it
        stays queued for the background sender. Raises PlatformRejected (entry then removed)."""
        entry = self.outbox.put(kind, payload, hold=self.lease)
        return entry, self.send(entry)

    def start(self) -> "OutboxSender":
        self.outbox.release()
        self.outbox.on_put(self.wake)
        self._thread = threading.Thread(target=self._run, name="outbox-sender", daemon=True)
        self._thread.start()
        return self

    def wake(self) -> None:
        self._wake.set()

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                busy = self.drain_once() > 0
            except Exception:
                log.exception("outbox sender pass failed")
                busy = False
            if not busy:
                self._wake.wait(self.poll)
                self._wake.clear()

    def stop(self) -> None:
        self._stop.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(5)
        if self._pool is not None:
            self._pool.shutdown(wait=True)
