"""The ID card reader driver: polls find -> select -> read on its own thread and
emits one IdCardRead per card placement, IdCardRemoved when it leaves, and
IdCardError (with the SW3 message) when a read fails. Identity data is handed to
the callback only, never logged (nor kept: `ask_presence()` has a card already lying on
the pad read again, for a listener that came after the placement; `card_lying` says
whether one lies there, without any I/O).

Endless line noise (bytes that never make a frame) ends each request within its
timeout as LineNoise: health goes to degraded with that reason while it lasts,
the reader stays connected and recovers on the first clean answer. `close()`
never waits for a request in flight: it closes the port under it."""
from __future__ import annotations

import termios
import threading
import time
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


NOISE_BYTES = 16          # a SAM module sends nothing but its answers
NOISE_HOLD = 2.0          # seconds without garbage before a noisy line counts as clean again


class IdCardReader(Device):
    family = "idcard"
    removal_misses = 2   # consecutive "no card" answers before a removal is reported

    def __init__(self, url, *, on_event=None, backoff: Backoff = Backoff(), poll: float = 0.3,
                 timeout: float = 1.0, read_timeout: float = 3.0, emulator=None, idle_poll: float | None = None):
        super().__init__(on_event=on_event, backoff=backoff)
        self.url, self.poll, self.timeout, self.read_timeout = url, poll, timeout, read_timeout
        # while nobody waits for a card (attend()), look less often: a forgotten card is still seen
        self.idle_poll = poll if idle_poll is None else max(poll, idle_poll)
        self._attending = 0
        self._attend_lock = threading.Lock()
        self._nudge = threading.Event()       # attend() or close(): poll now
        self.emulator = emulator
        self._port = None
        self._io = threading.Lock()
        self._present = False
        self._asked = threading.Event()   # read the card lying on the pad again at the next poll
        self._misses = 0
        self._connect_noise = ""
        self._skipped = 0               # garbage bytes before the last answer
        self._unasked = False           # bytes were waiting before the last request
        self._noisy_until = 0.0         # monotonic time until which the line counts as noisy

    # -- public, callable from any thread ----------------------------------------
    def sam_id(self) -> str:
        """The SAM module's ID as hex (for the self-test and the technician screen)."""
        return self.transact(*p.SAM_ID).check().data.hex().upper()

    def card_present(self) -> bool:
        return self.transact(*p.FIND).sw3 == p.SW3_FOUND

    @property
    def card_lying(self) -> bool:
        """A card was found on the pad by the last polls and has not been taken away."""
        return self._present

    def ask_presence(self) -> None:
        """A new listener asks for the card already on the pad: the next poll that finds one
        reads it again and emits IdCardRead (or IdCardError); with no card it emits nothing."""
        self._asked.set()

    def attend(self):
        """Someone waits for a card from now on (an identity step): the next poll comes at once and
        the reader polls every `poll` seconds, not `idle_poll`, until the returned release is
        called (once is enough; more calls do nothing)."""
        with self._attend_lock:
            self._attending += 1
        self._nudge.set()
        released = threading.Event()

        def release() -> None:
            if not released.is_set():
                released.set()
                with self._attend_lock:
                    self._attending -= 1
        return release

    def _pause(self) -> bool:
        """Wait until the next poll; True when the device is stopping."""
        if self._nudge.wait(self.poll if self._attending else self.idle_poll):
            self._nudge.clear()
        return self._stopping.is_set()

    def transact(self, cmd: int, para: int, data: bytes = b"", timeout: float | None = None) -> p.Response:
        """One request/response; retried once on a damaged answer. Raises DeviceOffline,
        TransportError, DeviceTimeout or FrameError."""
        request = p.build_request(cmd, para, data)
        with self._io:
            port = self._port
            if port is None:
                raise DeviceOffline("idcard reader not connected")
            try:
                # a SAM module speaks only when asked: bytes waiting before a request are noise
                self._unasked = bool(port.in_waiting)
                for attempt in (1, 2):
                    port.reset_input_buffer()
                    port.write(request)
                    try:
                        frame, self._skipped = p.read_frame_counted(port.read, timeout or self.timeout)
                        return p.parse_response(frame)
                    except p.LineNoise:
                        raise                        # the whole timeout is spent: no second try
                    except p.FrameError:
                        if attempt == 2:
                            raise
            except (serial.SerialException, OSError, termios.error, TypeError, AttributeError,
                    ValueError) as exc:
                if self._stopping.is_set():          # closed under us by close()
                    raise TransportError("读卡器已关闭") from None
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
        except p.LineNoise as exc:     # a live line, but a noisy one: connected, and degraded
            self._connect_noise = f"{exc.message}（{exc}）"
        except p.FrameError as exc:
            self._disconnect()
            raise TransportError(f"读卡器应答异常: {exc}") from None
        except TransportError:
            self._disconnect()
            raise

    def _wake(self) -> None:
        """close(): end a request in flight now (its read fails) instead of waiting it out."""
        self._nudge.set()
        port = self._port
        if port is None:
            return
        try:
            if isinstance(port, serial.Serial):
                port.cancel_read()
            close_port(port)
        except Exception:   # a port already dead or closed: nothing left to interrupt
            pass

    def _disconnect(self) -> None:
        with self._io:
            port, self._port = self._port, None
        close_port(port)
        if self._present:
            self._present = False
            self._emit(IdCardRemoved())

    def _serve(self) -> None:
        if self._connect_noise:
            self._noise(self._connect_noise)
            self._connect_noise = ""
        self._skipped = 0               # garbage bytes before the last answer
        self._unasked = False           # bytes were waiting before the last request
        self._noisy_until = 0.0         # monotonic time until which the line counts as noisy
        while not self._pause():
            try:
                self._poll_once()
            except p.LineNoise as exc:
                self._noise(f"{exc.message}（{exc}）")
            except p.FrameError as exc:
                self._set_health(DEGRADED, f"读卡器通信数据错误: {exc}")

    def _poll_once(self) -> None:
        found = self.transact(*p.FIND)
        if found.ok:
            self._misses = 0
            if not self._present or self._asked.is_set():
                self._asked.clear()
                self._present = True
                self._read_card()
            return
        if found.sw3 == 0x80 and found.sw1 == found.sw2 == 0:
            self._asked.clear()          # no card lying there: the next placement is read anyway
            self._healthy()
            if self._present:
                self._misses += 1
                if self._misses >= self.removal_misses:
                    self._present = False
                    self._emit(IdCardRemoved())
            return
        # a failing find concerns no citizen yet: report it as health, not as an event each poll
        self._set_health(DEGRADED, p.SamError(found.sw1, found.sw2, found.sw3).message)

    def _healthy(self) -> None:
        """OK, unless garbage came before an answer less than NOISE_HOLD ago: a noisy line
        (degraded; held, so that health does not flap with each clean answer amid the noise)."""
        if self._skipped > NOISE_BYTES or self._unasked:
            self._noise(f"{p.LineNoise.message}（" + (f"应答前 {self._skipped} 字节无效数据）" if self._skipped
                                                       > NOISE_BYTES else "未询问时收到数据）"))
        elif time.monotonic() >= self._noisy_until:
            self._set_health(OK)

    def _noise(self, reason: str) -> None:
        self._noisy_until = time.monotonic() + NOISE_HOLD
        self._set_health(DEGRADED, reason)

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
        self._noisy_until = 0.0          # a whole card read without garbage: the line is clean
        self._healthy()
        self._emit(IdCardRead(identity))
