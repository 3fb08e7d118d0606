"""The extension request at the terminal (信用承诺 第十六条: "遇有特殊情形提出书面延期承诺申请并经
具有决定权行政机关的法定代表人批准同意可再延期20个工作日提交"). Worker threads only.

The citizen writes the reason; the request goes to the platform, which routes it to the
deciding agency's legal representative; 进度查询 then shows it pending, approved or refused
with the new date (kiosk/citizen/lookup.py). Bad input, a request after the deadline or a
second request gets a plain sentence (a message key under `extension.`) and nothing is lost.
"""
from __future__ import annotations

import datetime as dt

from kiosk.citizen.lookup import can_extend
from kiosk.platform.errors import PlatformRejected, PlatformUnavailable
from kiosk.platform.models import Case

MIN_REASON = 5                         # characters: a reason, not a stray tap

# the platform's refusal -> what the citizen is told (message keys under `extension.`)
REFUSALS = {"extension-too-late": "extension.too_late", "supplement-overdue": "extension.too_late",
            "extension-already-requested": "extension.already", "nothing-outstanding": "extension.nothing",
            "case-closed": "extension.closed"}


class ExtensionRefused(Exception):
    """Why the request was not sent or not accepted; `key` is the citizen's sentence."""

    def __init__(self, key: str):
        super().__init__(key)
        self.key = key


def check(case: Case, reason: str, today: dt.date) -> str:
    """The reason, trimmed, if the request may go (第十六条: written, before the deadline, once)."""
    reason = " ".join(reason.split())
    if case.extension.status != "none":
        raise ExtensionRefused("extension.already")
    if case.status not in ("approved", "verifying", "verified", "suspended"):
        raise ExtensionRefused("extension.too_late" if case.status == "overdue" else "extension.closed")
    if not case.deferred_materials:
        raise ExtensionRefused("extension.nothing")
    if not can_extend(case, today):
        raise ExtensionRefused("extension.too_late")
    if len(reason) < MIN_REASON:
        raise ExtensionRefused("extension.reason_required")
    return reason


def request(platform, case: Case, reason: str, today: dt.date) -> Case:
    """Send the request; the case as the platform now has it (extension `requested`)."""
    reason = check(case, reason, today)
    try:
        return platform.request_extension(case.case_number, reason)
    except PlatformRejected as exc:
        raise ExtensionRefused(REFUSALS.get(exc.slug, "extension.closed")) from None
    except PlatformUnavailable:
        raise ExtensionRefused("extension.offline") from None
