"""Fixtures of the lifecycle tests: a sandbox of their own (they move its clock, which the
session-wide one must keep), a client enrolled with it, and the clock, set back to the fixed
start day before every test."""
from __future__ import annotations

import datetime as dt

import pytest

from lifecycle_helpers import START
from sandbox.testing import Sandbox


@pytest.fixture(scope="module")
def box(tmp_path_factory):
    sandbox = Sandbox(tmp_path_factory.mktemp("lifecycle")).start()
    yield sandbox
    sandbox.stop()


@pytest.fixture(scope="module")
def platform(box):
    return box.enrolled_client("TJ-LIFECYCLE-01")


@pytest.fixture
def clock(box):
    """clock(day) sets the platform's day (and runs its lifecycle); starts on START."""
    def set_day(day: dt.date) -> dict:
        return box.admin("POST", "/clock", day=day.isoformat())
    set_day(START)
    return set_day
