"""systemd readiness and liveness (sd_notify), for kiosk.service's WatchdogSec.

The app calls `ready()` after its first frame and `ping()` from the UI thread's
clock, so a hung UI thread stops the pings and systemd restarts the app.
Outside systemd (no NOTIFY_SOCKET) every call is a no-op.
"""
from __future__ import annotations

import os

import sdnotify


class Watchdog:
    def __init__(self, environ=os.environ):
        self.enabled = bool(environ.get("NOTIFY_SOCKET"))
        usec = environ.get("WATCHDOG_USEC", "")
        # ping at a third of the deadline: two pings may be lost before systemd acts
        self.interval = int(usec) / 3e6 if usec.isdigit() and int(usec) > 0 else 0.0
        self._notifier = sdnotify.SystemdNotifier() if self.enabled else None
        if self._notifier is not None and self._notifier.socket is not None:
            # a full notify queue must drop a ping, never block the UI thread
            self._notifier.socket.setblocking(False)

    def _send(self, state: str) -> None:
        if self._notifier is not None:
            self._notifier.notify(state)

    def ready(self) -> None:
        self._send("READY=1")

    def ping(self, *_args) -> None:
        self._send("WATCHDOG=1")

    def status(self, text: str) -> None:
        self._send(f"STATUS={text}")

    def stopping(self) -> None:
        self._send("STOPPING=1")
