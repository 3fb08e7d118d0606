"""kiosk-provision end to end against the real sandbox, in a temporary root (never /etc)."""
from __future__ import annotations

import socket
import stat

import pytest

from kiosk.config import load_settings
from kiosk.tools.provision import main
from kiosk.fleet.technician import PinLock, check_pin


@pytest.fixture
def root(tmp_path):
    return tmp_path / "root"


def args(sandbox, root, *extra, token=None, terminal="TJ-PROV-0001"):
    out = ["--platform", sandbox.url, "--terminal-id", terminal, "--location", "和平区政务服务中心 2号机",
           "--state-dir", str(root / "var/lib/kiosk"), "--config", str(root / "etc/kiosk/kiosk.toml"),
           "--no-print", "--selftest-timeout", "5", *extra]
    if token:
        out += ["--token", token]
    return out


def token(sandbox, terminal="TJ-PROV-0001"):
    return sandbox.admin("POST", "/enrollment-tokens", terminal_id=terminal)["enrollment_token"]


def test_provision_end_to_end_and_rerun_changes_nothing(sandbox, root, repo, tmp_path, capsys):
    (tmp_path / "root.json").write_bytes(repo.root_json())
    argv = args(sandbox, root, "--trust-root", str(tmp_path / "root.json"), "--technician-pin", "246810",
                "--install-service", "--unit-dir", str(root / "etc/systemd/system"), token=token(sandbox))
    assert main(argv) == 0
    first = capsys.readouterr().out
    assert "CHANGED  enrollment" in first and "Terminal provisioned." in first
    assert "OK       self-test idcard" in first
    cred = root / "var/lib/kiosk/platform/device.json"
    assert stat.S_IMODE(cred.stat().st_mode) == 0o600
    settings = load_settings(root / "etc/kiosk/kiosk.toml", environ={})
    assert settings["kiosk"]["terminal_id"] == "TJ-PROV-0001"
    assert settings["platform"]["url"] == sandbox.url
    assert "pin_hash" not in settings.data.get("technician", {}) or not settings["technician"]["pin_hash"]
    assert check_pin("246810", PinLock("", root / "var/lib/kiosk/fleet/technician.json").pin_hash)
    assert (root / "var/lib/kiosk/config/tuf/root.json").read_bytes() == repo.root_json()
    assert (root / "etc/systemd/system/kiosk.service").is_file()
    snapshot = {p: p.read_bytes() for p in root.rglob("*") if p.is_file()}

    assert main(argv) == 0                              # the token is used: re-run must not need it
    second = capsys.readouterr().out
    assert "CHANGED" not in second, second
    assert {p: p.read_bytes() for p in root.rglob("*") if p.is_file()} == snapshot


def test_bad_token_says_what_to_do(sandbox, root, capsys):
    assert main(args(sandbox, root, "--no-selftest", token="not-a-real-token-123")) == 1
    out = capsys.readouterr().out
    assert "enrollment token refused" in out and "kioskctl enrollment-token" in out
    assert not (root / "etc/kiosk/kiosk.toml").exists()


def test_a_token_that_begins_with_a_dash_is_read_as_the_token(sandbox, root, capsys):
    """URL-safe tokens begin with "-" one time in 64: argparse would take it for an option."""
    assert main(args(sandbox, root, "--no-selftest", token="-Xq3-not-a-real-token")) == 1
    assert "enrollment token refused" in capsys.readouterr().out


def test_platform_unreachable_says_what_to_do(sandbox, root, capsys):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    a = args(sandbox, root, "--no-selftest", token="whatever-token-1")
    a[a.index(sandbox.url)] = f"http://127.0.0.1:{port}"
    assert main(a) == 1
    assert "unreachable" in capsys.readouterr().out


def test_missing_device_fails_the_selftest_with_a_hint(sandbox, root, capsys):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    a = args(sandbox, root, "--device", f"printer=printer+net://127.0.0.1:{port}", token=token(sandbox, "TJ-PROV-0002"),
             terminal="TJ-PROV-0002")
    a[a.index("--selftest-timeout") + 1] = "1"
    assert main(a) == 1
    out = capsys.readouterr().out
    assert "FAILED   self-test printer" in out and "cable and power" in out
