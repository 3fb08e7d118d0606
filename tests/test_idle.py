"""Idle policy: per-screen timeouts and the visible countdown."""
from kiosk.idle import IdlePolicy


def test_phases():
    policy = IdlePolicy(timeout_seconds=90, countdown_seconds=20, per_screen={"home": 60})
    assert policy.phase("home", 10).kind == "active"
    assert policy.phase("home", 40.5).kind == "countdown"
    assert policy.phase("home", 40.5).seconds_left == 20
    assert policy.phase("home", 59.2).seconds_left == 1
    assert policy.phase("home", 60).kind == "expired"
    assert policy.phase("guide", 60).kind == "active"   # default 90 s
    assert policy.phase("guide", 71).seconds_left == 19


def test_attract_never_times_out():
    policy = IdlePolicy(timeout_seconds=5, countdown_seconds=2)
    assert policy.phase("attract", 1e6).kind == "active"


def test_countdown_longer_than_timeout_is_clamped():
    policy = IdlePolicy(timeout_seconds=3, countdown_seconds=20)
    assert policy.phase("home", 0.5).kind == "countdown"
    assert policy.phase("home", 0.5).seconds_left == 3


def test_at_stake_names_what_leaving_would_discard():
    from kiosk.idle import at_stake
    assert at_stake({}) == []                                   # nothing to lose: leave at once
    assert at_stake({"item_code": "TJ-SCJG-002"}) == []         # a chosen item is no work
    draft = {"commitment": object(), "person": object()}
    assert at_stake(draft) == ["draft", "identity"]
    assert at_stake({"company": {"uscc": "x"}}) == ["identity"]
    assert at_stake({**draft, "submission": object()}) == []    # submitted: the case is on the platform
    assert at_stake({}, entered=True, receipt_pending=True) == ["entered", "receipt"]
