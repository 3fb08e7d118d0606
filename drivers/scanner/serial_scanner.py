"""The serial (line mode) QR scanner driver: reads lines on its own thread, decodes
UTF-8 then GB18030, de-bounces repeats and emits Scanned events.

A scanner sends a few short lines when a code is shown to it, nothing else.
Bytes arriving faster than NOISE_RATE for NOISE_SECONDS in a row are line noise
(a bad cable, a wrong baud rate, a faulty scanner): health goes to degraded
with that reason and what arrives is dropped without an event per line, until
one second passes below the rate; then health is ok again and reading starts
on a clean line. A burst shorter than that (a flood that stops) is read and
judged line by line as before."""
from __future__ import annotations

import re
import time

import serial

from drivers.base import DEGRADED, OK, Backoff, Device, TransportError
from drivers.scanner.decode import ScanDecodeError, decode_payload
from drivers.scanner.events import Scanned, ScanRejected
from drivers.scanner.lines import Debouncer, LineReader, printable
from drivers.serialport import close_port, open_port, wait_readable


NOISE_RATE = 8 * 1024        # bytes per second: eight of the longest codes every second
NOISE_SECONDS = 2.0
QUIET_WAKE_SECONDS = 0.5     # how often a quiet driver wakes to see whether it is being closed
_LINE_ENDS = re.compile(rb"(?<=[\r\n])")


class SerialScanner(Device):
    family = "scanner"

    def __init__(self, url, *, on_event=None, backoff: Backoff = Backoff(), debounce: float = 1.5,
                 max_length: int = 1024, baudrate: int = 9600):
        super().__init__(on_event=on_event, backoff=backoff)
        self.url, self.baudrate = url, baudrate
        self.debouncer = Debouncer(debounce)
        self.max_length = max_length
        self._port = None

    def _connect(self) -> None:
        # socket:// ports read up to 4096 bytes or until the timeout: keep it short (latency of a scan)
        timeout = 0.02 if self.url.transport == "socket" else 0.1
        self._port = open_port(self.url, timeout=timeout, default_baudrate=self.baudrate)

    def _disconnect(self) -> None:
        port, self._port = self._port, None
        close_port(port)

    def _serve(self) -> None:
        reader = LineReader(self.max_length)
        port = self._port
        second, count, loud_since, noisy = time.monotonic(), 0, None, False
        while not self._stopping.is_set():
            now = time.monotonic()
            if now - second >= 1.0:                   # judge the last second
                if count > NOISE_RATE * (now - second):
                    loud_since = second if loud_since is None else loud_since
                    if not noisy and now - loud_since >= NOISE_SECONDS:
                        noisy = True
                        self._set_health(DEGRADED, f"扫码枪线路干扰：持续收到大量无效数据（约 "
                                                   f"{count / (now - second) / 1024:.0f} KB/秒），请检查扫码枪连线")
                else:
                    loud_since = None
                    if noisy:
                        noisy = False
                        reader = LineReader(self.max_length)   # start on a clean line
                        self._set_health(OK)
                second, count = now, 0
            if not wait_readable(port, QUIET_WAKE_SECONDS):
                continue
            try:
                # pyserial's socket:// in_waiting says only 0 or 1: read a block there, or a flood
                # is read byte by byte and lasts ten times longer than it has to
                chunk = port.read(max(1, port.in_waiting) if isinstance(port, serial.Serial) else 4096)
            except (serial.SerialException, OSError, TypeError, AttributeError) as exc:
                raise TransportError(str(exc)) from None
            count += len(chunk)
            if noisy:
                reader.feed(chunk)                  # dropped; the reader keeps memory bounded
                continue
            for piece in _LINE_ENDS.split(chunk):    # line by line: events keep the order of the codes
                overflows = reader.overflows
                for raw in reader.feed(piece):
                    self._deliver(raw)
                if reader.overflows != overflows:
                    self._emit(ScanRejected("二维码内容过长"))

    def _deliver(self, raw: bytes) -> None:
        try:
            text = printable(decode_payload(raw))
        except ScanDecodeError as exc:
            self._emit(ScanRejected(exc.message))
            return
        if text and self.debouncer.accept(text):
            self._emit(Scanned(text, raw, "serial"))
