"""Device authentication: enrollment, signatures, unknown/revoked terminals, replay, clock, rotation."""
from __future__ import annotations

import pytest
import requests

from kiosk.platform.client import PlatformClient

from kiosk.platform.errors import PlatformRejected, PlatformUnauthorized

from kiosk.platform.signing import DeviceCredential


def test_unsigned_request_gets_401_problem(sandbox):
    r = requests.post(sandbox.url + "/api/v1/credit-checks", timeout=5,
                      json={"subject_type": "person", "subject_id": "120101199003071234"})
    assert r.status_code == 401
    assert r.headers["content-type"] == "application/problem+json"
    assert r.json()["type"] == "urn:tj-kiosk:problem:unauthorized"


def test_not_enrolled_client_refuses_locally(sandbox):
    with pytest.raises(PlatformUnauthorized) as err:
        PlatformClient(sandbox.url).heartbeat()
    assert err.value.slug == "not-enrolled"


def test_unknown_key(sandbox):
    stranger = PlatformClient(sandbox.url, DeviceCredential("key-0000", "dev-0000", DeviceCredential.new_key()))
    with pytest.raises(PlatformUnauthorized) as err:
        stranger.heartbeat()
    assert err.value.slug == "unknown-device"


def test_wrong_key_for_key_id(sandbox, client):
    impostor = DeviceCredential(client.auth.credential.key_id, "x", DeviceCredential.new_key())
    with pytest.raises(PlatformUnauthorized) as err:
        PlatformClient(sandbox.url, impostor).heartbeat()
    assert err.value.slug == "unauthorized"


def test_revoked_terminal_gets_403(sandbox):
    client = sandbox.enrolled_client("TJ-REVOKE-1")
    client.heartbeat()
    sandbox.admin("POST", f"/devices/{client.auth.credential.device_id}/revoke")
    with pytest.raises(PlatformUnauthorized) as err:
        client.heartbeat()
    assert err.value.slug == "device-revoked"


def test_each_terminal_has_its_own_key(sandbox):
    a, b = sandbox.enrolled_client("TJ-A"), sandbox.enrolled_client("TJ-B")
    assert a.auth.credential.key_id != b.auth.credential.key_id
    assert a.auth.credential.device_id != b.auth.credential.device_id


def test_enrollment_token_is_single_use(sandbox):
    token = sandbox.admin("POST", "/enrollment-tokens")["enrollment_token"]
    PlatformClient(sandbox.url).enroll(token, "TJ-ONCE")
    with pytest.raises(PlatformUnauthorized) as err:
        PlatformClient(sandbox.url).enroll(token, "TJ-TWICE")
    assert err.value.slug == "enrollment-token-invalid"
    with pytest.raises(PlatformUnauthorized):
        PlatformClient(sandbox.url).enroll("made-up-token-1234", "TJ-X")


def test_tampered_body_and_replay_refused(sandbox, client):
    body = b'{"subject_type":"person","subject_id":"120101199003071234"}'
    prepared = requests.Request("POST", sandbox.url + "/api/v1/credit-checks", data=body,
                                headers={"Content-Type": "application/json"}, auth=client.auth).prepare()
    with requests.Session() as s:
        assert s.send(prepared, timeout=5).status_code == 200
        replay = s.send(prepared, timeout=5)
        assert replay.status_code == 401 and replay.json()["type"].endswith("replayed-request")
        tampered = requests.Request("POST", sandbox.url + "/api/v1/credit-checks", data=body,
                                    headers={"Content-Type": "application/json"}, auth=client.auth).prepare()
        tampered.body = body.replace(b"1234", b"1235")
        r = s.send(tampered, timeout=5)
        assert r.status_code == 401 and r.json()["type"].endswith(":unauthorized")


def test_wrong_kiosk_clock_is_corrected_from_the_date_header(sandbox):
    client = sandbox.enrolled_client("TJ-CLOCK")
    client.auth.clock_offset = -3600          # the kiosk's clock is an hour wrong
    assert client.heartbeat().commands == []   # refused once (clock-skew), then signed right
    assert abs(client.auth.clock_offset) < 60


def test_key_rotation_retires_the_old_key(sandbox):
    client = sandbox.enrolled_client("TJ-ROTATE")
    old = client.auth.credential
    new = client.rotate_key()
    assert new.key_id != old.key_id and new.device_id == old.device_id
    client.heartbeat()
    with pytest.raises(PlatformUnauthorized):
        PlatformClient(sandbox.url, old).heartbeat()


def test_credential_file_round_trip(tmp_path, sandbox, client):
    path = tmp_path / "platform" / "device.json"
    client.auth.credential.save(path)
    assert path.stat().st_mode & 0o077 == 0
    again = PlatformClient(sandbox.url, DeviceCredential.load(path))
    assert again.credit_status("person", "120101199003071234").standing in ("good", "blacklisted")


def test_admin_endpoints_need_the_admin_credential(sandbox, client):
    assert requests.get(sandbox.url + "/admin/v1/devices", timeout=5).status_code == 401
    r = requests.get(sandbox.url + "/admin/v1/devices", timeout=5, auth=client.auth)
    assert r.status_code == 401
    with pytest.raises(PlatformRejected):
        client.request("GET", "/admin/v1/devices", idempotent=True)
