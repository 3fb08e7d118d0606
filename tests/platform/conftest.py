"""Fixtures for the platform tests: the sandbox as a real subprocess (session-wide)
and a client enrolled with it. Helpers live in platform_helpers.py."""
from __future__ import annotations

import pytest

from platform_helpers import Sandbox


@pytest.fixture(scope="session")
def sandbox(tmp_path_factory):
    box = Sandbox(tmp_path_factory.mktemp("sandbox")).start()
    yield box
    box.stop()


@pytest.fixture(scope="session")
def client(sandbox):
    return sandbox.enrolled_client()
