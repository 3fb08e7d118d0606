"""Heartbeat and remote commands.

`Heartbeat.beat()` reports this terminal's state to the platform (app and
config versions, uptime, each device's health, outbox depth, last error, clock
offset to the platform, maintenance mode, the last config update outcome, the
work calendar's coverage (config.calendar: from 1 October it names next year when
no table covers it) and the results of commands run since the last beat) and runs
the commands the reply carries.

A command is run only when it is authentic: its Ed25519 signature verifies
under the platform's command key learnt at enrollment (DeviceCredential.command_key),
it names this device, it is not older than MAX_COMMAND_AGE by the platform's
own clock (the reply's server_time, so a wrong terminal clock does not matter),
and it was not run before. Anything else is refused and reported as refused.
Results go back with the next beat, which is sent at once when there are any.

Each command of a reply is parsed and judged on its own: one this terminal
does not know (a newer platform's type, a malformed entry) is refused alone,
and the others in the same reply still run.

Command ids are unique forever. The platform issues ids that cannot repeat,
even after it is restored from a backup (sandbox/fleet.py: time-based, larger
than any id issued before); the terminal keeps every command it ran with a
digest of its signed content, for longer than a command stays valid
(MAX_COMMAND_AGE), so anything older is refused as expired anyway. The same
id with the same content is a lost acknowledgement (the old result is sent
again, nothing runs twice); the same id with other content is refused
("command id reused"), never silently taken for the old one.
"""
from __future__ import annotations

import base64
import datetime as dt
import hashlib
import json
import logging
import os
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Optional

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from kiosk.platform.client import PlatformClient

from kiosk.platform.contract import command_payload

from kiosk.platform.errors import PlatformError, PlatformInvalidResponse

from kiosk.platform.models import Command, DeviceHealth, HeartbeatReply, _build

log = logging.getLogger("kiosk.fleet.heartbeat")
MAX_COMMAND_AGE = dt.timedelta(hours=24)
KEEP_SECONDS = 30 * 86400          # far longer than MAX_COMMAND_AGE: older ids are refused as expired
KEEP_DONE = 20_000                 # and never more entries than this (oldest forgotten first)
MAX_COMMANDS = 100                 # per reply; the rest wait for the next beat


@dataclass(frozen=True)
class Outcome:
    status: str                 # done | failed | refused
    detail: str = ""
    after_ack: Optional[Callable[[], None]] = None   # e.g. restart, once the result is reported


def command_digest(command: Command) -> str:
    """What a command id stands for: its signed content (type, args, issue time)."""
    body = json.dumps([command.type, command.args, command.issued_at], sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(body.encode()).hexdigest()[:32]


def parse_reply(data) -> tuple[HeartbeatReply, list[dict]]:
    """The reply with the commands that parse; a result "refused" for each one that does not."""
    if not isinstance(data, dict) or not isinstance(data.get("commands"), list):
        raise PlatformInvalidResponse("response: expected an object with commands")
    try:
        server_time = dt.datetime.fromisoformat(data["server_time"])
    except (KeyError, TypeError, ValueError):
        raise PlatformInvalidResponse("response.server_time: not a datetime") from None
    if server_time.tzinfo is None:
        raise PlatformInvalidResponse("response.server_time: no time zone")
    commands, refused = [], []
    for i, raw in enumerate(data["commands"][:MAX_COMMANDS]):
        try:
            commands.append(_build(Command, raw, f"response.commands[{i}]"))
        except PlatformInvalidResponse as exc:
            command_id = raw.get("command_id") if isinstance(raw, dict) else None
            kind = raw.get("type") if isinstance(raw, dict) else None
            why = (f"unknown command type {kind[:40]!r}" if isinstance(kind, str) and ".type:" in str(exc)
                   else f"malformed command ({exc})")
            log.warning("command refused", extra={"command_id": command_id, "reason": why})
            if isinstance(command_id, int) and not isinstance(command_id, bool) and command_id > 0:
                refused.append({"command_id": command_id, "status": "refused", "detail": why[:300]})
    return HeartbeatReply(server_time, commands), refused


def verify_command(command: Command, device_id: str, command_key: str, server_time: dt.datetime) -> str:
    """'' when the command is authentic and fresh, else why it is refused."""
    if not command_key:
        return "no platform command key (re-run kiosk-provision)"
    try:
        raw_key = base64.urlsafe_b64decode(command_key + "=" * (-len(command_key) % 4))
        signature = base64.urlsafe_b64decode(command.signature + "=" * (-len(command.signature) % 4))
        Ed25519PublicKey.from_public_bytes(raw_key).verify(
            signature, command_payload(command.command_id, device_id, command.type, command.args,
                                       command.issued_at))
    except (InvalidSignature, ValueError, TypeError):
        return "bad signature"
    try:
        issued = dt.datetime.fromisoformat(command.issued_at)
    except ValueError:
        return "bad issued_at"
    if issued.tzinfo is None or server_time - issued > MAX_COMMAND_AGE:
        return "expired"
    return ""


class Heartbeat:
    """Builds and sends heartbeats; verifies and runs the commands that come back."""

    def __init__(self, platform: PlatformClient, state_dir: str | Path, *, app_version: str,
                 devices: Callable[[], dict[str, DeviceHealth]] = dict,
                 outbox_depth: Callable[[], int] = lambda: 0,
                 config_status: Callable[[], dict] = lambda: {},
                 maintenance: Callable[[], bool] = lambda: False,
                 handlers: dict[str, Callable[[Command], Outcome]] | None = None,
                 clock: Callable[[], float] = time.time, calendar=None):
        self.platform = platform
        self.path = Path(state_dir) / "fleet" / "commands.json"
        self.app_version = app_version
        self.devices, self.outbox_depth = devices, outbox_depth
        self.config_status, self.maintenance = config_status, maintenance
        self.handlers = dict(handlers or {})
        self.clock = clock
        self.calendar = calendar        # the app's WorkCalendar: its coverage goes in every beat
        self.started = time.monotonic()
        self.last_error = ""
        self.clock_offset: Optional[float] = None
        self.last_ok: Optional[float] = None            # monotonic time of the last answered beat
        self._results: list[dict] = []
        self._lock = threading.Lock()
        self._done = self._load_done()

    # --- state --------------------------------------------------------------------
    def _load_done(self) -> dict[int, dict]:
        try:
            done = {int(k): dict(v) for k, v in json.loads(self.path.read_text()).items()}
        except (OSError, ValueError, AttributeError, TypeError):
            return {}
        now = self.clock()
        for entry in done.values():            # entries written before digests and times were kept
            entry.setdefault("at", now)
            entry.setdefault("digest", "")
        return done

    def _save_done(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        horizon = self.clock() - KEEP_SECONDS
        kept = sorted(((k, v) for k, v in self._done.items() if v.get("at", 0) >= horizon),
                      key=lambda kv: kv[1].get("at", 0))[-KEEP_DONE:]
        self._done = dict(kept)
        tmp = self.path.with_suffix(".tmp")
        tmp.write_text(json.dumps(self._done))
        os.replace(tmp, self.path)

    def record_error(self, text: str) -> None:
        """The last error worth an admin's attention (no personal data: callers pass codes)."""
        self.last_error = text[:300]

    # --- one beat -------------------------------------------------------------------
    def report(self) -> dict:
        status = self.config_status() or {}
        config = {k: status[k][:300] if isinstance(status[k], str) else status[k]
                  for k in ("outcome", "version", "offered", "reason", "checked_at", "clock_source",
                            "restart_pending")
                  if k in status} or None
        calendar = self.calendar_status()
        if calendar is not None:
            config = {"outcome": "never", **(config or {}), "calendar": calendar}
        try:
            depth = int(self.outbox_depth())
        except Exception:
            depth = 0
        return dict(app_version=self.app_version, config_version=status.get("version"),
                    uptime_seconds=int(time.monotonic() - self.started), outbox_depth=depth,
                    devices=self.devices(), last_error=self.last_error,
                    clock_offset_seconds=self.clock_offset, maintenance=bool(self.maintenance()),
                    config=config)

    def calendar_status(self) -> Optional[dict]:
        """Years the work calendar covers and, from 1 October, the next year if it is missing
        (kiosk.workdays.calendar.coverage_status), on today's date in China by the platform's
        clock when the offset is known."""
        if self.calendar is None:
            return None
        from kiosk.platform.contract import CHINA_TZ
        from kiosk.workdays.calendar import coverage_status
        now = self.clock() + (self.clock_offset or 0)
        return coverage_status(self.calendar, dt.datetime.fromtimestamp(now, CHINA_TZ).date())

    def beat(self) -> Optional[HeartbeatReply]:
        """Send one heartbeat and run its commands; a second beat reports their results at once."""
        with self._lock:
            reply = self._send()
            if reply is None:
                return None
            after = self._run(reply)
            if self._results:
                self._send()
            for action in after:
                action()
            return reply

    def _body(self, results: list[dict]) -> dict:
        report = self.report()
        return report | {"devices": {k: vars(v) for k, v in (report["devices"] or {}).items()},
                         "last_error": report["last_error"][:300], "acked_commands": [],
                         "command_results": results}

    def _send(self) -> Optional[HeartbeatReply]:
        results, self._results = self._results, []
        try:
            # the answer is parsed here, command by command (parse_reply), not as one whole:
            # one command this terminal cannot take must not cost it the others
            data = self.platform.request("POST", "/api/v1/devices/heartbeat", json_body=self._body(results))
            reply, refused = parse_reply(data)
        except PlatformError as exc:
            self._results = results + self._results          # report them next time
            self.record_error(f"heartbeat: {type(exc).__name__}")
            log.warning("heartbeat failed", extra={"error": type(exc).__name__})
            return None
        self.last_ok = time.monotonic()
        self.clock_offset = round(reply.server_time.timestamp() - self.clock(), 1)
        if refused:
            self._results.extend(refused)
            self.record_error(f"command {refused[0]['command_id']} refused: {refused[0]['detail']}")
        return reply

    def _run(self, reply: HeartbeatReply) -> list[Callable[[], None]]:
        credential = self.platform.auth.credential if self.platform.auth else None
        device_id = credential.device_id if credential else ""
        key = credential.command_key if credential else ""
        after = []
        for command in reply.commands:
            refused = verify_command(command, device_id, key, reply.server_time)
            done = self._done.get(command.command_id)
            if not refused and done is not None:
                if done.get("digest") in ("", command_digest(command)):   # run before; the ack got lost
                    self._results.append({"command_id": command.command_id, "status": done["status"],
                                          "detail": done["detail"]})
                    continue
                refused = "command id reused by a different command (platform restored from a backup?)"
            if refused:
                log.warning("command refused", extra={"command_id": command.command_id, "reason": refused})
                self.record_error(f"command {command.command_id} refused: {refused}")
                self._results.append({"command_id": command.command_id, "status": "refused",
                                      "detail": refused})
                continue
            outcome = self._dispatch(command)
            result = {"status": outcome.status, "detail": outcome.detail[:300]}
            self._done[command.command_id] = result | {"digest": command_digest(command), "at": self.clock()}
            self._results.append({"command_id": command.command_id, **result})
            if outcome.after_ack is not None:
                after.append(outcome.after_ack)
        if reply.commands:
            self._save_done()
        return after

    def _dispatch(self, command: Command) -> Outcome:
        handler = self.handlers.get(command.type)
        if handler is None:
            log.warning("command refused", extra={"command_id": command.command_id, "reason": "unknown type"})
            return Outcome("refused", f"unknown command type {command.type[:40]!r} for this app version")
        log.info("running command", extra={"command_id": command.command_id, "type": command.type})
        try:
            return handler(command)
        except Exception as exc:
            log.exception("command failed")
            return Outcome("failed", f"{type(exc).__name__}: {exc}")
