"""Test helpers for the whole system (tests and scripts): the sandbox as a real subprocess on a free loopback
port, an admin helper, enrolled clients, letters. `today` is fixed so deadlines cross National Day."""
from __future__ import annotations

import datetime as dt
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import requests

from kiosk.config import load_settings
from kiosk.platform.client import PlatformClient

from kiosk.platform.models import Applicant, CommitmentLetter, LetterMaterial, Signer

ROOT = Path(__file__).resolve().parents[1]
TODAY = "2025-09-22"
ADMIN = "test-admin-token"
FOOD = "12120000MB1546214Q-0001"       # commitment allowed, M02-M04 deferrable
HAZCHEM = "12120000MB1546214Q-0004"    # commitment not allowed


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Sandbox:
    """A `python -m sandbox` subprocess; restart() keeps the database."""

    def __init__(self, tmp: Path, today: str | None = TODAY):
        self.today = today                # None: the real date (China time)
        self.db = tmp / "sandbox.db"
        self.repo = tmp / "repo"
        self.repo.mkdir(parents=True, exist_ok=True)
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.proc: subprocess.Popen | None = None
        self.log = open(tmp / "sandbox.log", "wb")

    def start(self) -> "Sandbox":
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "sandbox", "--port", str(self.port), "--db", str(self.db),
             "--repo-dir", str(self.repo), *(["--today", self.today] if self.today else []),
             "--admin-token", ADMIN],
            cwd=ROOT, stdout=self.log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"sandbox exited {self.proc.returncode}")
            try:
                if requests.get(self.url + "/api/v1/health", timeout=1).ok:
                    return self
            except requests.ConnectionError:
                time.sleep(0.1)
        raise RuntimeError("sandbox did not start")

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.proc = None

    def restart(self) -> None:
        self.stop()
        self.start()

    def admin(self, method: str, path: str, **body):
        r = self.admin_raw(method, path, **body)
        assert r.status_code == 200, r.text
        return r.json()

    def admin_raw(self, method: str, path: str, **body) -> requests.Response:
        """An admin call whose refusal the caller looks at (problem+json)."""
        return requests.request(method, self.url + "/admin/v1" + path, json=body,
                                headers={"Authorization": f"Bearer {ADMIN}"}, timeout=10)

    def enrolled_client(self, terminal_id: str = "TJ-TEST-0001", **kw) -> PlatformClient:
        token = self.admin("POST", "/enrollment-tokens")["enrollment_token"]
        client = PlatformClient(self.url, **kw)
        client.enroll(token, terminal_id)
        return client


_counter = [0]


def new_person_id() -> str:
    """A fresh, valid resident ID number per call (subjects unknown to the sandbox are in good standing)."""
    from sandbox.seed import id_number
    _counter[0] += 1
    return id_number(f"1201011990{os.getpid() % 100:02d}{_counter[0]:05d}")


def letter(id_number: str | None = None, item_code: str = FOOD, deferred=("M02",), **over) -> CommitmentLetter:
    id_number = id_number or new_person_id()
    materials = (LetterMaterial("M01", "申请书", "provided"),) + tuple(
        LetterMaterial(code, f"材料{code}", "deferred") for code in deferred)
    fields = dict(item_code=item_code, applicant=Applicant("person", "测试人", id_number=id_number),
                  signer=Signer("applicant", "测试人", id_number),
                  confirmations=tuple(f"确认第{i}项" for i in range(1, 9)), materials=materials,
                  letter_text="承诺书全文", signature_png=b"\x89PNG\r\n\x1a\nsig",
                  signed_at=dt.datetime(2025, 9, 22, 10, tzinfo=dt.timezone(dt.timedelta(hours=8))))
    fields.update(over)
    return CommitmentLetter(**fields)


def settings_factory(state_dir):
    """make_settings(**overrides), e.g. make_settings(idle__timeout_seconds=3); strings pass
    as written, other values as TOML literals. State goes under `state_dir`."""
    def make_settings(**overrides):
        environ = {"KIOSK__KIOSK__STATE_DIR": f'"{state_dir}"'}
        for key, value in overrides.items():
            environ["KIOSK__" + key.upper()] = value if isinstance(value, str) else repr(value).lower()
        return load_settings(environ=environ)
    return make_settings
