"""Second-generation ID card readers (GA 467-style SAM module): `from_url` for the registry.

idcard+serial:///dev/ttyUSB0?baudrate=115200, idcard+socket://HOST:PORT,
idcard+emu:// (an in-process emulator reached over loopback TCP). Common query
keys: poll, timeout, backoff, backoff_max (seconds)."""
from __future__ import annotations

from drivers import DeviceURL, UnsupportedURL


def from_url(url: DeviceURL, on_event=None):
    from drivers.idcard.reader import IdCardReader
    emulator = None
    if url.transport == "emu":
        from drivers.idcard.emulator import IdCardEmulator
        emulator = IdCardEmulator()
        if url.query.get("card"):
            emulator.place(url.query["card"])
        server = emulator.serve_tcp()
        url = url.with_transport("socket", f"127.0.0.1:{server.port}")
    elif url.transport not in ("serial", "socket"):
        raise UnsupportedURL(f"{url.url}: idcard transports are serial, socket, emu")
    return IdCardReader(url, on_event=on_event, backoff=url.backoff(), poll=url.number("poll", 0.3),
                        timeout=url.number("timeout", 1.0), emulator=emulator)
