"""The APDU script that reads a social-security card's basic information.

The files and records are defined by the issuing specification (人力资源社会保障部
《社会保障（个人）卡规范》: the SSSE application, EF05 card identification, EF06
holder's basic information); issuing provinces differ in details, so the script is
configuration: a JSON list of steps, each {"apdu": "HEX"} (must answer 9000) or
{"field": NAME, "apdu": "HEX", "decode": "text"|"bcd"|"hex"}. Confirm the default
below against the card issuer's documentation before relying on it in production.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Optional

from drivers.base import DeviceError

SSSE_NAME = "sx1.sh.社会保障".encode("gbk")


def _select_name(name: bytes) -> str:
    return f"00A40400{len(name):02X}{name.hex().upper()}"


DEFAULT_SCRIPT = [
    {"apdu": _select_name(SSSE_NAME)},                         # SSSE application
    {"apdu": "00A4000002EF05"},                                # EF05: card identification
    {"field": "card_type", "apdu": "00B2020400", "decode": "hex"},
    {"field": "spec_version", "apdu": "00B2030400", "decode": "text"},
    {"field": "issue_date", "apdu": "00B2050400", "decode": "bcd"},
    {"field": "valid_to", "apdu": "00B2060400", "decode": "bcd"},
    {"field": "card_number", "apdu": "00B2070400", "decode": "text"},
    {"apdu": "00A4000002EF06"},                                # EF06: holder's basic information
    {"field": "id_number", "apdu": "00B2080400", "decode": "text"},
    {"field": "name", "apdu": "00B2090400", "decode": "text"},
    {"field": "gender", "apdu": "00B20A0400", "decode": "text"},
    {"field": "nation", "apdu": "00B20B0400", "decode": "bcd"},
]


class ScriptError(DeviceError, ValueError):
    message = "社保卡读取配置错误"


class CardReadError(DeviceError):
    """The card refused a step of the script."""

    message = "社保卡读取失败，请重新插卡"


@dataclass(frozen=True)
class Step:
    apdu: bytes
    field: Optional[str] = None
    decode: str = "text"


def load_script(path: str | None) -> list[Step]:
    raw = DEFAULT_SCRIPT
    if path:
        try:
            raw = json.loads(Path(path).read_text("utf-8"))
        except (OSError, ValueError) as exc:
            raise ScriptError(f"{path}: {exc}") from None
    try:
        steps = [Step(bytes.fromhex(s["apdu"]), s.get("field"), s.get("decode", "text")) for s in raw]
    except (KeyError, TypeError, ValueError) as exc:
        raise ScriptError(f"bad APDU script step: {exc}") from None
    for step in steps:
        if step.decode not in DECODERS or len(step.apdu) < 4:
            raise ScriptError(f"bad APDU script step {step}")
    return steps


def record_value(data: bytes) -> bytes:
    """Records are TLV (tag, length, value); anything else is taken whole."""
    if len(data) >= 2 and data[1] == len(data) - 2:
        return data[2:]
    return data


def _text(value: bytes) -> str:
    value = value.rstrip(b"\x00\xff ")
    try:
        return value.decode("utf-8")
    except UnicodeDecodeError:
        return value.decode("gb18030", errors="replace")


DECODERS = {"text": _text, "bcd": lambda v: v.hex().upper().rstrip("F"), "hex": lambda v: v.hex().upper()}


def run_script(transmit, steps: list[Step]) -> dict[str, str]:
    """`transmit(apdu) -> (data, sw)`; returns the fields read. Raises CardReadError on a refusal."""
    info: dict[str, str] = {}
    for step in steps:
        data, sw = transmit(step.apdu)
        if sw != 0x9000:
            raise CardReadError(f"APDU {step.apdu[:4].hex().upper()} answered {sw:04X}")
        if step.field:
            info[step.field] = DECODERS[step.decode](record_value(data))
    return info
