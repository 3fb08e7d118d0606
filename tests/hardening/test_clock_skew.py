"""Issue 14 point 8: a kiosk clock a few minutes ahead or behind is corrected from the
platform's `Date` header and the call retried once. The real client signs with a clock
that is off (MessageSignatureAuth.clock) against the real sandbox over loopback."""
from __future__ import annotations

import time

import pytest
from sandbox.testing import letter

from kiosk.platform.errors import PlatformUnauthorized


def skewed(seconds: float):
    return lambda: time.time() + seconds


@pytest.mark.parametrize("skew", [+90, +240, -240, +900, -900, +3 * 86400])
def test_a_wrong_kiosk_clock_is_corrected_and_the_first_call_succeeds(sandbox, skew):
    client = sandbox.enrolled_client(f"TJ-SKEW-{skew}")
    client.auth.clock = skewed(skew)
    assert client.credit_status("person", "120101199003071234").standing in ("good", "blacklisted")
    assert client.auth.clock_offset == pytest.approx(-skew, abs=3)


def test_a_submission_signed_with_a_clock_ahead_makes_one_case(sandbox):
    client = sandbox.enrolled_client("TJ-SKEW-SUBMIT")
    client.auth.clock = skewed(180)
    the_letter = letter()
    case = client.submit_commitment(the_letter, "skew-submit-0001")
    assert client.submit_commitment(the_letter, "skew-submit-0001").case_number == case.case_number


def test_the_correction_survives_a_key_rotation(sandbox):
    client = sandbox.enrolled_client("TJ-SKEW-ROTATE")
    client.auth.clock = skewed(600)
    client.heartbeat()
    client.rotate_key()
    assert client.auth.clock_offset == pytest.approx(-600, abs=3)
    client.heartbeat()


def test_a_clock_that_keeps_jumping_is_retried_once_only(sandbox):
    client = sandbox.enrolled_client("TJ-SKEW-JUMPING")
    jumps = iter(range(1, 1000))
    client.auth.clock = lambda: time.time() + 3600 * next(jumps)
    with pytest.raises(PlatformUnauthorized) as err:
        client.heartbeat()
    assert err.value.slug == "clock-skew"
