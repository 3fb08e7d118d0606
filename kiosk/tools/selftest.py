"""`kiosk-selftest`: opens every configured device, probes it and prints PASS / FAIL with
the reason (SAM ID and find-card; printer test page; reader list and ATR; optionally a
scan within N seconds). Exit status 1 when any device fails, 2 on a configuration error.
`--calendar [--date YYYY-MM-DD]` reports the work calendar instead (kiosk/tools/selftest_calendar.py).
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import sys

from kiosk.config import ConfigError, load_settings
from kiosk.devices.fitted import Devices
from kiosk.devices.probes import FAIL, run
from kiosk.platform.private_files import PRIVATE_UMASK, with_umask


def _table(rows: list[dict]) -> str:
    lines = [f"{'设备':<10}{'结果':<6}原因"]
    for row in rows:
        lines.append(f"{row['device']:<10}{row['result']:<6}{row['name']}: {row['reason']}")
    return "\n".join(lines)


@with_umask(PRIVATE_UMASK)
def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="kiosk-selftest", description="自助终端设备自检")
    parser.add_argument("--config", metavar="PATH", help="override file (default /etc/kiosk/kiosk.toml if present)")
    parser.add_argument("--json", action="store_true", help="machine-readable output")
    parser.add_argument("--timeout", type=float, default=5.0, help="seconds to wait for each device to connect")
    parser.add_argument("--wait-scan", type=float, default=0.0, metavar="SECONDS",
                        help="also wait this long for a QR scan")
    parser.add_argument("--no-print", action="store_true", help="do not print a test page")
    parser.add_argument("--calendar", action="store_true",
                        help="the work calendar instead of the devices: years covered, and every deadline "
                             "of a letter signed on --date as the screens would show it")
    parser.add_argument("--date", type=dt.date.fromisoformat, metavar="YYYY-MM-DD",
                        help="with --calendar: the signing date (default: today in China)")
    args = parser.parse_args(argv)
    try:
        settings = load_settings(args.config)
    except ConfigError as exc:
        print(f"kiosk-selftest: configuration error: {exc}", file=sys.stderr)
        return 2
    if args.calendar:
        from kiosk.tools.selftest_calendar import main_calendar
        return main_calendar(settings, args.date, args.json)
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
