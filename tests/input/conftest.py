"""The real engines, loaded once per test (rime is one per process: each test closes it)."""
from __future__ import annotations

import pytest

from kiosk.input import InputMethods


@pytest.fixture
def inputs(tmp_path):
    methods = InputMethods(root=tmp_path)
    assert methods.load_now(), methods.error
    yield methods
    methods.close()
