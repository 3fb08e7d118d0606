"""Shared fixtures. The Kivy Window is a per-process singleton: it is created once,
at kiosk size (1080x1920 portrait), on a private Xvfb, before any test imports Kivy."""
from __future__ import annotations

import os

import pytest
from hypothesis import HealthCheck, settings as hypothesis_settings

from kiosk.config import load_settings
from sandbox.testing import Sandbox, settings_factory

# property tests: a few hundred examples in `make test`, 10,000 each in `make fuzz`
hypothesis_settings.register_profile("default", max_examples=300, deadline=None)
hypothesis_settings.register_profile("fuzz", max_examples=10_000, deadline=None,
                                     suppress_health_check=[HealthCheck.too_slow])
hypothesis_settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))


def pytest_configure(config):
    from screens.tour.driver import ensure_display
    from screens.window import configure_kivy
    config._kiosk_xvfb = ensure_display()
    configure_kivy(load_settings(environ={}))


def pytest_unconfigure(config):
    xvfb = getattr(config, "_kiosk_xvfb", None)
    if xvfb is not None:
        xvfb.terminate()
        xvfb.wait(5)


@pytest.fixture
def make_settings(tmp_path):
    """Settings from the defaults plus KIOSK__SECTION__KEY-style overrides, e.g.
    make_settings(idle__timeout_seconds=3). State goes to a temporary directory."""
    return settings_factory(tmp_path / "state")


@pytest.fixture
def kiosk(make_settings, request):
    """The real KioskApp running in-process; parametrize indirectly with override dicts."""
    from screens.tour.driver import AppDriver
    overrides = getattr(request, "param", {}) or {}
    driver = AppDriver(make_settings(**overrides)).start()
    yield driver
    driver.stop()


@pytest.fixture(scope="session")
def sandbox(tmp_path_factory):
    """The platform sandbox as a real subprocess over HTTP on loopback, one for the whole run.
    Tests keep to their own subjects (sandbox.testing.new_person_id) and terminals."""
    box = Sandbox(tmp_path_factory.mktemp("sandbox")).start()
    yield box
    box.stop()


@pytest.fixture(scope="session")
def client(sandbox):
    """A platform client of a terminal enrolled with the sandbox."""
    return sandbox.enrolled_client()
