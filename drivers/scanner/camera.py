"""The camera QR scanner driver: frames from OpenCV's VideoCapture, decoded with zbar
(QR only, raw bytes, UTF-8 then GB18030), de-bounced, emitted as Scanned events.

OpenCV rather than Kivy's camera provider: drivers must not import Kivy, the
capture has to run on the driver's own thread without a Kivy event loop, and
VideoCapture opens a V4L2 device index, a video file, a network stream or an
image sequence (`frame_%04d.png`, which is how the camera emulator plays files)
through one call.
"""
from __future__ import annotations

import time

from drivers.base import Backoff, Device, TransportError
from drivers.scanner.decode import QrDecoder, ScanDecodeError, decode_payload
from drivers.scanner.events import Scanned, ScanRejected
from drivers.scanner.lines import Debouncer, printable


IDLE_WAIT = 0.1     # seconds between looks at wanted() while no frames are needed


def to_gray(frame):
    import cv2
    return frame if frame.ndim == 2 else cv2.cvtColor(frame, cv2.COLOR_BGR2GRAY)


class CameraScanner(Device):
    family = "scanner"

    def __init__(self, source, *, on_event=None, backoff: Backoff = Backoff(), fps: float = 10.0,
                 debounce: float = 1.5, width: int = 640, height: int = 480):
        """`source`: a camera index (int) or anything cv2.VideoCapture opens (path, pattern, URL)."""
        super().__init__(on_event=on_event, backoff=backoff)
        self.source, self.period = source, 1.0 / fps
        self.size = (width, height)
        self.debouncer = Debouncer(debounce)
        self.decoder = QrDecoder()
        self._capture = None

    def _open(self):
        try:
            import cv2
        except ImportError:
            raise TransportError("OpenCV 未安装 (opencv-python-headless)") from None
        capture = cv2.VideoCapture(self.source)
        if not capture.isOpened():
            capture.release()
            raise TransportError(f"摄像头无法打开: {self.source}")
        if isinstance(self.source, int):
            capture.set(cv2.CAP_PROP_FRAME_WIDTH, self.size[0])
            capture.set(cv2.CAP_PROP_FRAME_HEIGHT, self.size[1])
        return capture

    def _connect(self) -> None:
        self._capture = self._open()

    def _disconnect(self) -> None:
        capture, self._capture = self._capture, None
        if capture is not None:
            capture.release()

    def _frame(self):
        ok, frame = self._capture.read()
        if ok:
            return frame
        # end of a file or sequence, or a camera that went away: reopen once, else report it
        self._disconnect()
        self._capture = self._open()
        ok, frame = self._capture.read()
        if not ok:
            raise TransportError("摄像头无画面")
        return frame

    def wanted(self) -> bool:
        """Whether frames are needed now; a QR scanner always watches."""
        return True

    def _serve(self) -> None:
        while not self._stopping.is_set():
            if not self.wanted():
                self._idle()
                continue
            if self._capture is None:       # a camera opened only when frames are wanted
                self._capture = self._open()
            started = time.monotonic()
            self.scan_frame(self._frame())
            self._sleep(max(0.0, self.period - (time.monotonic() - started)))

    def _idle(self) -> None:
        self._sleep(IDLE_WAIT)

    def scan_frame(self, frame) -> list[str]:
        """Decode one frame (BGR or gray numpy array) and emit what is new; returns the texts."""
        texts = []
        for raw in self.decoder.decode(to_gray(frame)):
            try:
                text = printable(decode_payload(raw))
            except ScanDecodeError as exc:
                self._emit(ScanRejected(exc.message))
                continue
            texts.append(text)
            if self.debouncer.accept(text):
                self._emit(Scanned(text, raw, "camera"))
        return texts
