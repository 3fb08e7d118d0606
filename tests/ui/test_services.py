"""The citizen services in the real app against the sandbox platform (a real subprocess)
with emulated ID card reader, scanner and printer: queue ticket, appointment (book, look
up, cancel), evaluation (online, and offline: arrives exactly once later), complaint and
consultation. Printed output is decoded by the printer emulator."""
from __future__ import annotations

from pathlib import Path

import pytest

from screens import tour

from drivers.idcard import cards
from tests.ui.conftest import online_app, open_screen, stop_online_app

pytestmark = pytest.mark.ui
SHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots" / "services"
ITEM = "TJ-GAJ-001"        # 居民身份证申领: its guide sheet says appointments are possible



@pytest.fixture
def app(make_settings, sandbox):
    driver = online_app(make_settings, sandbox, platform__connect_timeout=0.5, platform__read_timeout=2.0)
    yield driver
    stop_online_app(driver)


_open = open_screen


def _place_card(app):
    app.app.services.devices.idcard.emulator.place("resident")


def _remove_card(app):
    """Take the card away and let the reader notice (two empty polls) before the next placement."""
    app.app.services.devices.idcard.emulator.remove()
    app.wait_until(lambda: False, 1.2)


def _tap(app, screen, name):
    app.tap(screen.buttons[name])


def test_queue_ticket_is_printed(app):
    screen = _open(app, "queue")
    app.screenshot(SHOTS / "queue-choose.png")
    _tap(app, screen, "queue:B")
    assert app.wait_until(lambda: screen.state == "ticket", 10), screen.message
    text = app.printed(1, timeout=10).text
    number = screen.ticket.ticket_number
    assert number.startswith("B")
    for needle in (number, "企业开办", "9-12号窗口", f"{screen.ticket.waiting_ahead}人", "天津市政务服务中心",
                   "TJ-DEMO-0001"):
        assert needle in text, needle
    assert "预约优先" not in text
    app.screenshot(SHOTS / "queue-ticket.png")


def test_appointment_booked_then_cancelled(app):
    identity = cards.resident()
    screen = _open(app, "appointment", item_code=ITEM)
    assert screen.state == "identify"
    _place_card(app)
    assert app.wait_until(lambda: screen.state == "slots", 10), screen.message
    app.screenshot(SHOTS / "appointment-slots.png")
    slot_button = next(n for n in screen.buttons if n.startswith("slot:"))
    assert "TJ-" not in screen.buttons[slot_button].text                 # the hall by name, never its code
    _tap(app, screen, slot_button)
    ask = app.app.root.ids.ask
    assert ask.shown and ask.topic == "book" and screen.state == "slots"  # nothing booked on the first tap
    assert "窗口" in ask.detail and "TJ-" not in ask.detail
    app.screenshot(SHOTS / "appointment-confirm.png")
    app.tap(ask.ids.second)                                              # 重新选择: still choosing
    assert screen.state == "slots" and not ask.shown
    _tap(app, screen, slot_button)
    app.tap(ask.ids.first)                                               # 确认预约
    assert app.wait_until(lambda: screen.state == "booked", 10), screen.message
    number = screen.appointment.appointment_number
    job = app.printed(1, timeout=10)
    text = job.text
    assert job.qr == ["TJAPPT:" + number]                                # 我有预约 can scan it
    for needle in ("预约凭条", number, "居民身份证申领", ITEM, identity.name,
                   "120101********" + identity.id_number[-4:], screen.appointment.slot.window):
        assert needle in text, needle
    assert identity.id_number not in text
    app.screenshot(SHOTS / "appointment-booked.png")
    _remove_card(app)
    app.app.end_session("next")

    screen = _open(app, "appointment")
    assert screen.state == "items"
    _tap(app, screen, "mine")
    _place_card(app)
    assert app.wait_until(lambda: screen.state == "mine", 10), screen.message
    app.screenshot(SHOTS / "appointment-mine.png")
    _tap(app, screen, f"cancel:{number}")
    assert app.wait_until(lambda: f"cancel:{number}" not in screen.buttons, 10), screen.message
    text = app.printed(2, timeout=10).text
    assert "取消预约凭条" in text and number in text
    assert number not in [a.appointment_number for a in app.client.appointments_of(identity.id_number)]


def test_i_have_an_appointment_by_the_slips_qr_once_then_by_the_id_card(app):
    """我有预约: the slip's QR (TJAPPT:<number>) gives a priority ticket and checks the appointment
    in; the same slip again is refused plainly, another code is explained; the ID card finds the
    citizen's other appointment."""
    from kiosk.printing.slips import appointment_code
    identity = cards.resident()
    first, second = app.client.appointment_slots(hall="TJ-CITY")[:2]
    by_slip = app.client.book_appointment(first.slot_id, ITEM, identity.name, identity.id_number)
    app.client.book_appointment(second.slot_id, ITEM, identity.name, identity.id_number)
    scanner = app.app.services.devices.scanner.emulator
    queue = _open(app, "queue")
    assert "扫预约凭条" in queue.buttons["appointment"].text
    _tap(app, queue, "appointment")
    assert queue.state == "identify"
    scanner.scan("TJCASE:CN-SEED-0001")                                 # a receipt, not a slip
    assert app.wait_until(lambda: "不是预约凭条" in queue.message, 10), queue.message
    assert queue.state == "identify"
    scanner.scan(appointment_code(by_slip.appointment_number))
    assert app.wait_until(lambda: queue.state == "ticket", 10), queue.message
    assert queue.ticket.priority and queue.appointment.appointment_number == by_slip.appointment_number
    assert "预约优先" in app.printed(1, timeout=10).text
    assert app.client.appointment(by_slip.appointment_number).status == "checked_in"
    app.app.end_session("next")

    queue = _open(app, "queue")
    _tap(app, queue, "appointment")
    app.wait_until(lambda: False, 1.6)             # the scanner drops a repeat within 1.5 s (debounce)
    scanner.scan(appointment_code(by_slip.appointment_number))           # the same slip again
    assert app.wait_until(lambda: "已取过号" in queue.message, 10), queue.message
    assert queue.state == "identify" and len(app.printer.jobs) == 1      # no second ticket
    app.screenshot(SHOTS / "queue-appointment-used.png")
    _place_card(app)                                                     # the card: the other one
    assert app.wait_until(lambda: queue.state == "ticket", 10), queue.message
    assert queue.ticket.priority and queue.appointment.appointment_number != by_slip.appointment_number
    app.printed(2, timeout=10)
    _remove_card(app)


def _evaluate_badly(app, marker):
    screen = _open(app, "evaluation")
    app.screenshot(SHOTS / "evaluation-levels.png")
    _tap(app, screen, "level:very_dissatisfied")
    assert screen.state == "reasons"
    _tap(app, screen, "submit")
    assert screen.message and screen.state == "reasons"       # a reason is required
    _tap(app, screen, "reason:too_slow")
    screen.ids.scroll.scroll_y = 0
    app.frames(3)
    app.tap(screen.keyboard.keys["layout:english"])          # a Latin marker: the English layout
    app.frames(3)
    screen.ids.scroll.scroll_y = 0
    app.frames(3)
    for char in marker:
        app.tap(screen.keyboard.keys[char])
    app.screenshot(SHOTS / "evaluation-reasons.png")
    _tap(app, screen, "submit")
    return screen


def _received(sandbox, marker):
    return [r for r in sandbox.admin("GET", "/receipts/evaluation")["receipts"] if r["body"]["comment"] == marker]


def test_evaluation_with_reasons_reaches_the_platform(app, sandbox):
    screen = _evaluate_badly(app, "slow1")
    assert app.wait_until(lambda: screen.state == "sent", 10), screen.message
    [receipt] = _received(sandbox, "slow1")
    assert receipt["body"]["level"] == "very_dissatisfied" and receipt["body"]["reasons"] == ["办理时间过长"]
    assert app.app.services.outbox.depth() == 0


def test_evaluation_made_offline_arrives_exactly_once(app, sandbox):
    sandbox.stop()
    try:
        screen = _evaluate_badly(app, "offline1")
        assert app.wait_until(lambda: screen.state == "queued", 15), screen.message
        app.screenshot(SHOTS / "evaluation-queued.png")
        assert app.app.services.outbox.depth("evaluation") == 1
    finally:
        sandbox.start()
    outbox = app.app.services.outbox
    assert app.wait_until(lambda: outbox.depth() == 0, 20)
    app.frames(10)
    assert len(_received(sandbox, "offline1")) == 1
    assert outbox.outcome(screen.ref).outcome == "accepted"


def test_complaint_is_acknowledged_and_faq_is_searchable(app, sandbox):
    screen = _open(app, "complaint", item_code=ITEM)
    _tap(app, screen, "complain")
    _tap(app, screen, "submit")
    assert screen.message                                     # content required
    _tap(app, screen, "topic:办理超时")
    app.screenshot(SHOTS / "complaint-form.png")
    _tap(app, screen, "submit")
    assert app.wait_until(lambda: screen.state == "sent", 10), screen.message
    text = app.printed(1, timeout=10).text
    for needle in ("投诉受理回执", screen.receipt.number, "效能投诉", "办理超时", "居民身份证申领", "88908890"):
        assert needle in text, needle
    stored = sandbox.admin("GET", "/receipts/complaint")["receipts"]
    assert screen.receipt.number in [r["number"] for r in stored]
    app.tap(screen.ids.back)
    app.tap(screen.ids.back)
    screen = _open(app, "complaint")
    _tap(app, screen, "consult")
    for char in "sfz":
        screen.search(screen.query + char)
    app.frames(3)
    texts = [w.text for w in screen.ids.body.walk() if isinstance(getattr(w, "text", None), str)]
    assert any("身份证" in t for t in texts) and any("88908890" in t for t in texts)
    app.screenshot(SHOTS / "complaint-faq.png")


def test_tour_states_of_the_service_screens(app):
    shots = []
    for elder in (False, True):
        for name in ("appointment", "queue", "evaluation", "complaint", "progress"):
            app.app.end_session("tour")
            if elder:
                app.app.toggle_elder()
            for state in tour.states(app, name):
                shots.append(app.screenshot(SHOTS / f"tour-{'elder' if elder else 'std'}-{name}-{state}.png"))
    app.app.end_session("tour")
    keyboards = [p for p in shots if "-keyboard-" in p.name]       # the keyboards' layouts (screens/tour/keyboard.py)
    states = {p.stem.split("-", 2)[2] for p in shots if p not in keyboards}
    assert {f"{name}-{state}" for name, state in (
        ("appointment", "items"), ("appointment", "confirm-slot"), ("appointment", "booked"), ("queue", "ticket"),
        ("evaluation", "reasons"), ("complaint", "form"), ("complaint", "faq"), ("progress", "refused"),
        ("progress", "cases"))} <= states
    assert all(p.stat().st_size > 0 for p in shots)
    assert {p.name.rsplit("-keyboard-", 1)[1] for p in keyboards} >= {"pinyin.png", "handwriting.png", "phone.png"}
