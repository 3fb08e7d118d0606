"""Network faults between the kiosk and the platform, through tests/hardening/faultproxy.py.

Client level: each fault becomes the client's typed error within its timeouts, and the
next call after the fault clears succeeds. In the real app: a screen calling the
platform keeps drawing frames (every request goes out on a worker thread, never the UI
thread; the worst frame gap is printed as a figure, not asserted), the citizen reads a clear
Chinese message, the evaluation waits in the outbox, and it arrives once the fault clears."""
from __future__ import annotations

import time

import pytest
import requests

from kiosk.platform.client import PlatformClient

from kiosk.platform.errors import PlatformInvalidResponse, PlatformUnavailable

pytestmark = pytest.mark.ui
# the fault -> the typed error the client raises for it
EXPECTED = {"refuse": PlatformUnavailable, "stall": PlatformUnavailable, "5xx": PlatformUnavailable,
            "malformed": PlatformInvalidResponse, "truncated": (PlatformInvalidResponse, PlatformUnavailable)}
CONNECT, READ = 0.5, 1.0
# three attempts of an idempotent call, each bounded by connect+read, plus the backoffs
BOUND = 3 * (CONNECT + READ) + PlatformClient.BACKOFF * 3 + 1.0


@pytest.fixture
def client(sandbox, proxy):
    c = sandbox.enrolled_client(connect_timeout=CONNECT, read_timeout=READ)
    c.base_url = proxy.url
    return c


@pytest.mark.parametrize("fault", sorted(EXPECTED))
def test_each_fault_is_a_typed_error_within_the_timeouts_then_recovers(client, proxy, fault):
    proxy.fault = fault
    started = time.monotonic()
    with pytest.raises(EXPECTED[fault]):
        client.appointment_slots()
    assert time.monotonic() - started < BOUND
    proxy.fault = None
    assert isinstance(client.appointment_slots(), list)


def test_slow_answers_still_arrive(client, proxy):
    proxy.fault, proxy.slow_chunk, proxy.slow_delay = "slow", 256, 0.05
    started = time.monotonic()
    assert isinstance(client.appointment_slots(), list)
    assert time.monotonic() - started > 0.05          # the trickle really was in the way


def test_plain_bytes_where_tls_is_expected(proxy, sandbox):
    proxy.fault = "plain_tls"
    tls_client = PlatformClient(f"https://127.0.0.1:{proxy.port}", connect_timeout=CONNECT, read_timeout=READ)
    started = time.monotonic()
    with pytest.raises(PlatformUnavailable, match="TLS"):
        tls_client.health()
    assert time.monotonic() - started < BOUND
    with pytest.raises(requests.exceptions.SSLError):   # the proxy really spoke plain bytes
        requests.get(f"https://127.0.0.1:{proxy.port}/", timeout=2)


def _wait_with_frames(app, predicate, timeout):
    return app.wait_until(predicate, timeout)


def _evaluate(app):
    app.app.start_session()
    app.app.go("evaluation")
    app.frames(3)
    screen = app.screen("evaluation")
    app.tap(screen.buttons["level:satisfied"])
    return screen


@pytest.mark.parametrize("fault", ["refuse", "stall", "5xx", "malformed", "truncated", "slow"])
def test_evaluation_under_fault_keeps_drawing_is_kept_and_arrives(faulty_app, frame_gaps, network_threads, fault):
    app, outbox = faulty_app, faulty_app.app.services.outbox
    app.proxy.fault = fault
    screen = _evaluate(app)              # the tap starts the submission on a worker thread
    meter = frame_gaps()
    assert _wait_with_frames(app, lambda: screen.state in ("queued", "sent"), 15), screen.message
    app.wait_until(lambda: False, 1.0)   # the fault stays on while the background sender retries
    meter.stop()
    print(f"frame gap under {fault}: worst {meter.worst * 1000:.1f} ms over {len(meter.stamps)} frames")
    assert network_threads and set(network_threads) == {"worker"}, network_threads
    assert len(meter.stamps) > 10
    text = " ".join(w.text for w in screen.ids.body.children if hasattr(w, "text"))
    if fault == "slow":
        assert screen.state == "sent"
    else:
        assert screen.state == "queued" and "评价已保存在本终端" in text and screen.ref in text
        assert outbox.depth("evaluation") == 1
    app.proxy.fault = None
    assert _wait_with_frames(app, lambda: outbox.depth() == 0, 20)
    assert outbox.outcome(screen.ref).outcome == "accepted"


@pytest.mark.parametrize("fault", ["stall", "5xx"])
def test_queue_ticket_under_fault_tells_the_citizen_then_works(faulty_app, frame_gaps, network_threads, fault):
    app = faulty_app
    app.proxy.fault = fault
    app.app.start_session()
    app.app.go("queue")
    app.frames(3)
    screen = app.screen("queue")
    app.tap(screen.buttons["queue:B"])
    meter = frame_gaps()
    assert _wait_with_frames(app, lambda: screen.message, 15)
    meter.stop()
    print(f"frame gap under {fault}: worst {meter.worst * 1000:.1f} ms over {len(meter.stamps)} frames")
    assert network_threads and set(network_threads) == {"worker"}, network_threads
    assert screen.state == "choose" and "暂时无法连接政务服务平台" in screen.message
    app.proxy.fault = None
    app.tap(screen.buttons["queue:B"])
    assert _wait_with_frames(app, lambda: screen.state == "ticket", 10), screen.message
