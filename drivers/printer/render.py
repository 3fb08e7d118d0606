"""Renders a Document to one ESC/POS job for a printer profile.

Text is laid out here (CJK = two columns) and encoded per profile: runs of
non-ASCII text go out in the profile's encoding, inside FS & ... FS . when the
profile asks for Chinese mode. python-escpos's own text path is not used for
them because it sends full-width punctuation (，：（）￥) down the code-page
path and prints '????'. Native QR and the cut come from python-escpos.
"""
from __future__ import annotations

import unicodedata

import segno
from escpos.printer import Dummy
from PIL import Image

from drivers.printer import layout
from drivers.printer.document import QR, Cut, Document, Feed, Row, Separator, Text, Title
from drivers.printer.profiles import Profile

ESC_INIT = b"\x1b@"
BOLD_ON, BOLD_OFF = b"\x1bE\x01", b"\x1bE\x00"
DOUBLE_HEIGHT, NORMAL_SIZE = b"\x1d!\x01", b"\x1d!\x00"
ALIGN_LEFT, ALIGN_CENTER = b"\x1ba\x00", b"\x1ba\x01"
FS_CHINESE_ON, FS_CHINESE_OFF = b"\x1c&", b"\x1c."
LF = b"\n"
DOTS_PER_MM = 8     # 203 dpi print heads


def clean(text: str) -> str:
    """Drop control and format characters: citizen-supplied text must not carry printer commands."""
    return "".join(ch for ch in text if ch == "\n" or unicodedata.category(ch) not in ("Cc", "Cf", "Cs"))


def encode_text(text: str, profile: Profile) -> bytes:
    if profile.encoding == "utf-8":
        return text.encode("utf-8")
    out = bytearray()
    run = ""
    for ch in text + "\0":
        if run and (ch.isascii() != run[0].isascii() or ch == "\0"):
            if run[0].isascii():
                out += run.encode("ascii")
            else:
                data = run.encode(profile.encoding, errors="replace")
                out += FS_CHINESE_ON + data + FS_CHINESE_OFF if profile.chinese_mode else data
            run = ""
        run += ch
    return bytes(out)


def _lines(lines: list[str], profile: Profile) -> bytes:
    return b"".join(encode_text(line, profile) + LF for line in lines)


def qr_raster(data: str, profile: Profile) -> bytes:
    """The QR code as a GS v 0 raster image (for printers without native QR)."""
    code = segno.make_qr(data, encoding="utf-8", error="m")
    border = 2
    size = code.symbol_size(scale=1, border=border)[0]
    # mode '1' packs 255 as a 1 bit, and ESC/POS raster prints 1 bits black: dark modules get 255
    matrix = bytes(255 if bit else 0 for row in code.matrix_iter(scale=1, border=border) for bit in row)
    packed = Image.frombytes("L", (size, size), matrix).resize(
        (size * profile.qr_size, size * profile.qr_size), Image.NEAREST).convert("1")
    width_bytes = (packed.width + 7) // 8
    header = b"\x1dv0\x00" + width_bytes.to_bytes(2, "little") + packed.height.to_bytes(2, "little")
    return header + packed.tobytes()


def _qr(block: QR, profile: Profile) -> bytes:
    if profile.native_qr:
        dummy = Dummy()
        dummy.qr(block.data, native=True, size=profile.qr_size, ec=1)   # ec 1 = level M
        code = dummy.output
    else:
        code = qr_raster(block.data, profile)
    out = ALIGN_CENTER + code + LF + ALIGN_LEFT
    if block.caption:
        out += _lines(layout.center(clean(block.caption), profile.columns), profile)
    return out


def _cut() -> bytes:
    dummy = Dummy()
    dummy.cut()
    return dummy.output


def render(document: Document, profile: Profile) -> bytes:
    cols = profile.columns
    out = bytearray(ESC_INIT)
    for block in document.blocks:
        if isinstance(block, Title):
            out += BOLD_ON + DOUBLE_HEIGHT + _lines(layout.center(clean(block.text), cols), profile)
            out += NORMAL_SIZE + BOLD_OFF
        elif isinstance(block, Text):
            place = {"center": layout.center, "right": layout.right}.get(block.align, layout.wrap)
            body = _lines(place(clean(block.text), cols), profile)
            out += BOLD_ON + body + BOLD_OFF if block.bold else body
        elif isinstance(block, Row):
            out += _lines(layout.row(clean(block.left), clean(block.right), cols), profile)
        elif isinstance(block, Separator):
            out += _lines([layout.separator(clean(block.char), cols)], profile)
        elif isinstance(block, QR):
            out += _qr(block, profile)
        elif isinstance(block, Feed):
            out += b"\x1bd" + bytes([max(0, min(block.lines, 255))])
        elif isinstance(block, Cut):
            out += _cut()
        else:
            raise TypeError(f"not a document block: {block!r}")
    return bytes(out)
