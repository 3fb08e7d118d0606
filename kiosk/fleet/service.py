"""The terminal's fleet services: config updates, heartbeat with remote commands,
maintenance mode, diagnostics and the technician PIN lock.

Built once by kiosk.services.build_services from its collaborators (settings, platform
client, devices, outbox, the live configuration); `start()` runs the update poller and the
heartbeat on daemon threads. A new bundle goes to `LiveConfig.reconfigure`; the Fleet never
touches the other services. Screens reach it through `services.fleet`.
"""
from __future__ import annotations

import argparse
import json
import logging
import os
import signal
import threading
import time
from typing import Callable

from kiosk import __version__
from kiosk.config import Settings
from kiosk.devices.fitted import Devices
from kiosk.fleet.diagnostics import LogRing
from kiosk.fleet.effective import LiveConfig
from kiosk.fleet.heartbeat import Heartbeat, Outcome
from kiosk.fleet.maintenance import Maintenance
from kiosk.fleet.technician import PinLock, set_technician_pin_handler
from kiosk.fleet.updates import ConfigUpdater, Poller
from kiosk.platform.client import PlatformClient
from kiosk.platform.models import Command, DeviceHealth
from kiosk.platform.outbox import DegradedOutbox, Outbox

log = logging.getLogger(__name__)


class Fleet:
    def __init__(self, settings: Settings, *, platform: PlatformClient, devices: Devices,
                 outbox: Outbox | DegradedOutbox, live: LiveConfig):
        self.settings, self.platform, self.devices, self.outbox, self.live = \
            settings, platform, devices, outbox, live
        state = settings.state_path()
        self.maintenance = Maintenance(state / "fleet" / "maintenance.json")
        self.technician = PinLock.from_settings(settings, state / "fleet" / "technician.json")
        self.logs = LogRing()
        self.restart: Callable[[], None] = lambda: os.kill(os.getpid(), signal.SIGTERM)  # systemd restarts
        repo_url = settings["updates"]["repo_url"] or (lambda: platform.config_repo_url)
        self.updater = ConfigUpdater(state, repo_url, time_source=platform.server_time,
                                     on_applied=live.reconfigure,
                                     timeout=int(settings["platform"]["read_timeout"]))
        self.heartbeat = Heartbeat(platform, state, app_version=__version__, devices=self.device_health,
                                   outbox_depth=self.outbox_depth, config_status=self.config_status,
                                   maintenance=lambda: self.maintenance.active, handlers=self.handlers(),
                                   calendar=live.calendar)
        if live.problem:
            self.heartbeat.record_error(live.problem)
        self._pollers: list[Poller] = []

    def config_status(self) -> dict:
        """The last update cycle, and the settings that wait for the next restart."""
        status = self.updater.status.to_json()
        if self.live.restart_pending:
            status["restart_pending"] = list(self.live.restart_pending)
        return status

    # --- what the heartbeat and the technician screen read -------------------------------
    def device_health(self) -> dict[str, DeviceHealth]:
        """Each device's health, and the outbox's as one more ("outbox": degraded when its files
        are damaged or entries were set aside), so the fleet and the technician see it."""
        health = {name: DeviceHealth(h.state, h.reason[:200]) for name, h in self.devices.health().items()}
        state, reason = self.outbox.health()
        health["outbox"] = DeviceHealth("ok" if state == "ok" else "degraded", reason[:200])
        return health

    def outbox_depth(self) -> int:
        return self.outbox.depth()

    # --- technician actions (call from a worker thread) -----------------------------------
    def selftest_item(self, family: str, print_page: bool = False) -> tuple[str, str]:
        """One self-test item, as kiosk-selftest runs it: ("PASS" | "FAIL" | "SKIP", reason)."""
        from drivers.base import DeviceError
        from kiosk.devices.probes import PROBES
        if family == "outbox":
            state, reason = self.outbox.health()
            return ("PASS" if state == "ok" else "FAIL", reason or f"{self.outbox.depth()} 件待提交")
        device = self.devices.get(family)
        if device is None:
            health = self.device_health().get(family)
            return ("FAIL", health.reason) if health else ("SKIP", "未配置")
        if not device.wait_connected(3.0):
            return "FAIL", device.health().reason or "连接超时"
        probe = PROBES.get(family)
        if probe is None:
            return "PASS", "已连接"
        try:
            return "PASS", probe(device, argparse.Namespace(no_print=not print_page, wait_scan=0.0))
        except DeviceError as exc:
            return "FAIL", f"{exc.message} ({exc})"

    def platform_reachable(self) -> tuple[bool, str]:
        """(reachable, detail) with the round trip, for the technician screen."""
        started = time.monotonic()
        try:
            server = self.platform.server_time()
        except Exception as exc:
            return False, type(exc).__name__
        rtt = time.monotonic() - started
        if self.heartbeat.clock_offset is None:
            self.heartbeat.clock_offset = round(server - time.time() + rtt / 2, 1)
        return True, f"{rtt * 1000:.0f} ms"

    # --- remote commands ---------------------------------------------------------------
    def handlers(self) -> dict[str, Callable[[Command], Outcome]]:
        def refresh(_c):
            s = self.updater.check()
            ok = s.outcome in ("applied", "up-to-date")
            return Outcome("done" if ok else "failed", f"{s.outcome} v{s.version} {s.reason}".strip())

        def selftest(_c):
            health = self.device_health()
            bad = {k: v for k, v in health.items() if v.status != "ok"}
            detail = "; ".join(f"{k} {v.status} {v.reason}".strip() for k, v in health.items())
            return Outcome("failed" if bad else "done", detail or "no devices")

        def upload(c):
            summary = {"config": json.dumps(self.updater.status.to_json()),
                       "devices": json.dumps({k: vars(v) for k, v in self.device_health().items()},
                                             ensure_ascii=False),
                       "maintenance": str(self.maintenance.active)}
            number = self.platform.upload_diagnostics(self.logs.lines()[-1000:], summary,
                                                               command_id=c.command_id,
                                                               app_version=__version__)
            return Outcome("done", f"diagnostics {number}")

        return {"refresh_config": refresh, "run_selftest": selftest, "upload_logs": upload,
                "restart_app": lambda c: Outcome("done", "restarting", after_ack=self.restart),
                "set_technician_pin": set_technician_pin_handler(self.technician),
                "set_maintenance": lambda c: self._maintenance(True, c.args.get("reason", "")),
                "clear_maintenance": lambda c: self._maintenance(False)}

    def _maintenance(self, active: bool, reason: str = "") -> Outcome:
        self.maintenance.set(active, reason)
        return Outcome("done", "maintenance on" if active else "maintenance off")

    # --- running ---------------------------------------------------------------------
    def start(self) -> "Fleet":
        u, h = self.settings["updates"], self.settings["heartbeat"]
        self.logs.install()
        self._pollers = [
            Poller(self.updater.check, u["poll_seconds"], u["jitter"], "config-updates",
                   first_delay=u["first_delay_seconds"]).start(),
            Poller(self.heartbeat.beat, h["interval_seconds"], 0.1, "heartbeat",
                   first_delay=h["first_delay_seconds"]).start()]
        return self

    def check_now(self) -> None:
        """Ask the update poller to check at once (technician screen)."""
        if self._pollers:
            self._pollers[0].now()
        else:
            threading.Thread(target=self.updater.check, daemon=True).start()

    def close(self) -> None:
        for poller in self._pollers:
            poller.stop()
        self._pollers = []
        self.logs.remove()
