"""Helpers of the lifecycle tests: the fixed start day and letters signed on a given day."""
from __future__ import annotations

import datetime as dt

from kiosk.platform.client import new_idempotency_key
from sandbox.testing import TODAY, letter, new_person_id

CST = dt.timezone(dt.timedelta(hours=8))
START = dt.date.fromisoformat(TODAY)          # 2025-09-22: 60 working days later is 2025-12-19
DUE = dt.date(2025, 12, 19)


def submit(platform, person: str | None = None, on: dt.date = START, deferred=("M02",), **over):
    """A letter signed on `on` (the day of commitment, 信用承诺 第三条), sent; the case."""
    the_letter = letter(person or new_person_id(), deferred=deferred,
                        signed_at=dt.datetime.combine(on, dt.time(10), CST), **over)
    return platform.submit_commitment(the_letter, new_idempotency_key())


def problem(response) -> str:
    """The slug of an admin refusal."""
    assert response.status_code >= 400, response.text
    return response.json()["type"].rsplit(":", 1)[-1]
