"""Signed config updates on the terminal: poll, verify (TUF), validate, apply, check, roll back.

`ConfigUpdater.check()` runs one update cycle:

1. learn the platform's time (`time_source`, e.g. the platform's /health server_time);
2. refresh the TUF metadata with python-tuf's ngclient, judging expiry by the
   platform's time when known, else by the local clock;
3. download the bundle named in targets.json (length and hash verified by TUF);
4. unpack it into a staging directory and validate every part (kiosk.fleet.bundle);
5. rename it to versions/v<N> and switch the `current` symlink atomically,
   keeping `previous`;
6. run the health check (`on_applied` loads it into the running services, then
   any extra `health_checks`); on failure switch back to the previous version.

Every outcome is kept in `status` (and status.json) for the heartbeat and the
technician screen. A rejected update never touches the running config. The
staging copy of a bundle is removed whatever happens to it (and any left by a
crash is removed at the next cycle). A version that was refused or rolled back
is remembered (`failed_version`, kept across restarts) and not downloaded,
applied or health-checked again: the terminal waits for a newer version.

Wrong clocks: a terminal whose clock is off would see valid metadata as expired
(or expired metadata as valid). Expiry is therefore judged by the platform's
time whenever the platform answers; the offset is reported in `status`, the
heartbeat and the technician screen. When the platform cannot be reached the
local clock is used and the status says so (`clock_source = "local"`); a
rejection for expiry is then retried at every poll, never remembered as final.
"""
from __future__ import annotations

import datetime as dt
import json
import logging
import os
import random
import shutil
import threading
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Callable, Optional

from tuf.api import exceptions as tuf_errors
from tuf.ngclient import Updater, UpdaterConfig
from tuf.ngclient.urllib3_fetcher import Urllib3Fetcher

from kiosk.fleet.bundle import BundleError, unpack, validate_bundle

log = logging.getLogger("kiosk.fleet.updates")
TARGET = "bundle.tar.gz"
MAX_BUNDLE = 32 * 1024 * 1024


@dataclass
class UpdateStatus:
    """The last update cycle's outcome, as reported in the heartbeat."""
    outcome: str = "never"        # never | up-to-date | applied | rejected | rolled-back | unavailable
    version: Optional[int] = None  # the config version running now (None: shipped defaults)
    offered: Optional[int] = None  # the version the repository offered
    reason: str = ""               # slug: detail, for rejected / rolled-back / unavailable
    checked_at: str = ""
    clock_offset: Optional[float] = None   # platform minus local clock, seconds
    clock_source: str = "local"            # whose time judged expiry: platform | local
    failed_version: Optional[int] = None   # the last version refused or rolled back: not retried
    failed_reason: str = ""

    def to_json(self) -> dict:
        return asdict(self)


def classify(exc: BaseException) -> str:
    """A stable reason slug for a refused update."""
    if isinstance(exc, tuf_errors.UnsignedMetadataError):
        return "bad-signature"
    if isinstance(exc, tuf_errors.ExpiredMetadataError):
        return "expired"
    if isinstance(exc, tuf_errors.BadVersionNumberError):
        return "mix-and-match" if str(exc).startswith("Expected") else "rollback"
    if isinstance(exc, tuf_errors.LengthOrHashMismatchError):
        return "mix-and-match"
    if isinstance(exc, tuf_errors.DownloadLengthMismatchError):
        return "endless-data"
    if isinstance(exc, tuf_errors.DownloadError):
        return "unreachable"
    if isinstance(exc, BundleError):
        return "invalid-bundle"
    return "invalid-metadata"


class ConfigUpdater:
    """Keeps the terminal's config bundle under `<state_dir>/config` up to date."""

    def __init__(self, state_dir: str | Path, repo_url: str | Callable[[], str], *,
                 time_source: Callable[[], Optional[float]] = lambda: None,
                 clock: Callable[[], float] = time.time,
                 on_applied: Callable[[Optional[Path]], None] = lambda path: None,
                 health_checks: tuple[Callable[[Path], None], ...] = (),
                 timeout: int = 10):
        self.root = Path(state_dir) / "config"
        self.metadata_dir = self.root / "tuf"
        self.repo_url = repo_url
        self.time_source, self.clock = time_source, clock
        self.on_applied, self.health_checks = on_applied, list(health_checks)
        self.timeout = timeout
        self._lock = threading.Lock()
        self.status = self._load_status()

    # --- state on disk ------------------------------------------------------------
    @property
    def current(self) -> Optional[Path]:
        link = self.root / "current"
        return link.resolve() if link.is_symlink() and link.resolve().is_dir() else None

    @property
    def previous(self) -> Optional[Path]:
        link = self.root / "previous"
        return link.resolve() if link.is_symlink() and link.resolve().is_dir() else None

    @property
    def version(self) -> Optional[int]:
        current = self.current
        return int(current.name[1:]) if current is not None else None

    def trust(self, root_json: bytes) -> None:
        """Install the repository's root of trust (done at provisioning; TUF rotates it after)."""
        json.loads(root_json)                       # refuse garbage early
        self.metadata_dir.mkdir(parents=True, exist_ok=True)
        tmp = self.metadata_dir / "root.json.tmp"
        tmp.write_bytes(root_json)
        os.replace(tmp, self.metadata_dir / "root.json")

    @property
    def trusted(self) -> bool:
        return (self.metadata_dir / "root.json").is_file()

    def _link(self, name: str, target: Optional[Path]) -> None:
        link = self.root / name
        if target is None:
            if link.is_symlink():
                link.unlink()
            return
        tmp = self.root / f".{name}.tmp"
        if tmp.is_symlink() or tmp.exists():
            tmp.unlink()
        os.symlink(os.path.relpath(target, self.root), tmp)
        os.replace(tmp, link)
        fd = os.open(self.root, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)

    def _load_status(self) -> UpdateStatus:
        try:
            data = json.loads((self.root / "status.json").read_text())
            status = UpdateStatus(**data)
        except (OSError, ValueError, TypeError):
            status = UpdateStatus()
        status.version = self.version
        return status

    def _save_status(self) -> None:
        self.root.mkdir(parents=True, exist_ok=True)
        tmp = self.root / "status.json.tmp"
        tmp.write_text(json.dumps(self.status.to_json()))
        os.replace(tmp, self.root / "status.json")

    def _finish(self, outcome: str, reason: str = "", offered: Optional[int] = None) -> UpdateStatus:
        self.status.outcome, self.status.reason = outcome, reason
        self.status.offered = offered
        self.status.version = self.version
        self.status.checked_at = dt.datetime.now(dt.timezone.utc).replace(microsecond=0).isoformat()
        self._save_status()
        level = logging.WARNING if outcome in ("rejected", "rolled-back") else logging.INFO
        log.log(level, "config update %s", outcome, extra={"config_version": self.status.version,
                                                           "offered": offered, "reason": reason})
        return self.status

    # --- one cycle ------------------------------------------------------------------
    def _reference_time(self) -> dt.datetime:
        local = self.clock()
        try:
            platform = self.time_source()
        except Exception:                           # unreachable platform: fall back, say so
            platform = None
        if platform is None:
            self.status.clock_source = "local"
            return dt.datetime.fromtimestamp(local, dt.timezone.utc)
        self.status.clock_offset = round(platform - local, 1)
        self.status.clock_source = "platform"
        return dt.datetime.fromtimestamp(platform, dt.timezone.utc)

    def _tuf(self, now: dt.datetime) -> Updater:
        base = self.repo_url() if callable(self.repo_url) else self.repo_url
        base = base.rstrip("/") + "/"
        downloads = self.root / "downloads"
        downloads.mkdir(parents=True, exist_ok=True)
        updater = Updater(str(self.metadata_dir), base + "metadata/", str(downloads), base + "targets/",
                          fetcher=Urllib3Fetcher(socket_timeout=self.timeout),
                          config=UpdaterConfig(targets_max_length=1_000_000), bootstrap=None)
        # ngclient judges expiry by a reference time taken from the local clock at
        # construction; the terminal's clock may be wrong, so use the platform's.
        updater._trusted_set.reference_time = now
        return updater

    def check(self) -> UpdateStatus:
        """One update cycle (thread-safe; concurrent calls wait for the running one)."""
        with self._lock:
            if not self.trusted:
                return self._finish("rejected", "not-provisioned: no trusted root; re-run kiosk-provision")
            now = self._reference_time()
            try:
                updater = self._tuf(now)
                updater.refresh()
                info = updater.get_targetinfo(TARGET)
            except (tuf_errors.RepositoryError, tuf_errors.DownloadError) as exc:
                slug = classify(exc)
                outcome = "unavailable" if slug == "unreachable" else "rejected"
                if slug == "expired" and self.status.clock_source == "local":
                    slug = "expired (judged by the local clock: platform time unknown)"
                return self._finish(outcome, f"{slug}: {exc}")
            except OSError as exc:
                return self._finish("unavailable", f"storage: {exc}")
            if info is None:
                return self._finish("up-to-date")
            offered = info.unrecognized_fields.get("custom", {}).get("config_version")
            if not isinstance(offered, int) or isinstance(offered, bool) or offered < 1 \
                    or info.length > MAX_BUNDLE:
                return self._finish("rejected", "invalid-metadata: bundle without a valid config_version "
                                                "or too large", None)
            running = self.version
            if running is not None and offered == running:
                return self._finish("up-to-date", offered=offered)
            if running is not None and offered < running:
                return self._finish("rejected", f"rollback: offered {offered} < running {running}", offered)
            if self.status.failed_version is not None and offered <= self.status.failed_version:
                outcome = "rolled-back" if self.status.failed_reason.startswith("health-check") else "rejected"
                return self._finish(outcome, f"v{self.status.failed_version} failed before "
                                             f"({self.status.failed_reason[:200]}); waiting for a newer "
                                             "version", offered)
            try:
                archive = updater.find_cached_target(info) or updater.download_target(info)
            except (tuf_errors.RepositoryError, tuf_errors.DownloadError) as exc:
                return self._finish("rejected", f"{classify(exc)}: {exc}", offered)
            return self.install(Path(archive), offered)

    def _failed(self, outcome: str, reason: str, version: int) -> UpdateStatus:
        self.status.failed_version, self.status.failed_reason = version, reason[:300]
        return self._finish(outcome, reason, version)

    def install(self, archive: Path, version: int) -> UpdateStatus:
        """Unpack, validate, switch atomically, health-check, roll back on failure."""
        versions = self.root / "versions"
        versions.mkdir(parents=True, exist_ok=True)
        for stale in self.root.glob("staging-*"):         # left by a crash mid-cycle
            shutil.rmtree(stale, ignore_errors=True)
        staging = self.root / f"staging-{version}-{os.getpid()}-{random.randrange(1 << 30)}"
        try:
            try:
                unpack(archive, staging)
                validate_bundle(staging)
            except BundleError as exc:
                return self._failed("rejected", f"invalid-bundle: {exc}", version)
            except (RecursionError, MemoryError) as exc:  # a loader bound missed: still a refusal
                return self._failed("rejected", f"invalid-bundle: {type(exc).__name__}", version)
            final = versions / f"v{version}"
            if final.exists():
                shutil.rmtree(final)
            os.rename(staging, final)
        finally:
            shutil.rmtree(staging, ignore_errors=True)
        before = self.current
        self._link("current", final)
        if before is not None:
            self._link("previous", before)
        try:
            self.on_applied(final)
            for check in self.health_checks:
                check(final)
        except Exception as exc:  # any failure of the new config: go back
            self._link("current", before)
            try:
                self.on_applied(before)
            except Exception:
                log.exception("re-applying the previous config failed")
            shutil.rmtree(final, ignore_errors=True)
            return self._failed("rolled-back", f"health-check: {type(exc).__name__}: {exc}", version)
        self._prune()
        return self._finish("applied", offered=version)

    def _prune(self) -> None:
        keep = {self.current, self.previous}
        for path in (self.root / "versions").iterdir():
            if path.resolve() not in keep:
                shutil.rmtree(path, ignore_errors=True)
        for path in self.root.glob("staging-*"):
            shutil.rmtree(path, ignore_errors=True)


@dataclass
class Poller:
    """Calls `action` every `interval` seconds ± `jitter` (a fraction), on a daemon thread."""
    action: Callable[[], object]
    interval: float
    jitter: float = 0.2
    name: str = "poller"
    first_delay: Optional[float] = None
    _stop: threading.Event = field(default_factory=threading.Event)
    _wake: threading.Event = field(default_factory=threading.Event)
    _thread: Optional[threading.Thread] = None

    def delay(self) -> float:
        return self.interval * (1 + random.uniform(-self.jitter, self.jitter))

    def start(self) -> "Poller":
        self._thread = threading.Thread(target=self._run, name=self.name, daemon=True)
        self._thread.start()
        return self

    def now(self) -> None:
        """Run the action as soon as possible (e.g. a technician's 'check for updates')."""
        self._wake.set()

    def _run(self) -> None:
        wait = self.delay() if self.first_delay is None else self.first_delay
        while not self._stop.is_set():
            self._wake.wait(wait)
            self._wake.clear()
            if self._stop.is_set():
                return
            try:
                self.action()
            except Exception:
                log.exception("%s failed", self.name)
            wait = self.delay()

    def stop(self) -> None:
        self._stop.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(5)
