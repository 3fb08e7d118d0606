"""Transports for the device emulators: a loopback TCP server and a socat PTY pair.

An emulator is a `session(channel)` function run once per client; the channel
hides whether the bytes come over TCP or a serial PTY, so each emulator speaks
its protocol once and is reachable the same ways as the real device.
Stopping a server or killing socat is how tests unplug a device;
`flood()` puts endless line noise (random bytes) on the line of every connected
driver, beside whatever the emulator itself answers, until `flood(False)`.
"""
from __future__ import annotations

import os
import random
import select
import socket
import subprocess
import threading
import time
from typing import Callable

import serial


class ChannelClosed(Exception):
    pass


class SocketChannel:
    def __init__(self, sock: socket.socket):
        self.sock = sock
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def recv(self, size: int, timeout: float) -> bytes:
        """Up to `size` bytes, b"" on timeout; ChannelClosed when the peer is gone."""
        try:
            ready, _, _ = select.select([self.sock], [], [], timeout)
            if not ready:
                return b""
            data = self.sock.recv(size)
        except (OSError, ValueError):
            raise ChannelClosed() from None
        if not data:
            raise ChannelClosed()
        return data

    def send(self, data: bytes) -> None:
        try:
            self.sock.sendall(data)
        except OSError:
            raise ChannelClosed() from None

    def fileno(self) -> int:
        return self.sock.fileno()

    def close(self) -> None:
        try:
            self.sock.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
        self.sock.close()


# pyserial raises these when the port is closed by another thread mid-call
_PORT_GONE = (serial.SerialException, OSError, TypeError, AttributeError, ValueError)


class SerialChannel:
    def __init__(self, port: serial.Serial):
        self.port = port

    def recv(self, size: int, timeout: float) -> bytes:
        """What has come, as soon as anything has (pyserial's read would wait for all `size`)."""
        try:
            ready, _, _ = select.select([self.port.fileno()], [], [], timeout)
            if not ready:
                return b""
            self.port.timeout = 0
            return self.port.read(min(size, max(1, self.port.in_waiting)))
        except _PORT_GONE:
            raise ChannelClosed() from None

    def send(self, data: bytes) -> None:
        try:
            self.port.write(data)
        except _PORT_GONE:
            raise ChannelClosed() from None

    def fileno(self) -> int:
        return self.port.fileno()

    def close(self) -> None:
        self.port.close()


def readable(channel, *others: int, timeout: float) -> set:
    """Which of the channel and the other file descriptors have something to read (a closed
    peer counts: its recv raises ChannelClosed), waiting up to `timeout` seconds asleep."""
    try:
        ready, _, _ = select.select([channel, *others], [], [], timeout)
    except (OSError, ValueError, _PORT_GONE[0]):
        raise ChannelClosed() from None
    return set(ready)


Session = Callable[["SocketChannel | SerialChannel"], None]


class TcpServer:
    """Serves `session` to every client on 127.0.0.1:`port` (0 = a free port, kept across restarts)."""

    def __init__(self, session: Session, port: int = 0):
        self.session = session
        self.port = port
        self._listener: socket.socket | None = None
        self._channels: set = set()
        self._lock = threading.Lock()

    @property
    def running(self) -> bool:
        return self._listener is not None

    def channels(self) -> list:
        with self._lock:
            return list(self._channels)

    def start(self) -> "TcpServer":
        listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", self.port))
        listener.listen(4)
        self.port = listener.getsockname()[1]
        self._listener = listener
        threading.Thread(target=self._accept, args=(listener,), daemon=True,
                         name=f"emu-tcp-{self.port}").start()
        return self

    def stop(self) -> None:
        """Close the listener and every client: to the driver, the device is unplugged."""
        listener, self._listener = self._listener, None
        if listener is not None:
            try:
                listener.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            listener.close()
        with self._lock:
            channels, self._channels = self._channels, set()
        for channel in channels:
            channel.close()

    def _accept(self, listener: socket.socket) -> None:
        while True:
            try:
                sock, _ = listener.accept()
            except OSError:
                return
            channel = SocketChannel(sock)
            with self._lock:
                if self._listener is not listener:
                    channel.close()
                    return
                self._channels.add(channel)
            threading.Thread(target=self._run, args=(channel,), daemon=True).start()

    def _run(self, channel: SocketChannel) -> None:
        try:
            self.session(channel)
        except ChannelClosed:
            pass
        finally:
            with self._lock:
                self._channels.discard(channel)
            channel.close()


class SocatPair:
    """Two linked PTYs (`socat pty,link=A pty,link=B`): the driver opens one, the emulator the other."""

    def __init__(self, driver_link: str, device_link: str):
        self.driver_link, self.device_link = driver_link, device_link
        self._proc: subprocess.Popen | None = None

    def start(self, timeout: float = 3.0) -> "SocatPair":
        self._proc = subprocess.Popen(
            ["socat", "-d", "-d", f"pty,raw,echo=0,link={self.driver_link}",
             f"pty,raw,echo=0,link={self.device_link}"],
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        deadline = time.monotonic() + timeout
        buf = b""
        while b"starting data transfer loop" not in buf:
            if time.monotonic() > deadline or self._proc.poll() is not None:
                self.stop()
                raise RuntimeError("socat did not start: " + buf.decode(errors="replace"))
            ready, _, _ = select.select([self._proc.stderr], [], [], 0.05)
            if ready:
                buf += os.read(self._proc.stderr.fileno(), 4096)
        return self

    def stop(self) -> None:
        proc, self._proc = self._proc, None
        if proc is not None:
            proc.kill()
            proc.wait(5)
            proc.stderr.close()


class SerialServer:
    """Runs `session` on the device end of a PTY pair until stopped or the PTY goes away."""

    def __init__(self, session: Session, path: str):
        self.session, self.path = session, path
        self._channel: SerialChannel | None = None

    def start(self) -> "SerialServer":
        self._channel = SerialChannel(serial.Serial(self.path, timeout=0.05))
        threading.Thread(target=self._run, args=(self._channel,), daemon=True).start()
        return self

    def _run(self, channel: SerialChannel) -> None:
        try:
            self.session(channel)
        except ChannelClosed:
            pass

    def channels(self) -> list:
        return [self._channel] if self._channel is not None else []

    def stop(self) -> None:
        channel, self._channel = self._channel, None
        if channel is not None:
            channel.close()


class ServedEmulator:
    """Base of the device emulators: serves `self.session(channel)` on a loopback
    TCP port or on the device side of a PTY pair, one transport at a time."""

    _server: "TcpServer | SerialServer | None" = None
    _flooding: "threading.Event | None" = None

    def session(self, channel) -> None:  # pragma: no cover - each emulator defines it
        raise NotImplementedError

    def serve_tcp(self, port: int = 0) -> TcpServer:
        self._server = TcpServer(self.session, port).start()
        return self._server

    def serve_serial(self, path: str) -> SerialServer:
        self._server = SerialServer(self.session, path).start()
        return self._server

    @property
    def port(self) -> int:
        return self._server.port

    def flood(self, on: bool = True, *, chunk: int = 1024, pause: float = 0.002, seed: int = 14) -> None:
        """Endless line noise to every connected driver (random bytes, `chunk` every `pause` s)."""
        if self._flooding is not None:
            self._flooding.set()
            self._flooding = None
        if not on:
            return
        stop = self._flooding = threading.Event()
        rng = random.Random(seed)

        def pump():
            while not stop.is_set():
                server = self._server
                for channel in server.channels() if server is not None else []:
                    try:
                        channel.send(rng.randbytes(chunk))
                    except ChannelClosed:
                        pass
                stop.wait(pause)
        threading.Thread(target=pump, name="emu-flood", daemon=True).start()

    def stop(self) -> None:
        self.flood(False)
        if self._server is not None:
            self._server.stop()
