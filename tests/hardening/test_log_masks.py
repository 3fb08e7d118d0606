"""Issue 14 point 11: the log filter masks ID numbers and mobile numbers however they are
written (next to letters, grouped 6-8-4, the 15-digit old numbers, +86, spaces, hyphens),
and leaves case numbers, item codes, receipt numbers and timestamps alone. Through the real
handler (kiosk.logs.make_handler) a logger writes JSON lines with."""
from __future__ import annotations

import io
import json
import logging

import pytest

from kiosk.logs import make_handler, redact_text

MASKED = [
    # ID numbers next to letters or CJK
    ("ID12010119900307123X", "ID120101********123X"),
    ("证号120101199003071234号", "证号120101********1234号"),
    ("id=120101199003071234&x=1", "id=120101********1234&x=1"),
    ("cardNo:12010119900307123Xend", "cardNo:120101********123Xend"),
    # grouped 6-8-4, with spaces or hyphens
    ("身份证 120101 19900307 123X", "身份证 120101 ******** 123X"),
    ("120101-19900307-1234", "120101-********-1234"),
    # the 15-digit numbers of the first-generation cards (YYMMDD)
    ("旧证120101900307123", "旧证120101******123"),
    ("old 120101 900307 123.", "old 120101 ****** 123."),
    # mobiles with +86 / 0086, spaces, hyphens, next to letters
    ("+8613812345678", "+86138****5678"),
    ("+86 138 1234 5678", "+86 138 **** 5678"),
    ("0086-138-1234-5678", "0086-138-****-5678"),
    ("138-1234-5678", "138-****-5678"),
    ("tel13812345678", "tel138****5678"),
    ("电话：13812345678。", "电话：138****5678。"),
]

KEPT = [
    "case TJ2025092212345678 approved",             # TJ + date + 8 digits: 16 digits
    "item 12120000MB1546214Q-0001",                 # an item code built on a USCC
    "receipt EV202612031A2B3C4D",
    "at 2026-12-03T05:33:46.123+08:00",
    "stamp 20261203053346 epoch 1764740026 ms 1764740026123 ns 1764740026123456789",
    "item 1112000000000000 case 20261128000000000001",
    "port 8700 pid 123456 size 120101199",
    "counts 120101 2025 1234",                      # not a birth date between
    "serial 202612999999999",                       # 15 digits, no birth date
    "order 990101 19901307 1234",                   # month 13
]


@pytest.mark.parametrize("text,expected", MASKED)
def test_masked(text, expected):
    assert redact_text(text) == expected


@pytest.mark.parametrize("text", KEPT)
def test_kept(text):
    assert redact_text(text) == text


def test_through_the_log_handler_nothing_personal_reaches_the_line():
    stream = io.StringIO()
    logger = logging.getLogger("test.hardening.masks")
    handler = make_handler(stream)
    logger.addHandler(handler)
    logger.propagate = False
    try:
        logger.warning("card ID12010119900307123X phone +86 138 1234 5678 old %s", "120101900307123",
                       extra={"note": "证号120101 19900307 1234 电话138-1234-5678"})
    finally:
        logger.removeHandler(handler)
    text = stream.getvalue()
    entry = json.loads(text)
    for secret in ("19900307", "900307", "1234 5678", "1234-5678", "12345678"):
        assert secret not in text
    assert "ID120101********123X" in entry["msg"] and "138 **** 5678" in entry["msg"]
    assert entry["note"] == "证号120101 ******** 1234 电话138-****-5678"
