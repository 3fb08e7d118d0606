"""An ID card reader (SAM module) emulator speaking the GA 467-style frames over TCP or a PTY.

Programmable from tests and the demo: place or remove a card of any type, force
an SW3 code on a command, add delays, garbage bytes or silence.
`python -m drivers.idcard.emulator --port 7001` runs one standalone.
"""
from __future__ import annotations

import argparse
import threading
import time
from dataclasses import dataclass, field
from typing import Optional

from drivers.base import DeviceTimeout
from drivers.emulation import ServedEmulator
from drivers.idcard import cards
from drivers.idcard import protocol as p
from drivers.idcard.protocol import Identity

PHOTO_SIZE = 1024
SAM_ID = bytes.fromhex("0501000020200101000000010000000A")


@dataclass
class Faults:
    sw3: dict = field(default_factory=dict)   # (cmd, para) -> SW3 answered instead
    garbage: bytes = b""                      # sent once, before the next answer
    silent: int = 0                           # the next N requests get no answer
    delay: float = 0.0                        # seconds before every answer
    corrupt_next: bool = False                # flip the checksum of the next answer


class IdCardEmulator(ServedEmulator):
    def __init__(self):
        self.card: Optional[bytes] = None
        self.photo = bytes(PHOTO_SIZE)
        self.faults = Faults()
        self.busy_seconds = 0.0        # time spent answering, for the benchmark
        self.requests = 0
        self._selected = False
        self._lock = threading.Lock()

    # -- programming ------------------------------------------------------------
    def place(self, card: Identity | bytes | str = "resident") -> None:
        if isinstance(card, str):
            card = cards.SAMPLES[card]()
        with self._lock:
            self.card = card if isinstance(card, bytes) else cards.encode_identity(card)
            self._selected = False

    def remove(self) -> None:
        with self._lock:
            self.card = None
            self._selected = False


    # -- protocol ---------------------------------------------------------------------
    def session(self, channel) -> None:
        while True:
            try:
                frame = p.read_frame(lambda n: channel.recv(n, 1.0), timeout=3600)   # bytes end the wait at once
            except p.LengthError:
                continue
            except DeviceTimeout:
                continue
            started = time.perf_counter()
            answer = self.answer(frame)
            self.busy_seconds += time.perf_counter() - started
            if answer is not None:
                channel.send(answer)

    def answer(self, frame: bytes) -> Optional[bytes]:
        faults = self.faults
        self.requests += 1
        if faults.silent:
            faults.silent -= 1
            return None
        if faults.delay:
            time.sleep(faults.delay)
        try:
            cmd, para, _ = p.parse_request(frame)
        except p.ChecksumError:
            reply = p.build_response(0x10)
        except p.FrameError:
            reply = p.build_response(0x11)
        else:
            forced = faults.sw3.get((cmd, para))
            reply = p.build_response(forced) if forced is not None else self._reply(cmd, para)
        if faults.corrupt_next:
            faults.corrupt_next = False
            reply = reply[:-1] + bytes([reply[-1] ^ 0xFF])
        if faults.garbage:
            reply, faults.garbage = faults.garbage + reply, b""
        return reply

    def _reply(self, cmd: int, para: int) -> bytes:
        with self._lock:
            card, selected = self.card, self._selected
            if (cmd, para) == p.FIND:
                return p.build_response(0x9F, bytes(4)) if card else p.build_response(0x80)
            if (cmd, para) == p.SELECT:
                if not card:
                    return p.build_response(0x81)
                self._selected = True
                return p.build_response(0x90, bytes(8))
            if (cmd, para) in (p.READ, p.READ_FP):
                if not card or not selected:
                    return p.build_response(0x41)
                head = len(card).to_bytes(2, "big") + len(self.photo).to_bytes(2, "big")
                if (cmd, para) == p.READ_FP:
                    return p.build_response(0x90, head + bytes(2) + card + self.photo)
                return p.build_response(0x90, head + card + self.photo)
        if (cmd, para) == p.SAM_ID:
            return p.build_response(0x90, SAM_ID)
        if (cmd, para) in (p.STATUS, p.RESET):
            return p.build_response(0x90)
        return p.build_response(0x21)


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description="ID card reader emulator")
    parser.add_argument("--port", type=int, default=7001)
    parser.add_argument("--card", choices=sorted(cards.SAMPLES), default=None)
    args = parser.parse_args(argv)
    emulator = IdCardEmulator()
    if args.card:
        emulator.place(args.card)
    server = emulator.serve_tcp(args.port)
    print(f"ID card emulator on 127.0.0.1:{server.port}", flush=True)
    threading.Event().wait()


if __name__ == "__main__":
    main()
