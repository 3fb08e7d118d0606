"""A4 printers through CUPS, for the applicant's copy of the letter (信用承诺 第十三条): `from_url`.

a4+cups://QUEUE prints to the CUPS queue QUEUE of the local scheduler; ?server=HOST:PORT or
?server=/path/cups.sock names another one (lp/lpstat -h). Query keys: poll (seconds between
queue checks), timeout (seconds for one lp/lpstat call), backoff, backoff_max.
There is no emulator: tests start a real private cupsd (tests/drivers/cupsd.py).
"""
from __future__ import annotations

from drivers import DeviceURL, UnsupportedURL


def from_url(url: DeviceURL, on_event=None):
    if url.transport != "cups":
        raise UnsupportedURL(f"{url.url}: A4 printer transports are cups (a4+cups://QUEUE)")
    if not url.netloc:
        raise UnsupportedURL(f"{url.url}: cups needs a queue name, e.g. a4+cups://office")
    from drivers.a4.cups import CupsPrinter
    return CupsPrinter(url.netloc, server=url.query.get("server") or None, on_event=on_event,
                       backoff=url.backoff(), poll=url.number("poll", 10.0),
                       timeout=url.number("timeout", 10.0))
