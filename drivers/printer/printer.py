"""The receipt printer driver: python-escpos transports, a status watch on the worker
thread, and `print_document(doc)` that raises a typed error with a plain Chinese
message (out of paper, offline) for the citizen.

A printer speaks only when asked: bytes waiting before a status query, an answer
longer than one byte, or a byte without the fixed bits of a DLE EOT answer are
line noise. Then the paper state is unknown, not guessed: health goes to
degraded with that reason (the connection is kept), a job is refused with
PrinterOffline rather than printed blind, and each query still ends within the
transport's timeout, however much noise keeps coming (pending bytes are drained
up to MAX_DRAIN per query)."""
from __future__ import annotations

import select
import socket
import threading

import serial
from escpos import exceptions as escpos_errors
from escpos.constants import RT_STATUS_PAPER

from drivers.base import DEGRADED, OK, Backoff, Device, DeviceError, TransportError
from drivers.printer.document import Document
from drivers.printer.errors import PaperOut, PrinterError, PrinterOffline
from drivers.printer.profiles import Profile
from drivers.printer.render import render

__all__ = ["ReceiptPrinter", "PrinterError", "PrinterOffline", "PaperOut"]


PAPER_OK, PAPER_NEAR_END, PAPER_OUT = 2, 1, 0
MAX_DRAIN = 64 * 1024


class LineNoise(DeviceError):
    """The printer's answers are garbled: its state cannot be read."""

    message = "打印机线路干扰：收到无效数据，请检查打印机连线"


def valid_status(status: int) -> bool:
    """DLE EOT answers have bits 1 and 4 set and bits 0 and 7 clear."""
    return status & 0x93 == 0x12
_IO_ERRORS = (OSError, escpos_errors.Error, ValueError)


def paper_state(status: int) -> int:
    """DLE EOT 4 answer: bits 5-6 paper end, bits 2-3 near end."""
    if status & 0x60 == 0x60:
        return PAPER_OUT
    if status & 0x0C == 0x0C:
        return PAPER_NEAR_END
    return PAPER_OK


class ReceiptPrinter(Device):
    family = "printer"

    def __init__(self, make_transport, profile: Profile, *, on_event=None, backoff: Backoff = Backoff(),
                 poll: float = 5.0, description: str = ""):
        """`make_transport()` returns an unopened python-escpos printer (Network, Serial, Usb, File)."""
        super().__init__(on_event=on_event, backoff=backoff)
        self.make_transport, self.profile, self.poll = make_transport, profile, poll
        self.description = description
        self._escpos = None
        self._io = threading.Lock()
        self.paper = None             # last known PAPER_* or None when the transport cannot tell

    # -- public ---------------------------------------------------------------------------
    def print_document(self, document: Document) -> None:
        """Render and send one job. Raises PaperOut or PrinterOffline (both PrinterError)."""
        job = render(document, self.profile)
        self.print_raw(job)

    def print_raw(self, job: bytes) -> None:
        with self._io:
            try:
                if self._escpos is None:
                    self._open_transport()
                if self._check_paper() == PAPER_OUT:
                    raise PaperOut()
                self._escpos._raw(job)
                # ask again after the job: paper that ran out (or a cable pulled) mid-receipt
                # would otherwise pass for a printed receipt
                if self._check_paper() == PAPER_OUT:
                    raise PaperOut()
            except PaperOut:
                self._set_health(DEGRADED, PaperOut.message)
                raise
            except LineNoise as exc:
                self._set_health(DEGRADED, f"{exc.message}（{exc}）")
                raise PrinterOffline(f"line noise: {exc}") from None
            except (TransportError, *_IO_ERRORS) as exc:
                self._drop_transport()
                self._set_health("offline", f"{PrinterOffline.message}: {exc}")
                raise PrinterOffline(str(exc)) from None

    def test_page(self) -> None:
        from drivers.printer.document import Cut, Row, Separator, Text, Title
        self.print_document(Document().add(
            Title("打印机自检"), Row("纸宽：", f"{self.profile.paper_mm}mm"), Row("编码：", self.profile.encoding),
            Separator(), Text("中文、全角标点，：（）￥【】与 ASCII 0123 abc"), Cut()))

    # -- worker -------------------------------------------------------------------------------
    def _connect(self) -> None:
        with self._io:
            self._open_transport()
            self._connect_noise = ""
            try:
                self._check_paper()
            except LineNoise as exc:          # a live but noisy line: connected, and degraded
                self._connect_noise = f"{exc.message}（{exc}）"
            except (TransportError, *_IO_ERRORS) as exc:
                self._drop_transport()
                raise TransportError(str(exc)) from None

    def _serve(self) -> None:
        if getattr(self, "_connect_noise", ""):
            self._set_health(DEGRADED, self._connect_noise)
        while not self._sleep(self.poll):
            with self._io:
                if self._escpos is None:
                    raise TransportError("连接已断开")
                try:
                    self._check_paper()
                except LineNoise as exc:
                    self._set_health(DEGRADED, f"{exc.message}（{exc}）")
                except (TransportError, *_IO_ERRORS) as exc:
                    raise TransportError(str(exc)) from None

    def _disconnect(self) -> None:
        with self._io:
            self._drop_transport()

    # -- transport (under self._io) -----------------------------------------------------
    def _open_transport(self) -> None:
        printer = self.make_transport()
        try:
            printer.open()
        except (*_IO_ERRORS, ImportError, RuntimeError) as exc:
            raise TransportError(f"{self.description}: {exc}") from None
        self._escpos = printer

    def _drop_transport(self) -> None:
        printer, self._escpos = self._escpos, None
        if printer is not None:
            try:
                printer.close()
            except Exception:  # the transport is already broken; closing it may fail any way
                pass

    def _drain(self) -> int:
        """Throw away (and count) bytes that came unasked; at most MAX_DRAIN, so noise cannot hold us."""
        device = getattr(self._escpos, "device", None)
        if isinstance(device, serial.Serial):
            pending = device.in_waiting
            if pending:
                device.reset_input_buffer()
            return pending
        if isinstance(device, socket.socket):
            total = 0
            # select, not MSG_DONTWAIT: a socket with a timeout waits that timeout before any recv
            while total < MAX_DRAIN and select.select([device], [], [], 0)[0]:
                data = device.recv(4096)
                if not data:
                    raise TransportError("连接已被打印机关闭")
                total += len(data)
            return total
        return 0

    def _read_status(self) -> bytes:
        device = self._escpos.device
        if isinstance(device, serial.Serial):
            # python-escpos reads 16 bytes and so waits out the whole timeout: the answer is one byte
            status = device.read(1)
            return status + (b"?" if status and device.in_waiting else b"")   # more came: not an answer
        return self._escpos._read()

    def _check_paper(self):
        """Query the paper sensor where the profile and transport allow; sets health."""
        if not self.profile.status:
            self._set_health(OK)
            return None
        try:
            unasked = self._drain()
            self._escpos._raw(RT_STATUS_PAPER)
            status = self._read_status()
        except NotImplementedError:   # File and some USB printers cannot read back
            self._set_health(OK)
            return None
        except (socket.timeout, TimeoutError):
            raise TransportError("打印机无状态应答") from None
        if not status:
            if isinstance(self._escpos._device, socket.socket):
                raise TransportError("连接已被打印机关闭")
            self._set_health(OK)
            return None
        if unasked or len(status) > 1 or not valid_status(status[0]):
            self.paper = None
            raise LineNoise(f"{unasked + len(status)} 字节无效应答")
        self.paper = paper_state(status[0])
        if self.paper == PAPER_OUT:
            self._set_health(DEGRADED, PaperOut.message)
        elif self.paper == PAPER_NEAR_END:
            self._set_health(DEGRADED, "打印纸即将用完")
        else:
            self._set_health(OK)
        return self.paper
