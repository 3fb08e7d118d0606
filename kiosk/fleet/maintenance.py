"""Maintenance mode, set remotely or by a technician: citizens see "设备维护中" and the hotline."""
from __future__ import annotations

import json
import logging
import os
from pathlib import Path
from typing import Callable

log = logging.getLogger(__name__)


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
