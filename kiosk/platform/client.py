"""Client of the "政务一网通" platform API (docs/openapi.json, docs/PLATFORM.md).

A plain synchronous `requests` client: screens call it from worker threads,
never from the Kivy UI thread. Every call returns a typed result (frozen
dataclasses below) or raises one of:

- PlatformUnavailable: cannot reach the platform (connect/read timeout, refused, 5xx);
- PlatformUnauthorized: this terminal is not (or no longer) accepted (401/403 on auth);
- PlatformRejected(type, detail): the platform refused by a rule; `.slug` is the
  stable end of the problem type URI the screens map to a Chinese message;
- PlatformInvalidResponse: the answer does not match the contract.

Requests are signed per RFC 9421 with this terminal's Ed25519 key. Only
idempotent requests are retried: GETs, DELETEs, the read-only queries, and
submissions, which always carry an Idempotency-Key.
"""
from __future__ import annotations

import datetime as dt
import email.utils
import http.client
import json
import logging
import threading
import time
import uuid
from typing import Any, Callable, Literal

import requests
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from kiosk.bounded import loads_json
from kiosk.platform.contract import AUTH_SLUGS, PROBLEM_PREFIX
from kiosk.platform.errors import (
    PlatformInvalidResponse,
    PlatformRejected,
    PlatformUnauthorized,
    PlatformUnavailable,
)
from kiosk.platform.models import (
    Appointment,
    Case,
    CommitmentLetter,
    CreditStatus,
    DeviceHealth,
    Enrollment,
    HeartbeatReply,
    Page,
    QueueTicket,
    Receipt,
    ResolvedIdentity,
    Slot,
    _build,
    _convert,
)
from kiosk.platform.signing import DeviceCredential, MessageSignatureAuth

log = logging.getLogger(__name__)
MAX_ANSWER_BYTES = 32 * 1024 * 1024     # no platform answer is larger; bounded parsing (kiosk.bounded)

# --- the client -----------------------------------------------------------------

def _garbled(exc: BaseException) -> bool:
    """True when the peer answered bytes that are not HTTP (as opposed to not answering)."""
    seen = set()
    stack = [exc]
    while stack:
        e = stack.pop()
        if id(e) in seen:
            continue
        seen.add(id(e))
        if isinstance(e, http.client.BadStatusLine) and not isinstance(e, http.client.RemoteDisconnected):
            return True
        if isinstance(e, (http.client.LineTooLong, http.client.HTTPException)) \
                and not isinstance(e, (http.client.RemoteDisconnected, http.client.IncompleteRead)):
            return True
        stack.extend(x for x in (e.__cause__, e.__context__, *getattr(e, "args", ())) if isinstance(x, BaseException))
        reason = getattr(e, "reason", None)
        if isinstance(reason, BaseException):
            stack.append(reason)
    return False


def new_idempotency_key() -> str:
    return uuid.uuid4().hex


def retry_after(value: str | None, now: float | None = None) -> float | None:
    """Seconds from a Retry-After header (delta-seconds or an HTTP date); None if absent or garbled."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value).timestamp()
    except (TypeError, ValueError, IndexError):
        return None
    return max(0.0, when - (time.time() if now is None else now))


class PlatformClient:
    """Typed, signed, synchronous client of the platform API. Thread-safe for use
    from worker threads (one requests.Session per thread)."""

    RETRIES = 2
    BACKOFF = 0.2

    def __init__(self, base_url: str, credential: DeviceCredential | None = None, *,
                 connect_timeout: float = 3.0, read_timeout: float = 10.0,
                 ca_bundle: str | None = None, starter: Callable[["PlatformClient"], None] | None = None):
        self.base_url = base_url.rstrip("/") if base_url else ""
        self.timeout = (connect_timeout, read_timeout)
        self.verify: bool | str = ca_bundle or True     # TLS verification is always on
        self.auth = MessageSignatureAuth(credential) if credential else None
        self._starter = starter
        self._start_lock = threading.Lock()
        self._local = threading.local()
        self._closers: list[Callable[[], None]] = []

    @classmethod
    def from_settings(cls, settings) -> "PlatformClient":
        """Build from settings['platform'] for a real platform URL ("embedded" is the composition
        root's: kiosk.services.build_platform)."""
        p = settings["platform"]
        kwargs = dict(connect_timeout=p["connect_timeout"], read_timeout=p["read_timeout"],
                      ca_bundle=p.get("ca_bundle") or None)
        client = cls(p["url"], None, **kwargs)
        path = settings.state_path("platform", "device.json")
        if path.exists():
            client.set_credential(DeviceCredential.load(path))
        return client

    # --- plumbing ---------------------------------------------------------------
    def set_credential(self, credential: DeviceCredential) -> None:
        self.auth = self.auth.for_credential(credential) if self.auth else MessageSignatureAuth(credential)

    def on_close(self, closer: Callable[[], None]) -> None:
        self._closers.append(closer)

    def close(self) -> None:
        while self._closers:
            self._closers.pop()()

    @property
    def session(self) -> requests.Session:
        s = getattr(self._local, "session", None)
        if s is None:
            s = self._local.session = requests.Session()
            s.trust_env = False
        return s

    def _ensure_started(self) -> None:
        if self._starter is not None:
            with self._start_lock:
                if self._starter is not None:
                    starter, self._starter = self._starter, None
                    try:
                        starter(self)
                    except Exception as exc:
                        self._starter = starter
                        raise PlatformUnavailable(f"embedded platform failed to start: {exc}") from exc

    def _learn_clock(self, response: requests.Response) -> bool:
        """True when the platform's Date corrected the signing clock (see MessageSignatureAuth)."""
        return self.auth is not None and self.auth.learn_clock(response.headers.get("Date"))

    def request(self, method: str, path: str, *, json_body: Any = None, params: dict | None = None,
                idempotent: bool = False, idempotency_key: str | None = None, signed: bool = True,
                expect: tuple[int, ...] = (200, 201)) -> Any:
        """Send one call; returns the decoded JSON body or raises a typed error."""
        self._ensure_started()
        if signed and self.auth is None:
            raise PlatformUnauthorized("not-enrolled", "this terminal has no platform credential")
        headers = {"Accept": "application/json, application/problem+json"}
        data = None
        if json_body is not None:
            data = json.dumps(json_body, ensure_ascii=False, separators=(",", ":")).encode()
            headers["Content-Type"] = "application/json"
        if idempotency_key:
            headers["Idempotency-Key"] = idempotency_key
            idempotent = True
        attempts = 1 + (self.RETRIES if idempotent else 0)
        skew_retry, attempt = True, -1
        while attempt + 1 < attempts:
            attempt += 1
            try:
                response = self.session.request(method, self.base_url + path, data=data, params=params,
                                                headers=headers, timeout=self.timeout, verify=self.verify,
                                                auth=self.auth if signed else None, allow_redirects=False)
            except requests.exceptions.SSLError as exc:
                raise PlatformUnavailable(f"TLS verification failed: {type(exc).__name__}") from exc
            except (requests.ConnectionError, requests.Timeout) as exc:
                if _garbled(exc):
                    raise PlatformInvalidResponse(f"{method} {path}: not an HTTP answer") from exc
                if attempt + 1 < attempts:
                    time.sleep(self.BACKOFF * (attempt + 1))
                    continue
                raise PlatformUnavailable(f"{method} {path}: {type(exc).__name__}") from exc
            except requests.RequestException as exc:
                raise PlatformInvalidResponse(f"{method} {path}: {type(exc).__name__}") from exc
            corrected = self._learn_clock(response)
            if response.status_code in (502, 503, 504) and attempt + 1 < attempts:
                time.sleep(self.BACKOFF * (attempt + 1))
                continue
            try:
                return self._decode(response, expect)
            except PlatformUnauthorized as exc:
                # signed with a clock the Date header just corrected: try once more
                if skew_retry and (exc.slug == "clock-skew" or (corrected and exc.slug == "unauthorized")):
                    skew_retry, attempts = False, attempts + 1
                    continue
                raise
        raise PlatformUnavailable(f"{method} {path}: no answer")  # pragma: no cover

    @staticmethod
    def _decode(response: requests.Response, expect: tuple[int, ...]) -> Any:
        status = response.status_code
        ctype = response.headers.get("Content-Type", "").split(";")[0].strip()
        if status >= 500 or status in (408, 429):     # failing, timed out or busy: passing
            exc = PlatformUnavailable(f"platform {'busy' if status == 429 else 'error'} {status}")
            exc.retry_after = retry_after(response.headers.get("Retry-After"))
            raise exc
        if status in expect:
            if ctype != "application/json":
                raise PlatformInvalidResponse(f"status {status} with content type {ctype!r}")
            try:
                return loads_json(response.content, "response", max_bytes=MAX_ANSWER_BYTES)
            except ValueError:              # not JSON, or too large / too deeply nested (TooComplex)
                raise PlatformInvalidResponse(f"status {status}: body is not JSON") from None
        if ctype != "application/problem+json":
            raise PlatformInvalidResponse(f"unexpected status {status} ({ctype or 'no content type'})")
        try:
            problem = loads_json(response.content, "problem", max_bytes=MAX_ANSWER_BYTES)
            ptype, detail = problem["type"], problem.get("detail", "")
            if not isinstance(ptype, str) or not isinstance(detail, str):
                raise TypeError
        except (ValueError, KeyError, TypeError):
            raise PlatformInvalidResponse(f"status {status}: malformed problem document") from None
        slug = ptype[len(PROBLEM_PREFIX):] if ptype.startswith(PROBLEM_PREFIX) else ptype
        if status in (401, 403) and slug in AUTH_SLUGS:
            raise PlatformUnauthorized(slug, detail)
        raise PlatformRejected(ptype, detail, status)

    def _get(self, cls, path, **kw):
        return _build(cls, self.request("GET", path, idempotent=True, **kw))

    def _post(self, cls, path, body, **kw):
        return _build(cls, self.request("POST", path, json_body=body, **kw))

    # --- devices -------------------------------------------------------------------
    def health(self) -> bool:
        data = self.request("GET", "/api/v1/health", signed=False, idempotent=True)
        return isinstance(data, dict) and data.get("status") == "ok"

    def server_time(self) -> float:
        """The platform's clock (epoch seconds, from /health): the time signed config expiry is judged by."""
        data = self.request("GET", "/api/v1/health", signed=False, idempotent=True)
        try:
            return dt.datetime.fromisoformat(data["server_time"]).timestamp()
        except (TypeError, KeyError, ValueError):
            raise PlatformInvalidResponse("response.server_time: not a datetime") from None

    def enroll(self, enrollment_token: str, terminal_id: str,
               key: Ed25519PrivateKey | None = None) -> DeviceCredential:
        """Enroll with a one-time token; the new credential is installed and returned (save it)."""
        key = key or DeviceCredential.new_key()
        body = {"enrollment_token": enrollment_token, "terminal_id": terminal_id,
                "key_algorithm": "ed25519", "public_key": DeviceCredential.public_key_text(key)}
        result = _build(Enrollment, self.request("POST", "/api/v1/devices/enroll", json_body=body,
                                                 signed=False))
        credential = DeviceCredential(result.key_id, result.device_id, key, result.command_key)
        self.set_credential(credential)
        return credential

    def rotate_key(self) -> DeviceCredential:
        """Replace this terminal's key; the old one stops working (save the result)."""
        assert self.auth is not None
        key = DeviceCredential.new_key()
        result = self._post(Enrollment, "/api/v1/devices/keys",
                            {"public_key": DeviceCredential.public_key_text(key)})
        credential = DeviceCredential(result.key_id, result.device_id, key, result.command_key)
        self.set_credential(credential)
        return credential

    def heartbeat(self, *, app_version: str = "", config_version: int | None = None,
                  uptime_seconds: int = 0, outbox_depth: int = 0,
                  devices: dict[str, DeviceHealth] | None = None,
                  acked_commands: list[int] | None = None, command_results: list[dict] | None = None,
                  last_error: str = "", clock_offset_seconds: float | None = None,
                  maintenance: bool = False, config: dict | None = None) -> HeartbeatReply:
        body = {"app_version": app_version, "config_version": config_version,
                "uptime_seconds": uptime_seconds, "outbox_depth": outbox_depth,
                "devices": {k: vars(v) for k, v in (devices or {}).items()},
                "acked_commands": acked_commands or [], "command_results": command_results or [],
                "last_error": last_error[:300], "clock_offset_seconds": clock_offset_seconds,
                "maintenance": maintenance, "config": config}
        return self._post(HeartbeatReply, "/api/v1/devices/heartbeat", body)

    def upload_diagnostics(self, log_lines: list[str], summary: dict[str, str],
                           command_id: int | None = None, app_version: str = "") -> int:
        """Send redacted diagnostics (the caller redacts); returns the platform's diagnostic id."""
        body = {"log_lines": log_lines, "summary": summary, "command_id": command_id,
                "app_version": app_version}
        data = self.request("POST", "/api/v1/devices/diagnostics", json_body=body)
        if not isinstance(data, dict) or not isinstance(data.get("diagnostic_id"), int):
            raise PlatformInvalidResponse("response.diagnostic_id: expected an integer")
        return data["diagnostic_id"]

    # --- identity and credit ---------------------------------------------------------
    def resolve_identity_code(self, code: str) -> ResolvedIdentity:
        """Single use: never retried (a retry would find the code used)."""
        return self._post(ResolvedIdentity, "/api/v1/identity-codes/resolve", {"code": code})

    def credit_status(self, subject_type: Literal["person", "company"], subject_id: str) -> CreditStatus:
        """Person by ID number, company by USCC (sent in the body, never in the URL)."""
        return self._post(CreditStatus, "/api/v1/credit-checks",
                          {"subject_type": subject_type, "subject_id": subject_id}, idempotent=True)

    # --- commitment and cases ----------------------------------------------------------
    def submit_commitment(self, letter: CommitmentLetter | dict, idempotency_key: str) -> Case:
        """Same key + same letter = the same case; the outbox keeps the key with the letter."""
        body = letter.to_json() if isinstance(letter, CommitmentLetter) else letter
        return self._post(Case, "/api/v1/commitments", body, idempotency_key=idempotency_key)

    def renew_commitment(self, case_number: str, letter: CommitmentLetter,
                         idempotency_key: str | None = None) -> Case:
        """A new letter for a pending case after the company's legal representative or name
        changed (信用承诺 第十四条(二))."""
        path = f"/api/v1/cases/{requests.utils.quote(case_number, safe='')}/letters"
        return self._post(Case, path, letter.to_json(),
                          idempotency_key=idempotency_key or new_idempotency_key())

    def case(self, case_number: str) -> Case:
        return self._get(Case, f"/api/v1/cases/{requests.utils.quote(case_number, safe='')}")

    def cases_of(self, subject_type: Literal["person", "company"], subject_id: str) -> list[Case]:
        data = self.request("POST", "/api/v1/case-searches", idempotent=True,
                            json_body={"subject_type": subject_type, "subject_id": subject_id})
        if not isinstance(data, dict):
            raise PlatformInvalidResponse("response: expected an object")
        return _convert(list[Case], data.get("cases"), "response.cases")

    def upload_material(self, case_number: str, material_code: str, pages: list[Page],
                        idempotency_key: str | None = None) -> Case:
        body = {"material_code": material_code, "pages": [p.to_json() for p in pages]}
        return self._post(Case, f"/api/v1/cases/{requests.utils.quote(case_number, safe='')}/materials",
                          body, idempotency_key=idempotency_key or new_idempotency_key())

    def request_extension(self, case_number: str, reason: str,
                          idempotency_key: str | None = None) -> Case:
        path = f"/api/v1/cases/{requests.utils.quote(case_number, safe='')}/extension-requests"
        return self._post(Case, path, {"reason": reason},
                          idempotency_key=idempotency_key or new_idempotency_key())

    # --- appointments and queue ---------------------------------------------------------
    def appointment_slots(self, item_code: str | None = None, day: dt.date | None = None,
                          hall: str | None = None) -> list[Slot]:
        params = {k: v for k, v in (("item_code", item_code), ("day", day and day.isoformat()),
                                    ("hall", hall)) if v}
        data = self.request("GET", "/api/v1/appointment-slots", params=params or None, idempotent=True)
        if not isinstance(data, dict):
            raise PlatformInvalidResponse("response: expected an object")
        return _convert(list[Slot], data.get("slots"), "response.slots")

    def book_appointment(self, slot_id: str, item_code: str, name: str, id_number: str,
                         phone: str | None = None, idempotency_key: str | None = None) -> Appointment:
        body = {"slot_id": slot_id, "item_code": item_code, "name": name, "id_number": id_number}
        if phone:
            body["phone"] = phone
        return self._post(Appointment, "/api/v1/appointments", body,
                          idempotency_key=idempotency_key or new_idempotency_key())

    def appointments_of(self, id_number: str) -> list[Appointment]:
        """A person's booked appointments (the ID number goes in the body, never the URL)."""
        data = self.request("POST", "/api/v1/appointment-searches", idempotent=True,
                            json_body={"id_number": id_number})
        if not isinstance(data, dict):
            raise PlatformInvalidResponse("response: expected an object")
        return _convert(list[Appointment], data.get("appointments"), "response.appointments")

    def appointment(self, appointment_number: str) -> Appointment:
        """One appointment by its number (read from its slip's QR)."""
        path = f"/api/v1/appointments/{requests.utils.quote(appointment_number, safe='')}"
        return _build(Appointment, self.request("GET", path, idempotent=True))

    def cancel_appointment(self, appointment_number: str) -> Appointment:
        path = f"/api/v1/appointments/{requests.utils.quote(appointment_number, safe='')}"
        return _build(Appointment, self.request("DELETE", path, idempotent=True))

    def take_queue_ticket(self, hall: str, category: str, item_code: str | None = None,
                          appointment_number: str | None = None,
                          idempotency_key: str | None = None) -> QueueTicket:
        body = {"hall": hall, "category": category}
        if item_code:
            body["item_code"] = item_code
        if appointment_number:
            body["appointment_number"] = appointment_number
        return self._post(QueueTicket, "/api/v1/queue-tickets", body,
                          idempotency_key=idempotency_key or new_idempotency_key())

    # --- evaluation, complaint, credit repair -----------------------------------------------
    def evaluate(self, level: Literal["very_satisfied", "satisfied", "basic", "dissatisfied",
                                      "very_dissatisfied"],
                 reasons: list[str] = (), comment: str = "", case_number: str | None = None,
                 item_code: str | None = None, idempotency_key: str | None = None) -> Receipt:
        body = {"level": level, "reasons": list(reasons), "comment": comment}
        body |= {k: v for k, v in (("case_number", case_number), ("item_code", item_code)) if v}
        return self._post(Receipt, "/api/v1/evaluations", body,
                          idempotency_key=idempotency_key or new_idempotency_key())

    def complain(self, category: Literal["service", "efficiency", "conduct", "terminal", "other"],
                 content: str, contact_phone: str | None = None, case_number: str | None = None,
                 item_code: str | None = None, idempotency_key: str | None = None) -> Receipt:
        body = {"category": category, "content": content}
        body |= {k: v for k, v in (("contact_phone", contact_phone), ("case_number", case_number),
                                   ("item_code", item_code)) if v}
        return self._post(Receipt, "/api/v1/complaints", body,
                          idempotency_key=idempotency_key or new_idempotency_key())

    def request_credit_repair(self, subject_type: Literal["person", "company"], subject_id: str,
                              documents: dict[str, list[Page]], contact_phone: str | None = None,
                              idempotency_key: str | None = None) -> Receipt:
        """documents: kind -> pages; kinds: application, subject_qualification,
        materials_supplied, penalty_fulfilled, rectification, other (失信惩戒 第十二条)."""
        body = {"subject_type": subject_type, "subject_id": subject_id,
                "documents": [{"kind": kind, "pages": [p.to_json() for p in pages]}
                              for kind, pages in documents.items()]}
        if contact_phone:
            body["contact_phone"] = contact_phone
        return self._post(Receipt, "/api/v1/credit-repairs", body,
                          idempotency_key=idempotency_key or new_idempotency_key())

    # --- signed configuration repository --------------------------------------------------
    @property
    def config_repo_url(self) -> str:
        """Base URL of the signed config repository (static files; TUF verifies them)."""
        self._ensure_started()
        return self.base_url + "/api/v1/config-repo/"
