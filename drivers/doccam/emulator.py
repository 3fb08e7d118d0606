"""The document camera emulator: generated document pages (a title, ruled lines of "text",
a page number and a seal) played through the camera path by the scanner's CameraEmulator."""
from __future__ import annotations

from drivers.scanner.emulator import CameraEmulator

PAGE_SIZE = (800, 1100)


def document_page(number: int = 1, size: tuple[int, int] = PAGE_SIZE):
    """A white page with dark text-like bars, a red seal and `number` marked by that many dots."""
    from PIL import Image, ImageDraw
    w, h = size
    page = Image.new("RGB", size, (250, 250, 246))
    draw = ImageDraw.Draw(page)
    draw.rectangle((w * 0.25, h * 0.06, w * 0.75, h * 0.09), fill=(30, 30, 30))
    for row in range(18):
        y = h * 0.14 + row * h * 0.042
        right = w * (0.9 if row % 5 != 4 else 0.55)
        draw.rectangle((w * 0.1, y, right, y + h * 0.014), fill=(70, 70, 70))
    draw.ellipse((w * 0.62, h * 0.8, w * 0.86, h * 0.8 + w * 0.24), outline=(200, 30, 30), width=8)
    for dot in range(number):
        x = w * 0.1 + dot * 28
        draw.ellipse((x, h * 0.93, x + 16, h * 0.93 + 16), fill=(0, 0, 0))
    return page


class DocumentCameraEmulator(CameraEmulator):
    """`place(n)`: page n lies under the camera from now on; `unplug()`/`replug()` as the scanner's."""

    @property
    def url(self) -> str:
        return f"doccam+camera://{self.source}"

    def place(self, number: int = 1) -> None:
        self.show(document_page(number))
