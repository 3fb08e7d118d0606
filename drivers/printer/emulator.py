"""A receipt printer emulator: a loopback TCP server (like a 9100 raw port) that captures
jobs and decodes the ESC/POS subset we emit back into what a citizen would read:
text lines (per the profile's encoding and Chinese mode), QR payloads (native
GS ( k, or raster images read back with zbar) and cuts. It answers DLE EOT
status queries from a settable paper state.
`python -m drivers.printer.emulator --port 9100 --profile generic-80` runs one standalone.
"""
from __future__ import annotations

import argparse
import threading
from dataclasses import dataclass, field

from drivers.emulation import ServedEmulator
from drivers.printer.profiles import PROFILES, Profile
from drivers.scanner.decode import QrDecoder, decode_payload

PAPER_STATUS = {"ok": 0x12, "near_end": 0x1E, "out": 0x72}   # DLE EOT 4 answers
ONLINE_STATUS = 0x12                                         # DLE EOT 1: online, drawer closed
JOB_PAUSE = 0.05        # seconds of silence that end a job in progress
IDLE_WAKE = 1.0         # between jobs: how often a quiet session looks whether its port was closed here


@dataclass
class Job:
    lines: list[str] = field(default_factory=list)
    qr: list[str] = field(default_factory=list)
    cuts: int = 0
    bold_lines: list[str] = field(default_factory=list)
    size: int = 0

    @property
    def text(self) -> str:
        return "\n".join(self.lines)


class Incomplete(Exception):
    """The buffer ends inside a command: wait for more bytes."""


class EscPosDecoder:
    """Incremental decoder; `feed` returns the bytes to answer (status queries)."""

    def __init__(self, profile: Profile):
        self.profile = profile
        self.jobs: list[Job] = []
        self.paper = "ok"
        self._buf = bytearray()
        self._job: Job | None = None
        self._segments: list[tuple[bytes, bool]] = []   # (bytes, in Chinese mode)
        self._chinese = False
        self._bold = False
        self._qr_store = b""
        self._qr_decoder: QrDecoder | None = None
        self.on_job = None

    # -- stream ---------------------------------------------------------------------
    def feed(self, data: bytes) -> bytes:
        self._buf += data
        replies = bytearray()
        while self._buf:
            try:
                used, reply = self._command(self._buf)
            except Incomplete:
                break
            del self._buf[:used]
            replies += reply
        return bytes(replies)

    @property
    def busy(self) -> bool:
        """A job (or a command) is under way: its end is a pause in the stream."""
        return bool(self._buf or self._segments or self._job is not None)

    def finish(self) -> None:
        """End of the connection: whatever was sent is a job."""
        self._end_job()

    def _need(self, buf, n: int) -> None:
        if len(buf) < n:
            raise Incomplete()

    def _command(self, buf: bytearray) -> tuple[int, bytes]:
        b = buf[0]
        if b == 0x1B:                       # ESC
            self._need(buf, 2)
            c = buf[1]
            if c == 0x40:                   # ESC @ : a new job starts
                self._end_job()
                self._job = Job()
                self._chinese, self._bold = False, False
                return 2, b""
            self._need(buf, 3)
            if c == 0x45:
                self._bold = bool(buf[2] & 1)
            elif c == 0x64:                 # ESC d n : print and feed n lines
                self._line()
                for _ in range(buf[2]):
                    self._current().lines.append("")
            return 3, b""                   # ESC t / a / ! / - / M / 3 / J: layout only
        if b == 0x1D:                       # GS
            self._need(buf, 2)
            c = buf[1]
            if c == 0x56:                   # GS V m [n]
                self._need(buf, 3)
                self._line()
                self._current().cuts += 1
                self._end_job()            # the paper is cut: the citizen takes this job away
                return (4 if buf[2] in (65, 66) else 3), b""
            if c == 0x28:                   # GS ( k / GS ( L pL pH ...
                self._need(buf, 5)
                size = 5 + int.from_bytes(buf[3:5], "little")
                self._need(buf, size)
                if buf[2] == ord("k"):
                    self._qr_command(bytes(buf[5:size]))
                return size, b""
            if c == 0x76:                   # GS v 0 m xL xH yL yH data
                self._need(buf, 8)
                width, height = int.from_bytes(buf[4:6], "little"), int.from_bytes(buf[6:8], "little")
                size = 8 + width * height
                self._need(buf, size)
                self._raster(bytes(buf[8:size]), width, height)
                return size, b""
            self._need(buf, 3)
            return 3, b""                   # GS ! / B / L / W ...
        if b == 0x1C:                       # FS
            self._need(buf, 2)
            if buf[1] == 0x26:
                self._chinese = True
                return 2, b""
            if buf[1] == 0x2E:
                self._chinese = False
                return 2, b""
            self._need(buf, 3)
            return 3, b""
        if b == 0x10:                       # DLE EOT n: real-time status
            self._need(buf, 3)
            if buf[1] == 0x04:
                return 3, bytes([PAPER_STATUS[self.paper] if buf[2] == 4 else ONLINE_STATUS])
            return 2, b""
        if b == 0x0A:
            self._line()
            return 1, b""
        if b < 0x20:
            return 1, b""                   # CR and other controls print nothing
        end = 1
        while end < len(buf) and buf[end] >= 0x20:
            end += 1
        self._text(bytes(buf[:end]))
        return end, b""

    # -- content ----------------------------------------------------------------------
    def _current(self) -> Job:
        if self._job is None:
            self._job = Job()
        return self._job

    def _text(self, data: bytes) -> None:
        if self._segments and self._segments[-1][1] == self._chinese:
            self._segments[-1] = (self._segments[-1][0] + data, self._chinese)
        else:
            self._segments.append((data, self._chinese))

    def _decode(self, data: bytes, chinese: bool) -> str:
        if self.profile.encoding == "utf-8":
            return data.decode("utf-8", errors="replace")
        if chinese or not self.profile.chinese_mode:
            return data.decode(self.profile.encoding, errors="replace")
        return data.decode("cp437")      # what a printer not in Chinese mode prints: garbage

    def _line(self) -> None:
        if self._job is None and not self._segments:
            return
        text = "".join(self._decode(d, c) for d, c in self._segments).rstrip()
        self._segments = []
        job = self._current()
        job.lines.append(text)
        if self._bold and text:
            job.bold_lines.append(text.strip())

    def _qr_command(self, body: bytes) -> None:
        if len(body) < 2 or body[0] != ord("1"):
            return
        fn = body[1]
        if fn == 80:                         # store: cn fn m data
            self._qr_store = body[3:]
        elif fn == 81:                       # print the stored symbol
            self._current().qr.append(decode_payload(self._qr_store))

    def _raster(self, data: bytes, width_bytes: int, height: int) -> None:
        from PIL import Image, ImageOps
        image = Image.frombytes("1", (width_bytes * 8, height), data)
        # raster 1 bits are black; add a white margin so zbar finds the quiet zone
        gray = ImageOps.expand(ImageOps.invert(image.convert("L")), border=16, fill=255)
        if self._qr_decoder is None:
            self._qr_decoder = QrDecoder()
        for payload in self._qr_decoder.decode(gray):
            self._current().qr.append(decode_payload(payload))

    def _end_job(self) -> None:
        if self._segments:
            self._line()
        job, self._job = self._job, None
        if job is not None and (job.lines or job.qr or job.cuts):
            while job.lines and not job.lines[-1]:
                job.lines.pop()
            self.jobs.append(job)
            if self.on_job is not None:
                self.on_job(job)


class PrinterEmulator(ServedEmulator):
    """Captured jobs in `jobs`; `paper` is 'ok', 'near_end' or 'out' (an out printer drops jobs)."""

    def __init__(self, profile: Profile | str = "generic-80"):
        self.profile = PROFILES[profile] if isinstance(profile, str) else profile
        self.jobs: list[Job] = []
        self.paper = "ok"
        self.on_job = None
        self._cond = threading.Condition()


    def session(self, channel) -> None:
        decoder = EscPosDecoder(self.profile)
        decoder.on_job = self._captured
        try:
            while True:
                # a pause in a job's stream ends it; between jobs the session sleeps until bytes come
                data = channel.recv(65536, JOB_PAUSE if decoder.busy else IDLE_WAKE)
                decoder.paper = self.paper
                if not data:
                    decoder.finish()     # a pause in the stream ends the job in progress
                    continue
                reply = decoder.feed(data)
                if reply:
                    channel.send(reply)
        finally:
            decoder.finish()

    def _captured(self, job: Job) -> None:
        if self.paper == "out":
            return
        with self._cond:
            self.jobs.append(job)
            self._cond.notify_all()
        if self.on_job is not None:
            self.on_job(job)

    def wait_job(self, count: int = 1, timeout: float = 3.0) -> Job:
        with self._cond:
            if not self._cond.wait_for(lambda: len(self.jobs) >= count, timeout):
                raise TimeoutError(f"printer emulator got {len(self.jobs)} jobs, expected {count}")
            return self.jobs[count - 1]


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description="receipt printer emulator")
    parser.add_argument("--port", type=int, default=9100)
    parser.add_argument("--profile", choices=sorted(PROFILES), default="generic-80")
    args = parser.parse_args(argv)
    emulator = PrinterEmulator(args.profile)
    emulator.on_job = lambda job: print("\n".join(job.lines + [f"[QR {q}]" for q in job.qr]), flush=True)
    emulator.serve_tcp(args.port)
    print(f"printer emulator on 127.0.0.1:{emulator.port}", flush=True)
    threading.Event().wait()


if __name__ == "__main__":
    main()
