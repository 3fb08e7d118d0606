"""Signed config updates end to end: real TUF repositories made by kioskctl's code,
served by the real sandbox over HTTP, fetched and applied by the terminal's updater."""
from __future__ import annotations

import datetime as dt
import json
import time

import pytest

from kiosk.fleet.updates import ConfigUpdater

YEAR = 365 * 24 * 3600


def terminal(repo, tmp_path, client=None, **kw) -> ConfigUpdater:
    updater = ConfigUpdater(tmp_path / "state", repo.url,
                            time_source=client.server_time if client else (lambda: None), **kw)
    updater.trust(repo.root_json())
    return updater


def settings_of(updater) -> str:
    return (updater.current / "settings.toml").read_text()


def test_happy_path_applies_each_version_and_keeps_the_previous(repo, bundle, tmp_path, client):
    holidays = {"years": {"2031": {"complete": True, "holidays": ["2031-01-01"], "workdays": []}}}
    repo.publish(bundle("one", maxfps=20, catalog=True, holidays=holidays,
                        texts='[zh_CN]\nhotline = "88908890"\n'), note="first")
    updater = terminal(repo, tmp_path, client)
    status = updater.check()
    assert (status.outcome, status.version, status.clock_source) == ("applied", 2, "platform")
    assert (updater.current / "catalog" / "catalog.json").is_file()
    assert abs(status.clock_offset) < 5
    assert updater.check().outcome == "up-to-date"
    repo.publish(bundle("two", maxfps=25))
    assert updater.check().outcome == "applied"
    assert updater.version == 3 and "25" in settings_of(updater)
    assert updater.previous.name == "v2"
    assert [v["version"] for v in repo.versions()] == [2, 3]
    saved = json.loads((updater.root / "status.json").read_text())
    assert (saved["outcome"], saved["version"]) == ("applied", 3)


@pytest.fixture
def at_v2(repo, bundle, tmp_path, client):
    repo.publish(bundle("one", maxfps=20))
    updater = terminal(repo, tmp_path, client)
    assert updater.check().outcome == "applied"
    return updater


def kept(updater, slug):
    status = updater.status
    assert status.outcome == "rejected", status
    assert status.reason.startswith(slug), status.reason
    assert updater.version == 2 and "20" in settings_of(updater)


def test_bad_signature_is_rejected(repo, bundle, at_v2):
    repo.publish(bundle("two", maxfps=25))
    ts = repo.metadata_dir / "timestamp.json"
    doc = json.loads(ts.read_text())
    doc["signed"]["expires"] = "2099-01-01T00:00:00Z"       # changed without re-signing
    ts.write_text(json.dumps(doc))
    at_v2.check()
    kept(at_v2, "bad-signature")


def test_rollback_to_older_metadata_is_rejected(repo, bundle, at_v2):
    old_timestamp = (repo.metadata_dir / "timestamp.json").read_bytes()
    repo.publish(bundle("two", maxfps=25))
    assert at_v2.check().outcome == "applied"
    (repo.metadata_dir / "timestamp.json").write_bytes(old_timestamp)   # validly signed, but older
    status = at_v2.check()
    assert status.outcome == "rejected" and status.reason.startswith("rollback"), status
    assert at_v2.version == 3


def test_expired_metadata_freeze_is_rejected(repo, bundle, at_v2):
    repo.publish(bundle("two", maxfps=25), expiry={"timestamp": dt.timedelta(seconds=-60)})
    at_v2.check()
    kept(at_v2, "expired")


def test_mix_and_match_is_rejected(repo, bundle, at_v2):
    repo.publish(bundle("two", maxfps=25))
    md = repo.metadata_dir
    (md / "3.targets.json").write_bytes((md / "2.targets.json").read_bytes())  # other snapshot's targets
    at_v2.check()
    kept(at_v2, "mix-and-match")


def test_endless_data_is_rejected(repo, bundle, at_v2):
    repo.publish(bundle("two", maxfps=25))
    (repo.metadata_dir / "timestamp.json").write_bytes(b"{" + b" " * 200_000)
    at_v2.check()
    kept(at_v2, "endless-data")


def test_endless_bundle_is_rejected(repo, bundle, at_v2):
    repo.publish(bundle("two", maxfps=25))
    target = repo.targets_dir / f"{repo.versions()[-1]['sha256']}.bundle.tar.gz"
    target.write_bytes(target.read_bytes() + b"\0" * 100_000)
    at_v2.check()
    kept(at_v2, "endless-data")


def test_invalid_bundle_is_rejected_and_nothing_switched(repo, bundle, at_v2):
    repo.publish(bundle("bad", settings="[display]\nmaxfps = 0\n"), validate=False)
    at_v2.check()
    kept(at_v2, "invalid-bundle")
    assert "display.maxfps" in at_v2.status.reason
    assert sorted(p.name for p in (at_v2.root / "versions").iterdir()) == ["v2"]


def test_terminal_keys_cannot_be_set_by_the_fleet(repo, bundle, at_v2):
    repo.publish(bundle("bad", settings='[kiosk]\nterminal_id = "X"\n'), validate=False)
    at_v2.check()
    kept(at_v2, "invalid-bundle")


def test_failed_health_check_rolls_back(repo, bundle, at_v2):
    applied = []

    def printer_gone(path):
        raise RuntimeError("printer offline after applying")
    at_v2.on_applied = applied.append
    at_v2.health_checks.append(printer_gone)
    repo.publish(bundle("two", maxfps=25))
    status = at_v2.check()
    assert status.outcome == "rolled-back" and "printer offline" in status.reason
    assert at_v2.version == 2 and "20" in settings_of(at_v2)
    assert [p.name for p in applied] == ["v3", "v2"]          # new one loaded, then the old one again


def test_wrong_local_clock_uses_platform_time(repo, bundle, tmp_path, client):
    repo.publish(bundle("one", maxfps=20))
    updater = terminal(repo, tmp_path, client, clock=lambda: time.time() + 3 * YEAR)
    status = updater.check()
    assert status.outcome == "applied" and status.clock_source == "platform"
    assert status.clock_offset == pytest.approx(-3 * YEAR, abs=10)


def test_wrong_clock_without_platform_is_reported_and_retried(repo, bundle, tmp_path, client):
    repo.publish(bundle("one", maxfps=20))
    updater = terminal(repo, tmp_path, None, clock=lambda: time.time() + 3 * YEAR)
    status = updater.check()
    assert status.outcome == "rejected" and "local clock" in status.reason
    assert updater.version is None
    updater.time_source = client.server_time                  # platform reachable again
    assert updater.check().outcome == "applied"


def test_not_provisioned_says_what_to_do(repo, tmp_path):
    updater = ConfigUpdater(tmp_path / "state", repo.url)
    assert "kiosk-provision" in updater.check().reason
