"""The platform client's typed errors; each screen maps them to a plain Chinese sentence."""
from __future__ import annotations

from kiosk.platform.contract import PROBLEM_PREFIX, REFUSALS

# --- errors ----------------------------------------------------------------

class PlatformError(Exception):
    """Base of the client's typed errors. `retry_after`: seconds the platform asked to wait
    (its Retry-After header), None when it said nothing."""
    retry_after: float | None = None


class PlatformUnavailable(PlatformError):
    """The platform cannot be reached or is failing (the outbox keeps letters for later)."""


class PlatformUnauthorized(PlatformError):
    """This terminal's credential is unknown, revoked or refused."""

    def __init__(self, slug: str, detail: str = ""):
        super().__init__(f"{slug}: {detail}" if detail else slug)
        self.slug, self.detail = slug, detail


class PlatformRejected(PlatformError):
    """A problem document refused the request; `type` is the problem type URI, `slug` its
    stable end. `definitive`: one of the platform's documented rule refusals (contract.REFUSALS),
    which resending cannot change; any other (a proxy's 404, 429, an unknown 401/403) is passing."""

    def __init__(self, type: str, detail: str = "", status: int = 0):
        super().__init__(f"{type}: {detail}" if detail else type)
        self.type, self.detail, self.status = type, detail, status
        self.slug = type[len(PROBLEM_PREFIX):] if type.startswith(PROBLEM_PREFIX) else type

    @property
    def definitive(self) -> bool:
        return self.type.startswith(PROBLEM_PREFIX) and self.slug in REFUSALS and 400 <= self.status < 500


class PlatformInvalidResponse(PlatformError):
    """The platform answered something that does not match the contract."""
