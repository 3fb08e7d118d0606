"""kioskctl end to end: init, validate, publish, versions, root, fleet and command
against the real sandbox (admin API over HTTP)."""
from __future__ import annotations

import json

import pytest

from kiosk.tools.kioskctl.cli import main
from sandbox.testing import ADMIN


@pytest.fixture
def ctl(tmp_path, sandbox, monkeypatch, capsys):
    monkeypatch.setenv("KIOSK_ADMIN_TOKEN", ADMIN)
    base = ["--repo", str(sandbox.repo / "ctl"), "--keys", str(tmp_path / "keys"), "--platform", sandbox.url]

    def run(*args):
        code = main(base + list(args))
        return code, capsys.readouterr()
    return run


def test_repository_lifecycle(ctl, bundle, tmp_path):
    assert ctl("init")[0] == 0
    assert ctl("init")[0] == 1                                   # never overwrites keys or metadata
    good = bundle("good", maxfps=20)
    assert "valid" in ctl("validate", str(good))[1].out
    bad = bundle("bad", settings="[display]\nmaxfps = 0\n")
    code, out = ctl("publish", str(bad))
    assert code == 1 and "display.maxfps" in out.err             # refused before signing
    assert "version 2" in ctl("publish", str(good), "--note", "初版")[1].out
    out = ctl("versions")[1].out
    assert "初版" in out and out.strip().startswith("2")
    assert json.loads(ctl("root")[1].out)["signed"]["_type"] == "root"


def test_fleet_and_command(ctl, sandbox):
    client = sandbox.enrolled_client("TJ-CTL-0001")
    client.heartbeat(app_version="0.1.0", config_version=4, last_error="printer: paper out",
                     config={"outcome": "rejected", "reason": "expired: timestamp.json is expired"})
    out = ctl("fleet")[1].out
    (line,) = [l for l in out.splitlines() if l.startswith("TJ-CTL-0001")]
    assert "yes" in line and "rejected" in line and "paper out" in line
    device_id = client.auth.credential.device_id
    assert "queued command" in ctl("command", device_id, "set_maintenance", "--arg", "reason=x")[1].out
    assert [c.type for c in client.heartbeat().commands] == ["set_maintenance"]
    rows = json.loads(ctl("fleet", "--json")[1].out)
    assert any(r["terminal_id"] == "TJ-CTL-0001" and r["pending_commands"] == 1 for r in rows)
