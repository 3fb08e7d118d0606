"""The serial (line mode) QR scanner driver: reads lines on its own thread, decodes
UTF-8 then GB18030, de-bounces repeats and emits Scanned events."""
from __future__ import annotations

import serial

from drivers.base import Backoff, Device, TransportError
from drivers.scanner.decode import ScanDecodeError, decode_payload
from drivers.scanner.events import Scanned, ScanRejected
from drivers.scanner.lines import Debouncer, LineReader, printable
from drivers.serialport import close_port, open_port


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
        self._port = open_port(self.url, timeout=0.1, default_baudrate=self.baudrate)

    def _disconnect(self) -> None:
        port, self._port = self._port, None
        close_port(port)

    def _serve(self) -> None:
        reader = LineReader(self.max_length)
        port = self._port
        while not self._stopping.is_set():
            try:
                chunk = port.read(max(1, port.in_waiting))
            except (serial.SerialException, OSError, TypeError, AttributeError) as exc:
                raise TransportError(str(exc)) from None
            overflows = reader.overflows
            for raw in reader.feed(chunk):
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
