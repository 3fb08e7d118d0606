"""QR scanners: serial line mode over pyserial against the scanner emulator (TCP and PTY),
camera mode through cv2.VideoCapture playing generated images, decoded by zbar."""
from __future__ import annotations

import io
import random

import pytest
import segno
from PIL import Image, ImageFilter

from drivers import open_device
from drivers.scanner.decode import QrDecoder, decode_payload
from drivers.scanner.emulator import CameraEmulator, ScannerEmulator
from drivers.scanner.events import Scanned, ScanRejected
from drivers.scanner.lines import Debouncer, LineReader
from tests.drivers.conftest import served, wait_health

FAST = "backoff=0.02&backoff_max=0.1"
CODES = ["天津市政务服务", "https://zwfw.tj.gov.cn/查询?no=TJ2026-1&名称=食品经营（承诺）", "ABC-123"]


@pytest.fixture
def serial_scanner(recorder):
    emulator = ScannerEmulator()
    emulator.serve_tcp()
    device = open_device(f"scanner+socket://127.0.0.1:{emulator.port}?{FAST}&debounce=0.3",
                         on_event=recorder)
    assert device.wait_connected(3)
    yield device, emulator
    device.close()
    emulator.stop()


@pytest.mark.parametrize("terminator", [b"\r", b"\n", b"\r\n"])
@pytest.mark.parametrize("encoding", ["utf-8", "gbk"])
def test_serial_lines_in_chunks_and_encodings(serial_scanner, recorder, terminator, encoding):
    _, emulator = serial_scanner
    for i, code in enumerate(CODES):
        emulator.scan(code, encoding=encoding, terminator=terminator, chunks=3)
        assert recorder.wait(Scanned, count=i + 1).text == code
    assert [e.source for e in recorder.of(Scanned)] == ["serial"] * 3


def test_serial_debounce_drops_fast_repeats(serial_scanner, recorder):
    _, emulator = serial_scanner
    for _ in range(3):
        emulator.scan("重复的码")
    emulator.scan("另一个码")
    recorder.wait(Scanned, lambda e: e.text == "另一个码")
    assert [e.text for e in recorder.of(Scanned)] == ["重复的码", "另一个码"]


def test_serial_controls_dropped_and_overlong_rejected(recorder):
    emulator = ScannerEmulator()
    emulator.serve_tcp()
    device = open_device(f"scanner+socket://127.0.0.1:{emulator.port}?{FAST}&max_length=16",
                         on_event=recorder)
    try:
        assert device.wait_connected(3)
        emulator.send(b"AB\x07C\x1b[0m\r\n" + b"X" * 40 + b"\r\n" + b"\xff\xfe\x80\r\n")
        assert recorder.wait(Scanned).text == "ABC[0m"
        assert recorder.wait(ScanRejected).reason == "二维码内容过长"
        assert recorder.wait(ScanRejected, count=2).reason == "二维码内容无法识别"
    finally:
        device.close()
        emulator.stop()


def test_line_reader_crlf_split_across_chunks():
    reader = LineReader()
    assert reader.feed(b"abc\r") == [b"abc"]
    assert reader.feed(b"\ndef\n\n") == [b"def"]


def test_debouncer_window():
    now = [0.0]
    debouncer = Debouncer(1.0, clock=lambda: now[0])
    assert debouncer.accept("a") and not debouncer.accept("a")
    now[0] = 2.0
    assert debouncer.accept("a") and debouncer.accept("b")


def test_serial_unplug_and_replug_over_a_pty(socat, recorder):
    pair = socat("scanner")
    emulator = ScannerEmulator()
    emulator.serve_serial(pair.device_link)
    device = open_device(f"scanner+serial://{pair.driver_link}?{FAST}", on_event=recorder)
    try:
        assert device.wait_connected(3)
        emulator.scan("第一次")
        recorder.wait(Scanned)
        emulator.stop()
        pair.stop()
        assert wait_health(device, "offline").reason
        pair.start()
        emulator.serve_serial(pair.device_link)
        wait_health(device, "ok")
        emulator.scan("第二次")
        assert recorder.wait(Scanned, count=2).text == "第二次"
    finally:
        device.close()
        emulator.stop()


def qr_image(text: str, scale: int = 4) -> Image.Image:
    buf = io.BytesIO()
    segno.make_qr(text, encoding="utf-8", error="m").save(buf, kind="png", scale=scale, border=4)
    buf.seek(0)
    return Image.open(buf).convert("L")


def on_frame(code: Image.Image, angle: float = 0, noise: int = 0, size=(640, 480), seed=1) -> Image.Image:
    code = code.rotate(angle, expand=True, fillcolor=255)
    frame = Image.new("L", size, 200)
    frame.paste(code, ((size[0] - code.width) // 2, (size[1] - code.height) // 2))
    if noise:
        rng = random.Random(seed)
        px = frame.load()
        for _ in range(noise):
            x, y = rng.randrange(size[0]), rng.randrange(size[1])
            px[x, y] = rng.choice((0, 255))
        frame = frame.filter(ImageFilter.GaussianBlur(0.6))
    return frame


@pytest.mark.parametrize("text", CODES)
@pytest.mark.parametrize("angle,scale,noise", [(0, 3, 0), (17, 4, 0), (90, 2, 0), (33, 5, 3000), (0, 6, 8000)])
def test_camera_decode_chinese_qr_rotated_scaled_noisy(text, angle, scale, noise):
    frame = on_frame(qr_image(text, scale), angle, noise)
    assert [decode_payload(raw) for raw in QrDecoder().decode(frame)] == [text]


def test_default_pyzbar_garbles_what_binary_mode_gets_right():
    from pyzbar.pyzbar import decode
    frame = on_frame(qr_image("天津"))
    assert decode(frame)[0].data.decode("utf-8") != "天津"
    assert decode_payload(QrDecoder().decode(frame)[0]) == "天津"


def test_gb18030_payload():
    assert decode_payload("天津".encode("gb18030")) == "天津"


def test_camera_emulator_through_videocapture_unplug_and_replug(recorder, tmp_path):
    camera = CameraEmulator(tmp_path / "cam")
    camera.show(on_frame(qr_image(CODES[1])), on_frame(qr_image(CODES[1])))
    device = open_device(camera.url + f"?fps=50&{FAST}", on_event=recorder)
    try:
        scan = recorder.wait(Scanned)
        assert (scan.text, scan.source) == (CODES[1], "camera")
        camera.unplug()
        assert wait_health(device, "offline").reason
        camera.replug()
        camera.show(on_frame(qr_image("换了一个码")))
        wait_health(device, "ok")
        assert recorder.wait(Scanned, lambda e: e.text == "换了一个码").source == "camera"
    finally:
        device.close()
        camera.stop()


def test_emu_urls(recorder):
    device = open_device(f"scanner+emu://?{FAST}", on_event=recorder)
    try:
        assert device.wait_connected(3)
        device.emulator.scan("演示码", encoding="gbk")
        assert recorder.wait(Scanned).text == "演示码"
    finally:
        device.close()
    camera = open_device("scanner+emu://?mode=camera&fps=50")
    try:
        assert camera.wait_connected(3)
        assert camera.health().ok
    finally:
        camera.close()


def _wakeups(thread) -> int:
    """How many times the kernel has woken `thread` (its voluntary context switches)."""
    status = open(f"/proc/self/task/{thread.native_id}/status").read()
    return int(next(line.split()[1] for line in status.splitlines() if line.startswith("voluntary_ctxt_switches")))


@pytest.mark.parametrize("transport", ["tcp", "pty"])
def test_an_idle_serial_scanner_sleeps_until_a_code_comes(socat, recorder, transport):
    """A scanner that is shown nothing sends nothing: its driver must not wake to look (a 20 ms
    read timeout woke it 50 times a second, most of the kiosk's idle CPU), yet a code shown
    then is read at once."""
    import time
    emulator = ScannerEmulator()
    device = open_device(served(emulator, "scanner", transport, socat, FAST), on_event=recorder)
    try:
        assert device.wait_connected(3)
        emulator.scan("唤醒")
        recorder.wait(Scanned)
        before = _wakeups(device._thread)
        time.sleep(2.0)
        assert _wakeups(device._thread) - before <= 8      # a few wake-ups to check for a stop, not 100
        emulator.scan("第二个码")
        assert recorder.wait(Scanned, count=2).text == "第二个码"
    finally:
        device.close()
        emulator.stop()
