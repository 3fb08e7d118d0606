"""The "embedded" platform: the sandbox on a loopback thread, started on first use,
the terminal enrolled once and its credential reused on the next start."""
from __future__ import annotations

from kiosk.platform.client import PlatformClient, new_idempotency_key
from kiosk.platform.embedded import embedded_client
from kiosk.services import build_services
from sandbox.testing import letter


def test_embedded_starts_lazily_enrolls_once_and_persists(make_settings):
    settings = make_settings(platform__url="embedded")
    client = embedded_client(settings)
    assert client.base_url == ""                         # nothing started yet
    try:
        assert client.health()
        assert client.base_url.startswith("http://127.0.0.1:")
        status = client.credit_status("person", "120101199003071234")
        assert status.standing == "good"
        key_id = client.auth.credential.key_id
        case = client.submit_commitment(letter(), new_idempotency_key())
    finally:
        client.close()
    assert settings.state_path("platform", "sandbox.db").exists()
    again = embedded_client(settings)
    try:
        assert again.case(case.case_number).case_number == case.case_number
        assert again.auth.credential.key_id == key_id      # no second enrollment
    finally:
        again.close()


def test_services_carry_the_platform_client(make_settings):
    services = build_services(make_settings(platform__url="http://127.0.0.1:9"))
    try:
        assert isinstance(services.platform, PlatformClient)
        assert services.platform.timeout == (3.0, 10.0) and services.platform.verify is True
    finally:
        services.close()
