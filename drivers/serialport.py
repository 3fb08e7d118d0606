"""Opens pyserial ports from device URLs, for the families that speak a byte stream
(ID card reader, serial QR scanner): `serial:///dev/ttyUSB0?baudrate=115200` is a
local port, `socket://host:port` a TCP one (pyserial's own socket:// handler)."""
from __future__ import annotations

import select
import threading

import serial

from drivers.base import TransportError

SERIAL_OPTIONS = {"baudrate": int, "bytesize": int, "parity": str, "stopbits": float}


def serial_target(url) -> str:
    if url.transport == "serial":
        if not url.path:
            raise TransportError(f"{url.url}: no port path")
        return url.path
    if url.transport == "socket":
        return f"socket://{url.host}:{url.port}"
    raise TransportError(f"{url.url}: not a serial transport")


def open_port(url, *, timeout: float, default_baudrate: int = 115200) -> serial.SerialBase:
    """Open the port named by a `serial` or `socket` device URL; TransportError if it cannot."""
    target = serial_target(url)
    kwargs = {"timeout": timeout, "write_timeout": max(timeout, 1.0), "baudrate": default_baudrate}
    for key, conv in SERIAL_OPTIONS.items():
        if key in url.query:
            kwargs[key] = conv(url.query[key])
    if url.transport == "serial":
        kwargs["exclusive"] = True
    try:
        return serial.serial_for_url(target, **kwargs)
    except (serial.SerialException, OSError, ValueError) as exc:
        raise TransportError(f"{target}: {exc}") from None


def close_port(port) -> None:
    """Close without blocking: pyserial's socket:// close sleeps 0.3 s after shutting the
    socket (to pace quick reconnects), which would stall the device thread and close()."""
    if port is None:
        return
    if isinstance(port, serial.Serial):
        port.close()
    else:
        threading.Thread(target=port.close, daemon=True).start()


def wait_readable(port, timeout: float) -> bool:
    """Sleep in one select() until the port has bytes (or its end shows), or `timeout` passes:
    a device that sends only now and then costs no wake-ups while it is quiet. True when a read
    would not wait (also when the port cannot be selected: the read then says what is wrong)."""
    try:
        readable, _, _ = select.select([port.fileno()], [], [], timeout)
    except (AttributeError, serial.SerialException, OSError, ValueError, TypeError):
        return True
    return bool(readable)
