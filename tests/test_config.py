"""Configuration: layering, validation, and the one-line exit-2 error of `kiosk`."""
import subprocess
import sys

import pytest

from kiosk.config import ConfigError, load_settings


def test_defaults_validate():
    settings = load_settings(environ={})
    assert settings["display"]["width"] == 1080
    assert settings["devices"]["idcard"].startswith("idcard+")


def test_override_file_and_environment_layering(tmp_path):
    override = tmp_path / "kiosk.toml"
    override.write_text('[display]\nwidth = 1920\nheight = 1080\n[kiosk]\nterminal_id = "TJ-HX-0007"\n')
    settings = load_settings(override, environ={"KIOSK__DISPLAY__MAXFPS": "15"})
    assert (settings["display"]["width"], settings["display"]["height"]) == (1920, 1080)
    assert settings["display"]["maxfps"] == 15
    assert settings["kiosk"]["terminal_id"] == "TJ-HX-0007"
    assert settings.sources[-1] == "environment"


@pytest.mark.parametrize("toml, message", [
    ('[display]\ncolour = "red"\n', "display.colour: unknown key"),
    ('[gadgets]\nx = 1\n', "gadgets: unknown key"),
    ('[display]\nwidth = "wide"\n', "display.width: expected integer, got 'wide'"),
    ('[display]\nmaxfps = 0\n', "display.maxfps:"),
    ('[devices]\nprinter = "lp0"\n', "devices.printer: 'lp0' is not a device URL"),
    ('[devices]\nprinter = "printer+net://localhost"\n', "devices.printer: 'printer+net://localhost' needs host:port"),
    ('[devices]\nidcard = "toaster+serial:///dev/ttyS0"\n', "devices.idcard:"),
    ('[platform]\nurl = "ftp://x"\n', "platform.url:"),
    ('[idle.screens]\nhome = -5\n', "idle.screens.home:"),
    ('[accessibility]\nelder_scale = 1.1\n', "accessibility.elder_scale:"),
    ('[display\n', "not valid TOML"),
])
def test_bad_config_names_the_key(tmp_path, toml, message):
    bad = tmp_path / "bad.toml"
    bad.write_text(toml)
    with pytest.raises(ConfigError) as err:
        load_settings(bad, environ={})
    assert message in str(err.value)
    assert "\n" not in str(err.value)


def test_kiosk_exits_2_with_one_line(tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_text('[display]\nwidth = "wide"\n')
    proc = subprocess.run([sys.executable, "-m", "kiosk", "--config", str(bad)],
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 2
    lines = proc.stderr.strip().splitlines()
    assert lines == ["kiosk: configuration error: display.width: expected integer, got 'wide'"]
    assert "Traceback" not in proc.stderr


def test_missing_override_file_exits_2(tmp_path):
    proc = subprocess.run([sys.executable, "-m", "kiosk", "--config", str(tmp_path / "none.toml")],
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 2
    assert "file not found" in proc.stderr


def test_check_config_ok():
    proc = subprocess.run([sys.executable, "-m", "kiosk", "--check-config"],
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert "configuration OK" in proc.stdout


def test_settings_that_passed_are_not_validated_again_and_bad_ones_always_are(tmp_path):
    env = {"KIOSK__KIOSK__STATE_DIR": f'"{tmp_path}"'}
    load_settings(environ=env)
    cache = tmp_path / "cache" / "validated-settings"
    assert len(cache.read_text().split()) == 1
    again = subprocess.run([sys.executable, "-c", f"""
import sys
from kiosk.config import load_settings
assert load_settings(environ={env!r})["display"]["width"] == 1080
print("jsonschema" in sys.modules)
"""], capture_output=True, text=True, timeout=60)
    assert again.stdout.strip() == "False", again.stderr[-2000:]      # the same settings: no validation
    for _ in range(2):                                                  # a failure is never recorded
        with pytest.raises(ConfigError, match="display.width: expected integer"):
            load_settings(environ={**env, "KIOSK__DISPLAY__WIDTH": '"wide"'})
    load_settings(environ={**env, "KIOSK__DISPLAY__MAXFPS": "15"})     # other values: validated, kept too
    assert len(cache.read_text().split()) == 2
    cache.write_bytes(b"\xff garbage")                                 # a damaged cache: validate again
    with pytest.raises(ConfigError, match="display.width"):
        load_settings(environ={**env, "KIOSK__DISPLAY__WIDTH": '"wide"'})
    assert load_settings(environ=env)["display"]["width"] == 1080
