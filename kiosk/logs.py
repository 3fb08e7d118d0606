"""Structured logging to stdout (journald picks it up), with personal data redacted.

Each record is one JSON line. A filter on the handler masks resident ID
numbers, mobile numbers and any `extra` field whose name marks personal data,
so an ID number logged by mistake still comes out masked.
"""
from __future__ import annotations

import json
import logging
import re
import sys
import time
from typing import Any

PERSONAL_FIELDS = frozenset({
    "name", "full_name", "applicant_name", "id_number", "phone", "mobile", "address", "birth_date", "identity",
    "signature", "photo", "legal_representative", "agent",
})
_ID_NUMBER = re.compile(r"(?<![0-9A-Za-z])(\d{6})\d{8}(\d{3}[\dXx])(?![0-9A-Za-z])")
_MOBILE = re.compile(r"(?<!\d)(1[3-9]\d)\d{4}(\d{4})(?!\d)")
_STANDARD_ATTRS = frozenset(logging.makeLogRecord({}).__dict__) | {"message", "asctime"}


def mask_id_number(value: str) -> str:
    """120101199003071234 -> 120101********1234 (also used on receipts)."""
    value = value.strip()
    if len(value) <= 10:
        return "*" * len(value)
    return value[:6] + "*" * (len(value) - 10) + value[-4:]


def redact_text(text: str) -> str:
    text = _ID_NUMBER.sub(lambda m: m.group(1) + "********" + m.group(2)[-4:], text)
    return _MOBILE.sub(lambda m: m.group(1) + "****" + m.group(2), text)


def redact_value(key: str, value: Any) -> Any:
    if key.lower() in PERSONAL_FIELDS:
        return "[redacted]"
    if isinstance(value, str):
        return redact_text(value)
    if isinstance(value, dict):
        return {k: redact_value(str(k), v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [redact_value("", v) for v in value]
    return value


class RedactingFilter(logging.Filter):
    """Rewrites the record in place so no handler ever sees personal data."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        record.msg = redact_text(message)
        record.args = None
        for key, value in list(record.__dict__.items()):
            if key not in _STANDARD_ATTRS:
                record.__dict__[key] = redact_value(key, value)
        if record.exc_info and record.exc_info[1] is not None:
            record.exc_text = redact_text(logging.Formatter().formatException(record.exc_info))
            record.exc_info = None
        return True


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "ts": time.strftime("%Y-%m-%dT%H:%M:%S", time.localtime(record.created))
                  + f".{int(record.msecs):03d}",
            "level": record.levelname,
            "logger": record.name,
            "msg": record.getMessage(),
        }
        for key, value in record.__dict__.items():
            if key not in _STANDARD_ATTRS:
                entry[key] = value
        if record.exc_text:
            entry["exc"] = record.exc_text
        return json.dumps(entry, ensure_ascii=False, default=str)


def make_handler(stream=None) -> logging.Handler:
    handler = logging.StreamHandler(stream or sys.stdout)
    handler.addFilter(RedactingFilter())
    handler.setFormatter(JsonFormatter())
    return handler


def setup_logging(level: str = "INFO", stream=None) -> None:
    root = logging.getLogger()
    for old in list(root.handlers):
        if getattr(old, "_kiosk", False):
            root.removeHandler(old)
    handler = make_handler(stream)
    handler._kiosk = True  # type: ignore[attr-defined]
    handler.setLevel(level)  # loggers with their own level (kivy's) still stop here
    root.addHandler(handler)
    root.setLevel(level)
