"""Fixtures of the fleet tests: the real sandbox over HTTP (reusing the platform tests'
Sandbox helper), signed config repositories served by it, and bundle directories."""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest


from kiosk.tools.kioskctl.repository import ConfigRepository  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]



@pytest.fixture(scope="session")
def client(sandbox):
    return sandbox.enrolled_client("TJ-FLEET-0001")


@pytest.fixture
def repo(sandbox, tmp_path, request):
    """A fresh signed repository in its own folder of the sandbox's repo dir; .url is its base URL."""
    name = request.node.name.replace("[", "-").replace("]", "").lower()[:60]
    repo_dir = sandbox.repo / name
    if repo_dir.exists():
        shutil.rmtree(repo_dir)
    repository = ConfigRepository(repo_dir, tmp_path / "admin-keys")
    repository.init()
    repository.url = f"{sandbox.url}/api/v1/config-repo/{name}/"
    return repository


def make_bundle(path: Path, *, maxfps: int = 20, texts: str | None = None, catalog: bool = False,
                holidays: dict | None = None, settings: str | None = None) -> Path:
    """A small bundle: settings, optional texts, catalog copy and holiday table."""
    path.mkdir(parents=True, exist_ok=True)
    (path / "settings.toml").write_text(settings if settings is not None else f"[display]\nmaxfps = {maxfps}\n")
    if texts is not None:
        (path / "texts.toml").write_text(texts, encoding="utf-8")
    if catalog:
        shutil.copytree(ROOT / "config" / "catalog", path / "catalog", ignore=shutil.ignore_patterns("schema"))
    if holidays is not None:
        (path / "holidays.json").write_text(json.dumps(holidays))
    return path


@pytest.fixture
def bundle(tmp_path):
    return lambda name="b", **kw: make_bundle(tmp_path / "bundles" / name, **kw)
