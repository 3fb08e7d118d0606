"""Second-generation ID card readers (GA 467-style SAM module): `from_url` for the registry.

idcard+serial:///dev/ttyUSB0?baudrate=115200, idcard+socket://HOST:PORT,
idcard+emu:// (an in-process emulator reached over loopback TCP). Common query
keys: poll (while an identity step waits for a card, 0.3), idle_poll (otherwise, 1.0; the
value of poll when only poll is given), timeout, backoff, backoff_max (seconds)."""
from __future__ import annotations

from drivers import DeviceURL, UnsupportedURL

IDLE_POLL = 1.0


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
    poll = url.number("poll", 0.3)
    # a URL that sets poll polls at that pace always, unless it sets idle_poll too
    idle_poll = url.number("idle_poll", poll if "poll" in url.query else IDLE_POLL)
    return IdCardReader(url, on_event=on_event, backoff=url.backoff(), poll=poll, idle_poll=idle_poll,
                        timeout=url.number("timeout", 1.0), emulator=emulator)
