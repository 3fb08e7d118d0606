"""The common shape of every device: health, events, typed errors, and a worker
thread that connects, serves and reconnects with backoff after the transport fails.

A driver subclasses `Device` and implements `_connect`, `_serve` (runs until the
transport fails or `self._stopping` is set) and `_disconnect`. Events are handed
to the `on_event` callback from the driver's own thread; the UI layer marshals
them to its thread (Kivy's Clock), the driver never does.
"""
from __future__ import annotations

import logging
import threading
from dataclasses import dataclass
from typing import Any, Callable, Optional

log = logging.getLogger("drivers")

OK, DEGRADED, OFFLINE = "ok", "degraded", "offline"


class DeviceError(Exception):
    """Base of every typed driver error. `message` is plain Chinese for a citizen or technician."""

    message = "设备故障"

    def __init__(self, detail: str = "", message: str | None = None):
        super().__init__(detail or message or self.message)
        if message is not None:
            self.message = message


class TransportError(DeviceError):
    """The link to the device failed (unplugged, refused, closed, I/O error)."""

    message = "设备未连接"


class DeviceTimeout(TransportError):
    """The device did not answer in time."""

    message = "设备无响应"


class DeviceOffline(DeviceError):
    """An operation was asked of a device that is not connected right now."""

    message = "设备离线，请稍后再试或联系工作人员"


@dataclass(frozen=True)
class Health:
    state: str           # ok | degraded | offline
    reason: str = ""

    @property
    def ok(self) -> bool:
        return self.state == OK


@dataclass(frozen=True)
class Event:
    """Base of driver events; `device` is the family name (idcard, scanner, ...)."""


@dataclass(frozen=True)
class HealthChanged(Event):
    health: Health


@dataclass(frozen=True)
class Backoff:
    """Reconnect delays: first, doubling, capped."""

    first: float = 0.2
    cap: float = 5.0

    def delays(self):
        delay = self.first
        while True:
            yield delay
            delay = min(delay * 2, self.cap)


EventCallback = Callable[[Event], Any]


class Device:
    """A device with its own worker thread; see the module docstring."""

    family = "device"

    def __init__(self, *, on_event: Optional[EventCallback] = None,
                 backoff: Backoff = Backoff(), name: str = ""):
        self.on_event = on_event
        self.backoff = backoff
        self.name = name or self.family
        self.emulator = None   # set by the emu:// transport; stopped with the device
        self._health = Health(OFFLINE, "未打开")
        self._health_lock = threading.Lock()
        self._stopping = threading.Event()
        self._connected = threading.Event()
        self._thread: threading.Thread | None = None

    # -- public ---------------------------------------------------------------
    def open(self) -> "Device":
        """Start the worker; it connects in the background (see `wait_connected`)."""
        if self._thread is None:
            self._stopping.clear()
            self._set_health(OFFLINE, "正在连接")
            self._thread = threading.Thread(target=self._run, name=f"drv-{self.name}", daemon=True)
            self._thread.start()
        return self

    def close(self) -> None:
        self._stopping.set()
        self._wake()
        thread, self._thread = self._thread, None
        if thread is not None and thread is not threading.current_thread():
            thread.join(5)
        self._safe_disconnect()
        self._connected.clear()
        self._set_health(OFFLINE, "已关闭")
        if self.emulator is not None:
            self.emulator.stop()

    def health(self) -> Health:
        with self._health_lock:
            return self._health

    def wait_connected(self, timeout: float) -> bool:
        return self._connected.wait(timeout)

    def __enter__(self):
        return self.open()

    def __exit__(self, *exc):
        self.close()

    # -- for subclasses ---------------------------------------------------------
    def _connect(self) -> None:
        raise NotImplementedError

    def _serve(self) -> None:
        raise NotImplementedError

    def _disconnect(self) -> None:
        raise NotImplementedError

    def _wake(self) -> None:
        """Interrupt a blocking wait in `_serve` so `close` is quick (optional)."""

    def _emit(self, event: Event) -> None:
        if self.on_event is None:
            return
        try:
            self.on_event(event)
        except Exception:  # a faulty consumer must not kill the device thread
            log.exception("event callback failed", extra={"device": self.name})

    def _set_health(self, state: str, reason: str = "") -> None:
        health = Health(state, reason)
        with self._health_lock:
            if health == self._health:
                return
            self._health = health
        log.info("device health", extra={"device": self.name, "state": state, "reason": reason})
        self._emit(HealthChanged(health))

    def _sleep(self, seconds: float) -> bool:
        """Wait unless stopping; True when the device is stopping."""
        return self._stopping.wait(seconds)

    # -- worker -------------------------------------------------------------------
    def _run(self) -> None:
        delays = self.backoff.delays()
        while not self._stopping.is_set():
            try:
                self._connect()
            except Exception as exc:
                if not isinstance(exc, DeviceError):   # a driver bug: report it and keep retrying
                    log.exception("driver failed to connect", extra={"device": self.name})
                self._safe_disconnect()
                self._set_health(OFFLINE, _reason(exc))
                if self._sleep(next(delays)):
                    break
                continue
            delays = self.backoff.delays()
            self._connected.set()
            self._set_health(OK, "")
            try:
                self._serve()
            except DeviceError as exc:
                if not self._stopping.is_set():
                    self._set_health(OFFLINE, _reason(exc))
            except Exception as exc:  # a driver bug: report it, keep the kiosk alive, retry
                log.exception("driver crashed", extra={"device": self.name})
                self._set_health(OFFLINE, _reason(exc))
            finally:
                self._connected.clear()
                self._safe_disconnect()
            if self._sleep(next(delays)):
                break

    def _safe_disconnect(self) -> None:
        try:
            self._disconnect()
        except Exception:  # closing a dead transport may fail in many ways; it is gone either way
            pass


def _reason(exc: Exception) -> str:
    if not isinstance(exc, DeviceError):
        return f"驱动异常: {type(exc).__name__}"
    detail = str(exc)
    return exc.message if detail in ("", exc.message) else f"{exc.message}: {detail}"

