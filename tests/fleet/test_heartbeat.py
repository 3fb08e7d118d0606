"""Heartbeat and remote commands against the real sandbox: reports land in the fleet
status, every command runs and is acknowledged with its result, forged commands are refused."""
from __future__ import annotations

import base64
import datetime as dt
import http.server
import json
import logging
import threading

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from kiosk.config import DEVICE_FAMILIES, load_settings
from kiosk.devices.fitted import Devices
from kiosk.fleet.effective import LiveConfig
from kiosk.fleet.service import Fleet
from kiosk.platform.outbox import Outbox
from kiosk.platform.client import PlatformClient
from kiosk.platform.contract import command_payload

_n = [0]


@pytest.fixture
def fleet(sandbox, tmp_path):
    """The terminal's real Fleet services around a freshly enrolled client (own device per test)."""
    _n[0] += 1
    client = sandbox.enrolled_client(f"TJ-HB-{_n[0]:04d}")
    settings = load_settings(environ={"KIOSK__KIOSK__STATE_DIR": f'"{tmp_path / "state"}"',
                                      "KIOSK__PLATFORM__URL": f'"{sandbox.url}"',
                                      **{f"KIOSK__DEVICES__{d.upper()}": '""' for d in DEVICE_FAMILIES}})
    outbox = Outbox.from_settings(settings)
    f = Fleet(settings, platform=client, devices=Devices.from_settings(settings), outbox=outbox,
              live=LiveConfig.at_start(settings))
    f.restarted = []
    f.restart = lambda: f.restarted.append(True)
    f.device_id = client.auth.credential.device_id
    yield f
    f.close()
    outbox.close()


def status_of(sandbox, device_id):
    (row,) = [t for t in sandbox.admin("GET", "/fleet")["terminals"] if t["device_id"] == device_id]
    return row


def queue(sandbox, fleet, type_, **args):
    return sandbox.admin("POST", f"/devices/{fleet.device_id}/commands", type=type_, args=args)["command_id"]


def results(sandbox, fleet):
    return {c["command_id"]: (c["result"], c["detail"])
            for c in sandbox.admin("GET", f"/devices/{fleet.device_id}/commands")["commands"]}


def test_heartbeat_lands_in_fleet_status(sandbox, fleet):
    fleet.heartbeat.record_error("printer: paper out")
    assert fleet.heartbeat.beat() is not None
    assert fleet.heartbeat.beat() is not None        # the offset is learnt from the first reply
    row = status_of(sandbox, fleet.device_id)
    assert row["online"] and row["app_version"] == "0.1.0"
    assert row["last_error"] == "printer: paper out"
    assert row["config_outcome"] == "never" and row["maintenance"] is False
    assert abs(row["clock_offset_seconds"]) < 5
    assert row["terminal_id"].startswith("TJ-HB-")


def test_long_update_reason_does_not_break_the_heartbeat(sandbox, fleet):
    fleet.updater.status.outcome, fleet.updater.status.reason = "rejected", "invalid-bundle: " + "x" * 2000
    assert fleet.heartbeat.beat() is not None
    assert status_of(sandbox, fleet.device_id)["config_reason"].startswith("invalid-bundle")


def test_maintenance_commands(sandbox, fleet):
    on = queue(sandbox, fleet, "set_maintenance", reason="更换打印纸")
    fleet.heartbeat.beat()
    assert fleet.maintenance.active and fleet.maintenance.reason == "更换打印纸"
    assert status_of(sandbox, fleet.device_id)["maintenance"] is True
    off = queue(sandbox, fleet, "clear_maintenance")
    fleet.heartbeat.beat()
    assert not fleet.maintenance.active
    assert results(sandbox, fleet) == {on: ("done", "maintenance on"), off: ("done", "maintenance off")}
    assert status_of(sandbox, fleet.device_id)["pending_commands"] == 0


def test_restart_runs_after_the_result_is_reported(sandbox, fleet):
    command_id = queue(sandbox, fleet, "restart_app")
    fleet.heartbeat.beat()
    assert fleet.restarted == [True]
    assert results(sandbox, fleet)[command_id] == ("done", "restarting")
    fleet.heartbeat.beat()                       # not run twice
    assert fleet.restarted == [True]


def test_upload_diagnostics_is_redacted(sandbox, fleet):
    fleet.logs.install(logging.getLogger("kiosk.test-diag"))
    logging.getLogger("kiosk.test-diag").warning("reader saw 120101199003071234 phone 13812345678")
    command_id = queue(sandbox, fleet, "upload_logs")
    fleet.heartbeat.beat()
    result, detail = results(sandbox, fleet)[command_id]
    assert result == "done" and detail.startswith("diagnostics ")
    (diag,) = sandbox.admin("GET", f"/devices/{fleet.device_id}/diagnostics")["diagnostics"]
    text = json.dumps(diag, ensure_ascii=False)
    assert "120101********1234" in text and "138****5678" in text
    assert "120101199003071234" not in text and "13812345678" not in text
    fleet.logs.remove(logging.getLogger("kiosk.test-diag"))


def test_refresh_config_and_selftest(sandbox, fleet, repo, bundle):
    fleet.updater.repo_url = repo.url
    fleet.updater.trust(repo.root_json())
    repo.publish(bundle("one", maxfps=20))
    refresh = queue(sandbox, fleet, "refresh_config")
    selftest = queue(sandbox, fleet, "run_selftest")
    fleet.heartbeat.beat()
    got = results(sandbox, fleet)
    assert got[refresh] == ("done", "applied v2")
    assert got[selftest] == ("done", "outbox ok")      # no devices fitted; the outbox is one more
    fleet.heartbeat.beat()
    row = status_of(sandbox, fleet.device_id)
    assert (row["config_version"], row["config_outcome"]) == (2, "applied")


class Impostor:
    """A fake platform on loopback answering heartbeats with the commands given (a network attacker)."""

    def __init__(self, commands):
        self.commands, self.bodies = commands, []
        outer = self

        class H(http.server.BaseHTTPRequestHandler):
            def do_POST(self):
                outer.bodies.append(json.loads(self.rfile.read(int(self.headers["Content-Length"]))))
                body = json.dumps({"server_time": dt.datetime.now(dt.timezone.utc).isoformat(),
                                   "commands": outer.commands}).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *a):
                pass
        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), H)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


def _sign(key, command_id, device_id, type_, args, issued_at):
    sig = key.sign(command_payload(command_id, device_id, type_, args, issued_at))
    return base64.urlsafe_b64encode(sig).decode().rstrip("=")


def forged(kind, fleet, sandbox):
    now = dt.datetime.now(dt.timezone.utc).replace(microsecond=0).isoformat()
    base = {"command_id": 9001, "type": "set_maintenance", "args": {"reason": "x"}, "issued_at": now}
    if kind == "attacker-key":
        return base | {"signature": _sign(Ed25519PrivateKey.generate(), 9001, fleet.device_id,
                                          "set_maintenance", {"reason": "x"}, now)}
    if kind == "other-device":                 # genuine command of another terminal, replayed here
        other = sandbox.enrolled_client("TJ-HB-OTHER")
        device = other.auth.credential.device_id
        sandbox.admin("POST", f"/devices/{device}/commands", type="set_maintenance", args={"reason": "x"})
        (genuine,) = [vars(c) for c in other.heartbeat().commands]
        return genuine
    if kind == "tampered-args":
        cmd_id = sandbox.admin("POST", f"/devices/{fleet.device_id}/commands", type="set_maintenance",
                               args={"reason": "ok"})["command_id"]
        reply = PlatformClient(sandbox.url, fleet.platform.auth.credential).heartbeat()
        (genuine,) = [vars(c) for c in reply.commands if c.command_id == cmd_id]
        return genuine | {"args": {"reason": "tampered"}}
    if kind == "expired":
        old = (dt.datetime.now(dt.timezone.utc) - dt.timedelta(days=3)).replace(microsecond=0).isoformat()
        return base | {"issued_at": old, "signature": "A" * 86}
    raise AssertionError(kind)


@pytest.mark.parametrize("kind", ["attacker-key", "other-device", "tampered-args", "expired"])
def test_forged_commands_are_refused(sandbox, fleet, kind):
    command = forged(kind, fleet, sandbox)
    impostor = Impostor([command])
    try:
        fleet.heartbeat.platform.base_url = impostor.url
        fleet.heartbeat.beat()
    finally:
        impostor.close()
    assert not fleet.maintenance.active
    (report,) = [b for b in impostor.bodies if b["command_results"]][:1]
    assert report["command_results"][0]["status"] == "refused"
    assert "refused" in fleet.heartbeat.last_error
