"""kiosk-selftest against the emulators: PASS table, FAIL with a reason and exit 1, --json."""
from __future__ import annotations

import json
import socket

from kiosk.tools.selftest import main


def _config(tmp_path, **urls):
    lines = ["[kiosk]", f'state_dir = "{tmp_path / "state"}"', "[devices]"]
    lines += [f'{family} = "{url}"' for family, url in urls.items()]
    path = tmp_path / "kiosk.toml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return str(path)


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_all_emulated_devices_pass(tmp_path, capsys):
    config = _config(tmp_path, idcard="idcard+emu://?card=resident", scanner="scanner+emu://",
                     printer="printer+emu://?profile=generic-58", smartcard="")
    assert main(["--config", config, "--json", "--timeout", "3"]) == 0
    rows = {row["device"]: row for row in json.loads(capsys.readouterr().out)["devices"]}
    assert rows["idcard"]["result"] == "PASS" and "检测到身份证" in rows["idcard"]["reason"]
    assert rows["printer"]["result"] == "PASS" and rows["printer"]["reason"] == "测试页已打印"
    assert rows["scanner"]["result"] == "PASS"
    assert rows["smartcard"]["result"] == "SKIP"


def test_a_missing_printer_fails_with_a_reason(tmp_path, capsys):
    config = _config(tmp_path, idcard="", scanner="", smartcard="",
                     printer=f"printer+net://127.0.0.1:{_closed_port()}?backoff=0.05")
    assert main(["--config", config, "--timeout", "0.3"]) == 1
    out = capsys.readouterr().out
    assert "printer" in out and "FAIL" in out and "打印机" in out


def test_configuration_error_exits_2(tmp_path, capsys):
    config = _config(tmp_path, printer="nonsense")
    assert main(["--config", config]) == 2
