"""A virtual social-security card for pcscd's vpcd driver (Debian's vicc is broken on Python 3).

It connects to vpcd (127.0.0.1:35963 = reader "Virtual PCD 00 00") and answers
vpcd's protocol: 2-byte big-endian length, then a 1-byte control (0 off, 1 on,
2 reset, 4 ATR) or a C-APDU answered with data + SW. It implements SELECT (by
name and by FID) and READ RECORD over a small file tree: the SSSE application
with EF05 and EF06. Stopping it is pulling the card out.
"""
from __future__ import annotations

import socket
import threading
import time

from drivers.smartcard.script import SSSE_NAME

VPCD_PORT = 35963
ATR = bytes.fromhex("3B8880010000000000000000000009")   # ISO 14443-4 style, T=1


def _tlv(tag: int, value: bytes) -> bytes:
    return bytes([tag, len(value)]) + value


def sample_files(name="李四", id_number="120101199003071234", card_number="A12345678") -> dict:
    return {
        0xEF05: {2: _tlv(2, b"\x01"), 3: _tlv(3, b"3.00"), 5: _tlv(5, bytes.fromhex("20230115")),
                 6: _tlv(6, bytes.fromhex("20330115")), 7: _tlv(7, card_number.encode())},
        0xEF06: {8: _tlv(8, id_number.encode()), 9: _tlv(9, name.encode("gbk").ljust(30, b" ")),
                 10: _tlv(10, b"1"), 11: _tlv(11, bytes.fromhex("01"))},
    }


class SocialSecurityCard:
    def __init__(self, files: dict | None = None, host: str = "127.0.0.1", port: int = VPCD_PORT):
        self.files = files or sample_files()
        self.refuse: dict = {}          # INS byte -> SW to answer instead
        self.host, self.port = host, port
        self._sock: socket.socket | None = None
        self._app = False
        self._ef = None

    def insert(self, timeout: float = 3.0) -> "SocialSecurityCard":
        deadline = time.monotonic() + timeout
        while True:
            try:
                sock = socket.create_connection((self.host, self.port), timeout=1)
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.02)
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        sock.settimeout(None)
        self._sock = sock
        threading.Thread(target=self._run, args=(sock,), daemon=True, name="vicc").start()
        return self

    def remove(self) -> None:
        sock, self._sock = self._sock, None
        if sock is not None:
            try:
                sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            sock.close()

    stop = remove

    def _recv(self, sock, size: int) -> bytes:
        out = b""
        while len(out) < size:
            # vpcd waits for our answer before sending more; without QUICKACK each APDU costs ~40 ms
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_QUICKACK, 1)
            chunk = sock.recv(size - len(out))
            if not chunk:
                raise OSError("vpcd closed")
            out += chunk
        return out

    def _run(self, sock) -> None:
        try:
            while True:
                size = int.from_bytes(self._recv(sock, 2), "big")
                message = self._recv(sock, size)
                if size == 1:
                    if message[0] == 4:
                        sock.sendall(len(ATR).to_bytes(2, "big") + ATR)
                    else:
                        self._app, self._ef = False, None
                    continue
                answer = self.apdu(message)
                sock.sendall(len(answer).to_bytes(2, "big") + answer)
        except OSError:
            pass

    def apdu(self, command: bytes) -> bytes:
        if len(command) < 4:
            return b"\x67\x00"
        cla, ins, p1, p2 = command[:4]
        if ins in self.refuse:
            return self.refuse[ins].to_bytes(2, "big")
        body = command[5:5 + command[4]] if len(command) > 5 else b""
        if ins == 0xA4 and p1 == 0x04:
            self._app = body == SSSE_NAME
            return b"\x90\x00" if self._app else b"\x6A\x82"
        if ins == 0xA4 and p1 == 0x00 and len(body) == 2:
            fid = int.from_bytes(body, "big")
            if self._app and fid in self.files:
                self._ef = fid
                return b"\x90\x00"
            return b"\x6A\x82"
        if ins == 0xB2:
            record = self.files.get(self._ef, {}).get(p1)
            return record + b"\x90\x00" if record is not None else b"\x6A\x83"
        return b"\x6D\x00"
