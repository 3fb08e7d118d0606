"""Technician PIN: hashed with a salt, 5 wrong tries lock it for 5 minutes, lock survives restarts."""
from __future__ import annotations

import pytest

from kiosk.config import ConfigError, validate, load_settings
from kiosk.fleet.technician import LOCK_SECONDS, MAX_TRIES, PinLock, TapGesture, check_pin, hash_pin


class Clock:
    def __init__(self, t=1_000_000.0):
        self.t = t

    def __call__(self):
        return self.t


@pytest.fixture(scope="module")
def stored():
    return hash_pin("246810")


def test_hash_is_salted_and_checks(stored):
    assert stored.startswith("scrypt$") and "246810" not in stored
    assert hash_pin("246810") != stored
    assert check_pin("246810", stored) and not check_pin("246811", stored)
    assert not check_pin("246810", "garbage")
    with pytest.raises(ValueError):
        hash_pin("12a4")


def test_the_hash_is_a_valid_setting(stored):
    data = dict(load_settings(environ={}).data)
    validate(data | {"technician": {"pin_hash": stored}})
    with pytest.raises(ConfigError, match="technician.pin_hash"):
        validate(data | {"technician": {"pin_hash": "246810"}})   # a plain PIN is refused


def test_five_wrong_tries_lock_for_five_minutes(stored, tmp_path):
    clock = Clock()
    lock = PinLock(stored, tmp_path / "t.json", clock=clock)
    for left in range(MAX_TRIES - 1, 0, -1):
        assert lock.try_pin("000000").tries_left == left
    locked = lock.try_pin("000000")
    assert not locked.ok and locked.locked_for == LOCK_SECONDS
    assert not lock.try_pin("246810").ok                    # right PIN refused while locked
    clock.t += LOCK_SECONDS - 1
    assert lock.try_pin("246810").locked_for == pytest.approx(1)
    restarted = PinLock(stored, tmp_path / "t.json", clock=clock)   # the lock survives a restart
    assert restarted.locked_for() == pytest.approx(1)
    clock.t += 1
    assert restarted.try_pin("246810").ok


def test_a_right_pin_resets_the_count(stored):
    lock = PinLock(stored, clock=Clock())
    for _ in range(MAX_TRIES - 1):
        lock.try_pin("1111")
    assert lock.try_pin("246810").ok
    assert lock.try_pin("1111").tries_left == MAX_TRIES - 1


def test_clock_set_back_never_lengthens_the_lock(stored):
    clock = Clock()
    lock = PinLock(stored, clock=clock)
    for _ in range(MAX_TRIES):
        lock.try_pin("1111")
    clock.t -= 10 * 365 * 86400
    assert lock.locked_for() == LOCK_SECONDS


def test_disabled_without_a_hash():
    assert not PinLock("").try_pin("1234").ok


def test_gesture_needs_five_taps_within_three_seconds():
    clock = Clock(0)
    g = TapGesture(clock=clock)
    for _ in range(4):
        assert not g.tap()
        clock.t += 0.5
    assert g.tap()
    for _ in range(5):
        clock.t += 1.0                                       # too slow: 5 taps over 4 s
        assert not g.tap()
