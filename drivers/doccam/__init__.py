"""Document cameras (高拍仪): `from_url` for the registry.

doccam+camera://0 (camera index, through OpenCV as the scanner's camera mode),
doccam+camera:///path/frame_%04d.png (anything cv2.VideoCapture opens) and
doccam+emu:// (generated document pages played through the camera path).
Query keys: fps, width, height, quality (JPEG), keep (seconds frames are read after a
capture was asked for; idle otherwise), backoff, backoff_max.
"""
from __future__ import annotations

from drivers import DeviceURL, UnsupportedURL


def from_url(url: DeviceURL, on_event=None):
    emulator = None
    if url.transport == "emu":
        from drivers.doccam.emulator import DocumentCameraEmulator
        emulator = DocumentCameraEmulator()
        emulator.place(1)
        url = url.with_transport("camera", "", emulator.source)
    if url.transport != "camera":
        raise UnsupportedURL(f"{url.url}: document camera transports are camera, emu")
    from drivers.doccam.camera import DocumentCamera
    source = int(url.netloc) if url.netloc.isdigit() else url.path
    if source == "":
        raise UnsupportedURL(f"{url.url}: camera needs an index (camera://0) or a path")
    device = DocumentCamera(source, on_event=on_event, backoff=url.backoff(), fps=url.number("fps", 5),
                            width=int(url.number("width", 1600)), height=int(url.number("height", 1200)),
                            quality=int(url.number("quality", 85)), keep_seconds=url.number("keep", 30))
    device.emulator = emulator
    return device
