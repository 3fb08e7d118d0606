"""Fixtures of the commitment tests: the sandbox as a real subprocess (reusing the platform
tests' helper) and a client enrolled with it."""
from __future__ import annotations






