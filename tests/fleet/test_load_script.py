"""scripts/load_fleet.py runs, stays on loopback, stops by itself and reports figures.
The 1,000-terminal run is marked slow; a small one runs by default."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "load_fleet.py"


def run(*args, timeout):
    out = subprocess.run([sys.executable, str(SCRIPT), "--json", *args], capture_output=True, text=True,
                         timeout=timeout, check=True).stdout
    return json.loads(out)


def test_small_load_run():
    result = run("--terminals", "20", "--seconds", "2", "--interval", "1", "--workers", "4", timeout=60)
    for kind in ("poll", "heartbeat"):
        assert result[kind]["count"] >= 20 and result[kind]["errors"] == 0
        assert result[kind]["p99_ms"] >= result[kind]["p50_ms"] > 0
    assert result["server_cpu_percent_of_one_core"] >= 0


@pytest.mark.slow
def test_thousand_terminals():
    result = run("--terminals", "1000", "--seconds", "30", "--interval", "10", timeout=400)
    assert result["heartbeat"]["errors"] == 0 and result["poll"]["errors"] == 0
    assert result["heartbeat"]["count"] >= 2000
