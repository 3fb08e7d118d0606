"""Finding a citizen's commitment cases for 补交材料 and 进度查询 (worker threads only).

By the receipt's QR code (kiosk/receipts.parse_lookup): `TJCASE:<case number>` asks
the platform; `TJREF:<local reference>` is first looked up in the outbox: a letter
still there is queued and will be sent automatically; one the platform accepted
leads to its case; one the platform refused says why (its refusal slug). By a person (ID card or identity code): the platform's cases of
that person. `timeline(case)` lists what happened and what is due, with dates;
`progress(case, today)` says where the case stands and what the citizen can do next.
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


SUPPLIABLE = ("approved", "verifying", "verified", "suspended")   # overdue: 信用承诺 第十六条, no more


def open_cases(found: Found) -> list[Case]:
    """Cases with materials still to supply (the ones 补交材料 can act on); an overdue case is
    not one: its deadline passed and the agency now judges it (信用承诺 第九条(二)、第十六条)."""
    return [c for c in found.cases if c.status in SUPPLIABLE and c.deferred_materials]


@dataclass(frozen=True)
class Line:
    key: str                           # message key
    params: dict = field(default_factory=dict)


@dataclass(frozen=True)
class Progress:
    """Where a case stands (`state`, then the extension and the credit judgement when there is
    one) and what the citizen can do next (`actions`), as message keys with their values."""
    state: Line
    notes: tuple[Line, ...]
    actions: tuple[str, ...]           # keys under lookup.action


def can_extend(case: Case, today: dt.date) -> bool:
    """信用承诺 第十六条: one written request, before the deadline, while materials are outstanding.
    The platform decides; this only offers the button."""
    due = case.deadlines.supplement_due
    return (case.status in SUPPLIABLE and bool(case.deferred_materials) and case.extension.status == "none"
            and (due is None or today <= due))


def progress(case: Case, today: dt.date) -> Progress:
    """The state of a case in the citizen's words: overdue (信用承诺 第九条(二)), suspended
    (第九条), revoked with its ground (第十六条; 全程监督 第十七条), the extension (第十六条),
    the credit judgement (第七条; 失信惩戒 第十四条), a new letter due after a change of legal
    representative or name (第十四条(二)), and what can be done now."""
    due = case.deadlines.supplement_due
    state = Line(f"lookup.state.{case.status}")
    if case.status == "revoked" and case.revocation is not None:
        state = Line("lookup.state.revoked", {"what": case.revocation.what, "article": case.revocation.article})
    notes = []
    ext = case.extension
    if ext.status == "requested":
        notes.append(Line("lookup.extension.requested", {"routed_to": ext.routed_to, "due": _day(due)})
                     if due else Line("lookup.extension.requested_unknown", {"routed_to": ext.routed_to}))
    elif ext.status in ("granted", "refused") and due is not None:
        notes.append(Line(f"lookup.extension.{ext.status}", {"due": _day(due)}))
    judgement = case.judgement
    if judgement is not None:
        notes.append(Line(f"lookup.judgement.{judgement.status}", {"article": judgement.article}))
    if case.renewal is not None:                  # 信用承诺 第十四条(二): 应当重新作出承诺
        notes.extend(Line(f"lookup.renewal.{what}") for what in case.renewal.changed)
    actions = ["renew_letter"] if case.renewal is not None else []
    if case.status in SUPPLIABLE and case.deferred_materials:
        actions.append("supplement")
    if can_extend(case, today):
        actions.append("request_extension")
    if case.status == "suspended" or (judgement is not None and judgement.status == "dishonest"):
        actions.append("credit_repair")
    if case.status in ("overdue", "revoked", "suspended"):
        actions.append("ask_agency")
    return Progress(state, tuple(notes), tuple(actions))


def _day(day: dt.date) -> str:
    return day.isoformat()


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
    if case.status not in ("revoked", "suspended", "overdue"):
        for event, due in (("verification_started", case.deadlines.verification_start_due),
                           ("verification_finished", case.deadlines.verification_end_due)):
            if event not in happened:
                steps.append(Step(event, due, False))
    return steps
