"""Sample ID cards for the emulator and tests, and the encoder that lays an Identity
out as the card's 256-byte text block (the inverse of protocol.parse_identity)."""
from __future__ import annotations

from datetime import date
from typing import Optional

from drivers.idcard.protocol import (FOREIGN_LAYOUT, HMT_EXTRA, LONG_TERM, NATIONS, RESIDENT_LAYOUT,
                                     TEXT_SIZE, TYPE_FLAG, Identity)

_GENDER_CODES = {"男": "1", "女": "2"}
_NATION_CODES = {name: code for code, name in NATIONS.items()}


def _put(block: bytearray, offset: int, size: int, value: str) -> None:
    raw = value.encode("utf-16-le")[:size]
    block[offset:offset + size] = raw + " ".encode("utf-16-le") * ((size - len(raw)) // 2)


def _day(value: Optional[date]) -> str:
    return LONG_TERM if value is None else value.strftime("%Y%m%d")


def encode_identity(identity: Identity) -> bytes:
    block = bytearray(" ".encode("utf-16-le") * (TEXT_SIZE // 2))
    values = {"name": identity.name, "gender": _GENDER_CODES[identity.gender],
              "birth": _day(identity.birth_date), "id_number": identity.id_number,
              "authority": identity.authority, "valid_from": _day(identity.valid_from),
              "valid_to": _day(identity.valid_to)}
    if identity.card_type == "foreign":
        values.update(english_name=identity.english_name or "", nationality=identity.nationality or "",
                      card_version=identity.card_version or "")
        layout, flag = FOREIGN_LAYOUT, "I"
    else:
        values.update(address=identity.address,
                      nation=f"{_NATION_CODES[identity.nation]:02d}" if identity.nation else "")
        layout, flag = RESIDENT_LAYOUT, None
        if identity.card_type == "hmt":
            values.update(pass_number=identity.pass_number or "", issue_count=f"{identity.issue_count or 0:02d}")
            layout, flag = RESIDENT_LAYOUT + HMT_EXTRA, "J"
    for name, offset, size in layout:
        _put(block, offset, size, values[name])
    if flag:
        _put(block, TYPE_FLAG[0], TYPE_FLAG[1], flag)
    return bytes(block)


def resident() -> Identity:
    return Identity(name="张三丰", gender="男", nation="汉", birth_date=date(1990, 3, 7),
                    address="天津市和平区南京路１２３号（测试）", id_number="120101199003071235",
                    authority="天津市公安局和平分局", valid_from=date(2015, 6, 1), valid_to=None)


def hmt() -> Identity:
    return Identity(name="陈小明", gender="女", nation="", birth_date=date(1985, 12, 31),
                    address="香港特别行政区九龙", id_number="810000198512310027",
                    authority="天津市公安局", valid_from=date(2020, 1, 2), valid_to=date(2025, 1, 2),
                    card_type="hmt", pass_number="H12345678", issue_count=1)


def foreign() -> Identity:
    return Identity(name="约翰", gender="男", nation="", birth_date=date(1970, 5, 20), address="",
                    id_number="CAN110070052001", authority="1500", valid_from=date(2018, 8, 8),
                    valid_to=date(2028, 8, 8), card_type="foreign",
                    english_name="SMITH, JOHN", nationality="CAN", card_version="01")


SAMPLES = {"resident": resident, "hmt": hmt, "foreign": foreign}
