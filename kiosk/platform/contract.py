"""The wire contract that the kiosk client, kioskctl and the sandbox platform share.

Both sides import these names from here and nowhere else: the command types and the
canonical bytes a command is signed over (docs/FLEET.md), the problem-type URI
prefix of refusals (docs/PLATFORM.md), the request-signature parameters, the callback
phone pattern, and China
time, in which the platform's dates (signing day, working days) are counted.
"""
from __future__ import annotations

import datetime as dt
import json
from typing import Literal, get_args

CHINA_TZ = dt.timezone(dt.timedelta(hours=8), "CST")

PROBLEM_PREFIX = "urn:tj-kiosk:problem:"
COVERED = ("@method", "@authority", "@path", "@query")
LABEL, TAG = "kiosk", "tj-kiosk"
AUTH_SLUGS = frozenset({"unauthorized", "unknown-device", "device-revoked", "replayed-request",
                        "clock-skew", "enrollment-token-invalid"})

# The platform's rule refusals: resending the same request cannot change the answer, so a
# queued letter or evaluation refused with one of these ends (docs/PLATFORM.md). Any other
# problem (rate limits, a proxy's 404, an unknown 401/403, 5xx) is passing and retried.
REFUSALS = frozenset({"invalid-request", "idempotency-conflict", "item-unknown", "commitment-not-allowed",
                      "material-not-deferrable", "blacklisted", "case-closed", "material-not-deferred",
                      "evaluation-reason-required", "identity-code-expired", "identity-code-used",
                      # who may sign (信用承诺 第十四条(二)) and what follows a letter (第九、十六条;
                      # 全程监督 第十七条): the rule decides, a resend cannot change it
                      "commitment-barred", "not-legal-representative", "signer-not-applicant",
                      "authorisation-required", "authorisation-not-deferrable", "company-unknown",
                      "company-name-mismatch", "supplement-overdue", "extension-too-late",
                      "extension-already-requested", "nothing-outstanding", "renewal-not-required"})

# a callback phone on a complaint: a mainland mobile number, or a landline with its area code
CALLBACK_PHONE = r"^(1[3-9]\d{9}|0\d{2,3}\d{7,8})$"

CommandType = Literal["refresh_config", "run_selftest", "restart_app", "upload_logs",
                      "set_maintenance", "clear_maintenance", "set_technician_pin"]


def command_payload(command_id: int, device_id: str, type_: str, args: dict, issued_at: str) -> bytes:
    """The exact bytes the platform signs for a command (canonical JSON; docs/FLEET.md)."""
    return json.dumps({"args": args, "command_id": command_id, "device_id": device_id,
                       "issued_at": issued_at, "type": type_},
                      sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


COMMAND_TYPES: tuple[str, ...] = get_args(CommandType)
