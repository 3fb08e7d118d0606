"""The platform client's typed errors; each screen maps them to a plain Chinese sentence."""
from __future__ import annotations

from kiosk.platform.contract import PROBLEM_PREFIX

# --- errors ----------------------------------------------------------------

class PlatformError(Exception):
    """Base of the client's typed errors."""


class PlatformUnavailable(PlatformError):
    """The platform cannot be reached or is failing (the outbox keeps letters for later)."""


class PlatformUnauthorized(PlatformError):
    """This terminal's credential is unknown, revoked or refused."""

    def __init__(self, slug: str, detail: str = ""):
        super().__init__(f"{slug}: {detail}" if detail else slug)
        self.slug, self.detail = slug, detail


class PlatformRejected(PlatformError):
    """A rule refused the request; `type` is the problem type URI, `slug` its stable end."""

    def __init__(self, type: str, detail: str = "", status: int = 0):
        super().__init__(f"{type}: {detail}" if detail else type)
        self.type, self.detail, self.status = type, detail, status
        self.slug = type[len(PROBLEM_PREFIX):] if type.startswith(PROBLEM_PREFIX) else type


class PlatformInvalidResponse(PlatformError):
    """The platform answered something that does not match the contract."""
