"""The deadline sentences the citizen sees, in one place: the review and result screens and
`kiosk-selftest --calendar` build them here, so the self-test shows exactly what a screen
would. `t` is the message lookup (kiosk.i18n.Messages.t or the app's t); keys are in
config/messages/<lang>/calendar.toml.
"""
from __future__ import annotations

import datetime as dt
from typing import Callable, Optional

__all__ = ["review_due", "deferred_item"]

Lookup = Callable[..., str]


def review_due(t: Lookup, due: Optional[dt.date], hotline: str) -> str:
    """The review screen's line before the letter is sent (the terminal's count, so labelled)."""
    return t("calendar.review_due", due=f"{due:%Y-%m-%d}") if due else t("calendar.due_unknown", hotline=hotline)


def deferred_item(t: Lookup, name: str, due: Optional[dt.date], source: str, hotline: str) -> str:
    """The result screen's line per deferred material: the platform's date; the terminal's own
    count only while offline (`source` "local"), labelled; beyond every table, how to learn it."""
    if due is None:
        return t("calendar.deferred_item_unknown", name=name, hotline=hotline)
    key = "calendar.deferred_item_local" if source == "local" else "calendar.deferred_item"
    return t(key, name=name, due=f"{due:%Y-%m-%d}")
