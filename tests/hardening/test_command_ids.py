"""Issue 14 point 8 (commands): an unknown command is refused on its own and the others in
the same reply still run; command ids are unique forever, even when the platform is
restored from a backup. The terminal's real Heartbeat against the real sandbox, and a
fake platform on loopback (test_heartbeat.Impostor) for replies the sandbox never sends."""
from __future__ import annotations

import base64
import datetime as dt
import shutil

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sandbox.testing import Sandbox
from tests.fleet.test_heartbeat import Impostor

from kiosk.fleet.heartbeat import Heartbeat, Outcome
from kiosk.platform.client import PlatformClient
from kiosk.platform.contract import command_payload
from kiosk.platform.signing import DeviceCredential


def b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


class FakePlatformKey:
    """The command-signing key of a platform played by the test."""

    def __init__(self):
        self.key = Ed25519PrivateKey.generate()
        self.public = DeviceCredential.public_key_text(self.key)

    def command(self, command_id, device_id, type_, args=None, issued_at=None) -> dict:
        args = args or {}
        issued_at = issued_at or dt.datetime.now(dt.timezone.utc).replace(microsecond=0).isoformat()
        sig = self.key.sign(command_payload(command_id, device_id, type_, args, issued_at))
        return {"command_id": command_id, "type": type_, "args": args, "issued_at": issued_at,
                "signature": b64(sig)}


class Ran:
    def __init__(self):
        self.calls = []

    def handlers(self):
        return {name: (lambda c, name=name: self.calls.append((name, c.command_id, dict(c.args)))
                       or Outcome("done", name))
                for name in ("set_maintenance", "clear_maintenance", "run_selftest")}


def terminal(tmp_path, url, key: FakePlatformKey, ran: Ran) -> Heartbeat:
    credential = DeviceCredential("key-test", "dev-test", DeviceCredential.new_key(), key.public)
    return Heartbeat(PlatformClient(url, credential), tmp_path / "state", app_version="test",
                     handlers=ran.handlers())


def reported(impostor) -> dict:
    return {r["command_id"]: r for b in impostor.bodies for r in b["command_results"]}


def test_an_unknown_command_is_refused_alone_and_the_others_still_run(tmp_path):
    key, ran = FakePlatformKey(), Ran()
    commands = [key.command(101, "dev-test", "set_maintenance", {"reason": "换纸"}),
                key.command(102, "dev-test", "format_disk"),          # a newer platform's type
                {"command_id": 103, "type": "run_selftest"},           # malformed: no signature
                key.command(104, "dev-test", "run_selftest")]
    impostor = Impostor(commands)
    try:
        beat = terminal(tmp_path, impostor.url, key, ran)
        assert beat.beat() is not None
    finally:
        impostor.close()
    assert [(name, cid) for name, cid, _ in ran.calls] == [("set_maintenance", 101), ("run_selftest", 104)]
    results = reported(impostor)
    assert results[101]["status"] == results[104]["status"] == "done"
    assert results[102]["status"] == "refused" and "format_disk" in results[102]["detail"]
    assert results[103]["status"] == "refused"
    assert "refused" in beat.last_error


def test_a_reused_id_with_other_content_is_refused_not_taken_for_the_old_command(tmp_path):
    key, ran = FakePlatformKey(), Ran()
    first = key.command(7, "dev-test", "set_maintenance", {"reason": "换纸"})
    impostor = Impostor([first])
    try:
        beat = terminal(tmp_path, impostor.url, key, ran)
        beat.beat()
        beat.beat()                                   # the ack got lost: old result again, no re-run
        assert len(ran.calls) == 1
        assert [r["status"] for b in impostor.bodies for r in b["command_results"]] == ["done", "done"]
        impostor.commands = [key.command(7, "dev-test", "clear_maintenance")]
        impostor.bodies.clear()
        restarted = terminal(tmp_path, impostor.url, key, ran)   # remembered across a restart
        restarted.beat()
    finally:
        impostor.close()
    assert len(ran.calls) == 1
    (result,) = reported(impostor).values()
    assert result["status"] == "refused" and "reused" in result["detail"]


def test_ids_after_a_restore_from_backup_never_repeat_and_the_new_command_runs(tmp_path):
    box = Sandbox(tmp_path / "platform").start()
    try:
        client = box.enrolled_client("TJ-RESTORE-01")
        device = client.auth.credential.device_id
        ran = Ran()
        beat = Heartbeat(client, tmp_path / "state", app_version="test", handlers=ran.handlers())
        box.stop()
        backup = tmp_path / "backup"
        backup.mkdir()
        files = [box.db.with_name(box.db.name + suffix) for suffix in ("", "-wal", "-shm")]
        for path in files:                           # the nightly backup
            if path.exists():
                shutil.copy(path, backup / path.name)
        box.start()
        first = box.admin("POST", f"/devices/{device}/commands", type="set_maintenance",
                          args={"reason": "before"})["command_id"]
        beat.beat()
        assert [c[1] for c in ran.calls] == [first]
        box.stop()                                   # the platform's disk dies; restored from backup
        for path in files:
            path.unlink(missing_ok=True)
            if (backup / path.name).exists():
                shutil.copy(backup / path.name, path)
        box.start()
        second = box.admin("POST", f"/devices/{device}/commands", type="set_maintenance",
                           args={"reason": "after"})["command_id"]
        assert second != first
        beat.beat()
    finally:
        box.stop()
    assert [(c[1], c[2]["reason"]) for c in ran.calls] == [(first, "before"), (second, "after")]


def test_command_ids_are_time_based_increasing_and_exact_in_json():
    from sandbox.fleet import Fleet
    ids = [Fleet.new_command_id() for _ in range(50)]
    assert all(0 < i < 2 ** 53 for i in ids)
    assert Fleet.new_command_id(last=ids[-1] + 10 ** 9) == ids[-1] + 10 ** 9 + 1
