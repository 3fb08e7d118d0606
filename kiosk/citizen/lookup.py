"""Finding a citizen's commitment cases for 补交材料 and 进度查询 (worker threads only).

By the receipt's QR code (kiosk/receipts.parse_lookup): `TJCASE:<case number>` asks
the platform; `TJREF:<local reference>` is first looked up in the outbox: a letter
still there is queued and will be sent automatically; one the platform accepted
leads to its case; one the platform refused says why (its refusal slug). By a person (ID card or identity code): the platform's cases of
that person. `timeline(case)` lists what happened and what is due, with dates.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Literal, Optional

from kiosk.platform.errors import PlatformRejected

from kiosk.platform.models import Case
from kiosk.printing.receipts import parse_lookup


@dataclass(frozen=True, repr=False)
class Found:
    kind: Literal["cases", "queued", "refused", "none", "not_ours"]
    cases: list[Case] = field(default_factory=list)
    ref: str = ""
    reason: str = ""                   # "refused": the platform's refusal slug

    def __repr__(self) -> str:
        return f"Found({self.kind!r}, {len(self.cases)} cases)"


def by_code(platform, outbox, text: str) -> Found:
    parsed = parse_lookup(text)
    if parsed is None:
        return Found("not_ours")
    kind, value = parsed
    if kind == "ref":
        if outbox is not None and outbox.get(value) is not None:
            return Found("queued", ref=value)
        outcome = outbox.outcome(value) if outbox is not None else None
        if outcome is not None and outcome.outcome == "rejected":
            return Found("refused", ref=value, reason=outcome.result)
        if outcome is None or outcome.outcome != "accepted":
            return Found("none", ref=value)
        value = outcome.result
    try:
        return Found("cases", [platform.case(value)])
    except PlatformRejected as exc:
        if exc.slug in ("not-found", "case-not-found"):
            return Found("none")
        raise


def by_person(platform, person) -> Found:
    cases = platform.cases_of("person", person.id_number)
    return Found("cases", cases) if cases else Found("none")


def open_cases(found: Found) -> list[Case]:
    """Cases with materials still to supply (the ones 补交材料 can act on)."""
    return [c for c in found.cases if c.status not in ("revoked", "completed") and c.deferred_materials]


@dataclass(frozen=True)
class Step:
    event: str                         # message key under lookup.events
    on: Optional[dt.date]
    done: bool                         # False: expected, `on` is its due date


def timeline(case: Case) -> list[Step]:
    """What happened (with dates), then the verification steps still due (start within 3
    working days of approval, finish within 50: 信用承诺办法) with their due dates when the platform gave them."""
    steps = [Step(e.event, e.on, True) for e in case.timeline]
    happened = {e.event for e in case.timeline}
    if case.status not in ("revoked", "suspended"):
        for event, due in (("verification_started", case.deadlines.verification_start_due),
                           ("verification_finished", case.deadlines.verification_end_due)):
            if event not in happened:
                steps.append(Step(event, due, False))
    return steps
