"""The effective configuration: base files + the terminal's override file + the installed
signed bundle, resolved once at start, and the one way it changes while running.

What may change while the kiosk runs (LIVE: the item catalog, the texts, the holiday table)
changes through `LiveConfig.reconfigure(bundle)`, in place, in the one catalog store, message
catalog and work calendar that every consumer reads. Any other setting a new bundle changes
takes effect after a clean restart: `restart_pending` lists those keys, the app exits at its
next idle moment (attract screen, no session) and systemd starts it again (docs/FLEET.md).
"""
from __future__ import annotations

import logging
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Optional

from kiosk.catalog.store import CatalogStore
from kiosk.config import REPO_CONFIG, Settings, validate
from kiosk.fleet.bundle import overlay, validate_bundle
from kiosk.i18n import Messages
from kiosk.workdays.calendar import HolidayTable, WorkCalendar

log = logging.getLogger(__name__)

LIVE = ("catalog", "texts", "holidays")
SHIPPED_CATALOG = REPO_CONFIG / "catalog"


@dataclass(frozen=True)
class Effective:
    """One resolved configuration; `bundle` is None when the shipped config is used."""
    settings: Settings
    catalog_dir: Path
    texts: Optional[dict]
    holidays: tuple[HolidayTable, ...]
    bundle: Optional[Path] = None
    problem: str = ""          # why the installed bundle could not be used, if it could not


def installed_bundle(state_dir: Path) -> Optional[Path]:
    """The bundle the updater switched to (`<state>/config/current`), if any."""
    link = Path(state_dir) / "config" / "current"
    return link.resolve() if link.is_symlink() and link.resolve().is_dir() else None


def resolve(base: Settings, bundle_path: Optional[Path]) -> Effective:
    """Base settings with the bundle's parts over them; raises if any part is invalid."""
    if bundle_path is None:
        return Effective(base, SHIPPED_CATALOG, None, ())
    bundle = validate_bundle(bundle_path)
    settings = base
    if bundle.settings:
        settings = Settings(overlay(dict(base.data), bundle.settings), base.sources + (str(bundle_path),))
        validate(settings.data)
    holidays = (HolidayTable.load(bundle.holidays_path),) if bundle.holidays_path else ()
    return Effective(settings, bundle.catalog_dir or SHIPPED_CATALOG, bundle.texts, holidays, Path(bundle_path))


def at_start(base: Settings) -> Effective:
    """The configuration to start with: the installed bundle, or the shipped one if it is damaged."""
    path = installed_bundle(base.state_path())
    try:
        return resolve(base, path)
    except Exception as exc:             # a bad bundle on disk never stops the kiosk
        problem = f"config {path.name if path else ''} failed to load: {type(exc).__name__}: {exc}"[:300]
        log.error("config in use failed to load; running the shipped config", extra={"error": problem})
        return Effective(base, SHIPPED_CATALOG, None, (), None, problem)


def changed_keys(old: Settings, new: Settings) -> list[str]:
    """Dotted keys whose value differs (sections compared key by key)."""
    keys = []
    for section in sorted(set(old.data) | set(new.data)):
        a, b = old.data.get(section, {}), new.data.get(section, {})
        if not isinstance(a, dict) or not isinstance(b, dict):
            if a != b:
                keys.append(section)
            continue
        keys.extend(f"{section}.{k}" for k in sorted(set(a) | set(b)) if a.get(k) != b.get(k))
    return keys


class LiveConfig:
    """The running kiosk's configuration: settings fixed for the process's life, and the
    live parts (catalog, texts, holidays) held once and changed in place."""

    def __init__(self, base: Settings, effective: Effective):
        self.base, self.effective = base, effective
        self.settings = effective.settings
        self.messages = Messages(effective.settings["kiosk"]["language"], overrides=effective.texts)
        self.catalog = CatalogStore.open(effective.catalog_dir,
                                         pinyin_memo=effective.settings.state_path("cache", "pinyin.json"))
        self.calendar = WorkCalendar(effective.holidays)
        self.restart_pending: list[str] = []
        self._lock = threading.Lock()
        self._listeners: list[Callable[[], None]] = []

    @classmethod
    def at_start(cls, base: Settings) -> "LiveConfig":
        return cls(base, at_start(base))

    @property
    def problem(self) -> str:
        return self.effective.problem

    def on_reconfigured(self, callback: Callable[[], None]) -> None:
        """`callback()` after each reconfigure, on the updater's thread (the UI redraws texts)."""
        self._listeners.append(callback)

    def reconfigure(self, bundle_path: Optional[Path]) -> None:
        """Switch to bundle `bundle_path` (None: the shipped config); raise if any part fails,
        before anything changed (the updater then rolls back)."""
        new = resolve(self.base, bundle_path)
        with self._lock:
            if not self.catalog.load(new.catalog_dir):
                raise RuntimeError(f"catalog did not load: {self.catalog.problems[:1]}")
            self.messages.set_overrides(new.texts)
            self.calendar.replace_tables(new.holidays)
            self.effective = new
            pending = changed_keys(self.settings, new.settings)
            self.restart_pending = pending
        log.info("config applied", extra={"bundle": str(bundle_path or "shipped"), "restart_for": pending})
        for callback in list(self._listeners):
            callback()
