"""The document camera (高拍仪): the scanner's OpenCV capture loop (open, reopen, frame
pacing, health) keeps the newest frame instead of decoding QR codes; `capture()` returns
it as a JPEG page. The screens show that page as the preview; retaking is capturing again.

Frames are read only for `keep_seconds` after a capture was asked for: a camera streaming
1600x1200 all day in an idle hall costs CPU and USB bandwidth for nothing. Until then the
camera is not even opened (OpenCV and numpy are imported by the first capture, not at the
kiosk's start), only looked for, so an unplugged camera is still reported offline; when
`keep_seconds` are over it is closed again and the last frame freed.
"""
from __future__ import annotations

import threading
import time
from pathlib import Path

from drivers.base import Backoff, DeviceOffline, TransportError
from drivers.scanner.camera import CameraScanner

LOOK_SECONDS = 1.0      # how often an idle document camera is looked for (unplugged: offline)


class DocumentCamera(CameraScanner):
    family = "doccam"

    def __init__(self, source, *, on_event=None, backoff: Backoff = Backoff(), fps: float = 5.0,
                 width: int = 1600, height: int = 1200, quality: int = 85, keep_seconds: float = 30.0):
        super().__init__(source, on_event=on_event, backoff=backoff, fps=fps, width=width, height=height)
        self.quality, self.keep_seconds = quality, keep_seconds
        self._wanted_until = 0.0
        self._latest = None
        self._frame_lock = threading.Lock()
        self._fresh = threading.Condition(self._frame_lock)
        self._count = 0
        self._asked = threading.Event()     # a capture was asked for: stop idling at once

    def wanted(self) -> bool:
        return time.monotonic() < self._wanted_until

    def _connect(self) -> None:
        """Only whether the camera is there: OpenCV opens it when a page is wanted."""
        self._look_for_camera()

    def _idle(self) -> None:
        self._disconnect()          # frees OpenCV's capture and the last frame, if open
        self._look_for_camera()
        # a second between looks for the camera, but a capture ends the wait at once
        if self._asked.wait(LOOK_SECONDS):
            self._asked.clear()

    def _wake(self) -> None:
        self._asked.set()

    def _look_for_camera(self) -> None:
        if isinstance(self.source, int):
            present = Path(f"/dev/video{self.source}").exists()
        else:                       # a stream URL, or a file / image sequence in a directory
            present = "://" in self.source or Path(self.source).parent.is_dir()
        if not present:
            raise TransportError(f"摄像头无法打开: {self.source}")

    def scan_frame(self, frame) -> list[str]:
        """Every frame becomes the newest one; nothing is decoded."""
        with self._fresh:
            self._latest, self._count = frame, self._count + 1
            self._fresh.notify_all()
        return []

    def _disconnect(self) -> None:
        super()._disconnect()
        with self._frame_lock:
            self._latest = None

    def capture(self, timeout: float = 3.0) -> bytes:
        """A frame taken after this call began, as JPEG bytes; DeviceOffline if none comes."""
        import cv2
        self._wanted_until = time.monotonic() + max(self.keep_seconds, timeout)
        self._asked.set()
        with self._fresh:
            seen = self._count
            if not self._fresh.wait_for(lambda: self._count > seen and self._latest is not None, timeout):
                raise DeviceOffline("no frame from the document camera")
            frame = self._latest
        ok, data = cv2.imencode(".jpg", frame, [cv2.IMWRITE_JPEG_QUALITY, self.quality])
        if not ok:
            raise DeviceOffline("the frame could not be encoded")
        return data.tobytes()

    def close(self) -> None:
        super().close()
        emulator = getattr(self, "emulator", None)     # doccam+emu://: its generated pages go too
        if emulator is not None:
            emulator.stop()
