"""Scanner emulators. `ScannerEmulator` is a serial line-mode scanner reachable over TCP
or a PTY: `scan()` sends a code in any encoding, terminator and chunking.
`CameraEmulator` plays image files as a camera: it lays them out as an image
sequence that cv2.VideoCapture opens like a device (`scanner+camera:///dir/frame_%04d.png`).
"""
from __future__ import annotations

import os
import queue
import shutil
import tempfile
import threading
import time
from pathlib import Path

from drivers.emulation import ServedEmulator, readable

IDLE_WAKE = 1.0         # a quiet session looks this often whether its port was closed here (a code or the driver leaving wakes it at once)


class _Outbox:
    """One connected driver's codes; `put` wakes its session through a pipe, so an idle
    session sleeps in select() until a code comes or the driver goes."""

    def __init__(self):
        self.codes: queue.Queue = queue.Queue()
        self.wake, self._waker = os.pipe()

    def put(self, data: bytes) -> None:
        self.codes.put(data)
        try:
            os.write(self._waker, b"\0")
        except OSError:
            pass                    # the session has ended: nobody reads these any more

    def drain(self):
        os.read(self.wake, 4096)
        while True:
            try:
                yield self.codes.get_nowait()
            except queue.Empty:
                return

    def close(self) -> None:
        os.close(self.wake)
        os.close(self._waker)


class ScannerEmulator(ServedEmulator):
    def __init__(self):
        self._outboxes: list[_Outbox] = []
        self._lock = threading.Condition()


    def send(self, data: bytes, wait: float = 2.0) -> None:
        """Raw bytes to every connected driver (waits briefly for one to connect)."""
        with self._lock:
            if not self._lock.wait_for(lambda: self._outboxes, wait):
                raise TimeoutError("no driver connected to the scanner emulator")
            for outbox in self._outboxes:
                outbox.put(data)

    def scan(self, text: str, encoding: str = "utf-8", terminator: bytes = b"\r\n", chunks: int = 1,
             gap: float = 0.0) -> None:
        data = text.encode(encoding) + terminator
        step = max(1, -(-len(data) // chunks))
        for i in range(0, len(data), step):
            self.send(data[i:i + step])
            if gap:
                time.sleep(gap)

    def session(self, channel) -> None:
        outbox = _Outbox()
        with self._lock:
            self._outboxes.append(outbox)
            self._lock.notify_all()
        try:
            while True:
                ready = readable(channel, outbox.wake, timeout=IDLE_WAKE)
                if channel in ready:
                    channel.recv(64, 0)     # raises ChannelClosed once the driver is gone
                if outbox.wake in ready:
                    for data in outbox.drain():
                        channel.send(data)
        finally:
            with self._lock:
                self._outboxes.remove(outbox)
            outbox.close()


class CameraEmulator:
    """Image files played as a camera; `unplug()`/`replug()` make the device vanish and return."""

    PATTERN = "frame_%04d.png"

    def __init__(self, directory: str | os.PathLike | None = None):
        self._owned = directory is None
        self.directory = Path(directory or tempfile.mkdtemp(prefix="camera-emu-"))
        self.directory.mkdir(parents=True, exist_ok=True)
        self._hidden = self.directory.with_name(self.directory.name + ".unplugged")

    @property
    def source(self) -> str:
        return str(self.directory / self.PATTERN)

    @property
    def url(self) -> str:
        return f"scanner+camera://{self.source}"

    def show(self, *images) -> None:
        """Play these PIL images (or image file paths) in a loop from now on."""
        staging = Path(tempfile.mkdtemp(dir=self.directory.parent))
        for index, image in enumerate(images):
            target = staging / (self.PATTERN % index)
            if isinstance(image, (str, os.PathLike)):
                shutil.copyfile(image, target)
            else:
                image.save(target)
        # replace frame by frame so a capture opening the sequence meanwhile always finds frame 0
        for new in sorted(staging.iterdir()):
            os.replace(new, self.directory / new.name)
        staging.rmdir()
        for index in range(len(images), 10000):
            extra = self.directory / (self.PATTERN % index)
            if not extra.exists():
                break
            extra.unlink()

    def unplug(self) -> None:
        self.directory.rename(self._hidden)

    def replug(self) -> None:
        self._hidden.rename(self.directory)

    def stop(self) -> None:
        if self._owned:
            shutil.rmtree(self.directory, ignore_errors=True)
            shutil.rmtree(self._hidden, ignore_errors=True)
