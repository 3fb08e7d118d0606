"""Device authentication: HTTP Message Signatures (RFC 9421), Ed25519, one key per terminal.

A request is accepted when its `Signature`/`Signature-Input` pair verifies
under the enrolled public key named by `keyid`, covers the method, authority,
path, query, the Content-Digest of the body (RFC 9530) and the
Idempotency-Key when sent, was created within MAX_SKEW of the platform's
clock, and its nonce was not seen before (replay; the seen nonces are kept in the
store until their signature has expired, so a restart forgets none). The signature is
verified over the request target as sent (raw path and query), never over the decoded
path, so percent-encoded case numbers and queries verify as they were signed.
"""
from __future__ import annotations

import base64
import datetime
import time
from dataclasses import dataclass
from types import SimpleNamespace

import http_sf
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from fastapi import Request
from http_message_signatures import (HTTPMessageSignaturesException, HTTPMessageVerifier,
                                     HTTPSignatureKeyResolver, algorithms)

from sandbox.problems import Problem

MAX_SKEW = 300          # seconds either side
COVERED = ("@method", "@authority", "@path", "@query")
LABEL = "kiosk"
TAG = "tj-kiosk"


@dataclass(frozen=True)
class Device:
    device_id: str
    key_id: str
    terminal_id: str


class _Key(HTTPSignatureKeyResolver):
    """Resolves exactly the one key already looked up for this request."""

    def __init__(self, key_id: str, public_key: bytes):
        self.key_id, self.public_key = key_id, public_key

    def resolve_public_key(self, key_id: str):
        if key_id != self.key_id:
            raise HTTPMessageSignaturesException("unexpected keyid")
        return Ed25519PublicKey.from_public_bytes(self.public_key)

    def resolve_private_key(self, key_id: str):  # pragma: no cover - verifier only
        raise NotImplementedError


def decode_public_key(text: str) -> bytes:
    raw = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    if len(raw) != 32:
        raise Problem("invalid-request", "public_key must be 32 bytes of Ed25519, base64url")
    return raw


def _params(header: str) -> dict:
    """The parameters of our labelled signature (created, keyid, ...), or {}."""
    try:
        parsed = http_sf.parse(header.encode(), tltype="dictionary")
        member = parsed.get(LABEL)
        return dict(member[1]) if member else {}
    except Exception:
        return {}


def _target_url(request: Request) -> str:
    """The URL as the terminal sent (and signed) it: Starlette's request.url carries the
    percent-decoded path, the ASGI scope's raw_path the bytes on the wire."""
    raw_path = request.scope.get("raw_path") or request.url.path.encode()
    query = request.scope.get("query_string") or b""
    url = f"{request.url.scheme}://{request.headers.get('host', request.url.netloc)}{raw_path.decode('latin-1')}"
    return url + ("?" + query.decode("latin-1") if query else "")


class DeviceAuth:
    """FastAPI dependency: verifies the signature and returns the Device."""

    def __init__(self, store):
        self.store = store

    async def __call__(self, request: Request) -> Device:
        sig_input = request.headers.get("signature-input")
        if not sig_input or "signature" not in request.headers:
            raise Problem("unauthorized", "sign the request (RFC 9421) with the terminal's key")
        params = _params(sig_input)
        created, key_id = params.get("created"), params.get("keyid")
        if not isinstance(created, int) or not isinstance(key_id, str):
            raise Problem("unauthorized", f"no signature labelled {LABEL!r} with created and keyid")
        row = self.store.device_key(key_id)
        if row is None or row["key_status"] != "active":
            raise Problem("unknown-device")
        if row["status"] != "active":
            raise Problem("device-revoked")
        if abs(time.time() - created) > MAX_SKEW:
            raise Problem("clock-skew", "adjust the clock to the platform's Date header",
                          server_time=int(time.time()))
        body = await request.body()
        verifier = HTTPMessageVerifier(signature_algorithm=algorithms.ED25519,
                                       key_resolver=_Key(key_id, row["public_key"]))
        # the library allows 5 s into the future; our MAX_SKEW either side (checked above) governs
        verifier.max_clock_skew = datetime.timedelta(seconds=MAX_SKEW)
        message = SimpleNamespace(method=request.method, url=_target_url(request), headers=request.headers)
        required = list(COVERED) + (["idempotency-key"] if "idempotency-key" in request.headers else [])
        try:
            results = verifier.verify(message, max_age=datetime.timedelta(seconds=MAX_SKEW),
                                      expect_tag=TAG, expect_label=LABEL, require_components=required,
                                      body=body)
        except (HTTPMessageSignaturesException, ValueError, TypeError, KeyError) as exc:
            raise Problem("unauthorized", f"signature not valid: {type(exc).__name__}") from None
        nonce = results[0].parameters.get("nonce")
        # kept twice as long as the signature is acceptable: a platform clock set back after a
        # restart does not reopen the window
        if not isinstance(nonce, str) or not self.store.first_use_of_nonce(key_id, nonce,
                                                                            created + 2 * MAX_SKEW):
            raise Problem("replayed-request", "every request needs a fresh nonce")
        return Device(row["device_id"], key_id, row["terminal_id"])


class AdminAuth:
    def __init__(self, token: str):
        self.token = token

    async def __call__(self, request: Request) -> None:
        import hmac
        given = request.headers.get("authorization", "")
        if not self.token or not hmac.compare_digest(given.encode(), f"Bearer {self.token}".encode()):
            raise Problem("admin-unauthorized")
