"""Hardware adapters opened from URLs; they know nothing of Kivy or of the kiosk's domain.

`open_device("printer+net://127.0.0.1:9100?profile=generic-80", on_event=cb)`
picks the family's backend from the URL (as pyserial's `serial_for_url` does),
starts it and returns it. drivers/README.md lists every scheme.
"""
from __future__ import annotations

import importlib
from dataclasses import dataclass, field
from typing import Optional
from urllib.parse import parse_qsl, urlsplit

from drivers.base import (Backoff, Device, DeviceError, DeviceOffline, DeviceTimeout, Event,
                          EventCallback, Health, HealthChanged, TransportError)

__all__ = ["open_device", "parse_device_url", "DeviceURL", "UnsupportedURL", "Device", "DeviceError",
           "DeviceOffline", "DeviceTimeout", "TransportError", "Event", "Health", "HealthChanged",
           "Backoff"]

FAMILIES = {
    "idcard": "drivers.idcard",
    "scanner": "drivers.scanner",
    "printer": "drivers.printer",
    "smartcard": "drivers.smartcard",
    "doccam": "drivers.doccam",
    "a4": "drivers.a4",
}


class UnsupportedURL(DeviceError, ValueError):
    """The URL names no family or transport we have."""

    message = "设备地址配置错误"


@dataclass(frozen=True)
class DeviceURL:
    """A parsed `family+transport://netloc/path?query` device URL."""

    url: str
    family: str
    transport: str
    host: Optional[str]
    port: Optional[int]
    path: str
    netloc: str
    query: dict = field(default_factory=dict)

    def number(self, key: str, default: float) -> float:
        try:
            return float(self.query.get(key, default))
        except ValueError:
            raise UnsupportedURL(f"{self.url}: {key} must be a number") from None

    def backoff(self) -> Backoff:
        return Backoff(first=self.number("backoff", 0.2), cap=self.number("backoff_max", 5.0))

    def with_transport(self, transport: str, netloc: str, path: str = "") -> "DeviceURL":
        """The same device URL on another transport (emu:// hands over to the real one)."""
        query = "&".join(f"{k}={v}" for k, v in self.query.items())
        return parse_device_url(f"{self.family}+{transport}://{netloc}{path}" + (f"?{query}" if query else ""))


def parse_device_url(url: str) -> DeviceURL:
    parts = urlsplit(url)
    family, plus, transport = parts.scheme.partition("+")
    if not plus or family not in FAMILIES or not transport:
        raise UnsupportedURL(f"{url!r} is not a device URL like 'printer+net://127.0.0.1:9100'")
    try:
        port = parts.port
    except ValueError:
        raise UnsupportedURL(f"{url!r}: bad port") from None
    return DeviceURL(url=url, family=family, transport=transport, host=parts.hostname, port=port,
                     path=parts.path, netloc=parts.netloc, query=dict(parse_qsl(parts.query)))


def open_device(url: str, on_event: EventCallback | None = None) -> Device:
    """Build the device for `url`, start its worker and return it (it may still be connecting)."""
    parsed = parse_device_url(url)
    module = importlib.import_module(FAMILIES[parsed.family])
    device = module.from_url(parsed, on_event=on_event)
    return device.open()
