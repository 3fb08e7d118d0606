"""The modules imported before the first frame: nothing the attract screen does not need.

Runs the real `python -m kiosk` (the shipped configuration: emulated devices, the embedded
platform) under the tests' Xvfb; the app lists sys.modules when its first frame is drawn
(`--bench-first-frame`). A heavy library in that list fails the test: each one belongs on
first use or after the first frame (issue 18; docs/BENCHMARKS.md says what each costs).
Not a timing test: it looks at what was imported, not at how long anything took.
"""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# top-level packages (and kiosk.input, the input engines) that must wait for their first use
HEAVY = ("cv2", "numpy", "fastapi", "uvicorn", "pydantic", "starlette", "sandbox", "tuf",
         "securesystemslib", "jsonschema", "escpos", "yaml", "pypinyin", "kiosk.input")


def heavy(modules: list[str]) -> list[str]:
    return sorted(m for m in modules if any(m == h or m.startswith(h + ".") for h in HEAVY))


def modules_at_first_frame(tmp_path: Path) -> list[str]:
    env = {**os.environ, "KIOSK__KIOSK__STATE_DIR": f'"{tmp_path / "state"}"',
           "KIOSK__LOGGING__LEVEL": '"WARNING"'}
    # as on a terminal, these settings were checked before (by provisioning, or the start
    # before this one); the first start after a change validates them, with jsonschema
    subprocess.run([sys.executable, "-m", "kiosk", "--check-config"], cwd=ROOT, env=env, check=True,
                   capture_output=True, timeout=60)
    proc = subprocess.Popen([sys.executable, "-m", "kiosk", "--bench-first-frame"], cwd=ROOT, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        for line in proc.stdout:
            if line.startswith("MODULES "):
                return line.split()[1:]
        raise AssertionError("the kiosk ended before its first frame:\n" + proc.stderr.read()[-3000:])
    finally:
        proc.terminate()
        try:
            proc.wait(30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def test_nothing_heavy_is_imported_before_the_first_frame(tmp_path):
    modules = modules_at_first_frame(tmp_path)
    assert {"kivy.core.window", "kiosk.services", "screens.attract"} <= set(modules)  # a real list
    found = heavy(modules)
    assert found == [], f"imported before the first frame (import them on first use instead): {found}"


def test_the_check_knows_a_heavy_module_when_it_sees_one():
    assert heavy(["kivy", "cv2", "jsonschema.validators", "kiosk.input.engines", "kiosk.inputs", "yamlish"]) \
        == ["cv2", "jsonschema.validators", "kiosk.input.engines"]
