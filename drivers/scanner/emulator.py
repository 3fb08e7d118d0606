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

from drivers.emulation import ServedEmulator


class ScannerEmulator(ServedEmulator):
    def __init__(self):
        self._outboxes: list[queue.Queue] = []
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
        outbox: queue.Queue = queue.Queue()
        with self._lock:
            self._outboxes.append(outbox)
            self._lock.notify_all()
        try:
            while True:
                try:
                    channel.send(outbox.get(timeout=0.05))
                except queue.Empty:
                    channel.recv(64, 0)     # raises ChannelClosed once the driver is gone
        finally:
            with self._lock:
                self._outboxes.remove(outbox)


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
