"""Evaluation (好差评): five levels, reasons for a bad one, submitted through the outbox.

不满意 and 非常不满意 need at least one reason from REASONS (plus an optional
comment typed on the on-screen keyboard). The evaluation is stored in the
encrypted outbox (kind "evaluation") before it is sent, so one made while the
platform is down arrives later, exactly once (the idempotency key travels with it).
It may name the case it is about (from a receipt's QR code) or the item.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Optional

LEVELS = ("very_satisfied", "satisfied", "basic", "dissatisfied", "very_dissatisfied")
LEVEL_NAMES = {"very_satisfied": "非常满意", "satisfied": "满意", "basic": "基本满意",
               "dissatisfied": "不满意", "very_dissatisfied": "非常不满意"}
BAD = frozenset({"dissatisfied", "very_dissatisfied"})
# reasons a bad rating may give (code, the text sent to the platform)
REASONS = (
    ("guide_unclear", "办事指南不清晰"),
    ("too_slow", "办理时间过长"),
    ("many_visits", "需要多次跑动"),
    ("attitude", "服务态度不好"),
    ("hard_to_use", "终端操作不方便"),
    ("materials", "材料要求不合理"),
    ("other", "其他"),
)
REASON_TEXT = dict(REASONS)
KIND = "evaluation"
MAX_COMMENT = 500


class EvaluationIncomplete(ValueError):
    """The evaluation cannot be sent yet; `.reason` is a message key under services.evaluation."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True, repr=False)
class Evaluation:
    level: str
    reasons: tuple[str, ...] = ()       # codes from REASONS
    comment: str = ""
    case_number: Optional[str] = None
    item_code: Optional[str] = None

    def __repr__(self) -> str:
        return f"Evaluation({self.level!r}, reasons={len(self.reasons)})"

    def check(self) -> None:
        if self.level not in LEVELS:
            raise EvaluationIncomplete("choose_level")
        if self.level in BAD and not self.reasons:
            raise EvaluationIncomplete("reason_required")
        if any(code not in REASON_TEXT for code in self.reasons):
            raise EvaluationIncomplete("reason_required")

    def payload(self) -> dict:
        """What the outbox stores and the platform receives (reasons as their Chinese text)."""
        self.check()
        body = {"level": self.level, "comment": self.comment.strip()[:MAX_COMMENT],
                "reasons": [REASON_TEXT[c] for c in self.reasons] if self.level in BAD else []}
        body |= {k: v for k, v in (("case_number", self.case_number), ("item_code", self.item_code)) if v}
        return body


def outbox_handler(platform):
    """Sends one stored evaluation: (payload, idempotency key) -> Receipt."""
    return lambda payload, key: platform.evaluate(idempotency_key=key, **payload)


def submit(sender, evaluation: Evaluation):
    """Worker thread: store durably, then try to send at once. Returns (outbox entry, Receipt or
    None when it waits in the outbox for the platform). Raises EvaluationIncomplete, PlatformRejected."""
    return sender.submit(KIND, evaluation.payload())
