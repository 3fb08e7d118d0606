"""`kiosk-selftest`: opens every configured device, probes it and prints PASS / FAIL with
the reason (SAM ID and find-card; printer test page; reader list and ATR; optionally a
scan within N seconds). Exit status 1 when any device fails, 2 on a configuration error.
"""
from __future__ import annotations

import argparse
import json
import sys
import threading

from drivers.base import DeviceError
from drivers.scanner.events import Scanned
from kiosk.config import ConfigError, load_settings
from kiosk.devices.fitted import FAMILIES, Devices

PASS, FAIL, SKIP = "PASS", "FAIL", "SKIP"
NAMES = {"idcard": "身份证阅读器", "scanner": "扫码器", "printer": "打印机", "smartcard": "社保卡读卡器",
         "doccam": "高拍仪"}


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
          "doccam": _probe_doccam}


def _table(rows: list[dict]) -> str:
    lines = [f"{'设备':<10}{'结果':<6}原因"]
    for row in rows:
        lines.append(f"{row['device']:<10}{row['result']:<6}{row['name']}: {row['reason']}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="kiosk-selftest", description="自助终端设备自检")
    parser.add_argument("--config", metavar="PATH", help="override file (default /etc/kiosk/kiosk.toml if present)")
    parser.add_argument("--json", action="store_true", help="machine-readable output")
    parser.add_argument("--timeout", type=float, default=5.0, help="seconds to wait for each device to connect")
    parser.add_argument("--wait-scan", type=float, default=0.0, metavar="SECONDS",
                        help="also wait this long for a QR scan")
    parser.add_argument("--no-print", action="store_true", help="do not print a test page")
    args = parser.parse_args(argv)
    try:
        settings = load_settings(args.config)
    except ConfigError as exc:
        print(f"kiosk-selftest: configuration error: {exc}", file=sys.stderr)
        return 2
    urls = dict(settings["devices"])
    devices = Devices.from_settings(settings)
    try:
        rows = run(devices, urls, args)
    finally:
        devices.close()
    print(json.dumps({"devices": rows}, ensure_ascii=False, indent=2) if args.json else _table(rows))
    return 1 if any(row["result"] == FAIL for row in rows) else 0


if __name__ == "__main__":
    sys.exit(main())
