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
# Numbers are found by their shape, wherever they stand (next to letters or CJK too), and only
# with a plausible birth date inside, so case numbers, item codes and timestamps are left alone.
_SEP = r"[ -]?"
_MONTH_DAY = r"(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])"
_ID_NUMBER = re.compile(   # 18 characters, also grouped 6-8-4 with spaces or hyphens
    rf"(?<!\d)(?P<head>[1-8]\d{{5}})(?P<s1>{_SEP})(?:19|20)\d{{2}}{_MONTH_DAY}(?P<s2>{_SEP})"
    rf"(?P<tail>\d{{3}}[\dXx])(?![\dXx])")
_OLD_ID_NUMBER = re.compile(   # the 15 digits of first-generation cards: YYMMDD, no check character
    rf"(?<!\d)(?P<head>[1-8]\d{{5}})(?P<s1>{_SEP})\d{{2}}{_MONTH_DAY}(?P<s2>{_SEP})(?P<tail>\d{{3}})(?!\d)")
_MOBILE = re.compile(      # 138 1234 5678, 138-1234-5678, +86 / 0086 in front
    rf"(?<!\d)(?P<cc>(?:\+|00)86{_SEP})?(?P<head>1[3-9]\d)(?P<s1>{_SEP})\d{{4}}(?P<s2>{_SEP})"
    rf"(?P<tail>\d{{4}})(?!\d)")


def _masker(stars: int):
    def mask(m: re.Match) -> str:
        prefix = m.groupdict().get("cc") or ""
        return prefix + m["head"] + m["s1"] + "*" * stars + m["s2"] + m["tail"]
    return mask


_MASKS = ((_ID_NUMBER, _masker(8)), (_OLD_ID_NUMBER, _masker(6)), (_MOBILE, _masker(4)))
_STANDARD_ATTRS = frozenset(logging.makeLogRecord({}).__dict__) | {"message", "asctime"}


def mask_id_number(value: str) -> str:
    """120101199003071234 -> 120101********1234 (also used on receipts)."""
    value = value.strip()
    if len(value) <= 10:
        return "*" * len(value)
    return value[:6] + "*" * (len(value) - 10) + value[-4:]


def redact_text(text: str) -> str:
    """Masks ID numbers (18 and 15 digits) and mobile numbers in free text."""
    for pattern, mask in _MASKS:
        text = pattern.sub(mask, text)
    return text


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
