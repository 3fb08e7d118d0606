"""Fleet side of the sandbox: the platform's command-signing key, signed commands,
heartbeat records, command results, diagnostics uploads and the fleet status view.

Commands travel in the heartbeat reply. Each is signed with the platform's own
Ed25519 key (kept in the database's meta table) over its canonical JSON:
{"args", "command_id", "device_id", "issued_at", "type"} (sorted keys, no
spaces, UTF-8). The terminal learns the public key at enrollment and refuses
any command whose signature does not verify, that names another device, or
that is older than the platform's COMMAND_TTL.

Command ids never repeat, not even after the database is restored from a
backup: an id is the wall-clock millisecond it was issued at, shifted by ten
bits, plus ten random bits, and never less than the last id in the database
plus one. A restored database knows only the ids issued up to its backup;
the clock has moved on since, so every id issued after the restore is larger
than any the terminals ran before (an autoincrement would hand out those
same ids again, and a terminal that remembers them would take a new command
for an old one and not run it). Ids stay below 2**53 (exact in JSON numbers)
until the year 2248. The PIN hash of `set_technician_pin` is hidden in the
admin's command listing.
"""
from __future__ import annotations

import base64
import json
import secrets
import time
from datetime import datetime

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from kiosk.platform.contract import COMMAND_TYPES, command_payload
from sandbox.problems import Problem

ID_RANDOM_BITS = 10
SECRET_ARGS = {"pin_hash"}
SCHEMA = """
CREATE TABLE IF NOT EXISTS command_results (command_id INTEGER PRIMARY KEY, device_id TEXT NOT NULL,
  status TEXT NOT NULL, detail TEXT NOT NULL, at TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS diagnostics (diagnostic_id INTEGER PRIMARY KEY AUTOINCREMENT,
  device_id TEXT NOT NULL, command_id INTEGER, body TEXT NOT NULL, received_at TEXT NOT NULL);
"""


def b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


class Fleet:
    """Fleet records on top of the Store (same database, same transactions)."""

    def __init__(self, store):
        self.store = store
        store.db.executescript(SCHEMA)
        self._key = self._load_key()

    def _load_key(self) -> Ed25519PrivateKey:
        with self.store.tx() as db:
            row = db.execute("SELECT value FROM meta WHERE key='command_key'").fetchone()
            if row is None:
                key = Ed25519PrivateKey.generate()
                pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                        serialization.NoEncryption()).decode()
                db.execute("INSERT INTO meta VALUES ('command_key', ?)", (pem,))
                return key
        return serialization.load_pem_private_key(row["value"].encode(), password=None)

    @property
    def public_key(self) -> str:
        return b64(self._key.public_key().public_bytes(serialization.Encoding.Raw,
                                                       serialization.PublicFormat.Raw))

    def sign(self, command: dict, device_id: str) -> dict:
        payload = command_payload(command["command_id"], device_id, command["type"], command["args"],
                                  command["issued_at"])
        return command | {"signature": b64(self._key.sign(payload))}

    @staticmethod
    def new_command_id(last: int = 0) -> int:
        """Time-based and random in its low bits; larger than `last` (see the module docstring)."""
        stamp = time.time_ns() // 1_000_000 << ID_RANDOM_BITS | secrets.randbelow(1 << ID_RANDOM_BITS)
        return max(stamp, last + 1)

    def queue_command(self, device_id: str, type_: str, args: dict[str, str] | None = None) -> int:
        """Queue a command for the terminal's next heartbeat (signed when sent); returns its id."""
        args = dict(args or {})
        if type_ == "set_technician_pin":
            from kiosk.fleet.technician import hash_problem
            problem = hash_problem(args.get("pin_hash", "")) if set(args) == {"pin_hash"} else \
                "set_technician_pin takes exactly one argument, pin_hash (kioskctl technician-pin)"
            if problem:
                raise Problem("invalid-request", problem)
        with self.store.tx() as db:
            if db.execute("SELECT 1 FROM devices WHERE device_id=?", (device_id,)).fetchone() is None:
                raise Problem("not-found", "no such device")
            last = db.execute("SELECT MAX(command_id) FROM commands").fetchone()[0] or 0
            command_id = self.new_command_id(last)
            db.execute("INSERT INTO commands (command_id, device_id, type, args, created_at) VALUES (?,?,?,?,?)",
                       (command_id, device_id, type_, json.dumps(args), self.store.now().isoformat()))
        return command_id

    def record_results(self, device_id: str, results: list[dict]) -> None:
        now = self.store.now().isoformat()
        with self.store.tx() as db:
            for r in results:
                known = db.execute("SELECT 1 FROM commands WHERE command_id=? AND device_id=?",
                                   (r["command_id"], device_id)).fetchone()
                if known is None:
                    continue          # not ours (e.g. a forged command the terminal refused)
                db.execute("UPDATE commands SET acked_at=COALESCE(acked_at, ?) WHERE command_id=?",
                           (now, r["command_id"]))
                db.execute("INSERT OR REPLACE INTO command_results VALUES (?,?,?,?,?)",
                           (r["command_id"], device_id, r["status"], r.get("detail", ""), now))

    def pending(self, device_id: str) -> list[dict]:
        rows = self.store.db.execute("SELECT * FROM commands WHERE device_id=? AND acked_at IS NULL"
                                     " ORDER BY command_id", (device_id,)).fetchall()
        return [self.sign({"command_id": r["command_id"], "type": r["type"], "args": json.loads(r["args"]),
                           "issued_at": r["created_at"]}, device_id) for r in rows]

    def commands(self, device_id: str) -> list[dict]:
        rows = self.store.db.execute(
            "SELECT c.*, r.status AS result, r.detail FROM commands c LEFT JOIN command_results r"
            " USING (command_id) WHERE c.device_id=? ORDER BY command_id", (device_id,)).fetchall()
        return [{"command_id": r["command_id"], "type": r["type"],
                 "args": {k: "(hidden)" if k in SECRET_ARGS else v for k, v in json.loads(r["args"]).items()},
                 "created_at": r["created_at"], "acked_at": r["acked_at"], "result": r["result"],
                 "detail": r["detail"]} for r in rows]

    def add_diagnostics(self, device_id: str, body: dict) -> int:
        with self.store.tx() as db:
            cur = db.execute("INSERT INTO diagnostics (device_id, command_id, body, received_at)"
                             " VALUES (?,?,?,?)", (device_id, body.get("command_id"),
                                                   json.dumps(body, ensure_ascii=False),
                                                   self.store.now().isoformat()))
            return cur.lastrowid

    def diagnostics(self, device_id: str) -> list[dict]:
        rows = self.store.db.execute("SELECT * FROM diagnostics WHERE device_id=? ORDER BY diagnostic_id",
                                     (device_id,)).fetchall()
        return [{"diagnostic_id": r["diagnostic_id"], "received_at": r["received_at"]}
                | json.loads(r["body"]) for r in rows]

    def status(self, stale_after: float = 180) -> list[dict]:
        """One row per terminal: what it runs and how it is, from its last heartbeat."""
        now = self.store.now()
        out = []
        for d in self.store.devices():
            hb = d["last_heartbeat"] or {}
            seen = datetime.fromisoformat(d["last_seen"]) if d["last_seen"] else None
            config = hb.get("config") or {}
            devices = hb.get("devices", {})
            pending = self.store.db.execute("SELECT COUNT(*) FROM commands WHERE device_id=? AND acked_at IS NULL",
                                            (d["device_id"],)).fetchone()[0]
            out.append({
                "terminal_id": d["terminal_id"], "device_id": d["device_id"], "status": d["status"],
                "online": bool(seen and (now - seen).total_seconds() <= stale_after),
                "last_seen": d["last_seen"], "app_version": hb.get("app_version", ""),
                "config_version": hb.get("config_version"), "config_outcome": config.get("outcome", ""),
                "config_reason": config.get("reason", ""), "calendar": config.get("calendar"),
                "uptime_seconds": hb.get("uptime_seconds"),
                "outbox_depth": hb.get("outbox_depth"), "maintenance": hb.get("maintenance", False),
                "clock_offset_seconds": hb.get("clock_offset_seconds"), "last_error": hb.get("last_error", ""),
                "devices": {k: v.get("status") for k, v in devices.items()},
                "unhealthy": sorted(k for k, v in devices.items() if v.get("status") != "ok"),
                "pending_commands": pending})
        return out
