"""Fixtures for the platform tests: the sandbox as a real subprocess (session-wide)
and a client enrolled with it. Helpers live in platform_helpers.py."""
from __future__ import annotations





