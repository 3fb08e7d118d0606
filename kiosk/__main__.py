"""`kiosk` / `python -m kiosk`: validate the configuration, then run the touch app.

This launcher is the only module of kiosk/ that reaches into screens/: it is
the program's entry point, not part of the core.
"""
from __future__ import annotations

import argparse
import logging
import os
import sys

from kiosk.config import ConfigError, load_settings
from kiosk.logs import setup_logging
from kiosk.platform.private_files import PRIVATE_UMASK

log = logging.getLogger("kiosk")


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="kiosk", description="天津市政务服务自助终端")
    parser.add_argument("--config", metavar="PATH", help="override file (default /etc/kiosk/kiosk.toml if present)")
    parser.add_argument("--dev", action="store_true", help="windowed; Esc, F1 and the inspector allowed")
    parser.add_argument("--check-config", action="store_true", help="validate the configuration and exit")
    parser.add_argument("--bench-first-frame", action="store_true", help=argparse.SUPPRESS)
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    # whatever the service manager or a shell gave: all the app writes is its own (keys, outbox,
    # credential, state); the helpers of kiosk.platform.private_files do not count on it
    os.umask(PRIVATE_UMASK)
    args = parse_args(argv)
    try:
        settings = load_settings(args.config)
    except ConfigError as exc:
        print(f"kiosk: configuration error: {exc}", file=sys.stderr)
        return 2
    if args.check_config:
        print("configuration OK: " + " + ".join(settings.sources))
        return 0
    setup_logging(settings["logging"]["level"])
    from screens.window import configure_kivy, FontMissing
    try:
        configure_kivy(settings, dev=args.dev or settings.dev)
    except FontMissing as exc:
        print(f"kiosk: {exc}", file=sys.stderr)
        return 1
    from screens.app import KioskApp
    app = KioskApp(settings, dev=args.dev or settings.dev,
                   announce_first_frame=args.bench_first_frame)
    log.info("starting", extra={"terminal": settings["kiosk"]["terminal_id"], "sources": settings.sources})
    app.run()
    return 0


if __name__ == "__main__":
    sys.exit(main())
