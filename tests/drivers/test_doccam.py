"""The document camera (高拍仪) through OpenCV: the emulator's generated pages come back as
JPEG pages, a new page under the camera is what the next capture returns, an unplugged
camera is reported offline and captures fail plainly, and the kiosk service wraps it."""
from __future__ import annotations

import io
import time

import pytest
from PIL import Image

from drivers import UnsupportedURL, open_device
from drivers.base import DeviceOffline
from drivers.doccam.emulator import PAGE_SIZE, DocumentCameraEmulator
from kiosk.devices.fitted import Devices
from kiosk.devices.doccam import CaptureFailed, DocumentCapture, Pages
from tests.drivers.conftest import wait_health

FAST = "fps=20&backoff=0.02&backoff_max=0.1"


def _dots(jpeg: bytes) -> int:
    """How many page-number dots the captured page shows (dark blobs along the bottom row)."""
    image = Image.open(io.BytesIO(jpeg)).convert("L")
    y = int(image.height * 0.93) + 8
    row = [image.getpixel((x, y)) < 100 for x in range(image.width // 2)]
    return sum(1 for a, b in zip([False] + row, row) if b and not a)


def test_pages_are_captured_as_jpeg_and_follow_the_page_under_the_camera(tmp_path):
    camera = DocumentCameraEmulator(tmp_path / "doccam")
    camera.place(1)
    device = open_device(camera.url + "?" + FAST)
    try:
        assert device.wait_connected(3)
        first = device.capture()
        assert first[:2] == b"\xff\xd8" and Image.open(io.BytesIO(first)).size == PAGE_SIZE
        assert _dots(first) == 1
        camera.place(3)
        assert any(_dots(device.capture()) == 3 for _ in range(10))
        camera.unplug()
        assert wait_health(device, "offline").reason
        with pytest.raises(DeviceOffline):
            device.capture(timeout=0.3)
        camera.replug()
        wait_health(device, "ok")
        assert device.capture()[:2] == b"\xff\xd8"
    finally:
        device.close()
        camera.stop()


def test_no_frames_are_read_until_a_page_is_asked_for_and_none_after_keep_seconds(tmp_path):
    camera = DocumentCameraEmulator(tmp_path / "doccam")
    camera.place(2)
    device = open_device(camera.url + "?" + FAST + "&keep=0.5")
    try:
        assert device.wait_connected(3)
        time.sleep(0.5)
        assert device._count == 0                          # idle: the camera is not streaming
        assert _dots(device.capture(timeout=1)) == 2       # asked: frames flow at once
        assert device._count >= 1
        time.sleep(1.2)                                    # keep (0.5 s, at least the 1 s timeout) is over
        idle_count = device._count
        time.sleep(0.5)
        assert device._count == idle_count
    finally:
        device.close()
        camera.stop()


def test_the_kiosk_service_takes_pages_and_says_plainly_when_there_is_no_camera():
    devices = Devices.open({"doccam": "doccam+emu://?" + FAST})
    try:
        capture = DocumentCapture(devices)
        pages = Pages()
        assert pages.add("M02", capture.snapshot()) == 1
        assert pages.add("M02", capture.snapshot()) == 2
        assert pages.retake("M02", capture.snapshot()) == 2
        assert pages.last("M02").content_type == "image/jpeg"
        assert [len(pages.take("M02"))] == [2] and pages.count("M02") == 0
        assert "image" not in repr(pages)          # page counts only, never the pages
    finally:
        devices.close()
        devices.doccam.emulator.stop()
    with pytest.raises(CaptureFailed, match="高拍仪"):
        DocumentCapture(Devices({})).snapshot()


def test_unknown_transport_is_refused():
    with pytest.raises(UnsupportedURL):
        open_device("doccam+serial:///dev/ttyS0")


def test_opencv_is_imported_by_the_first_capture_not_by_opening_the_camera(tmp_path):
    """A fitted document camera nobody uses costs no OpenCV (it is 20 MiB and 0.5 s of start)."""
    import subprocess
    import sys
    script = f"""
import sys
from drivers import open_device
from drivers.doccam.emulator import DocumentCameraEmulator
camera = DocumentCameraEmulator({str(tmp_path / "doccam")!r})
camera.place(1)
device = open_device(camera.url + "?{FAST}&keep=0.3")
assert device.wait_connected(3) and device.health().state == "ok"
assert "cv2" not in sys.modules and "numpy" not in sys.modules, "OpenCV before any capture"
assert device.capture(timeout=0.5)[:2] == b"\\xff\\xd8"
assert "cv2" in sys.modules
import time; time.sleep(1.5)                      # keep is over: the camera is closed again
assert device._capture is None and device._latest is None
camera.unplug()
deadline = time.monotonic() + 3
while device.health().state != "offline" and time.monotonic() < deadline:
    time.sleep(0.02)
assert device.health().state == "offline", "an unplugged idle camera must be reported"
device.close(); camera.stop()
print("OK")
"""
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60)
    assert done.stdout.strip() == "OK", done.stderr[-2000:]
