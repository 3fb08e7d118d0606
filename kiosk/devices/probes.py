"""The device probes behind kiosk-selftest and the technician screen's self-test: each opens
nothing itself, it asks a connected device the question that shows it works (SAM ID and
find-card; printer test page; reader list and ATR; a camera frame; the A4 queue's state; optionally a scan)."""
from __future__ import annotations

import sys
import threading

from drivers.base import DeviceError
from drivers.scanner.events import Scanned
from kiosk.devices.fitted import FAMILIES, Devices

PASS, FAIL, SKIP = "PASS", "FAIL", "SKIP"
NAMES = {"idcard": "身份证阅读器", "scanner": "扫码器", "printer": "打印机", "smartcard": "社保卡读卡器",
         "doccam": "高拍仪", "a4": "A4打印机", "outbox": "待提交库"}


def _probe_idcard(device, args) -> str:
    sam = device.sam_id()
    return f"SAM {sam}; " + ("检测到身份证" if device.card_present() else "无卡")


def _probe_printer(device, args) -> str:
    if args.no_print:
        return "已连接（未打印测试页）"
    device.test_page()
    return "测试页已打印"


def _probe_smartcard(device, args) -> str:
    readers = device.readers()
    return f"读卡器 {', '.join(readers)}; " + (f"ATR {device.atr}" if device.atr else "无卡")


def _probe_doccam(device, args) -> str:
    return f"已拍摄一帧（{len(device.capture(args.timeout)) // 1024} KB）"


def _probe_a4(device, args) -> str:
    """The CUPS queue's state only: a test page would spend a sheet of A4 at every self-test."""
    status = device.status()
    if status.problem is not None:
        raise status.problem(status.reason or "queue stopped")
    return f"CUPS 队列 {device.queue} 可打印"


def _probe_scanner(device, args, scanned: threading.Event) -> str:
    if not args.wait_scan:
        return "已连接"
    print(f"请在 {args.wait_scan:g} 秒内扫描任意二维码…", file=sys.stderr, flush=True)
    if not scanned.wait(args.wait_scan):
        raise DeviceError(f"{args.wait_scan:g} 秒内未收到扫码", message="未收到扫码")
    return "扫码成功"


def run(devices: Devices, urls, args) -> list[dict]:
    scanned = threading.Event()
    devices.listen(lambda family, event: scanned.set() if isinstance(event, Scanned) else None)
    health = devices.health()
    rows = []
    for family in FAMILIES:
        row = {"device": family, "name": NAMES[family], "url": urls.get(family, "")}
        device = devices.get(family)
        if not row["url"]:
            row.update(result=SKIP, reason="未配置")
        elif device is None:
            row.update(result=FAIL, reason=health[family].reason)
        elif not device.wait_connected(args.timeout):
            row.update(result=FAIL, reason=device.health().reason or "连接超时")
        else:
            try:
                if family == "scanner":
                    detail = _probe_scanner(device, args, scanned)
                else:
                    detail = PROBES[family](device, args)
                row.update(result=PASS, reason=detail)
            except DeviceError as exc:
                row.update(result=FAIL, reason=f"{exc.message} ({exc})")
        rows.append(row)
    return rows


PROBES = {"idcard": _probe_idcard, "printer": _probe_printer, "smartcard": _probe_smartcard,
          "doccam": _probe_doccam, "a4": _probe_a4}
