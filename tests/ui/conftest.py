"""Fixtures of the UI tests: the real app under Xvfb wired to the session's sandbox."""
from __future__ import annotations

import pytest


def online_app(make_settings, sandbox, dev: bool = False, **overrides):
    """The real KioskApp against the sandbox over HTTP, as an enrolled terminal; fast outbox
    retries; `overrides` as for make_settings. The caller stops it."""
    from screens.tour.driver import AppDriver
    settings = make_settings(**{"platform__url": sandbox.url, "outbox__retry_base_seconds": 0.2,
                                "outbox__retry_max_seconds": 0.5, "outbox__poll_seconds": 0.2,
                                **overrides})
    client = sandbox.enrolled_client()
    client.auth.credential.save(settings.state_path("platform", "device.json"))
    driver = AppDriver(settings, dev=dev).start()
    driver.client = client
    driver.printer = driver.app.services.devices.printer.emulator
    return driver


def open_screen(app, screen, **data):
    """Start a session with `data` in it and go to `screen`; returns the screen."""
    app.app.start_session()
    app.app.services.sessions.current.data.update(data)
    app.app.go(screen)
    app.frames(3)
    return app.screen(screen)


def stop_online_app(driver) -> None:
    driver.app.services.devices.idcard.emulator.remove()
    driver.stop()


@pytest.fixture
def app(make_settings, sandbox):
    driver = online_app(make_settings, sandbox, devices__printer="printer+emu://?profile=generic-80&poll=0.2")
    yield driver
    stop_online_app(driver)
