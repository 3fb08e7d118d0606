"""Fixtures of the citizen-service tests: the sandbox platform as a real subprocess
(tests/platform/platform_helpers.py) and the real app wired to it."""
from __future__ import annotations



