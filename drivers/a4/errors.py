"""A4 printer errors; each `message` tells the citizen what to do instead (the receipt's QR)."""
from __future__ import annotations

from drivers.printer.errors import PrinterError

INSTEAD = "可扫描凭条上的二维码下载承诺书"


class A4Unavailable(PrinterError):
    """The queue cannot print now (stopped, rejecting, unknown, scheduler down)."""

    cause = "离线"
    message = f"A4打印机暂时无法使用（离线），{INSTEAD}"


class A4Jam(A4Unavailable):
    cause = "卡纸"
    message = f"A4打印机暂时无法使用（卡纸），{INSTEAD}"


class A4PaperOut(A4Unavailable):
    cause = "缺纸"
    message = f"A4打印机暂时无法使用（缺纸），{INSTEAD}"


_CAUSES = ((A4Jam, ("jam", "卡纸")), (A4PaperOut, ("media-empty", "out of paper", "paper out", "no paper", "缺纸")))


def classify(reason: str) -> type[A4Unavailable]:
    """The error class for what CUPS said (a stop reason, a printer-state-message, lp's stderr)."""
    text = reason.lower()
    for cls, words in _CAUSES:
        if any(word in text for word in words):
            return cls
    return A4Unavailable
