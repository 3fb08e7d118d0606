"""Who a citizen is, in one place: the natural person (`Person`) from an ID card or an identity
code, and the checks of the numbers that identify people and companies: the citizen ID number
(GB 11643-1999, ISO 7064 MOD 11-2 check character) and the unified social credit code
(GB 32100-2015). No Kivy, no device library: drivers hand over what the card says, this module
decides whether it can be used.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Literal, Optional

USCC_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


def id_check_char(first17: str) -> str:
    """GB 11643 (ISO 7064 MOD 11-2) check character of an 18-character ID number."""
    total = sum(int(d) * (2 ** (17 - i) % 11) for i, d in enumerate(first17))
    return "10X98765432"[total % 11]


def valid_id_number(number: str) -> bool:
    """An 18-character citizen ID number (also on HMT residence permits) with its check character."""
    return (isinstance(number, str) and len(number) == 18 and number[:17].isascii()
            and number[:17].isdigit() and id_check_char(number[:17]) == number[17].upper())


def valid_uscc(code: str) -> bool:
    """GB 32100-2015: 18 characters of 0-9 and A-Y without I, O, S, V, Z; the 18th a check character."""
    code = code.strip().upper() if isinstance(code, str) else ""
    if len(code) != 18 or any(c not in USCC_CHARS for c in code):
        return False
    return uscc_check_char(code[:17]) == code[17]


def uscc_check_char(first17: str) -> str:
    """GB 32100 check character (MOD 31) of the first 17 characters of a USCC."""
    total = sum(USCC_CHARS.index(c) * w for c, w in zip(first17, USCC_WEIGHTS))
    return USCC_CHARS[(31 - total % 31) % 31]


class IdentityRefused(ValueError):
    """The identity cannot be used; `.reason` is a message key under commitment.identify."""

    def __init__(self, reason: Literal["expired", "invalid_number", "not_resident", "uscc", "name"]):
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True, repr=False)
class Person:
    """A natural person as the commitment flow needs them (from a card or an identity code)."""
    name: str
    id_number: str
    valid_to: Optional[dt.date] = None      # None: long-term card, or unknown (identity code)
    source: Literal["idcard", "code"] = "idcard"

    def __repr__(self) -> str:
        return "Person(<personal data hidden>)"


def person_from_identity(identity, today: dt.date) -> Person:
    """From a drivers Identity (resident ID card, or HMT residence permit: both GB 11643 numbers).
    An expired card is refused."""
    if identity.card_type not in ("resident", "hmt"):
        raise IdentityRefused("not_resident")
    if not valid_id_number(identity.id_number):
        raise IdentityRefused("invalid_number")
    if identity.valid_to is not None and identity.valid_to < today:
        raise IdentityRefused("expired")
    return Person(identity.name, identity.id_number, identity.valid_to, "idcard")


def person_from_code(name: str, id_number: str) -> Person:
    """From an electronic identity code resolved by the platform."""
    if not valid_id_number(id_number):
        raise IdentityRefused("invalid_number")
    return Person(name, id_number, None, "code")
