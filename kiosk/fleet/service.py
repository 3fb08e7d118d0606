"""The terminal's fleet services, built from settings: config updates, heartbeat with
remote commands, maintenance mode, diagnostics and the technician PIN lock.

`build_fleet(services)` is called once by kiosk.services.build_services; it applies
the config bundle already in use (settings overrides, catalog, holiday table,
texts) to the services, and `start()` runs the update poller and the heartbeat
on daemon threads. Screens reach all of it through `services.fleet`.
"""
from __future__ import annotations

import argparse
import json
import logging
import os
import signal
import threading
import time
from pathlib import Path
from typing import Callable, Optional

from kiosk import __version__
from kiosk.fleet.bundle import overlay, validate_bundle
from kiosk.config import REPO_CONFIG, Settings, validate
from kiosk.fleet.diagnostics import LogRing
from kiosk.fleet.heartbeat import Heartbeat, Outcome
from kiosk.i18n import Messages
from kiosk.platform.models import Command, DeviceHealth
from kiosk.fleet.technician import PinLock
from kiosk.fleet.updates import ConfigUpdater, Poller
from kiosk.workdays.calendar import HolidayTable, WorkCalendar

log = logging.getLogger("kiosk.fleet.service")


class Maintenance:
    """Maintenance mode (set remotely or by a technician): citizens see "设备维护中"."""

    def __init__(self, path: Path):
        self.path = path
        self._listeners: list[Callable[[bool], None]] = []
        try:
            data = json.loads(path.read_text())
            self.active, self.reason = bool(data["active"]), str(data.get("reason", ""))
        except (OSError, ValueError, KeyError, TypeError):
            self.active, self.reason = False, ""

    def listen(self, callback: Callable[[bool], None]) -> None:
        self._listeners.append(callback)

    def set(self, active: bool, reason: str = "") -> None:
        self.active, self.reason = active, reason if active else ""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.path.with_suffix(".tmp")
        tmp.write_text(json.dumps({"active": self.active, "reason": self.reason}, ensure_ascii=False))
        os.replace(tmp, self.path)
        log.info("maintenance mode %s", "on" if active else "off")
        for callback in list(self._listeners):
            callback(active)


class Fleet:
    def __init__(self, services, base: Settings):
        self.services, self.base = services, base
        state = base.state_path()
        self.calendar = WorkCalendar()
        self.maintenance = Maintenance(state / "fleet" / "maintenance.json")
        self.technician = PinLock.from_settings(base, state / "fleet" / "technician.json")
        self.logs = LogRing()
        self.restart: Callable[[], None] = lambda: os.kill(os.getpid(), signal.SIGTERM)  # systemd restarts
        platform = services.platform
        repo_url = base["updates"]["repo_url"] or (lambda: platform.config_repo_url)
        self.updater = ConfigUpdater(state, repo_url, time_source=platform.server_time,
                                     on_applied=self.apply, timeout=int(base["platform"]["read_timeout"]))
        self.heartbeat = Heartbeat(platform, state, app_version=__version__, devices=self.device_health,
                                   outbox_depth=self.outbox_depth,
                                   config_status=lambda: self.updater.status.to_json(),
                                   maintenance=lambda: self.maintenance.active, handlers=self.handlers())
        self._pollers: list[Poller] = []

    # --- what the heartbeat and the technician screen read -------------------------------
    def device_health(self) -> dict[str, DeviceHealth]:
        devices = self.services.devices
        if devices is None:
            return {}
        return {name: DeviceHealth(h.state, h.reason[:200]) for name, h in devices.health().items()}

    def outbox_depth(self) -> int:
        outbox = getattr(self.services, "outbox", None)     # kiosk/platform/outbox.py, when built
        depth = getattr(outbox, "depth", None)
        return int(depth() if callable(depth) else depth or 0)

    # --- technician actions (call from a worker thread) -----------------------------------
    def selftest_item(self, family: str, print_page: bool = False) -> tuple[str, str]:
        """One self-test item, as kiosk-selftest runs it: ("PASS" | "FAIL" | "SKIP", reason)."""
        from drivers.base import DeviceError
        from kiosk.tools.selftest import PROBES
        devices = self.services.devices
        device = devices.get(family) if devices is not None else None
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
            server = self.services.platform.server_time()
        except Exception as exc:
            return False, type(exc).__name__
        rtt = time.monotonic() - started
        if self.heartbeat.clock_offset is None:
            self.heartbeat.clock_offset = round(server - time.time() + rtt / 2, 1)
        return True, f"{rtt * 1000:.0f} ms"

    # --- applying a config bundle to the running services --------------------------------
    def apply(self, path: Optional[Path]) -> None:
        """Load bundle `path` (None: the shipped config) into the services; raise if any part fails."""
        bundle = validate_bundle(path) if path is not None else None
        settings = Settings(overlay(dict(self.base.data), bundle.settings if bundle else None),
                            self.base.sources + ((str(path),) if bundle and bundle.settings else ()))
        validate(settings.data)
        catalog_dir = bundle.catalog_dir if bundle and bundle.catalog_dir else REPO_CONFIG / "catalog"
        catalog = self.services.catalog
        if catalog is not None and not catalog.load(catalog_dir):
            raise RuntimeError(f"catalog did not load: {catalog.problems[:1]}")
        table = HolidayTable.load(bundle.holidays_path) if bundle and bundle.holidays_path else None
        self.calendar = WorkCalendar(table)
        language = self.services.messages.language
        self.services.messages = Messages(language, overrides=bundle.texts if bundle else None)
        self.services.settings = settings

    def apply_current(self) -> None:
        current = self.updater.current
        if current is None:
            return
        try:
            self.apply(current)
        except Exception as exc:              # a bad bundle on disk never stops the kiosk
            log.error("config in use failed to load; running the shipped config",
                      extra={"error": f"{type(exc).__name__}: {exc}"[:300]})
            self.heartbeat.record_error(f"config v{self.updater.version} failed to load")

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
            number = self.services.platform.upload_diagnostics(self.logs.lines()[-1000:], summary,
                                                               command_id=c.command_id,
                                                               app_version=__version__)
            return Outcome("done", f"diagnostics {number}")

        return {"refresh_config": refresh, "run_selftest": selftest, "upload_logs": upload,
                "restart_app": lambda c: Outcome("done", "restarting", after_ack=self.restart),
                "set_maintenance": lambda c: self._maintenance(True, c.args.get("reason", "")),
                "clear_maintenance": lambda c: self._maintenance(False)}

    def _maintenance(self, active: bool, reason: str = "") -> Outcome:
        self.maintenance.set(active, reason)
        return Outcome("done", "maintenance on" if active else "maintenance off")

    # --- running ---------------------------------------------------------------------
    def start(self) -> "Fleet":
        u, h = self.base["updates"], self.base["heartbeat"]
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


def build_fleet(services) -> Fleet:
    fleet = Fleet(services, services.settings)
    fleet.apply_current()
    return fleet
