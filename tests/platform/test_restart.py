"""A sandbox restart mid-test: cases, credentials, idempotency keys and blacklist survive."""
from __future__ import annotations

import pytest

from kiosk.platform.client import new_idempotency_key

from kiosk.platform.errors import PlatformRejected, PlatformUnavailable
from sandbox.testing import Sandbox, letter, new_person_id
from sandbox import seed


@pytest.fixture
def own_sandbox(tmp_path):
    box = Sandbox(tmp_path).start()
    yield box
    box.stop()


def test_data_survives_restart(own_sandbox):
    client = own_sandbox.enrolled_client("TJ-RESTART")
    the_letter, key = letter(), new_idempotency_key()
    case = client.submit_commitment(the_letter, key)
    person = new_person_id()
    own_sandbox.admin("POST", "/blacklist", subject_type="person", subject_id=person)

    own_sandbox.stop()
    with pytest.raises(PlatformUnavailable):
        client.case(case.case_number)
    own_sandbox.start()

    assert client.case(case.case_number) == case                      # same key still works
    assert client.submit_commitment(the_letter, key).case_number == case.case_number
    with pytest.raises(PlatformRejected) as err:
        client.submit_commitment(letter(person), new_idempotency_key())
    assert err.value.slug == "blacklisted"
    seeded = client.cases_of("person", seed.PENDING_PERSON[1])
    assert len([c for c in seeded if c.case_number.startswith("CN-SEED")]) == 4   # seeded once only
