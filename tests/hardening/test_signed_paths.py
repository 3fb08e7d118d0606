"""Issue 14 point 8: a percent-encoded path or query signs and verifies the same on both
sides (the kiosk signs what it sends, the platform verifies the raw request target, not
the decoded path). The real client against the real sandbox: a refusal by a rule (no such
case, a bad parameter) is what comes back, never a signature failure."""
from __future__ import annotations

import pytest

from kiosk.platform.errors import PlatformRejected


@pytest.mark.parametrize("number", ["津2026-0001", "A B", "100%", "A+B", "A%2FB", "A/B", "a~b", "A?B#C"])
def test_an_encoded_case_number_verifies_and_gets_a_rule_answer(client, number):
    with pytest.raises(PlatformRejected) as err:
        client.case(number)
    assert err.value.status in (404, 422)


@pytest.mark.parametrize("hall", ["和平区/政务服务中心", "a&b=c", "a+b c", "%2F"])
def test_an_encoded_query_verifies_and_gets_a_rule_answer(client, hall):
    with pytest.raises(PlatformRejected) as err:      # the hall pattern refuses it, after the signature
        client.appointment_slots(hall=hall)
    assert err.value.status == 422 and err.value.slug == "invalid-request"


def test_an_existing_case_is_found_through_its_encoded_path(client):
    from sandbox.testing import letter
    case = client.submit_commitment(letter(), "signed-path-0001")
    assert client.case(case.case_number).case_number == case.case_number
