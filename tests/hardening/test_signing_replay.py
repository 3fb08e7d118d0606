"""Issue 14 point 8: replay protection of signed requests survives a platform restart.
A signed request captured on the wire is refused after the platform restarted (the seen
nonces are kept in the sandbox store with their expiry), and expired entries are dropped."""
from __future__ import annotations

import time

import requests
from sandbox.testing import Sandbox

from kiosk.workdays.calendar import WorkCalendar
from sandbox.store import Store


def captured_request(box: Sandbox, client) -> requests.PreparedRequest:
    body = b'{"subject_type":"person","subject_id":"120101199003071234"}'
    return requests.Request("POST", box.url + "/api/v1/credit-checks", data=body,
                            headers={"Content-Type": "application/json"}, auth=client.auth).prepare()


def test_a_replay_is_refused_after_the_platform_restarted(tmp_path):
    box = Sandbox(tmp_path).start()
    try:
        client = box.enrolled_client("TJ-REPLAY-RESTART")
        signed = captured_request(box, client)
        with requests.Session() as s:
            assert s.send(signed, timeout=5).status_code == 200
        box.restart()
        with requests.Session() as s:
            replay = s.send(signed, timeout=5)
            assert replay.status_code == 401
            assert replay.json()["type"].endswith(":replayed-request")
            # a fresh request of the same terminal still goes through after the restart
            assert s.send(captured_request(box, client), timeout=5).status_code == 200
    finally:
        box.stop()


def test_seen_nonces_are_kept_until_they_expire_and_then_dropped(tmp_path):
    path = tmp_path / "sandbox.db"
    store = Store(path, {}, WorkCalendar(()))
    now = time.time()
    assert store.first_use_of_nonce("key-a", "n1", expires_at=now + 600)
    assert not store.first_use_of_nonce("key-a", "n1", expires_at=now + 600)
    assert store.first_use_of_nonce("key-b", "n1", expires_at=now + 600)   # per key
    assert store.first_use_of_nonce("key-a", "old", expires_at=now - 1)
    store.close()
    store = Store(path, {}, WorkCalendar(()))                              # "restart"
    assert not store.first_use_of_nonce("key-a", "n1", expires_at=now + 600)
    kept = {r[0] for r in store.db.execute("SELECT nonce FROM seen_nonces")}
    assert "old" not in kept and "n1" in kept
    store.close()
