"""Fixtures of the citizen-service tests: the sandbox platform as a real subprocess
(tests/platform/platform_helpers.py) and the real app wired to it."""
from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "platform"))
