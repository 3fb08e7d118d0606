"""The tour's states that belong to no single screen: English (a guide sheet too), the idle countdown naming what
it will discard, "放弃本次办理？", the reprint offer, each error state (ID card reader offline,
platform unreachable, paper out, not eligible, no item chosen), a card left on the reader and
the --dev panel. `tour(driver)` arranges each and yields its name. Not production code."""
from __future__ import annotations

ITEM = "TJ-SCJG-002"
NOT_ELIGIBLE = "TJ-GAJ-001"          # 居民身份证申领: no material may be deferred
VARIANT = "TJ-SCJG-001-02"           # 食品经营许可（变更）, its English partly its item's


def _commitment(driver, code=ITEM):
    """The commitment screen with `code` chosen (and the demonstration applicant), or none."""
    from screens.tour.commitment import _begin
    if code:
        _begin(driver, "commitment", code=code)
    else:
        driver.app.start_session()
    driver.app.go("commitment")
    driver.frames(3)
    return driver.screen("commitment")


def tour(driver, elder: bool = False):
    app = driver.app

    def fresh():
        """A new visit in the mode being toured (the session's end resets the mode)."""
        app.end_session("tour")
        if elder and not app.elder:
            app.toggle_elder()

    # English: the attract screen, home and a flow step
    fresh()
    app.toggle_language()
    yield "english-attract"
    app.start_session()
    yield "english-home"
    _commitment(driver, code="")
    yield "english-commitment-choose-item"
    from screens.tour.screens import open_sheet
    sheet = open_sheet(driver, VARIANT)          # a variant's sheet: its own English and its item's
    yield "english-guide-sheet-page-1"
    sheet.turn(1)
    driver.frames(2)
    yield "english-guide-sheet-page-2"
    app.toggle_language()

    # leaving with something to lose, and the countdown saying what it will discard
    screen = _commitment(driver)
    draft_screen = screen
    app.services.sessions.current.data["commitment"] = object()
    app.leave("tour")
    yield "leave-question"
    app.root.ids.ask.close()
    overlay = app.root.ids.idle_overlay
    from kivy.clock import Clock
    timeout = app.services.idle.timeout_for("commitment")

    def countdown_shown():
        # the real countdown, 15 s left: set again each frame, since a slow frame or a stray
        # activity must not let it run out (or reset it) before the idle tick has drawn it
        app._last_activity = Clock.get_boottime() - (timeout - 15)
        return overlay.seconds > 0
    if not driver.wait_until(countdown_shown, 20):
        raise RuntimeError("tour: the idle countdown did not appear")
    yield "idle-countdown"
    app.touched()

    # errors: platform unreachable, reader offline, not eligible, no item
    from kiosk.platform.errors import PlatformUnavailable
    draft_screen.start_identify()
    draft_screen.credit_failed(PlatformUnavailable("tour"))
    yield "error-platform-unreachable"
    from kiosk.devices.emulated import EmulatedDevices
    hand = EmulatedDevices(app.services.devices)
    if hand.unplug("idcard"):
        reader = app.services.devices.idcard
        driver.wait_until(lambda: reader.health().state == "offline", 10)
        draft_screen.start_identify()
        driver.frames(3)
        yield "error-reader-offline"
        hand.replug("idcard")
        driver.wait_until(lambda: reader.health().state == "ok", 10)
    _commitment(driver, code=NOT_ELIGIBLE)
    yield "error-not-eligible"
    _commitment(driver, code="")
    yield "commitment-choose-item"

    # paper out, then the reprint offered when the printer is back
    printer = getattr(app.services.devices.printer, "emulator", None)
    if printer is not None:
        from kiosk.platform.models import QueueTicket
        fresh()
        app.start_session()
        queue = app.screen("queue")
        app.go("queue")
        driver.frames(3)
        printer.paper = "out"
        queue.queue = queue.hall.queues[0]
        queue.taken(QueueTicket("A013", queue.hall.id, "A", 4, queue.now(), False))
        driver.wait_until(lambda: "…" not in queue.print_status and queue.print_status, 10)
        yield "error-paper-out"
        printer.paper = "ok"
        driver.wait_until(lambda: app.root.ids.ask.shown, 10)
        yield "reprint-offer"
        app.root.ids.ask.close()

    # a card left on the reader after the session
    emulator = getattr(app.services.devices.idcard, "emulator", None)
    if emulator is not None:
        emulator.place("resident")
        reader = app.services.devices.idcard
        driver.wait_until(lambda: reader.card_lying, 5)
        fresh()
        driver.frames(3)
        yield "card-left"
        emulator.remove()
        driver.wait_until(lambda: not reader.card_lying, 5)

    # the --dev panel
    fresh()
    app.start_session()
    panel = app.root.ids.dev_panel
    dev, app.dev = app.dev, True
    panel.toggle()
    yield "dev-panel"
    panel.toggle()
    app.dev = dev
    fresh()
