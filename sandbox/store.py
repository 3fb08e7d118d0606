"""The sandbox's state in SQLite (WAL) and the platform rules applied to it.

One Store per process; every method runs in one transaction under a lock, so
the admin CLI may work on the same file while the server runs.
"""
from __future__ import annotations

import hashlib
import json
import secrets
import sqlite3
import threading
import time
from contextlib import contextmanager
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any, Callable, Iterator

from kiosk.platform.private_files import private_db
from kiosk.workdays.calendar import WorkCalendar
from kiosk.workdays.deadlines import case_deadlines, commitment_day
from sandbox.authority import Authority, is_authorisation
from sandbox.lifecycle import Lifecycle
from sandbox.publication import Publication
from sandbox.problems import Problem

CST = timezone(timedelta(hours=8))
ADVANCE_EVENTS = ("verification_started", "verification_finished")   # the rest: sandbox/lifecycle.py

SCHEMA = """
CREATE TABLE IF NOT EXISTS devices (device_id TEXT PRIMARY KEY, terminal_id TEXT NOT NULL,
  status TEXT NOT NULL, enrolled_at TEXT NOT NULL, last_seen TEXT, last_heartbeat TEXT);
CREATE TABLE IF NOT EXISTS device_keys (key_id TEXT PRIMARY KEY, device_id TEXT NOT NULL,
  public_key BLOB NOT NULL, status TEXT NOT NULL, created_at TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS enrollment_tokens (token_hash TEXT PRIMARY KEY, terminal_id TEXT,
  expires_at TEXT NOT NULL, used_at TEXT);
CREATE TABLE IF NOT EXISTS commands (command_id INTEGER PRIMARY KEY AUTOINCREMENT,
  device_id TEXT NOT NULL, type TEXT NOT NULL, args TEXT NOT NULL, created_at TEXT NOT NULL,
  acked_at TEXT);
CREATE TABLE IF NOT EXISTS subjects (subject_type TEXT NOT NULL, subject_id TEXT NOT NULL,
  name TEXT NOT NULL, blacklisted_on TEXT, reason TEXT NOT NULL DEFAULT '',
  PRIMARY KEY (subject_type, subject_id));
CREATE TABLE IF NOT EXISTS identity_codes (code TEXT PRIMARY KEY, id_number TEXT NOT NULL,
  name TEXT NOT NULL, expires_at TEXT NOT NULL, used_at TEXT);
CREATE TABLE IF NOT EXISTS cases (case_number TEXT PRIMARY KEY, subject_type TEXT NOT NULL,
  subject_id TEXT NOT NULL, item_code TEXT NOT NULL, status TEXT NOT NULL,
  suspended_from TEXT, committed_on TEXT NOT NULL, extension_status TEXT NOT NULL DEFAULT 'none',
  extension_requested_on TEXT, letter TEXT NOT NULL, device_id TEXT NOT NULL,
  received_at TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS cases_subject ON cases (subject_type, subject_id);
CREATE TABLE IF NOT EXISTS case_materials (case_number TEXT NOT NULL, code TEXT NOT NULL,
  name TEXT NOT NULL, status TEXT NOT NULL, supplied_on TEXT, pages INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (case_number, code));
CREATE TABLE IF NOT EXISTS case_events (id INTEGER PRIMARY KEY AUTOINCREMENT,
  case_number TEXT NOT NULL, event TEXT NOT NULL, on_day TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS idempotency (device_id TEXT NOT NULL, key TEXT NOT NULL,
  operation TEXT NOT NULL, body_hash TEXT NOT NULL, response TEXT NOT NULL,
  PRIMARY KEY (device_id, key));
CREATE TABLE IF NOT EXISTS slots (slot_id TEXT PRIMARY KEY, hall TEXT NOT NULL,
  window TEXT NOT NULL, item_code TEXT, starts_at TEXT NOT NULL, ends_at TEXT NOT NULL,
  capacity INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS appointments (appointment_number TEXT PRIMARY KEY,
  slot_id TEXT NOT NULL, item_code TEXT NOT NULL, name TEXT NOT NULL, id_number TEXT NOT NULL,
  phone TEXT, status TEXT NOT NULL, created_at TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS tickets (hall TEXT NOT NULL, category TEXT NOT NULL,
  day TEXT NOT NULL, seq INTEGER NOT NULL, issued_at TEXT NOT NULL,
  PRIMARY KEY (hall, category, day, seq));
CREATE TABLE IF NOT EXISTS receipts (number TEXT PRIMARY KEY, kind TEXT NOT NULL,
  body TEXT NOT NULL, received_at TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS honest_subjects (subject_type TEXT NOT NULL, subject_id TEXT NOT NULL,
  since TEXT NOT NULL, PRIMARY KEY (subject_type, subject_id));
CREATE TABLE IF NOT EXISTS seen_nonces (key_id TEXT NOT NULL, nonce TEXT NOT NULL,
  expires_at REAL NOT NULL, PRIMARY KEY (key_id, nonce));
CREATE INDEX IF NOT EXISTS seen_nonces_expiry ON seen_nonces (expires_at);
CREATE TABLE IF NOT EXISTS priority_tickets (hall TEXT NOT NULL, day TEXT NOT NULL,
  ticket_number TEXT NOT NULL, appointment_number TEXT NOT NULL, PRIMARY KEY (hall, day, ticket_number));
"""


def load_items(*sources: Path) -> dict[str, dict]:
    """Item rules: which item codes allow commitment and which materials may be deferred.

    A source is either the sandbox's own rules file (sandbox/data/items.json:
    {"items": [{"item_code", "name", "commitment_allowed", "deferrable": [...], "reason"}]})
    or the kiosk's catalog directory (config/catalog/items/*.json: items with
    "code", "name", "commitment": {"allowed", "reason"} and materials with
    "id" and "deferrable"). Later sources win for the same item code.
    """
    items: dict[str, dict] = {}
    for source in sources:
        source = Path(source)
        files = sorted(source.glob("*.json")) if source.is_dir() else [source]
        agencies = _agencies(source.parent / "catalog.json") if source.is_dir() else {}
        for path in files:
            for raw in json.loads(path.read_text(encoding="utf-8")).get("items", []):
                rule = _rule(raw, agencies)
                if rule is not None:
                    items[rule["item_code"]] = rule
    return items


def _agencies(catalog: Path) -> dict[str, str]:
    """Department id -> name, from the catalog's catalog.json (the agency that decides an item)."""
    try:
        departments = json.loads(catalog.read_text(encoding="utf-8")).get("departments", [])
    except (OSError, ValueError):
        return {}
    return {d["id"]: d["name"] for d in departments if isinstance(d, dict) and "id" in d and "name" in d}


def _rule(raw: dict, agencies: dict[str, str]) -> dict | None:
    if "item_code" in raw:
        return raw
    commitment = raw.get("commitment")
    if not isinstance(raw.get("code"), str) or not isinstance(commitment, dict):
        return None
    return {"item_code": raw["code"], "name": raw.get("name", ""),
            "agency": agencies.get(raw.get("department", ""), ""),
            "commitment_allowed": bool(commitment.get("allowed")) and "abolished" not in raw,
            "reason": commitment.get("reason", ""),
            "deferrable": [m["id"] for m in raw.get("materials", []) if m.get("deferrable") and "id" in m],
            "authorisation": [m["id"] for m in raw.get("materials", [])
                              if "id" in m and is_authorisation(m.get("name", ""))]}


def body_hash(payload: Any) -> str:
    canonical = json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


def _hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class Store:
    def __init__(self, path: str | Path, items: dict[str, dict], calendar: WorkCalendar,
                 today: Callable[[], date] | None = None):
        # citizens' data and the platform's command-signing key: 0600 in a 0700 directory
        self.db = sqlite3.connect(str(private_db(path)), check_same_thread=False, isolation_level=None,
                                  timeout=10)
        self.db.row_factory = sqlite3.Row
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.execute("PRAGMA synchronous=NORMAL")
        self.db.executescript(SCHEMA)
        columns = {r[1] for r in self.db.execute("PRAGMA table_info(cases)")}
        if "approved_on" not in columns:           # a database from before approval days were kept
            self.db.execute("ALTER TABLE cases ADD COLUMN approved_on TEXT")
        self.items, self.calendar = items, calendar
        self._fixed = today
        self._today = today or (lambda: datetime.now(CST).date())
        self._lock = threading.RLock()
        self._depth = 0
        self._deadline_cache: dict[tuple, dict] = {}
        self.lifecycle = Lifecycle(self)
        self.authority = Authority(self)
        self.publication = Publication(self)

    # --- plumbing ----------------------------------------------------------
    def today(self) -> date:
        """The platform's day: the one the admin set (`clock`, kept in the database so the admin
        CLI and the server agree), else the fixed day given at start, else China's real date."""
        row = self.db.execute("SELECT value FROM meta WHERE key='clock_day'").fetchone()
        if row is None and self._fixed is None:
            row = self.db.execute("SELECT value FROM meta WHERE key='fixed_day'").fetchone()
        return date.fromisoformat(row[0]) if row else self._today()

    def record_fixed_day(self, day: date | None) -> None:
        """The serving process's --today (None: the real date), for the admin CLI's process."""
        with self.tx() as db:
            if day is None:
                db.execute("DELETE FROM meta WHERE key='fixed_day'")
            else:
                db.execute("INSERT OR REPLACE INTO meta VALUES ('fixed_day', ?)", (day.isoformat(),))

    def set_clock(self, day: date | None) -> dict:
        """Admin/tests: move the platform's day (None: back to the real or fixed day); the
        lifecycle runs at once for the new day (sandbox/lifecycle.py)."""
        with self.tx() as db:
            if day is None:
                db.execute("DELETE FROM meta WHERE key='clock_day'")
            else:
                db.execute("INSERT OR REPLACE INTO meta VALUES ('clock_day', ?)", (day.isoformat(),))
        return {"today": self.today().isoformat(), "overdue": self.lifecycle.sweep()}

    @staticmethod
    def now() -> datetime:
        return datetime.now(CST).replace(microsecond=0)

    @contextmanager
    def tx(self) -> Iterator[sqlite3.Connection]:
        with self._lock:
            if self._depth:
                self._depth += 1
                try:
                    yield self.db
                finally:
                    self._depth -= 1
                return
            self.db.execute("BEGIN IMMEDIATE")
            self._depth = 1
            try:
                yield self.db
            except BaseException:
                self.db.execute("ROLLBACK")
                raise
            else:
                self.db.execute("COMMIT")
            finally:
                self._depth = 0

    def is_seeded(self) -> bool:
        return self.db.execute("SELECT 1 FROM meta WHERE key='seeded'").fetchone() is not None

    def mark_seeded(self) -> None:
        with self.tx() as db:
            db.execute("INSERT OR REPLACE INTO meta VALUES ('seeded', ?)", (self.now().isoformat(),))

    def close(self) -> None:
        self.db.close()

    # --- devices -----------------------------------------------------------
    def create_enrollment_token(self, terminal_id: str | None = None, ttl_hours: float = 24) -> str:
        token = secrets.token_urlsafe(24)
        expires = self.now() + timedelta(hours=ttl_hours)
        with self.tx() as db:
            db.execute("INSERT INTO enrollment_tokens VALUES (?, ?, ?, NULL)",
                       (_hash_token(token), terminal_id, expires.isoformat()))
        return token

    def enroll(self, token: str, terminal_id: str, public_key: bytes) -> dict:
        with self.tx() as db:
            row = db.execute("SELECT * FROM enrollment_tokens WHERE token_hash=?",
                             (_hash_token(token),)).fetchone()
            if (row is None or row["used_at"] or datetime.fromisoformat(row["expires_at"]) < self.now()
                    or (row["terminal_id"] and row["terminal_id"] != terminal_id)):
                raise Problem("enrollment-token-invalid")
            now = self.now().isoformat()
            db.execute("UPDATE enrollment_tokens SET used_at=? WHERE token_hash=?", (now, row["token_hash"]))
            device_id = "dev-" + secrets.token_hex(8)
            key_id = "key-" + secrets.token_hex(8)
            db.execute("INSERT INTO devices VALUES (?, ?, 'active', ?, NULL, NULL)",
                       (device_id, terminal_id, now))
            db.execute("INSERT INTO device_keys VALUES (?, ?, ?, 'active', ?)",
                       (key_id, device_id, public_key, now))
        return {"device_id": device_id, "key_id": key_id, "terminal_id": terminal_id, "enrolled_at": now}

    def device_key(self, key_id: str) -> sqlite3.Row | None:
        return self.db.execute(
            "SELECT k.key_id, k.public_key, k.status AS key_status, d.device_id, d.status, d.terminal_id"
            " FROM device_keys k JOIN devices d USING (device_id) WHERE k.key_id=?", (key_id,)).fetchone()

    def rotate_key(self, device_id: str, public_key: bytes) -> str:
        key_id = "key-" + secrets.token_hex(8)
        with self.tx() as db:
            db.execute("UPDATE device_keys SET status='retired' WHERE device_id=?", (device_id,))
            db.execute("INSERT INTO device_keys VALUES (?, ?, ?, 'active', ?)",
                       (key_id, device_id, public_key, self.now().isoformat()))
        return key_id

    def first_use_of_nonce(self, key_id: str, nonce: str, expires_at: float) -> bool:
        """Record a signed request's nonce until `expires_at` (epoch seconds, when its signature
        could no longer be accepted anyway); False when it was seen before (a replay). Kept in
        the database so that a restart does not reopen the window; expired ones are dropped."""
        with self.tx() as db:
            db.execute("DELETE FROM seen_nonces WHERE expires_at < ?", (time.time(),))
            return db.execute("INSERT OR IGNORE INTO seen_nonces VALUES (?, ?, ?)",
                              (key_id, nonce, expires_at)).rowcount == 1

    def set_device_status(self, device_id: str, status: str) -> None:
        with self.tx() as db:
            if db.execute("UPDATE devices SET status=? WHERE device_id=?", (status, device_id)).rowcount != 1:
                raise Problem("not-found", "no such device")

    def heartbeat(self, device_id: str, report: dict) -> list[dict]:
        with self.tx() as db:
            now = self.now().isoformat()
            db.execute("UPDATE devices SET last_seen=?, last_heartbeat=? WHERE device_id=?",
                       (now, json.dumps(report), device_id))
            for command_id in report.get("acked_commands", []):
                db.execute("UPDATE commands SET acked_at=? WHERE command_id=? AND device_id=?",
                           (now, command_id, device_id))
            rows = db.execute("SELECT * FROM commands WHERE device_id=? AND acked_at IS NULL"
                              " ORDER BY command_id", (device_id,)).fetchall()
        return [{"command_id": r["command_id"], "type": r["type"], "args": json.loads(r["args"])}
                for r in rows]

    def devices(self) -> list[dict]:
        rows = self.db.execute("SELECT * FROM devices ORDER BY enrolled_at").fetchall()
        return [{k: r[k] for k in ("device_id", "terminal_id", "status", "enrolled_at", "last_seen")}
                | {"last_heartbeat": json.loads(r["last_heartbeat"] or "null")} for r in rows]

    # --- idempotency -------------------------------------------------------
    def idempotent(self, device_id: str, key: str | None, operation: str, payload: Any,
                   run: Callable[[], dict]) -> tuple[dict, bool]:
        """Run `run` once per (device, key); returns (response, replayed)."""
        if key is None:
            return run(), False
        digest = body_hash([operation, payload])
        with self.tx() as db:
            row = db.execute("SELECT * FROM idempotency WHERE device_id=? AND key=?",
                             (device_id, key)).fetchone()
            if row is not None:
                if row["body_hash"] != digest:
                    raise Problem("idempotency-conflict",
                                  "this Idempotency-Key was used with a different request")
                return json.loads(row["response"]), True
            response = run()
            db.execute("INSERT INTO idempotency VALUES (?, ?, ?, ?, ?)",
                       (device_id, key, operation, digest, json.dumps(response, default=str)))
            return response, False

    # --- subjects and identity --------------------------------------------
    def ensure_subject(self, subject_type: str, subject_id: str, name: str) -> None:
        with self.tx() as db:
            db.execute("INSERT OR IGNORE INTO subjects (subject_type, subject_id, name) VALUES (?,?,?)",
                       (subject_type, subject_id, name))

    def subject(self, subject_type: str, subject_id: str) -> sqlite3.Row | None:
        return self.db.execute("SELECT * FROM subjects WHERE subject_type=? AND subject_id=?",
                               (subject_type, subject_id)).fetchone()

    def credit_status(self, subject_type: str, subject_id: str) -> dict:
        self.lifecycle.sweep_if_new_day()
        row = self.subject(subject_type, subject_id)
        counts = dict(self.db.execute(
            "SELECT status, COUNT(*) FROM cases WHERE subject_type=? AND subject_id=? GROUP BY status",
            (subject_type, subject_id)).fetchall())
        black = row is not None and row["blacklisted_on"] is not None
        honest = not black and self.db.execute(
            "SELECT 1 FROM honest_subjects WHERE subject_type=? AND subject_id=?",
            (subject_type, subject_id)).fetchone() is not None
        return {"subject_type": subject_type, "standing": "blacklisted" if black else "good",
                "honest": honest, "name": row["name"] if row is not None else "",
                "blacklisted_on": row["blacklisted_on"] if black else None,
                "reason": row["reason"] if black else "",
                "pending_commitment_cases": counts.get("approved", 0) + counts.get("verifying", 0),
                "suspended_cases": counts.get("suspended", 0),
                "commitment_barred": self.lifecycle.barred(subject_type, subject_id)}

    def blacklist(self, subject_type: str, subject_id: str, reason: str, on: date | None = None) -> int:
        """Blacklist a subject and suspend their other pending commitment cases (信用承诺 第九条);
        returns how many were suspended."""
        on = on or self.today()
        with self.tx() as db:
            db.execute("INSERT OR IGNORE INTO subjects (subject_type, subject_id, name) VALUES (?,?,'')",
                       (subject_type, subject_id))
            db.execute("UPDATE subjects SET blacklisted_on=?, reason=? WHERE subject_type=? AND subject_id=?",
                       (on.isoformat(), reason, subject_type, subject_id))
            return self.lifecycle.suspend_others(subject_type, subject_id, on)

    def mark_honest(self, subject_type: str, subject_id: str, since: date | None = None) -> None:
        """An honest subject (诚信主体) gets the green channel (失信惩戒 第十条)."""
        with self.tx() as db:
            db.execute("INSERT OR REPLACE INTO honest_subjects VALUES (?,?,?)",
                       (subject_type, subject_id, (since or self.today()).isoformat()))

    def unblacklist(self, subject_type: str, subject_id: str) -> int:
        """Off the blacklist (失信惩戒 第十三条); its suspended cases resume (信用承诺 第九条).
        Returns how many resumed."""
        with self.tx() as db:
            db.execute("UPDATE subjects SET blacklisted_on=NULL, reason='' WHERE subject_type=? AND subject_id=?",
                       (subject_type, subject_id))
            return self.lifecycle.resume_all(subject_type, subject_id)

    def issue_identity_code(self, id_number: str, name: str, ttl_seconds: float = 60) -> dict:
        code = secrets.token_urlsafe(18)
        expires = datetime.now(CST) + timedelta(seconds=ttl_seconds)
        with self.tx() as db:
            db.execute("INSERT INTO identity_codes VALUES (?, ?, ?, ?, NULL)",
                       (code, id_number, name, expires.isoformat()))
        return {"code": code, "expires_at": expires.isoformat()}

    def resolve_identity_code(self, code: str) -> dict:
        with self.tx() as db:
            row = db.execute("SELECT * FROM identity_codes WHERE code=?", (code,)).fetchone()
            if row is None:
                raise Problem("identity-code-unknown")
            if row["used_at"]:
                raise Problem("identity-code-used")
            if datetime.fromisoformat(row["expires_at"]) < datetime.now(CST):
                raise Problem("identity-code-expired")
            db.execute("UPDATE identity_codes SET used_at=? WHERE code=?", (self.now().isoformat(), code))
        return {"person": {"name": row["name"], "id_number": row["id_number"]},
                "resolved_at": self.now().isoformat()}

    # --- commitment cases --------------------------------------------------
    def _event(self, number: str, event: str, on: date | None = None) -> None:
        self.db.execute("INSERT INTO case_events (case_number, event, on_day) VALUES (?,?,?)",
                        (number, event, (on or self.today()).isoformat()))

    def check_commitment(self, letter: dict) -> tuple[str, str, dict]:
        """The rules before acceptance; returns (subject_type, subject_id, item)."""
        item = self.items.get(letter["item_code"])
        if item is None:
            raise Problem("item-unknown", f"item {letter['item_code']} is not in the catalog")
        if not item["commitment_allowed"]:
            raise Problem("commitment-not-allowed", item.get("reason", ""))
        applicant = letter["applicant"]
        subject_type = applicant["subject_type"]
        subject_id = applicant["id_number"] if subject_type == "person" else applicant["uscc"]
        if not subject_id:
            field = "id_number" if subject_type == "person" else "uscc"
            raise Problem("invalid-request", f"applicant.{field} is required for a {subject_type}")
        self.authority.check(letter, item)           # 信用承诺 第十四条(二): authority to sign
        for material in letter["materials"]:
            if material["status"] == "deferred" and material["code"] not in item["deferrable"]:
                raise Problem("material-not-deferrable", f"material {material['code']}")
        status = self.credit_status(subject_type, subject_id)
        if status["standing"] == "blacklisted":
            raise Problem("blacklisted", "commitment approval is not available (信用承诺办法第十四条)")
        if status["commitment_barred"]:
            raise Problem("commitment-barred", "a decision was revoked for false materials: commitment "
                          "approval no longer applies to this subject (全程监督 第十七条)")
        return subject_type, subject_id, item

    def create_case(self, letter: dict, device_id: str, committed_on: date | None = None,
                    number: str | None = None) -> str:
        """Approve a letter on receipt (当场作出决定). The day of commitment is the letter's signing
        day in China time (第三条 自承诺之日起), bounded by the receipt day (kiosk.workdays.deadlines.
        commitment_day); the approval day is the receipt day. `committed_on` (admin, seed): a case
        committed and approved on that day."""
        with self.tx() as db:
            subject_type, subject_id, _item = self.check_commitment(letter)
            approved_on = committed_on or self.today()
            if committed_on is None:
                signed_at = letter.get("signed_at")
                signed = datetime.fromisoformat(signed_at) if isinstance(signed_at, str) else signed_at
                committed_on = commitment_day(signed, approved_on) if signed else approved_on
            number = number or f"TJ{approved_on:%Y%m%d}{secrets.randbelow(10**8):08d}"
            db.execute("INSERT OR IGNORE INTO subjects (subject_type, subject_id, name) VALUES (?,?,?)",
                       (subject_type, subject_id, letter["applicant"]["name"]))
            db.execute("INSERT INTO cases (case_number, subject_type, subject_id, item_code, status,"
                       " committed_on, letter, device_id, received_at, approved_on)"
                       " VALUES (?,?,?,?,?,?,?,?,?,?)",
                       (number, subject_type, subject_id, letter["item_code"], "approved",
                        committed_on.isoformat(), json.dumps(letter, ensure_ascii=False), device_id,
                        self.now().isoformat(), approved_on.isoformat()))
            for m in letter["materials"]:
                db.execute("INSERT INTO case_materials (case_number, code, name, status) VALUES (?,?,?,?)",
                           (number, m["code"], m["name"], m["status"]))
            self._event(number, "approved", approved_on)
            self.authority.signed_under(number, letter)
            self.publication.copy_token(number)         # the applicant's copy (第十三条)
        return number

    def _case_row(self, number: str) -> sqlite3.Row:
        row = self.db.execute("SELECT * FROM cases WHERE case_number=?", (number,)).fetchone()
        if row is None:
            raise Problem("case-not-found")
        return row

    def _deadlines(self, committed_on: date, approved_on: date, extended: bool) -> dict:
        """Each deadline counted on its own (kiosk.workdays.deadlines): one beyond the calendar's
        data is None and withholds no other. Cached per calendar version (a new holiday table
        swapped into the shared calendar makes the dates known)."""
        key = (self.calendar.version, committed_on, approved_on, extended)
        if key not in self._deadline_cache:
            if len(self._deadline_cache) > 4096:
                self._deadline_cache.clear()
            self._deadline_cache[key] = case_deadlines(self.calendar, committed_on, approved_on,
                                                       extended).as_dict()
        return dict(self._deadline_cache[key])

    def _case_deadlines(self, row) -> dict:
        committed_on = date.fromisoformat(row["committed_on"])
        approved_on = date.fromisoformat(row["approved_on"]) if row["approved_on"] else committed_on
        return self._deadlines(committed_on, approved_on, row["extension_status"] == "granted")

    def supplement_due(self, row) -> date | None:
        """The last day to supply deferred materials (第三条; 第十六条 once an extension is granted)."""
        return self._case_deadlines(row)["supplement_due"]

    def case(self, number: str) -> dict:
        self.lifecycle.sweep_if_new_day()
        row = self._case_row(number)
        committed_on = date.fromisoformat(row["committed_on"])
        deadlines = self._case_deadlines(row)
        materials = [{"code": m["code"], "name": m["name"], "status": m["status"],
                      "due_on": deadlines["supplement_due"] if m["status"] != "provided" else None,
                      "supplied_on": m["supplied_on"]}
                     for m in self.db.execute("SELECT * FROM case_materials WHERE case_number=?"
                                              " ORDER BY rowid", (number,))]
        timeline = [{"event": e["event"], "on": e["on_day"]} for e in self.db.execute(
            "SELECT event, on_day FROM case_events WHERE case_number=? ORDER BY id", (number,))]
        item = self.items.get(row["item_code"], {})
        return {"case_number": number, "item_code": row["item_code"], "item_name": item.get("name", ""),
                "decision": "承诺审批", "status": row["status"], "committed_on": committed_on,
                "deadlines": deadlines,
                "extension": self.lifecycle.extension(row),
                "judgement": self.lifecycle.judgement(number),
                "revocation": self.lifecycle.revocation(number),
                "renewal": self.authority.renewal(row),
                "letter_copy": self.publication.copy_path(number),
                "materials": materials, "timeline": timeline}

    def cases_of(self, subject_type: str, subject_id: str) -> list[dict]:
        self.lifecycle.sweep_if_new_day()
        numbers = [r[0] for r in self.db.execute(
            "SELECT case_number FROM cases WHERE subject_type=? AND subject_id=? ORDER BY received_at DESC",
            (subject_type, subject_id))]
        return [self.case(n) for n in numbers[:50]]

    def supply_material(self, number: str, code: str, pages: int) -> None:
        """A deferred material arrives: refused once the case is overdue (信用承诺 第十六条: the
        agency now judges and may revoke); a suspended case resumes when it is complete (第九条)."""
        self.lifecycle.sweep_if_new_day()
        with self.tx() as db:
            row = self._case_row(number)
            if row["status"] == "revoked":
                raise Problem("case-closed", "the case was revoked")
            if row["status"] == "overdue":
                raise Problem("supplement-overdue", "the supplement deadline has passed (信用承诺 第十六条)")
            m = db.execute("SELECT * FROM case_materials WHERE case_number=? AND code=?",
                           (number, code)).fetchone()
            if m is None or m["status"] == "provided":
                raise Problem("material-not-deferred", f"material {code}")
            db.execute("UPDATE case_materials SET status='supplied', supplied_on=COALESCE(supplied_on, ?),"
                       " pages=pages+? WHERE case_number=? AND code=?",
                       (self.today().isoformat(), pages, number, code))
            self._event(number, "material_supplied")
            left = db.execute("SELECT COUNT(*) FROM case_materials WHERE case_number=? AND status='deferred'",
                              (number,)).fetchone()[0]
            if not left and m["status"] == "deferred":
                self._event(number, "supplemented")
                if row["status"] == "verified":
                    db.execute("UPDATE cases SET status='completed' WHERE case_number=?", (number,))
                elif row["status"] == "suspended":
                    self.lifecycle.resume(number)

    def request_extension(self, number: str, reason: str) -> None:
        """信用承诺 第十六条: routed to the legal representative of the agency that decides the item."""
        row = self._case_row(number)
        agency = self.items.get(row["item_code"], {}).get("agency") or "审批部门"
        self.lifecycle.request_extension(number, reason, f"{agency}法定代表人")

    def advance_case(self, number: str, event: str) -> dict:
        """Admin: move a case's verification along (全程监督 第九条); judgement, revocation,
        extension and resumption are sandbox/lifecycle.py's."""
        if event not in ADVANCE_EVENTS:
            raise Problem("invalid-request", f"event must be one of {', '.join(ADVANCE_EVENTS)}")
        with self.tx() as db:
            row = self._case_row(number)
            status = row["status"]
            if status in ("revoked", "suspended", "overdue"):
                raise Problem("case-closed", f"case is {status}")
            if event == "verification_started" and status == "approved":
                status = "verifying"
            elif event == "verification_finished" and status == "verifying":
                left = db.execute("SELECT COUNT(*) FROM case_materials WHERE case_number=?"
                                  " AND status='deferred'", (number,)).fetchone()[0]
                status = "verified" if left else "completed"
            else:
                raise Problem("case-closed", f"cannot apply {event} to a case that is {status}")
            db.execute("UPDATE cases SET status=? WHERE case_number=?", (status, number))
            self._event(number, event)
        return self.case(number)

    def letters(self, limit: int = 100) -> list[dict]:
        rows = self.db.execute("SELECT case_number, item_code, status, committed_on, device_id, received_at"
                               " FROM cases ORDER BY received_at DESC LIMIT ?", (limit,)).fetchall()
        return [dict(r) for r in rows]

    # --- appointments and queue -------------------------------------------
    def add_slot(self, slot_id, hall, window, item_code, starts_at, ends_at, capacity) -> None:
        with self.tx() as db:
            db.execute("INSERT OR IGNORE INTO slots VALUES (?,?,?,?,?,?,?)",
                       (slot_id, hall, window, item_code, starts_at.replace(tzinfo=CST).isoformat(),
                        ends_at.replace(tzinfo=CST).isoformat(), capacity))

    def _slot(self, row) -> dict:
        taken = self.db.execute("SELECT COUNT(*) FROM appointments WHERE slot_id=? AND status='booked'",
                                (row["slot_id"],)).fetchone()[0]
        return {k: row[k] for k in ("slot_id", "hall", "window", "item_code", "starts_at", "ends_at",
                                    "capacity")} | {"remaining": max(0, row["capacity"] - taken)}

    def slots(self, item_code: str | None, day: date | None, hall: str | None) -> list[dict]:
        rows = self.db.execute("SELECT * FROM slots ORDER BY starts_at, hall").fetchall()
        out = []
        for r in rows:
            if item_code and r["item_code"] not in (None, item_code):
                continue
            if day and not r["starts_at"].startswith(day.isoformat()):
                continue
            if hall and r["hall"] != hall:
                continue
            out.append(self._slot(r))
        return out[:200]

    def book(self, req: dict) -> dict:
        with self.tx() as db:
            slot = db.execute("SELECT * FROM slots WHERE slot_id=?", (req["slot_id"],)).fetchone()
            if slot is None:
                raise Problem("slot-not-found")
            if db.execute("SELECT 1 FROM appointments WHERE slot_id=? AND id_number=? AND status='booked'",
                          (req["slot_id"], req["id_number"])).fetchone():
                raise Problem("already-booked")
            if self._slot(slot)["remaining"] <= 0:
                raise Problem("slot-full")
            number = "AP" + secrets.token_hex(5).upper()
            db.execute("INSERT INTO appointments VALUES (?,?,?,?,?,?, 'booked', ?)",
                       (number, req["slot_id"], req["item_code"], req["name"], req["id_number"],
                        req.get("phone"), self.now().isoformat()))
        return self.appointment(number)

    def appointment(self, number: str) -> dict:
        row = self.db.execute("SELECT * FROM appointments WHERE appointment_number=?", (number,)).fetchone()
        if row is None:
            raise Problem("appointment-not-found")
        slot = self.db.execute("SELECT * FROM slots WHERE slot_id=?", (row["slot_id"],)).fetchone()
        return {"appointment_number": number, "slot": self._slot(slot), "item_code": row["item_code"],
                "status": row["status"]}

    def cancel(self, number: str) -> dict:
        with self.tx() as db:
            if self.appointment(number)["status"] == "checked_in":
                raise Problem("appointment-used")
            db.execute("UPDATE appointments SET status='cancelled' WHERE appointment_number=?", (number,))
        return self.appointment(number)

    def appointments_of(self, id_number: str) -> list[dict]:
        """A person's booked appointments, soonest first."""
        rows = self.db.execute("SELECT a.appointment_number FROM appointments a JOIN slots s USING (slot_id)"
                               " WHERE a.id_number=? AND a.status='booked' ORDER BY s.starts_at LIMIT 50",
                               (id_number,)).fetchall()
        return [self.appointment(r[0]) for r in rows]

    def take_ticket(self, hall: str, category: str, appointment_number: str | None = None) -> dict:
        """With a booked appointment the ticket is called before the others of its hall; the
        appointment is then checked in: one priority ticket per appointment."""
        with self.tx() as db:
            day = self.today().isoformat()
            if appointment_number is not None:
                row = db.execute("SELECT status FROM appointments WHERE appointment_number=?",
                                 (appointment_number,)).fetchone()
                if row is not None and row["status"] == "checked_in":
                    raise Problem("appointment-used")
                if row is None or row["status"] != "booked":
                    raise Problem("appointment-not-found")
                db.execute("UPDATE appointments SET status='checked_in' WHERE appointment_number=?",
                           (appointment_number,))
            seq = db.execute("SELECT COALESCE(MAX(seq), 0) + 1 FROM tickets WHERE hall=? AND category=?"
                             " AND day=?", (hall, category, day)).fetchone()[0]
            now = self.now().isoformat()
            db.execute("INSERT INTO tickets VALUES (?,?,?,?,?)", (hall, category, day, seq, now))
            number = f"{category}{seq:03d}"
            if appointment_number is not None:
                ahead = db.execute("SELECT COUNT(*) FROM priority_tickets WHERE hall=? AND day=?",
                                   (hall, day)).fetchone()[0]
                db.execute("INSERT INTO priority_tickets VALUES (?,?,?,?)", (hall, day, number, appointment_number))
                return {"ticket_number": number, "hall": hall, "category": category,
                        "waiting_ahead": ahead - ahead // 5, "issued_at": now, "priority": True}
        # the sandbox serves nobody: assume one ticket in five already called
        return {"ticket_number": number, "hall": hall, "category": category,
                "waiting_ahead": (seq - 1) - (seq - 1) // 5, "issued_at": now, "priority": False}

    # --- evaluations, complaints, credit repair ----------------------------
    def receipt(self, kind: str, prefix: str, body: dict) -> dict:
        number = f"{prefix}{self.today():%Y%m%d}{secrets.token_hex(4).upper()}"
        now = self.now().isoformat()
        with self.tx() as db:
            db.execute("INSERT INTO receipts VALUES (?,?,?,?)",
                       (number, kind, json.dumps(body, ensure_ascii=False), now))
        return {"number": number, "received_at": now, "status": "received"}

    def receipts(self, kind: str) -> list[dict]:
        rows = self.db.execute("SELECT * FROM receipts WHERE kind=? ORDER BY received_at DESC LIMIT 100",
                               (kind,)).fetchall()
        return [{"number": r["number"], "received_at": r["received_at"], "body": json.loads(r["body"])}
                for r in rows]
