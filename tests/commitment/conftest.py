"""Fixtures of the commitment tests: the sandbox as a real subprocess (reusing the platform
tests' helper) and a client enrolled with it."""
from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "platform"))
from platform_helpers import Sandbox  # noqa: E402


@pytest.fixture(scope="module")
def sandbox(tmp_path_factory):
    box = Sandbox(tmp_path_factory.mktemp("sandbox")).start()
    yield box
    box.stop()


@pytest.fixture(scope="module")
def client(sandbox):
    return sandbox.enrolled_client()
