"""A fault-injecting TCP proxy on 127.0.0.1 between the platform client and the sandbox.

`FaultProxy(upstream_port).start()` listens on `.port` and forwards byte for byte while
`.fault` is None. Set `.fault` to one of FAULTS to break every *new* connection:

- refuse:    accept and reset at once (RST, like a closed port behind a NAT)
- stall:     accept, read the request, never answer (until the proxy stops)
- slow:      forward, but trickle the answer back `slow_chunk` bytes every `slow_delay` s
- 5xx:       answer 503 with a problem document, without asking upstream
- malformed: answer 200 application/json whose body is not JSON
- truncated: answer 200 with a Content-Length larger than the body, then close
- plain_tls: for a client speaking TLS: answer plain HTTP bytes instead of a handshake
- answer:    answer `.answer` (raw bytes, e.g. from `http_answer(...)`) without asking upstream

Every connection thread is bounded in time; stop() closes everything it opened.
"""
from __future__ import annotations

import socket
import struct
import threading
import time

FAULTS = ("refuse", "stall", "slow", "5xx", "malformed", "truncated", "plain_tls", "answer")


def http_answer(status: int, reason: str, body: bytes = b"", content_type: str = "text/plain",
                **headers: str) -> bytes:
    """Raw bytes of one HTTP/1.1 answer (a gateway's, a proxy's, a rate limiter's)."""
    head = [f"HTTP/1.1 {status} {reason}", f"Content-Type: {content_type}", f"Content-Length: {len(body)}",
            "Connection: close"] + [f"{k.replace('_', '-')}: {v}" for k, v in headers.items()]
    return ("\r\n".join(head) + "\r\n\r\n").encode() + body

_PROBLEM = b'{"type":"urn:tj-kiosk:problem:unavailable","title":"down","status":503}'
CANNED = {
    "5xx": b"HTTP/1.1 503 Service Unavailable\r\nContent-Type: application/problem+json\r\n"
           b"Content-Length: %d\r\nConnection: close\r\n\r\n%s" % (len(_PROBLEM), _PROBLEM),
    "malformed": b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 17\r\n"
                 b"Connection: close\r\n\r\n{\"case_number\": [",
    "truncated": b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 4096\r\n"
                 b"Connection: close\r\n\r\n{\"number\": \"R-1\", \"rec",
    "plain_tls": b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 5\r\n\r\nhello",
}
MAX_CONNECTION_SECONDS = 60.0


class FaultProxy:
    def __init__(self, upstream_port: int, upstream_host: str = "127.0.0.1"):
        self.upstream = (upstream_host, upstream_port)
        self.fault: str | None = None
        self.answer = b""
        self.slow_chunk, self.slow_delay = 64, 0.05
        self.connections = 0
        self._stop = threading.Event()
        self._lock = threading.Lock()
        self._open: set[socket.socket] = set()
        self._listener = socket.socket()
        self._listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._listener.bind(("127.0.0.1", 0))
        self._listener.listen(32)
        self.port = self._listener.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}"
        self._thread = threading.Thread(target=self._accept, name="faultproxy", daemon=True)

    def start(self) -> "FaultProxy":
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        self._listener.close()
        with self._lock:
            for sock in list(self._open):
                _close(sock)
        self._thread.join(5)

    # -- plumbing ------------------------------------------------------------------
    def _track(self, sock: socket.socket) -> socket.socket:
        with self._lock:
            self._open.add(sock)
        return sock

    def _forget(self, *socks: socket.socket) -> None:
        with self._lock:
            for sock in socks:
                self._open.discard(sock)
                _close(sock)

    def _accept(self) -> None:
        self._listener.settimeout(0.1)
        while not self._stop.is_set():
            try:
                conn, _ = self._listener.accept()
            except socket.timeout:
                continue
            except OSError:
                return
            self.connections += 1
            threading.Thread(target=self._handle, args=(self._track(conn), self.fault),
                             name="faultproxy-conn", daemon=True).start()

    def _handle(self, conn: socket.socket, fault: str | None) -> None:
        deadline = time.monotonic() + MAX_CONNECTION_SECONDS
        try:
            if fault == "refuse":
                conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
                return
            if fault == "stall":
                conn.settimeout(0.1)
                while not self._stop.is_set() and time.monotonic() < deadline:
                    try:
                        if conn.recv(65536) == b"":
                            return
                    except socket.timeout:
                        continue
                return
            if fault in CANNED or fault == "answer":
                conn.settimeout(2)
                try:
                    conn.recv(65536)          # the request head (or a TLS ClientHello)
                except OSError:
                    pass
                conn.sendall(self.answer if fault == "answer" else CANNED[fault])
                return
            self._forward(conn, deadline, slow=fault == "slow")
        except OSError:
            pass
        finally:
            self._forget(conn)

    def _forward(self, conn: socket.socket, deadline: float, slow: bool) -> None:
        up = self._track(socket.create_connection(self.upstream, timeout=2))
        done = threading.Event()

        def pump(src: socket.socket, dst: socket.socket, trickle: bool) -> None:
            src.settimeout(0.1)
            try:
                while not done.is_set() and not self._stop.is_set() and time.monotonic() < deadline:
                    try:
                        data = src.recv(65536)
                    except socket.timeout:
                        continue
                    if not data:
                        break
                    if trickle:
                        for i in range(0, len(data), self.slow_chunk):
                            if self._stop.wait(self.slow_delay):
                                return
                            dst.sendall(data[i:i + self.slow_chunk])
                    else:
                        dst.sendall(data)
            except OSError:
                pass
            finally:
                done.set()

        back = threading.Thread(target=pump, args=(up, conn, slow), daemon=True)
        back.start()
        pump(conn, up, False)
        back.join(MAX_CONNECTION_SECONDS)
        self._forget(up)


def _close(sock: socket.socket) -> None:
    try:
        sock.close()
    except OSError:
        pass
