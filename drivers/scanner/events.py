"""Events of the QR scanners."""
from __future__ import annotations

from dataclasses import dataclass

from drivers.base import Event


@dataclass(frozen=True)
class Scanned(Event):
    text: str
    raw: bytes
    source: str          # "serial" | "camera"


@dataclass(frozen=True)
class ScanRejected(Event):
    reason: str          # plain Chinese, e.g. 二维码内容无法识别
