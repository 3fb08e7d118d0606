"""QR payload decoding: raw bytes from zbar (binary mode, QR only) and text as UTF-8,
else GB18030.

pyzbar's default asks zbar to guess the text encoding, and zbar guesses
Shift-JIS for UTF-8 Chinese without an ECI marker ("天津" -> "憭拇揖").
zbar >= 0.23 has ZBAR_CFG_BINARY (4), which pyzbar 0.1.9 does not name; it is
set here through pyzbar's own ctypes wrapper.
"""
from __future__ import annotations

import threading
from ctypes import c_void_p, cast, string_at

from pyzbar import wrapper as zb
from pyzbar.pyzbar import _pixel_data

from drivers.base import DeviceError

ZBAR_CFG_BINARY = 4
_Y800 = int.from_bytes(b"Y800", "little")


class ScanDecodeError(DeviceError, ValueError):
    """The scanned bytes are neither UTF-8 nor GB18030 text."""

    message = "二维码内容无法识别"


def decode_payload(raw: bytes) -> str:
    """UTF-8 first (what generators and most scanners emit), then GB18030 (a superset of GBK)."""
    for encoding in ("utf-8", "gb18030"):
        try:
            return bytes(raw).decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ScanDecodeError(f"{len(raw)} bytes in no known encoding")


class QrDecoder:
    """A reusable zbar image scanner restricted to QR, returning raw payload bytes.

    Not thread-safe by zbar's design; each instance guards itself with a lock.
    """

    def __init__(self):
        self._scanner = zb.zbar_image_scanner_create()
        if not self._scanner:
            raise DeviceError("zbar scanner could not be created")
        zb.zbar_image_scanner_set_config(self._scanner, zb.ZBarSymbol.NONE, zb.ZBarConfig.CFG_ENABLE, 0)
        zb.zbar_image_scanner_set_config(self._scanner, zb.ZBarSymbol.QRCODE, zb.ZBarConfig.CFG_ENABLE, 1)
        zb.zbar_image_scanner_set_config(self._scanner, zb.ZBarSymbol.QRCODE, ZBAR_CFG_BINARY, 1)
        self._lock = threading.Lock()

    def decode(self, image) -> list[bytes]:
        """Payloads of every QR code in `image` (PIL image, numpy array or (pixels, width, height) 8-bit gray)."""
        pixels, width, height = _pixel_data(image)
        results = []
        with self._lock:
            img = zb.zbar_image_create()
            try:
                zb.zbar_image_set_format(img, _Y800)
                zb.zbar_image_set_size(img, width, height)
                zb.zbar_image_set_data(img, cast(pixels, c_void_p), len(pixels), None)
                if zb.zbar_scan_image(self._scanner, img) > 0:
                    symbol = zb.zbar_image_first_symbol(img)
                    while symbol:
                        data = zb.zbar_symbol_get_data(symbol)
                        results.append(string_at(data, zb.zbar_symbol_get_data_length(symbol)))
                        symbol = zb.zbar_symbol_next(symbol)
            finally:
                zb.zbar_image_destroy(img)
        return results

    def close(self) -> None:
        scanner, self._scanner = self._scanner, None
        if scanner:
            zb.zbar_image_scanner_destroy(scanner)

    def __del__(self):
        self.close()
