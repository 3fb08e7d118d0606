"""QRCode: a widget drawing a QR code (segno) from a Kivy texture, sharp at any size."""
from __future__ import annotations

import segno
from kivy.graphics import Color, Rectangle
from kivy.graphics.texture import Texture
from kivy.properties import StringProperty
from kivy.uix.widget import Widget


def qr_texture(data: str, border: int = 2) -> Texture:
    """One texel per module, white quiet zone, RGBA (row alignment safe)."""
    qr = segno.make(data, encoding="utf-8", error="m", micro=False)
    rows = [bytes(r) for r in qr.matrix]
    size = len(rows) + 2 * border
    light, dark = b"\xff\xff\xff\xff", b"\x00\x00\x00\xff"
    blank = light * size
    lines = [blank] * border
    for row in rows:
        lines.append(light * border + b"".join(dark if v else light for v in row) + light * border)
    lines += [blank] * border
    lines.reverse()                      # textures start at the bottom
    texture = Texture.create(size=(size, size), colorfmt="rgba")
    texture.blit_buffer(b"".join(lines), colorfmt="rgba", bufferfmt="ubyte")
    texture.mag_filter = "nearest"
    texture.min_filter = "nearest"
    return texture


class QRCode(Widget):
    data = StringProperty("")

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.texture = None
        self.bind(data=self._redraw, pos=self._redraw, size=self._redraw)
        self._redraw()

    def _redraw(self, *_):
        self.canvas.clear()
        if not self.data:
            self.texture = None
            return
        if self.texture is None or getattr(self, "_for", None) != self.data:
            self.texture, self._for = qr_texture(self.data), self.data
        side = min(self.width, self.height)
        with self.canvas:
            Color(1, 1, 1, 1)
            Rectangle(texture=self.texture, size=(side, side),
                      pos=(self.center_x - side / 2, self.center_y - side / 2))
