"""Receipt printers (ESC/POS through python-escpos): `from_url` for the registry.

printer+net://HOST:PORT, printer+usb://VID:PID, printer+serial:///dev/ttyS1?baudrate=19200,
printer+file:///dev/usb/lp0, printer+emu:// (an in-process emulator on loopback TCP).
Query keys: profile (see profiles.PROFILES) and its overrides (encoding, chinese,
columns, qr=native|image, qr_size, status), timeout, poll, backoff, backoff_max.
"""
from __future__ import annotations

from drivers import DeviceURL, UnsupportedURL


def _transport(url: DeviceURL, timeout: float):
    from escpos import printer as ep
    if url.transport == "net":
        return (lambda: ep.Network(url.host, url.port or 9100, timeout=timeout)), f"{url.host}:{url.port}"
    if url.transport == "serial":
        baud = int(url.query.get("baudrate", 19200))
        return (lambda: ep.Serial(url.path, baudrate=baud, timeout=timeout)), url.path
    if url.transport == "file":
        return (lambda: ep.File(url.path)), url.path
    if url.transport == "usb":
        try:
            vid, pid = (int(x, 16) for x in url.netloc.split(":"))
        except ValueError:
            raise UnsupportedURL(f"{url.url}: usb needs VID:PID in hex, e.g. printer+usb://0416:5011") from None
        return (lambda: ep.Usb(vid, pid, timeout=int(timeout * 1000))), url.netloc
    raise UnsupportedURL(f"{url.url}: printer transports are net, usb, serial, file, emu")


def from_url(url: DeviceURL, on_event=None):
    from drivers.printer.printer import ReceiptPrinter
    from drivers.printer.profiles import profile_from_query
    profile = profile_from_query(url.query)
    emulator = None
    if url.transport == "emu":
        from drivers.printer.emulator import PrinterEmulator
        emulator = PrinterEmulator(profile)
        emulator.serve_tcp()
        url = url.with_transport("net", f"127.0.0.1:{emulator.port}")
    make, description = _transport(url, url.number("timeout", 2.0))
    device = ReceiptPrinter(make, profile, on_event=on_event, backoff=url.backoff(),
                            poll=url.number("poll", 5.0), description=description)
    device.emulator = emulator
    return device
