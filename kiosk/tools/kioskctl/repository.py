"""The signed config repository (TUF): keys, publishing bundles, listing versions.

Layout of the repository directory (static files; any web server can host it):

    metadata/1.root.json, root.json      the root of trust (terminals are provisioned with it)
    metadata/timestamp.json              short-lived; re-signed by `kioskctl refresh`
    metadata/N.snapshot.json, N.targets.json   consistent snapshots, one per version
    targets/<sha256>.bundle.tar.gz       every published bundle, content-addressed

The private keys (root, targets, snapshot, timestamp; Ed25519, PEM, mode 0600)
live in a separate key directory, never in the repository directory. The config
version a terminal reports is the version of targets.json, which TUF never lets
go backwards. Old snapshots stay, so a terminal mid-update still finds its files.
"""
from __future__ import annotations

import datetime as dt
import os
from pathlib import Path
from typing import Callable

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from securesystemslib.signer import CryptoSigner, SSlibKey
from tuf.api.metadata import (Metadata, MetaFile, Root, Snapshot, TargetFile, Targets,
                              Timestamp)
from tuf.api.serialization.json import JSONSerializer

from kiosk.fleet.bundle import pack, validate_bundle
from kiosk.tools.kioskctl.catalog_lint import publishable
from kiosk.platform.private_files import private_dir, write_private

ROLES = (Root.type, Targets.type, Snapshot.type, Timestamp.type)
TARGET = "bundle.tar.gz"
DEFAULT_KEYS = Path.home() / ".kiosk-admin" / "keys"
# expiry per role: root rarely changes; the timestamp is re-signed often (freeze protection)
EXPIRY = {Root.type: dt.timedelta(days=365), Targets.type: dt.timedelta(days=90),
          Snapshot.type: dt.timedelta(days=90), Timestamp.type: dt.timedelta(days=1)}


class RepositoryError(Exception):
    """A repository operation failed; the message says what to do."""


def _utcnow() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)


def _write_key(path: Path, key: Ed25519PrivateKey) -> None:
    write_private(path, key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                          serialization.NoEncryption()), replace=False)


def _signer(key: Ed25519PrivateKey) -> CryptoSigner:
    return CryptoSigner(key, SSlibKey.from_crypto(key.public_key(), None, "ed25519"))


class ConfigRepository:
    """One signed config repository: `repo_dir` (public files) and `keys_dir` (private keys)."""

    def __init__(self, repo_dir: str | Path, keys_dir: str | Path = DEFAULT_KEYS,
                 clock: Callable[[], dt.datetime] = _utcnow):
        self.repo_dir, self.keys_dir, self.clock = Path(repo_dir), Path(keys_dir), clock
        self.metadata_dir = self.repo_dir / "metadata"
        self.targets_dir = self.repo_dir / "targets"

    # --- files ---------------------------------------------------------------
    def _expires(self, role: str, expiry: dict[str, dt.timedelta] | None = None) -> dt.datetime:
        return (self.clock() + (expiry or {}).get(role, EXPIRY[role])).replace(microsecond=0)

    def _signers(self) -> dict[str, CryptoSigner]:
        signers = {}
        for role in ROLES:
            path = self.keys_dir / f"{role}.pem"
            try:
                key = serialization.load_pem_private_key(path.read_bytes(), password=None)
            except FileNotFoundError:
                raise RepositoryError(f"{path} missing: give --keys the directory made by `kioskctl init`") from None
            signers[role] = _signer(key)
        return signers

    def _write(self, md: Metadata, name: str) -> None:
        path = self.metadata_dir / name
        tmp = path.with_name(path.name + ".tmp")
        md.to_file(str(tmp), JSONSerializer(compact=False))
        os.replace(tmp, path)

    def load(self, role: str) -> Metadata:
        name = f"{role}.json" if role in (Root.type, Timestamp.type) else None
        if name is None:
            version = self.load(Timestamp.type).signed.snapshot_meta.version if role == Snapshot.type \
                else self.load(Snapshot.type).signed.meta[f"{role}.json"].version
            name = f"{version}.{role}.json"
        path = self.metadata_dir / name
        if not path.is_file():
            raise RepositoryError(f"{self.repo_dir}: not a config repository (run `kioskctl init`)")
        return Metadata.from_file(str(path))

    @property
    def exists(self) -> bool:
        return (self.metadata_dir / "root.json").is_file()

    # --- operations ------------------------------------------------------------
    def init(self) -> None:
        """Create the keys and an empty repository (version 1: no bundle yet). Refuses to overwrite."""
        if self.exists:
            raise RepositoryError(f"{self.repo_dir} already holds a repository")
        if any((self.keys_dir / f"{r}.pem").exists() for r in ROLES):
            raise RepositoryError(f"{self.keys_dir} already holds keys: use another --keys directory")
        if self.keys_dir.resolve().is_relative_to(self.repo_dir.resolve()):
            raise RepositoryError("keep the keys outside the repository directory (it is published)")
        private_dir(self.keys_dir, tighten=True)
        self.metadata_dir.mkdir(parents=True, exist_ok=True)
        self.targets_dir.mkdir(parents=True, exist_ok=True)
        for role in ROLES:
            _write_key(self.keys_dir / f"{role}.pem", Ed25519PrivateKey.generate())
        signers = self._signers()
        root = Root(expires=self._expires(Root.type), consistent_snapshot=True)
        for role, signer in signers.items():
            root.add_key(signer.public_key, role)
        md = Metadata(root)
        md.sign(signers[Root.type])
        self._write(md, "1.root.json")
        self._write(md, "root.json")
        self._sign_set(Targets(version=1, expires=self._expires(Targets.type)), signers)

    def _sign_set(self, targets: Targets, signers, expiry=None) -> None:
        """Sign targets, then a snapshot naming it, then a timestamp naming that."""
        targets.expires = self._expires(Targets.type, expiry)
        md = Metadata(targets)
        md.sign(signers[Targets.type])
        self._write(md, f"{targets.version}.targets.json")
        try:
            snapshot = self.load(Snapshot.type).signed
            snapshot.version += 1
        except RepositoryError:
            snapshot = Snapshot(version=1)
        snapshot.meta["targets.json"] = MetaFile(version=targets.version)
        snapshot.expires = self._expires(Snapshot.type, expiry)
        md = Metadata(snapshot)
        md.sign(signers[Snapshot.type])
        self._write(md, f"{snapshot.version}.snapshot.json")
        self._timestamp(snapshot.version, signers, expiry)

    def _timestamp(self, snapshot_version: int, signers, expiry=None) -> None:
        data = (self.metadata_dir / f"{snapshot_version}.snapshot.json").read_bytes()
        try:
            timestamp = self.load(Timestamp.type).signed
            timestamp.version += 1
        except RepositoryError:
            timestamp = Timestamp(version=1)
        timestamp.snapshot_meta = MetaFile.from_data(snapshot_version, data, ["sha256"])
        timestamp.snapshot_meta.length = len(data)
        timestamp.expires = self._expires(Timestamp.type, expiry)
        md = Metadata(timestamp)
        md.sign(signers[Timestamp.type])
        self._write(md, "timestamp.json")

    def publish(self, bundle_dir: str | Path, *, note: str = "", validate: bool = True,
                expiry: dict[str, dt.timedelta] | None = None) -> int:
        """Sign the bundle as the next version; returns it. `validate=False` only for tests and drills."""
        if validate:
            validate_bundle(bundle_dir)
            refused = publishable(Path(bundle_dir))
            if refused:                  # the measures contradicted: kioskctl catalog lint says where
                raise RepositoryError(f"catalog has {len(refused)} errors, first: {refused[0]}")
        signers = self._signers()
        data = pack(bundle_dir)
        targets = self.load(Targets.type).signed
        targets.version += 1
        info = TargetFile.from_data(TARGET, data, ["sha256"])
        info.unrecognized_fields["custom"] = {"config_version": targets.version, "note": note,
                                              "published_at": self.clock().replace(microsecond=0).isoformat()}
        (self.targets_dir / f"{info.hashes['sha256']}.{TARGET}").write_bytes(data)
        targets.targets = {TARGET: info}
        self._sign_set(targets, signers, expiry)
        return targets.version

    def refresh(self, expiry: dict[str, dt.timedelta] | None = None) -> None:
        """Re-sign the timestamp (run daily from cron): terminals refuse one that has expired."""
        self._timestamp(self.load(Timestamp.type).signed.snapshot_meta.version, self._signers(), expiry)

    def versions(self) -> list[dict]:
        """Every published version, oldest first, from the consistent snapshots on disk."""
        out = []
        for path in sorted(self.metadata_dir.glob("*.targets.json"), key=lambda p: int(p.name.split(".")[0])):
            signed = Metadata.from_file(str(path)).signed
            info = signed.targets.get(TARGET)
            if info is None:
                continue
            custom = info.unrecognized_fields.get("custom", {})
            out.append({"version": signed.version, "published_at": custom.get("published_at", ""),
                        "note": custom.get("note", ""), "sha256": info.hashes["sha256"],
                        "length": info.length, "expires": signed.expires.isoformat()})
        return out

    def root_json(self) -> bytes:
        return (self.metadata_dir / "root.json").read_bytes()


