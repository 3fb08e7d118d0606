"""Printer errors the kiosk catches; importing them loads no ESC/POS library."""
from __future__ import annotations

from drivers.base import DeviceError


class PrinterError(DeviceError):
    """Printing failed; `message` can be shown to the citizen as it is."""

    message = "打印失败，请联系工作人员"


class PrinterOffline(PrinterError):
    message = "打印机未连接，暂时无法打印，请联系工作人员"


class PaperOut(PrinterError):
    message = "打印纸已用完，请联系工作人员更换打印纸"
