"""The ID card reader driver: polls find -> select -> read on its own thread and
emits one IdCardRead per card placement, IdCardRemoved when it leaves, and
IdCardError (with the SW3 message) when a read fails. Identity data is handed to
the callback only, never logged."""
from __future__ import annotations

import threading
from dataclasses import dataclass

import serial

from drivers.base import DEGRADED, OK, Backoff, Device, DeviceOffline, Event, TransportError
from drivers.idcard import protocol as p
from drivers.serialport import close_port, open_port


@dataclass(frozen=True)
class IdCardRead(Event):
    identity: p.Identity


@dataclass(frozen=True)
class IdCardRemoved(Event):
    pass


@dataclass(frozen=True)
class IdCardError(Event):
    code: int          # SW3, or 0 for a bad identity text block
    message: str       # plain Chinese for the citizen


class IdCardReader(Device):
    family = "idcard"
    removal_misses = 2   # consecutive "no card" answers before a removal is reported

    def __init__(self, url, *, on_event=None, backoff: Backoff = Backoff(), poll: float = 0.3,
                 timeout: float = 1.0, read_timeout: float = 3.0, emulator=None):
        super().__init__(on_event=on_event, backoff=backoff)
        self.url, self.poll, self.timeout, self.read_timeout = url, poll, timeout, read_timeout
        self.emulator = emulator
        self._port = None
        self._io = threading.Lock()
        self._present = False
        self._misses = 0

    # -- public, callable from any thread ----------------------------------------
    def sam_id(self) -> str:
        """The SAM module's ID as hex (for the self-test and the technician screen)."""
        return self.transact(*p.SAM_ID).check().data.hex().upper()

    def card_present(self) -> bool:
        return self.transact(*p.FIND).sw3 == p.SW3_FOUND

    def transact(self, cmd: int, para: int, data: bytes = b"", timeout: float | None = None) -> p.Response:
        """One request/response; retried once on a damaged answer. Raises DeviceOffline,
        TransportError, DeviceTimeout or FrameError."""
        request = p.build_request(cmd, para, data)
        with self._io:
            port = self._port
            if port is None:
                raise DeviceOffline("idcard reader not connected")
            try:
                for attempt in (1, 2):
                    port.reset_input_buffer()
                    port.write(request)
                    try:
                        return p.parse_response(p.read_frame(port.read, timeout or self.timeout))
                    except p.FrameError:
                        if attempt == 2:
                            raise
            except (serial.SerialException, OSError) as exc:
                raise TransportError(str(exc)) from None
        raise AssertionError("unreachable")

    # -- worker -----------------------------------------------------------------------
    def _connect(self) -> None:
        self._present, self._misses = False, 0
        port = open_port(self.url, timeout=0.02)
        with self._io:
            self._port = port
        try:
            self.transact(*p.STATUS)   # any answer proves a live module behind the port
        except p.FrameError as exc:
            self._disconnect()
            raise TransportError(f"读卡器应答异常: {exc}") from None
        except TransportError:
            self._disconnect()
            raise

    def _disconnect(self) -> None:
        with self._io:
            port, self._port = self._port, None
        close_port(port)
        if self._present:
            self._present = False
            self._emit(IdCardRemoved())

    def _serve(self) -> None:
        while not self._sleep(self.poll):
            try:
                self._poll_once()
            except p.FrameError as exc:
                self._set_health(DEGRADED, f"读卡器通信数据错误: {exc}")

    def _poll_once(self) -> None:
        found = self.transact(*p.FIND)
        if found.ok:
            self._misses = 0
            if not self._present:
                self._present = True
                self._read_card()
            return
        if found.sw3 == 0x80 and found.sw1 == found.sw2 == 0:
            self._set_health(OK)
            if self._present:
                self._misses += 1
                if self._misses >= self.removal_misses:
                    self._present = False
                    self._emit(IdCardRemoved())
            return
        # a failing find concerns no citizen yet: report it as health, not as an event each poll
        self._set_health(DEGRADED, p.SamError(found.sw1, found.sw2, found.sw3).message)

    def read_identity(self) -> p.Identity:
        """Select and read the card found by the last find; raises SamError or IdentityError."""
        self.transact(*p.SELECT).check()
        data = self.transact(*p.READ, timeout=self.read_timeout).check().data
        text, photo = p.split_read_data(data)
        return p.parse_identity(text, photo)

    def _read_card(self) -> None:
        try:
            identity = self.read_identity()
        except p.SamError as exc:
            if exc.reader_fault:
                self._set_health(DEGRADED, exc.message)
            self._emit(IdCardError(exc.sw3, exc.message))
            return
        except p.IdentityError as exc:
            self._emit(IdCardError(0, exc.message))
            return
        except p.FrameError:
            self._emit(IdCardError(0, p.SW3_MESSAGES[0x41]))
            return
        self._set_health(OK)
        self._emit(IdCardRead(identity))
