"""Receipt printer profiles: text encoding, Chinese mode, paper width, QR rendering.

A device URL picks a profile by name and may override single keys, e.g.
`printer+net://10.0.0.5:9100?profile=generic-58&encoding=gbk&qr=image`.
"""
from __future__ import annotations

from dataclasses import dataclass, replace

from drivers.base import DeviceError

ENCODINGS = ("gb18030", "gbk", "utf-8")


class ProfileError(DeviceError, ValueError):
    message = "打印机配置错误"


@dataclass(frozen=True)
class Profile:
    name: str
    encoding: str = "gb18030"   # what the printer's Chinese mode expects
    chinese_mode: bool = True   # wrap multi-byte text in FS & ... FS . (printers not in Chinese mode by default)
    columns: int = 48           # characters per line in font A (80 mm: 48, 58 mm: 32); CJK counts 2
    paper_mm: int = 80
    native_qr: bool = True      # GS ( k on the printer; False: a raster image (GS v 0)
    qr_size: int = 6            # module size in dots
    status: bool = True         # the printer answers DLE EOT 4 (paper sensor)


PROFILES = {
    "generic-80": Profile("generic-80"),
    "generic-58": Profile("generic-58", columns=32, paper_mm=58, qr_size=4),
    "gbk-58": Profile("gbk-58", encoding="gbk", columns=32, paper_mm=58, qr_size=4, native_qr=False),
    "utf8-80": Profile("utf8-80", encoding="utf-8", chinese_mode=False),
    "plain-80": Profile("plain-80", status=False),
}

_BOOL = {"1": True, "true": True, "on": True, "yes": True, "0": False, "false": False, "off": False, "no": False}


def profile_from_query(query: dict) -> Profile:
    name = query.get("profile", "generic-80")
    if name not in PROFILES:
        raise ProfileError(f"unknown printer profile {name!r} (known: {', '.join(PROFILES)})")
    profile = PROFILES[name]
    changes: dict = {}
    try:
        if "encoding" in query:
            if query["encoding"] not in ENCODINGS:
                raise ProfileError(f"encoding must be one of {ENCODINGS}")
            changes["encoding"] = query["encoding"]
        if "chinese" in query:
            changes["chinese_mode"] = _BOOL[query["chinese"].lower()]
        if "status" in query:
            changes["status"] = _BOOL[query["status"].lower()]
        if "columns" in query:
            changes["columns"] = int(query["columns"])
        if "qr" in query:
            changes["native_qr"] = {"native": True, "image": False}[query["qr"]]
        if "qr_size" in query:
            changes["qr_size"] = int(query["qr_size"])
    except (KeyError, ValueError) as exc:
        raise ProfileError(f"bad printer profile option: {exc}") from None
    if not 16 <= changes.get("columns", profile.columns) <= 128:
        raise ProfileError("columns must be 16..128")
    return replace(profile, **changes)
