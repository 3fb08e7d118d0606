"""The smart card driver (PC/SC through pyscard): watches one reader with
SCardGetStatusChange on its own thread; on insertion reads the card with the APDU
script and emits SmartCardInserted then SmartCardRead (or SmartCardError), and
SmartCardRemoved on removal. pcscd going away makes it offline until it returns."""
from __future__ import annotations

from dataclasses import dataclass, field

from smartcard import scard

from drivers.base import DEGRADED, OK, Backoff, Device, Event, TransportError
from drivers.smartcard.script import CardReadError, Step, run_script

WAIT_MS = 250


@dataclass(frozen=True)
class SmartCardInserted(Event):
    reader: str
    atr: str


@dataclass(frozen=True)
class SmartCardRead(Event):
    info: dict = field(repr=False)     # personal data: never logged


@dataclass(frozen=True)
class SmartCardRemoved(Event):
    reader: str


@dataclass(frozen=True)
class SmartCardError(Event):
    message: str


def _check(hresult: int, what: str) -> None:
    if hresult != scard.SCARD_S_SUCCESS:
        raise TransportError(f"{what}: {scard.SCardGetErrorMessage(hresult).strip()}")


class SmartCardReader(Device):
    family = "smartcard"

    def __init__(self, reader: str, steps: list[Step], *, on_event=None, backoff: Backoff = Backoff()):
        """`reader`: a substring of the PC/SC reader name ("" = the first reader)."""
        super().__init__(on_event=on_event, backoff=backoff)
        self.reader_match, self.steps = reader, steps
        self.reader = ""
        self.atr = ""
        self._context = None

    def readers(self) -> list[str]:
        hresult, context = scard.SCardEstablishContext(scard.SCARD_SCOPE_USER)
        _check(hresult, "PC/SC 服务不可用")
        try:
            hresult, readers = scard.SCardListReaders(context, [])
            return list(readers) if hresult == scard.SCARD_S_SUCCESS else []
        finally:
            scard.SCardReleaseContext(context)

    # -- worker -------------------------------------------------------------------
    def _connect(self) -> None:
        hresult, context = scard.SCardEstablishContext(scard.SCARD_SCOPE_USER)
        _check(hresult, "PC/SC 服务不可用")
        self._context = context
        hresult, readers = scard.SCardListReaders(context, [])
        names = list(readers) if hresult == scard.SCARD_S_SUCCESS else []
        matching = [name for name in names if self.reader_match in name]
        if not matching:
            raise TransportError(f"未找到读卡器 {self.reader_match!r}")
        self.reader = matching[0]

    def _disconnect(self) -> None:
        context, self._context = self._context, None
        if context is not None:
            scard.SCardReleaseContext(context)
        if self.atr:
            self.atr = ""
            self._emit(SmartCardRemoved(self.reader))

    def _wake(self) -> None:
        if self._context is not None:
            scard.SCardCancel(self._context)

    def _serve(self) -> None:
        state = scard.SCARD_STATE_UNAWARE
        while not self._stopping.is_set():
            hresult, states = scard.SCardGetStatusChange(self._context, WAIT_MS, [(self.reader, state)])
            if hresult in (scard.SCARD_E_TIMEOUT, scard.SCARD_E_CANCELLED):
                continue
            _check(hresult, "读卡器状态")
            _, event, atr = states[0]
            if event & (scard.SCARD_STATE_UNKNOWN | scard.SCARD_STATE_UNAVAILABLE):
                raise TransportError(f"读卡器已断开: {self.reader}")
            state = event & ~scard.SCARD_STATE_CHANGED
            present = bool(event & scard.SCARD_STATE_PRESENT) and not event & scard.SCARD_STATE_MUTE
            if present and not self.atr:
                self.atr = bytes(atr).hex().upper()
                self._emit(SmartCardInserted(self.reader, self.atr))
                self._read_card()
            elif not present and self.atr:
                self.atr = ""
                self._set_health(OK)
                self._emit(SmartCardRemoved(self.reader))

    def _read_card(self) -> None:
        try:
            info = self.read_card()
        except (CardReadError, TransportError) as exc:
            self._emit(SmartCardError(CardReadError.message))
            self._set_health(DEGRADED, f"{CardReadError.message}: {exc}")
            return
        self._set_health(OK)
        self._emit(SmartCardRead(info))

    def read_card(self) -> dict[str, str]:
        """Connect to the card in the reader and run the APDU script."""
        if self._context is None:
            raise TransportError("PC/SC 未连接")
        hresult, card, protocol = scard.SCardConnect(
            self._context, self.reader, scard.SCARD_SHARE_SHARED, scard.SCARD_PROTOCOL_T0 | scard.SCARD_PROTOCOL_T1)
        _check(hresult, "连接卡片失败")
        try:
            return run_script(lambda apdu: self._transmit(card, protocol, apdu), self.steps)
        finally:
            scard.SCardDisconnect(card, scard.SCARD_LEAVE_CARD)

    def _transmit(self, card, protocol, apdu: bytes) -> tuple[bytes, int]:
        hresult, response = scard.SCardTransmit(card, protocol, list(apdu))
        _check(hresult, "卡片通信失败")
        if len(response) < 2:
            raise CardReadError("short response")
        sw1, sw2 = response[-2], response[-1]
        if sw1 == 0x61:                           # T=0: data waiting, fetch with GET RESPONSE
            return self._transmit(card, protocol, bytes([0x00, 0xC0, 0x00, 0x00, sw2]))
        if sw1 == 0x6C:                           # T=0: wrong Le, repeat with the right one
            return self._transmit(card, protocol, apdu[:4] + bytes([sw2]))
        return bytes(response[:-2]), (sw1 << 8) | sw2


