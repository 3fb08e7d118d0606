"""Issue 14 point 6: no technician secret in the public config repository; the PIN is per
terminal (kiosk-provision or the signed set_technician_pin command), at least 6 digits and
not trivial, the lockout grows with repeated failures, and a try that cannot be written
down is refused without comparing (fail closed)."""
from __future__ import annotations

import json
import os
import stat

import pytest

from kiosk.fleet.bundle import BundleError, validate_bundle
from kiosk.fleet.technician import (LOCK_SECONDS, MAX_LOCK_SECONDS, MAX_TRIES, PinLock, check_pin,
                                    hash_pin, hash_problem, pin_problem, set_technician_pin_handler)
from kiosk.fleet.updates import ConfigUpdater
from kiosk.platform.models import Command
from tests.fleet.conftest import bundle, client, repo  # noqa: F401  (the fleet fixtures)

GOOD = "583920"


class Clock:
    def __init__(self, t=1_000_000.0):
        self.t = t

    def __call__(self):
        return self.t


@pytest.fixture(scope="module")
def stored():
    return hash_pin(GOOD)


# --- no secret in the public repository --------------------------------------------------

def test_a_bundle_cannot_carry_the_pin_hash(bundle, stored):
    b = bundle("secret", settings=f'[technician]\npin_hash = "{stored}"\n')
    with pytest.raises(BundleError, match="secret"):
        validate_bundle(b)


def test_the_terminal_refuses_a_published_pin_hash(repo, bundle, tmp_path, client, stored):
    repo.publish(bundle("secret", settings=f'[technician]\npin_hash = "{stored}"\n'), validate=False)
    updater = ConfigUpdater(tmp_path / "state", repo.url, time_source=client.server_time)
    updater.trust(repo.root_json())
    status = updater.check()
    assert status.outcome == "rejected" and "technician.pin_hash" in status.reason
    assert updater.current is None


# --- the PIN itself ----------------------------------------------------------------------

@pytest.mark.parametrize("pin", ["12345", "000000", "111111111", "123456", "234567", "890123",
                                 "987654", "654321", "210987", "121212", "123123", "4747", "12ab56",
                                 "１２３４５６"])
def test_short_or_trivial_pins_are_refused(pin):
    assert pin_problem(pin)
    with pytest.raises(ValueError):
        hash_pin(pin)


@pytest.mark.parametrize("pin", [GOOD, "246810", "100200", "9081726354"])
def test_ordinary_pins_are_accepted(pin):
    assert pin_problem(pin) == ""
    assert check_pin(pin, hash_pin(pin))


def test_pushed_hashes_are_checked_before_use(stored):
    assert hash_problem(stored) == ""
    n_huge = stored.replace("scrypt$16384$", "scrypt$1073741824$", 1)   # a hash that would hang the check
    weak = stored.replace("scrypt$16384$", "scrypt$2$", 1)
    for bad in (n_huge, weak, "123456", "", "scrypt$16384$8$1$AAAA$AAAA"):
        assert hash_problem(bad)
    assert not check_pin(GOOD, n_huge)


# --- lockout that grows ---------------------------------------------------------------------

def lock_out(lock, clock):
    for _ in range(MAX_TRIES):
        attempt = lock.try_pin("000001")
    assert not attempt.ok
    return attempt.locked_for


def test_the_lockout_doubles_with_each_lock_and_a_right_pin_resets_it(stored, tmp_path):
    clock = Clock()
    lock = PinLock(stored, tmp_path / "t.json", clock=clock)
    lengths = []
    for _ in range(4):
        lengths.append(lock_out(lock, clock))
        clock.t += lengths[-1]
    assert lengths == [LOCK_SECONDS, 2 * LOCK_SECONDS, 4 * LOCK_SECONDS, 8 * LOCK_SECONDS]
    restarted = PinLock(stored, tmp_path / "t.json", clock=clock)      # the level survives a restart
    assert lock_out(restarted, clock) == 16 * LOCK_SECONDS
    clock.t += 16 * LOCK_SECONDS
    assert restarted.try_pin(GOOD).ok
    assert lock_out(restarted, clock) == LOCK_SECONDS


def test_the_lockout_is_capped(stored):
    clock = Clock()
    lock = PinLock(stored, clock=clock)
    for _ in range(20):
        clock.t += lock_out(lock, clock)
    assert lock_out(lock, clock) == MAX_LOCK_SECONDS
    clock.t -= 10 * 365 * 86400                               # clock set back: never longer than the lock
    assert lock.locked_for() == MAX_LOCK_SECONDS


# --- fail closed -----------------------------------------------------------------------------

def test_a_try_that_cannot_be_recorded_is_refused_without_comparing(stored, tmp_path):
    clock = Clock()
    path = tmp_path / "fleet" / "technician.json"
    lock = PinLock(stored, path, clock=clock)
    assert lock.try_pin("000001").tries_left == MAX_TRIES - 1
    path.with_name(path.name + ".tmp").mkdir()               # the state can no longer be written
    attempt = lock.try_pin(GOOD)                              # even the right PIN
    assert not attempt.ok and attempt.locked_for == LOCK_SECONDS
    assert lock.fault
    for _ in range(20):                                       # no untracked tries
        assert not lock.try_pin(GOOD).ok
    assert json.loads(path.read_text())["failures"] == 1
    path.with_name(path.name + ".tmp").rmdir()
    clock.t += LOCK_SECONDS
    assert lock.try_pin(GOOD).ok and not lock.fault


def test_an_unreadable_state_file_locks(stored, tmp_path):
    path = tmp_path / "technician.json"
    path.write_text("{garbage")
    lock = PinLock(stored, path, clock=Clock())
    assert not lock.try_pin(GOOD).ok and lock.locked_for() == LOCK_SECONDS


def test_every_try_is_on_disk_before_the_pin_is_compared(stored, tmp_path):
    path = tmp_path / "technician.json"
    lock = PinLock(stored, path, clock=Clock())
    lock.try_pin("000001")
    lock.try_pin("000002")
    assert json.loads(path.read_text())["failures"] == 2
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600


# --- per terminal: the signed command ---------------------------------------------------------

def command(args):
    return Command(command_id=1, type="set_technician_pin", args=args, issued_at="", signature="")


def test_set_technician_pin_installs_a_hash_for_this_terminal_only(tmp_path, stored):
    path = tmp_path / "fleet" / "technician.json"
    lock = PinLock("", path, clock=Clock())
    assert not lock.enabled
    handle = set_technician_pin_handler(lock)
    assert handle(command({"pin_hash": "123456"})).status == "refused"       # a PIN, not a hash
    assert handle(command({"pin_hash": stored})).status == "done"
    assert lock.try_pin(GOOD).ok
    assert PinLock("", path).pin_hash == stored                               # kept across a restart
    assert PinLock(hash_pin("246810"), path).pin_hash == stored               # and wins over the file's


def test_set_technician_pin_forgets_wrong_tries_and_locks(tmp_path, stored):
    clock = Clock()
    lock = PinLock(hash_pin("246810"), tmp_path / "t.json", clock=clock)
    lock_out(lock, clock)
    assert set_technician_pin_handler(lock)(command({"pin_hash": stored})).status == "done"
    assert lock.try_pin(GOOD).ok


def test_kioskctl_sets_one_terminals_pin_through_a_signed_command(sandbox, tmp_path, monkeypatch, capsys):
    """Admin side to terminal: kioskctl checks and hashes the PIN, the platform signs the command,
    the terminal's heartbeat installs it. Needs set_technician_pin in the wire contract."""
    import io

    from kiosk.fleet.heartbeat import Heartbeat
    from kiosk.tools.kioskctl.cli import main as kioskctl
    from sandbox.testing import ADMIN
    monkeypatch.setenv("KIOSK_ADMIN_TOKEN", ADMIN)
    client = sandbox.enrolled_client("TJ-PIN-0001")
    device = client.auth.credential.device_id
    lock = PinLock("", tmp_path / "state" / "fleet" / "technician.json")
    beat = Heartbeat(client, tmp_path / "state", app_version="test",
                     handlers={"set_technician_pin": set_technician_pin_handler(lock)})
    base = ["--platform", sandbox.url, "technician-pin", device, "--pin-stdin"]
    monkeypatch.setattr("sys.stdin", io.StringIO("123456\n"))
    assert kioskctl(base) == 1 and "nothing sent" in capsys.readouterr().err
    raw = ["--platform", sandbox.url, "command", device, "set_technician_pin", "--arg", "pin_hash=x"]
    assert kioskctl(raw) == 1 and "technician-pin" in capsys.readouterr().err   # no unchecked PIN
    monkeypatch.setattr("sys.stdin", io.StringIO(GOOD + "\n"))
    assert kioskctl(base) == 0
    listed = sandbox.admin("GET", f"/devices/{device}/commands")["commands"]
    assert listed[-1]["args"] == {"pin_hash": "(hidden)"}                  # not shown to other admins
    beat.beat()
    assert lock.try_pin(GOOD).ok
    listed = sandbox.admin("GET", f"/devices/{device}/commands")["commands"]
    assert listed[-1]["result"] == "done"
