"""The real KioskApp wired to a platform URL (the sandbox or a fault proxy in front of it);
shared by the hardening fixtures, the privacy audit and scripts/soak.py."""
from __future__ import annotations

TIMEOUTS = dict(platform__connect_timeout=0.5, platform__read_timeout=1.0)


def app_with_platform(make_settings, sandbox, url, **overrides):
    """The real KioskApp, enrolled with the sandbox, talking to the platform at `url`."""
    from screens.tour.driver import AppDriver
    settings = make_settings(platform__url=url, outbox__retry_base_seconds=0.2,
                             outbox__retry_max_seconds=0.5, outbox__poll_seconds=0.2,
                             **{**TIMEOUTS, **overrides})
    client = sandbox.enrolled_client()
    client.auth.credential.save(settings.state_path("platform", "device.json"))
    driver = AppDriver(settings).start()
    driver.client = client
    return driver
