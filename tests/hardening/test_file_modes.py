"""Issue 14 point 10: file modes regardless of umask. Keys, the terminal credential
(device.json), the outbox, the technician's PIN state, the embedded and the standalone
sandbox.db (citizens and the platform's command-signing key) and /etc/kiosk/kiosk.toml
written by kiosk-provision are 0600 in 0700 directories, even with umask 000 and over a
stale 0644 temporary file; the programs set their own umask (kioskctl a public one: the
repository it writes is served to every terminal)."""
from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from sandbox.testing import ROOT

from kiosk.platform.private_files import private_db, private_dir, write_private
from kiosk.platform.signing import DeviceCredential


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture
def umask_000():
    """The worst umask a terminal could be started with; the test's own is restored after."""
    old = os.umask(0)
    yield
    os.umask(old)


def stale(path: Path) -> None:
    """A temporary file left 0644 (in a 0755 directory) by an older version or a crash, where
    the writer will put its own."""
    path.parent.mkdir(parents=True, exist_ok=True)
    os.chmod(path.parent, 0o755)
    path.write_bytes(b"stale")
    os.chmod(path, 0o644)


def private(path: Path) -> bool:
    return mode(path) == 0o600 and mode(path.parent) == 0o700


# --- the helpers ------------------------------------------------------------------------

def test_write_private_over_a_stale_temporary_and_target(tmp_path, umask_000):
    target = tmp_path / "a" / "b" / "secret.json"
    stale(target.with_name("secret.json.tmp"))
    os.chmod(target.parent, 0o755)
    stale(target)
    private_dir(target.parent, tighten=True)
    write_private(target, "新的")
    assert target.read_text("utf-8") == "新的" and private(target)
    assert not target.with_name("secret.json.tmp").exists()


def test_new_directories_are_0700_all_the_way_down(tmp_path, umask_000):
    deep = private_dir(tmp_path / "x" / "y" / "z")
    assert [mode(p) for p in (deep.parent.parent, deep.parent, deep)] == [0o700] * 3


def test_a_shared_directory_is_not_tightened_unless_asked(tmp_path, umask_000):
    shared = tmp_path / "shared"
    shared.mkdir(mode=0o755)
    os.chmod(shared, 0o755)
    write_private(shared / "f", b"x")
    assert mode(shared) == 0o755 and mode(shared / "f") == 0o600


def test_write_private_never_replaces_when_told_not_to(tmp_path, umask_000):
    key = tmp_path / "k" / "outbox.key"
    write_private(key, b"1" * 32, replace=False)
    with pytest.raises(FileExistsError):
        write_private(key, b"2" * 32, replace=False)
    assert key.read_bytes() == b"1" * 32 and not key.with_name("outbox.key.tmp").exists()


def test_a_failed_check_leaves_the_old_file(tmp_path, umask_000):
    target = tmp_path / "kiosk.toml"
    write_private(target, "old")

    def refuse(tmp):
        raise ValueError("bad")
    with pytest.raises(ValueError):
        write_private(target, "new", check=refuse)
    assert target.read_text() == "old" and not (tmp_path / "kiosk.toml.tmp").exists()


def test_private_db_fixes_a_database_and_its_companions(tmp_path, umask_000):
    import sqlite3
    db = tmp_path / "d" / "x.db"
    con = sqlite3.connect(private_db(db))
    con.execute("PRAGMA journal_mode=WAL")
    con.execute("CREATE TABLE t (x)")
    con.execute("INSERT INTO t VALUES (1)")
    con.commit()
    assert private(db) and all(mode(db.with_name("x.db" + s)) == 0o600 for s in ("-wal", "-shm"))
    con.close()
    os.chmod(db, 0o644)
    private_db(db)
    assert mode(db) == 0o600


# --- every writer --------------------------------------------------------------------

def test_device_credential(tmp_path, umask_000):
    path = tmp_path / "state" / "platform" / "device.json"
    stale(path.with_suffix(".tmp"))
    stale(path.with_name("device.json.tmp"))
    DeviceCredential("key-1", "dev-1", DeviceCredential.new_key()).save(path)
    assert private(path)
    assert DeviceCredential.load(path).key_id == "key-1"


def test_technician_pin_state(tmp_path, umask_000):
    from kiosk.fleet.technician import PinLock
    path = tmp_path / "state" / "fleet" / "technician.json"
    stale(path.with_suffix(".tmp"))
    stale(path.with_name("technician.json.tmp"))
    PinLock("", path).set_pin("583920")
    assert private(path)


def test_sandbox_database(tmp_path, umask_000):
    from kiosk.workdays.calendar import WorkCalendar
    from sandbox.app import SandboxConfig, create_app
    from sandbox.store import Store
    db = tmp_path / "var" / "sandbox.db"
    store = Store(db, {}, WorkCalendar(()))
    create_app(SandboxConfig(db=db), store=store)          # the fleet puts the command-signing key in it
    store.mark_seeded()
    assert private(db)
    assert all(mode(p) == 0o600 for p in db.parent.iterdir())
    store.close()


def test_embedded_platform_state(make_settings, umask_000):
    from kiosk.platform.client import PlatformClient
    from kiosk.platform.embedded import attach_embedded
    settings = make_settings()
    client = PlatformClient("")
    platform = attach_embedded(client, settings)
    try:
        client.heartbeat()
    finally:
        platform.stop()
    state = settings.state_path("platform")
    assert mode(state) == 0o700
    for name in ("sandbox.db", "device.json"):
        assert mode(state / name) == 0o600, name
    assert all(mode(p) == 0o600 for p in state.iterdir() if p.is_file())


def test_outbox_key_and_database(tmp_path, umask_000):
    from kiosk.platform.outbox import Outbox, load_key
    directory = tmp_path / "state" / "outbox"
    outbox = Outbox(directory / "outbox.db", load_key(directory / "outbox.key"))
    outbox.close()
    assert private(directory / "outbox.key") and private(directory / "outbox.db")


# --- the programs ---------------------------------------------------------------------

def run(argv: list[str], umask: int) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, *argv], cwd=ROOT, umask=umask, capture_output=True, text=True,
                          timeout=120)


def nothing_open_to_others(root: Path) -> list[str]:
    return [f"{p} {oct(mode(p))}" for p in [root, *root.rglob("*")] if mode(p) & 0o077]


def test_kiosk_provision_with_umask_000(sandbox, tmp_path):
    state, config = tmp_path / "var/lib/kiosk", tmp_path / "etc/kiosk/kiosk.toml"
    stale(config.with_name("kiosk.toml.new"))
    stale(config.with_name("kiosk.toml.tmp"))
    os.chmod(config.parent, 0o755)
    token = sandbox.admin("POST", "/enrollment-tokens", terminal_id="TJ-MODES-1")["enrollment_token"]
    root = tmp_path / "root.json"          # the trust root is written by TUF's side, not our helpers:
    root.write_text('{"signed": {}}')      # the program's own umask keeps it private
    p = run(["-m", "kiosk.tools.provision", "--platform", sandbox.url, "--token", token,
             "--terminal-id", "TJ-MODES-1", "--location", "测试", "--state-dir", str(state),
             "--config", str(config), "--technician-pin", "583920", "--service-user", "",
             "--trust-root", str(root), "--no-selftest"], umask=0)
    assert p.returncode == 0 and "wrote" in p.stdout, p.stdout + p.stderr
    assert mode(config) == 0o600 and "TJ-MODES-1" in config.read_text("utf-8")
    assert not config.with_name("kiosk.toml.new").exists() and not config.with_name("kiosk.toml.tmp").exists()
    for name in ("platform/device.json", "fleet/technician.json", "config/tuf/root.json"):
        assert (state / name).is_file(), name
    assert nothing_open_to_others(state) == []


@pytest.mark.skipif(os.geteuid() != 0, reason="handing the configuration to the service user needs root")
def test_kiosk_provision_as_root_hands_the_configuration_to_the_service_user(sandbox, tmp_path):
    import pwd
    nobody = pwd.getpwnam("nobody")
    config = tmp_path / "etc/kiosk/kiosk.toml"
    token = sandbox.admin("POST", "/enrollment-tokens", terminal_id="TJ-MODES-2")["enrollment_token"]
    p = run(["-m", "kiosk.tools.provision", "--platform", sandbox.url, "--token", token,
             "--terminal-id", "TJ-MODES-2", "--location", "测试", "--state-dir", str(tmp_path / "state"),
             "--config", str(config), "--service-user", "nobody", "--no-selftest"], umask=0o022)
    assert "wrote" in p.stdout, p.stdout + p.stderr
    for path in (config, config.parent):
        assert (path.stat().st_uid, path.stat().st_gid) == (nobody.pw_uid, nobody.pw_gid)
    assert private(config)


@pytest.mark.parametrize("admin_umask", [0o000, 0o077])
def test_kioskctl_keys_private_and_repository_public(tmp_path, admin_umask):
    keys, repo = tmp_path / "keys", tmp_path / "repo"
    p = run(["-m", "kiosk.tools.kioskctl.cli", "--repo", str(repo), "--keys", str(keys), "init"],
            umask=admin_umask)
    assert p.returncode == 0, p.stderr
    assert mode(keys) == 0o700 and [mode(k) for k in keys.iterdir()] == [0o600] * len(list(keys.iterdir()))
    published = [p for p in repo.rglob("*")]        # readable by the web server, writable by the admin
    assert published and all(mode(p) & 0o444 == 0o444 and not mode(p) & 0o022 for p in published), \
        [(str(p), oct(mode(p))) for p in published]


def test_the_kiosk_app_sets_its_umask(tmp_path):
    code = ("import os, sys; os.umask(0); from kiosk.__main__ import main; "
            "rc = main(['--check-config']); print(oct(os.umask(0)))")
    p = run(["-c", code], umask=0)
    assert p.returncode == 0, p.stderr
    assert p.stdout.strip().splitlines()[-1] == "0o77"
