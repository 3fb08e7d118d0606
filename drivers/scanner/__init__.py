"""QR scanners: `from_url` for the registry.

scanner+serial:///dev/ttyACM0?baudrate=9600 and scanner+socket://HOST:PORT (line mode),
scanner+camera://0 (camera index) or scanner+camera:///path/frame_%04d.png (anything
cv2.VideoCapture opens), scanner+emu:// (in-process line-mode emulator over TCP) and
scanner+emu://?mode=camera (in-process image player through the camera path).
Query keys: debounce, max_length, fps, width, height, backoff, backoff_max.
"""
from __future__ import annotations

from drivers import DeviceURL, UnsupportedURL


def from_url(url: DeviceURL, on_event=None):
    emulator = None
    if url.transport == "emu":
        if url.query.get("mode") == "camera":
            from drivers.scanner.emulator import CameraEmulator
            from PIL import Image
            emulator = CameraEmulator()
            emulator.show(Image.new("L", (640, 480), 255))
            url = url.with_transport("camera", "", emulator.source)
        else:
            from drivers.scanner.emulator import ScannerEmulator
            emulator = ScannerEmulator()
            emulator.serve_tcp()
            url = url.with_transport("socket", f"127.0.0.1:{emulator.port}")
    common = dict(on_event=on_event, backoff=url.backoff(), debounce=url.number("debounce", 1.5))
    if url.transport in ("serial", "socket"):
        from drivers.scanner.serial_scanner import SerialScanner
        device = SerialScanner(url, max_length=int(url.number("max_length", 1024)),
                               baudrate=int(url.number("baudrate", 9600)), **common)
    elif url.transport == "camera":
        from drivers.scanner.camera import CameraScanner
        source = int(url.netloc) if url.netloc.isdigit() else url.path
        if source == "":
            raise UnsupportedURL(f"{url.url}: camera needs an index (camera://0) or a path")
        device = CameraScanner(source, fps=url.number("fps", 10), width=int(url.number("width", 640)),
                               height=int(url.number("height", 480)), **common)
    else:
        raise UnsupportedURL(f"{url.url}: scanner transports are serial, socket, camera, emu")
    device.emulator = emulator
    return device
