"""Smart cards through PC/SC (pyscard): `from_url` for the registry.

smartcard+pcsc://?reader=NAME (a substring of the reader name; empty = first reader)
and optional script=/path/to/script.json (see script.py); smartcard+emu:// inserts
the virtual social-security card into pcscd's vpcd reader ("Virtual PCD 00 00";
pcscd must be running) and then uses the same PC/SC path.
"""
from __future__ import annotations

from drivers import DeviceURL, TransportError, UnsupportedURL


def from_url(url: DeviceURL, on_event=None):
    from drivers.smartcard.reader import SmartCardReader
    from drivers.smartcard.script import load_script
    emulator = None
    reader = url.query.get("reader", "")
    if url.transport == "emu":
        from drivers.smartcard.emulator import SocialSecurityCard
        emulator = SocialSecurityCard()
        try:
            emulator.insert(timeout=0.5)
        except OSError as exc:
            raise TransportError(f"vpcd reader not reachable (is pcscd running?): {exc}") from None
        reader = reader or "Virtual PCD 00 00"
    elif url.transport != "pcsc":
        raise UnsupportedURL(f"{url.url}: smartcard transports are pcsc, emu")
    device = SmartCardReader(reader, load_script(url.query.get("script")), on_event=on_event,
                             backoff=url.backoff())
    device.emulator = emulator
    return device
