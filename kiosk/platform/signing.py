"""This terminal's credential (Ed25519 key from enrollment) and the RFC 9421
signing of every request with it."""
from __future__ import annotations

import base64
import datetime as dt
import email.utils
import json
import secrets
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import requests
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from http_message_signatures import (
    HTTPMessageSigner,
    HTTPSignatureKeyResolver,
    algorithms,
)

from kiosk.platform.contract import COVERED, LABEL, TAG
from kiosk.platform.private_files import private_dir, write_private

# --- the terminal's credential --------------------------------------------------

@dataclass(frozen=True)
class DeviceCredential:
    """This terminal's own signing key and the key id the platform gave it; `command_key`
    is the platform's public key that signs commands (learnt at enrollment)."""
    key_id: str
    device_id: str
    private_key: Ed25519PrivateKey
    command_key: str = ""

    @staticmethod
    def new_key() -> Ed25519PrivateKey:
        return Ed25519PrivateKey.generate()

    @staticmethod
    def public_key_text(key: Ed25519PrivateKey) -> str:
        raw = key.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
        return base64.urlsafe_b64encode(raw).decode().rstrip("=")

    def save(self, path: Path) -> None:
        """Write atomically, 0600 in a 0700 directory (kiosk.platform.private_files)."""
        pem = self.private_key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                             serialization.NoEncryption()).decode()
        private_dir(Path(path).parent, tighten=True)
        write_private(path, json.dumps({"key_id": self.key_id, "device_id": self.device_id,
                                        "private_key": pem, "command_key": self.command_key}))

    @classmethod
    def load(cls, path: Path) -> "DeviceCredential":
        data = json.loads(Path(path).read_text())
        key = serialization.load_pem_private_key(data["private_key"].encode(), password=None)
        if not isinstance(key, Ed25519PrivateKey):
            raise ValueError(f"{path}: not an Ed25519 key")
        return cls(data["key_id"], data["device_id"], key, data.get("command_key", ""))


class _OneKey(HTTPSignatureKeyResolver):
    def __init__(self, key: Ed25519PrivateKey):
        self.key = key

    def resolve_private_key(self, key_id: str):
        return self.key

    def resolve_public_key(self, key_id: str):  # pragma: no cover - signer only
        return self.key.public_key()


class MessageSignatureAuth(requests.auth.AuthBase):
    """requests auth: signs each prepared request (RFC 9421) with a fresh nonce.

    `clock_offset` (seconds, platform minus `clock`, the terminal's own clock) corrects a
    wrong kiosk clock; `learn_clock` takes it from the platform's Date header.
    """

    DATE_TOLERANCE = 5      # seconds: a Date header has whole seconds, the answer took some time

    def __init__(self, credential: DeviceCredential, *, clock: Callable[[], float] = time.time,
                 clock_offset: float = 0.0):
        self.credential = credential
        self.clock, self.clock_offset = clock, clock_offset
        self._signer = HTTPMessageSigner(signature_algorithm=algorithms.ED25519,
                                         key_resolver=_OneKey(credential.private_key))

    def __call__(self, r: requests.PreparedRequest) -> requests.PreparedRequest:
        body = r.body or b""
        if isinstance(body, str):
            body = body.encode()
        covered = COVERED + (("idempotency-key",) if "Idempotency-Key" in r.headers else ())
        created = dt.datetime.fromtimestamp(self.clock() + self.clock_offset, dt.timezone.utc)
        self._signer.sign(r, key_id=self.credential.key_id, created=created, label=LABEL, tag=TAG,
                          nonce=secrets.token_urlsafe(16), covered_component_ids=covered, body=body)
        return r

    def learn_clock(self, date_header: str | None) -> bool:
        """Adopt the platform's clock from an HTTP `Date` header when ours is off by more than
        DATE_TOLERANCE; True when the correction changed (a refused signature is worth a retry)."""
        if not date_header:
            return False
        try:
            server = email.utils.parsedate_to_datetime(date_header).timestamp()
        except (TypeError, ValueError):
            return False
        offset = server - self.clock()
        if abs(offset - self.clock_offset) <= self.DATE_TOLERANCE:
            return False
        self.clock_offset = offset
        return True

    def for_credential(self, credential: DeviceCredential) -> "MessageSignatureAuth":
        """The same clock and correction signing with another credential (after key rotation)."""
        return MessageSignatureAuth(credential, clock=self.clock, clock_offset=self.clock_offset)
