"""The "embedded" platform: the sandbox started in-process on a free loopback port.

When settings['platform']['url'] == "embedded", the client starts the sandbox
on first use: a uvicorn server on a daemon thread, its database under the
settings' state dir, then enrolls this terminal (once; the credential is kept
next to the database). This is the only kiosk module that imports `sandbox`.
"""
from __future__ import annotations

import socket
import threading
import time
from pathlib import Path

from kiosk.platform.client import PlatformClient
from kiosk.platform.errors import PlatformUnauthorized
from kiosk.platform.private_files import private_dir
from kiosk.platform.signing import DeviceCredential


class EmbeddedPlatform:
    """A sandbox server running on a thread of this process."""

    def __init__(self, state_dir: Path, calendar=None):
        import uvicorn

        from sandbox.app import SandboxConfig, create_app, open_store
        self.config = SandboxConfig(db=state_dir / "sandbox.db", repo_dir=state_dir / "config-repo",
                                    admin_token="")
        self.store = open_store(self.config, calendar)
        self._sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._sock.bind(("127.0.0.1", 0))
        self.port = self._sock.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}"
        app = create_app(self.config, store=self.store)
        self.server = uvicorn.Server(uvicorn.Config(app, access_log=False, log_level="warning",
                                                    lifespan="off"))
        self.thread = threading.Thread(target=self.server.run, kwargs={"sockets": [self._sock]},
                                       name="embedded-platform", daemon=True)

    def start(self, timeout: float = 10) -> "EmbeddedPlatform":
        self.thread.start()
        deadline = time.monotonic() + timeout
        while not self.server.started:
            if not self.thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError("embedded platform did not start")
            time.sleep(0.01)
        return self

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(5)
        self._sock.close()
        self.store.close()


def embedded_client(settings, calendar=None) -> PlatformClient:
    """A client of the embedded platform, which starts on the client's first call."""
    p = settings["platform"]
    return PlatformClient("", None, connect_timeout=p["connect_timeout"], read_timeout=p["read_timeout"],
                          starter=lambda client: attach_embedded(client, settings, calendar))


def attach_embedded(client: PlatformClient, settings, calendar=None) -> EmbeddedPlatform:
    """Start the embedded sandbox, point `client` at it and make sure it is enrolled.
    `calendar`: the kiosk's work calendar (kiosk.workdays.calendar.WorkCalendar), shared."""
    state_dir = private_dir(settings.state_path("platform"), tighten=True)
    platform = EmbeddedPlatform(state_dir, calendar).start()
    client.base_url = platform.url
    client.on_close(platform.stop)
    cred_path = state_dir / "device.json"
    if cred_path.exists():
        credential = DeviceCredential.load(cred_path)
        row = platform.store.device_key(credential.key_id)
        if row is not None and row["key_status"] == "active" and row["status"] == "active":
            client.set_credential(credential)
            return platform
    token = platform.store.create_enrollment_token(settings["kiosk"]["terminal_id"], ttl_hours=0.1)
    try:
        credential = client.enroll(token, settings["kiosk"]["terminal_id"])
    except PlatformUnauthorized:
        platform.stop()
        raise
    credential.save(cred_path)
    return platform
