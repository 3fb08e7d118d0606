"""Errors as problem+json (RFC 9457) with stable `type` URIs.

The kiosk maps the slug at the end of each type URI to a Chinese message;
never rename one. PROBLEMS lists every type with its HTTP status and title.
"""
from __future__ import annotations

import logging

from fastapi import Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

log = logging.getLogger("sandbox")
TYPE_PREFIX = "urn:tj-kiosk:problem:"
MEDIA_TYPE = "application/problem+json"

PROBLEMS: dict[str, tuple[int, str]] = {
    "invalid-request": (422, "The request does not match the contract"),
    "malformed-request": (400, "The request could not be parsed"),
    "body-too-large": (413, "The request body is too large"),
    "unsupported-media-type": (415, "Unsupported content type"),
    "not-found": (404, "No such resource"),
    "method-not-allowed": (405, "Method not allowed"),
    "unauthorized": (401, "The request is not signed by an enrolled terminal"),
    "unknown-device": (401, "Unknown terminal key"),
    "device-revoked": (403, "This terminal has been revoked"),
    "clock-skew": (401, "The signature time is too far from the platform's clock"),
    "replayed-request": (401, "This signed request was already received"),
    "enrollment-token-invalid": (401, "The enrollment token is unknown, used or expired"),
    "admin-unauthorized": (401, "Admin credential required"),
    "idempotency-key-required": (400, "An Idempotency-Key header is required"),
    "idempotency-conflict": (422, "The Idempotency-Key was already used with a different request"),
    "item-unknown": (422, "Unknown item code"),
    "commitment-not-allowed": (422, "This item does not allow commitment approval"),
    "material-not-deferrable": (422, "This material cannot be deferred for this item"),
    "blacklisted": (403, "The applicant is on the blacklist"),
    "case-not-found": (404, "No case with this number"),
    "case-closed": (409, "The case no longer accepts this"),
    "material-not-deferred": (422, "This material is not a deferred material of the case"),
    "extension-already-requested": (409, "An extension was already requested for this case"),
    "extension-too-late": (409, "An extension must be requested before the supplement deadline"),
    "extension-not-requested": (409, "No extension request waits for a decision"),
    "nothing-outstanding": (409, "Every deferred material of the case was supplied"),
    "supplement-overdue": (409, "The supplement deadline has passed"),
    "commitment-barred": (403, "Commitment approval no longer applies to this subject"),
    "judgement-not-open": (409, "No credit judgement is open for this case"),
    "judgement-decided": (409, "The credit judgement of this case was decided"),
    "judgement-not-minor": (422, "Serious dishonesty cannot be handled leniently"),
    "revocation-ground-unmet": (409, "The ground of the revocation does not hold for this case"),
    "materials-outstanding": (409, "The case still has deferred materials outstanding"),
    "repair-decided": (409, "The credit repair application was decided"),
    "company-unknown": (422, "The 法人库 has no company with this USCC"),
    "company-name-mismatch": (422, "The company name differs from the registered one"),
    "not-legal-representative": (403, "The signer is not the company's registered legal representative"),
    "signer-not-applicant": (403, "Someone else signs for a person only as an agent"),
    "authorisation-required": (422, "An agent's letter needs the authorisation (授权委托书)"),
    "authorisation-not-deferrable": (422, "The authorisation (授权委托书) can never be deferred"),
    "renewal-not-required": (409, "Nothing changed since the case's letter"),
    "identity-code-unknown": (404, "Unknown electronic identity code"),
    "identity-code-expired": (410, "The electronic identity code has expired"),
    "identity-code-used": (409, "The electronic identity code was already used"),
    "slot-not-found": (404, "No such appointment slot"),
    "slot-full": (409, "The appointment slot is fully booked"),
    "already-booked": (409, "The applicant already holds this slot"),
    "appointment-not-found": (404, "No such appointment"),
    "appointment-used": (409, "A queue ticket was already taken with this appointment"),
    "evaluation-reason-required": (422, "A dissatisfied evaluation needs a reason"),
    "not-blacklisted": (409, "The subject is not on the blacklist"),
    "repair-documents-missing": (422, "Required credit repair documents are missing"),
    "internal": (500, "Internal error"),
}


def type_uri(slug: str) -> str:
    return TYPE_PREFIX + slug


class Problem(Exception):
    """Raise anywhere in the sandbox to answer with a problem document."""

    def __init__(self, slug: str, detail: str = "", **extra):
        assert slug in PROBLEMS, slug
        super().__init__(slug)
        self.slug, self.detail, self.extra = slug, detail, extra

    @property
    def status(self) -> int:
        return PROBLEMS[self.slug][0]


def problem_response(slug: str, detail: str = "", instance: str = "", headers=None, **extra) -> JSONResponse:
    status, title = PROBLEMS[slug]
    body = {"type": type_uri(slug), "title": title, "status": status}
    if detail:
        body["detail"] = detail
    if instance:
        body["instance"] = instance
    body.update(extra)
    return JSONResponse(body, status_code=status, media_type=MEDIA_TYPE, headers=headers)


_BY_STATUS = {401: "unauthorized", 404: "not-found", 405: "method-not-allowed",
              413: "body-too-large", 415: "unsupported-media-type", 400: "malformed-request"}


def install(app) -> None:
    """Register handlers so every error the app produces is problem+json."""

    @app.exception_handler(Problem)
    async def _problem(request: Request, exc: Problem):
        return problem_response(exc.slug, exc.detail, request.url.path, **exc.extra)

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError):
        errors = [{"loc": [str(p) for p in e.get("loc", ())], "msg": str(e.get("msg", ""))}
                  for e in exc.errors()[:20]]
        json_broken = any(e.get("type") == "json_invalid" for e in exc.errors())
        slug = "malformed-request" if json_broken else "invalid-request"
        return problem_response(slug, "see errors", request.url.path, errors=errors)

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException):
        slug = _BY_STATUS.get(exc.status_code, "malformed-request" if exc.status_code < 500 else "internal")
        return problem_response(slug, "", request.url.path, headers=getattr(exc, "headers", None))

    @app.exception_handler(Exception)
    async def _crash(request: Request, exc: Exception):
        # the type and where only: bodies and tracebacks may carry identity data
        log.error("internal error %s on %s %s", type(exc).__name__, request.method, request.url.path)
        return problem_response("internal", "", request.url.path)
